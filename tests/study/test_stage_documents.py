"""The documents stage's pure function, key and check."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pandas as pd

from policytopics import load_study
from policytopics.study import stage_documents


def _sections(config):
    return {"corpus": config.corpus, "clean": config.clean, "output": config.output}


def test_documents_read_the_corpus_with_portable_sources(samples, tmp_path):
    config = load_study(None, corpus=[str(samples)], output__cache_dir=tmp_path / "cache")
    parts = stage_documents.documents(config.corpus, config.clean, config.compute, config.output)
    report = pd.concat(parts, ignore_index=True)  # one part here: parts of ROW_GROUP_ROWS rows
    assert stage_documents.check_documents(report) is None
    assert (report["status"] == "kept").sum() == 5
    located = stage_documents.located(report, config.corpus)
    assert all(str(samples) in source for source in located["source"])


def test_the_key_follows_file_contents_and_reading_settings_not_display(samples, tmp_path):
    corpus = shutil.copytree(samples, tmp_path / "corpus")
    config = load_study(None, corpus=[str(corpus)], output__cache_dir=tmp_path / "cache")
    before = stage_documents.documents_key(**_sections(config))
    assert stage_documents.documents_key(**_sections(config)) == before
    shown = replace(config.output, figure_formats=["png"], language="en")
    assert stage_documents.documents_key(config.corpus, config.clean, shown) == before
    passages = replace(config.corpus, unit="passage")  # re-segments, does not re-read
    assert stage_documents.documents_key(passages, config.clean, config.output) == before
    stricter = replace(config.clean, min_chars=60)
    assert stage_documents.documents_key(config.corpus, stricter, config.output) != before
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "。", encoding="utf-8")
    assert stage_documents.documents_key(**_sections(config)) != before


def test_a_report_without_a_column_does_not_fit():
    assert stage_documents.missing_columns(pd.DataFrame({"a": [1]}), ["a", "b"]) == "no column 'b'"
    assert "'title'" in stage_documents.check_documents(pd.DataFrame({"doc_id": ["x"]}))
