"""Stages built apart: a large corpus's file stages built by a child process, read back here."""

from __future__ import annotations

import logging
import os
import sys
import time

import pandas as pd

from policytopics import Study, load_study
from policytopics.study import apart, catalog


def test_the_file_stages_built_apart_are_those_built_here(sample_study, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(apart, "APART_MIN_BYTES", 0)  # the samples as if a large corpus
    calls, returned, wall = [], {}, {}

    def recorded(config, name, *args, **kwargs):
        calls.append(name)
        started = time.perf_counter()
        returned[name] = apart.build_apart(config, name, *args, **kwargs)
        wall[name] = time.perf_counter() - started
        return returned[name]

    monkeypatch.setattr(catalog, "build_apart", recorded)
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=tmp_path / "cache")
    study = Study(config, progress=False)
    with caplog.at_level(logging.INFO, logger="policytopics"):
        study.documents(text=False)  # as a run starts: the documents counted first
        started = time.perf_counter()
        study.model()
        model_wall = time.perf_counter() - started
    # The corpus's child builds the tokens too; the model is fitted here.
    assert calls == ["documents", "corpus"] and study.cache_hits["model"] is False
    # The child's log records are handled here: its stage's build is in the log.
    assert any(r.getMessage().startswith("documents: building") and r.process != os.getpid()
               for r in caplog.records)
    assert {name: study.cache_hits[name] for name in apart.APART_STAGES} == dict.fromkeys(apart.APART_STAGES,
                                                                                          False)
    assert all(study.timings[name] > 0 for name in apart.APART_STAGES)
    # Each stage's own time is the child's build of it and the read here (not the next child's
    # read of it), and the child's time is no part of the model's own.
    _, timings = returned["documents"]
    assert study.timings["documents"] >= timings["documents"] > 0
    assert returned["corpus"][0]["documents"] is True  # the corpus's child read the documents
    assert study.timings["model"] <= model_wall - wall["corpus"]
    pd.testing.assert_frame_equal(study.documents(), sample_study.documents())
    pd.testing.assert_frame_equal(study.tokens(), sample_study.tokens())
    assert (study.model().doc_topic_ == sample_study.model().doc_topic_).all()


def test_a_small_or_cut_corpus_is_built_here(monkeypatch):
    assert not apart.apart_worthwhile(apart.APART_MIN_BYTES - 1)
    assert apart.apart_worthwhile(apart.APART_MIN_BYTES)  # pytest guards its main module
    assert not apart.apart_worthwhile(apart.APART_MIN_BYTES, limit=10_000)
    assert apart.apart_worthwhile(apart.APART_MIN_BYTES, limit=apart.APART_MIN_LIMIT)
    monkeypatch.setitem(sys.modules, "ipykernel", object())  # a notebook: the bars stay in it
    assert not apart.apart_worthwhile(apart.APART_MIN_BYTES)
    monkeypatch.delitem(sys.modules, "ipykernel")
    monkeypatch.setattr(apart, "spawn_safe", lambda: False)  # a script that may not guard its main
    assert not apart.apart_worthwhile(apart.APART_MIN_BYTES)
