"""Whether seeded topics held their themes: the count, the warning, and a study that reports it."""

from __future__ import annotations

import logging

import pandas as pd
from model_corpora import PLANTED_TEXTS as TEXTS
from model_corpora import THEMES

from policytopics import Study, load_study
from policytopics.model import themes_held as held_module
from policytopics.model.themes_held import HELD_MIN_SEEDED, HELD_TOP_WORDS, themes_held, warn_unheld


def test_a_theme_that_does_not_hold_is_reported():
    """themes_held counts a seeded topic's seeded words among its top 10."""
    words = pd.DataFrame({"topic": [1] * 4 + [2] * 4, "rank": [1, 2, 3, 4] * 2,
                          "word": ["数据", "算力", "人才", "平台", "政策", "资金", "数据", "项目"]})
    report = pd.DataFrame({"theme": ["数字", "数字", "数字", "资金"],
                           "seeded": ["数据", "算力 大数据", "平台", "资金"]})
    held = themes_held(words, {1: "数字", 2: "资金"}, report)
    assert held[["theme", "n_seeded_top", "held"]].values.tolist() == [["数字", 3, True], ["资金", 1, False]]


def test_only_the_themes_that_did_not_hold_are_warned_of(caplog):
    held = pd.DataFrame({"theme": ["数字", "资金"], "topic": [1, 2], "n_seeded_top": [3, 1],
                         "held": [True, False], "top_words": ["数据 算力 平台", "政策 资金 项目"]})
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        assert warn_unheld(held) is held
    assert "'资金' did not hold its topic T2: 1 of its 3" in caplog.text and "数字" not in caplog.text
    assert HELD_MIN_SEEDED <= HELD_TOP_WORDS


def test_a_seeded_study_warns_for_a_theme_that_does_not_hold(tmp_path, caplog, monkeypatch):

    articles = tmp_path / "articles"
    articles.mkdir()
    for i, tokens in enumerate(TEXTS):
        (articles / f"{i:03d}.txt").write_text("。".join(tokens) + "。", encoding="utf-8")
    themes_file = tmp_path / "themes.toml"
    themes_file.write_text("".join(f'["{t.name}"]\nwords = {list(t.words)!r}\n'.replace("'", '"')
                                   for t in THEMES), encoding="utf-8")
    config = load_study(None, corpus=[articles], out=tmp_path / "out", output__cache_dir=tmp_path / "cache",
                        n_topics=5, model__themes=themes_file, model__no_above=0.95)
    held = Study(config, progress=False).topics()
    assert held["theme_held"].dropna().all()
    monkeypatch.setattr(held_module, "HELD_MIN_SEEDED", 11)  # no top 10 can reach it
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        topics = Study(config, progress=False).topics()
    assert "did not hold its topic" in caplog.text
    assert topics["theme_held"].dropna().tolist() == [False] * len(THEMES)
    assert topics["theme_held"].isna().sum() == 5 - len(THEMES)
