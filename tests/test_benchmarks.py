"""The end-to-end benchmark's smoke version: 300 xwlb stories, K = 5 (skipped without the corpus).

It calls the benchmark's own functions and checks what they return: which stages each run
built or took from the cache, and that every model was scored. Times are the benchmark's
business, not a test's.
"""

from __future__ import annotations

import importlib
import math
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"


@pytest.fixture
def bench(monkeypatch):
    """``benchmarks/bench_end_to_end.py`` as a module (the benchmarks are scripts, not a package)."""
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    return importlib.import_module("bench_end_to_end")


def built(run) -> set[str]:
    return {stage for stage, hit in run.cache_hits.items() if not hit}


def from_cache(run) -> set[str]:
    return {stage for stage, hit in run.cache_hits.items() if hit}


@pytest.mark.corpora
@pytest.mark.slow
@pytest.mark.skipif(not XWLB.is_file(), reason="../shared/corpora/xwlb.jsonl.gz is absent")
def test_end_to_end_smoke(bench, tmp_path):
    args = bench.parse_args(["--smoke", "--out", str(tmp_path / "results.md")])
    runs = bench.measure_runs(args, tmp_path)
    names = [run.name for run in runs]
    assert names == [bench.PLAIN, "project cold", "project warm", f"project new K = {args.rerun_topics}",
                     f"project new K = {args.rerun_topics + 1}, --quick",
                     bench.OTHER_ENGINE]  # no full-corpus runs: --full was not asked for
    plain, cold, warm, rerun, quick, other_engine = runs

    assert from_cache(cold) == set() and {"documents", "model"} <= built(cold)
    # Warm: nothing is rebuilt (the cached model means the tokens need not even be read).
    assert "documents" in from_cache(warm) and built(warm) == set()
    # New K, and the other engine: only the model is fitted; documents and segmentation
    # come from the cache.
    for run in (rerun, quick, other_engine):
        assert "documents" in from_cache(run) and "model" in built(run) and "tokens" not in built(run)
    assert [len(run.topics) for run in runs] == [args.topics] * 3 + [args.rerun_topics, args.rerun_topics + 1,
                                                                      args.topics]
    figures = sorted(p.suffix for p in (tmp_path / "new-k-quick" / "figures").iterdir())
    assert figures and set(figures) == {".png"}
    assert not (tmp_path / "new-k-quick" / "topic_explorer.html").exists()
    assert all(len(topic) >= bench.TOP_N for run in runs for topic in run.topics)
    assert {"prepare", "fit", "weights", "total"} <= set(plain.stages)

    quality = bench.score_topics(args, runs)
    # warm: cold's model, not scored again
    assert set(quality) == {plain.name, cold.name, rerun.name, quick.name, other_engine.name}
    for run in (plain, cold, rerun, quick, other_engine):
        scores = quality[run.name]
        assert -1 <= scores["npmi"] <= 1 and not math.isnan(scores["npmi"])
        assert 0 < scores["diversity"] <= 1 and scores["topics_scored"] == len(run.topics)

    report = bench.report(args, ["--smoke"], "0 / 0 / 0", runs, quality)
    assert "new K / its model stage, 300 stories: end to end" in report
    assert "all stories: not measured" in report and "the default's fit ≤ gensim's" in report
    assert "300 stories, `--quick`" in report


def test_keyword_topics_bench_weighs_passages_by_length_into_documents(monkeypatch):
    import numpy as np
    import pandas as pd

    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    bench = importlib.import_module("bench_keyword_topics")

    class Fitted:
        doc_topic_ = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])

    units = pd.DataFrame({"doc_id": ["b", "b", "a"], "n_chars": [300, 100, 50]})
    docs, shares = bench.document_shares(Fitted(), units)
    assert docs == ["a", "b"]
    np.testing.assert_allclose(shares, [[0.5, 0.5], [0.75, 0.25]])


@pytest.fixture
def keyword_bench(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    return importlib.import_module("bench_keyword_topics")


def test_keyword_topics_bench_within_years_takes_the_median_over_years_with_enough_regions(keyword_bench):
    import numpy as np
    import pandas as pd

    regions = [f"r{i}" for i in range(8)]
    rising, falling = np.arange(8.0), -np.arange(8.0)
    # 2010: the topic follows theme 0's rate and opposes theme 1's; 2011 the other way round
    # for theme 1; 2012 has 7 regions only and is left out (it would pull theme 0 to -1).
    ids = [f"{y}{r}" for y in (2010, 2011) for r in regions] + [f"2012r{i}" for i in range(7)]
    meta = pd.DataFrame({"doc_id": ids,
                         "date": ["2010"] * 8 + ["2011-03-05"] * 8 + ["2012"] * 7,
                         "region": regions * 2 + regions[:7]})
    shares = np.column_stack([np.r_[rising, rising, rising[:7]], np.r_[rising, rising, rising[:7]]])
    rates = np.column_stack([np.r_[rising, 0.5 * rising, falling[:7]], np.r_[falling, rising, rising[:7]]])
    docs = list(meta["doc_id"])[::-1]  # the shares' order, not the table's
    medians, years = keyword_bench.within_years(docs, shares[::-1], rates[::-1], meta, [0, 1])
    assert years == 2
    np.testing.assert_allclose(medians, [1.0, 0.0])
    no_regions = meta.assign(region=None)
    assert keyword_bench.within_years(docs[:8], shares[:8], rates[:8], no_regions, [0]) == ([], 0)


def test_keyword_topics_bench_fit_memory_is_the_peak_after_the_reset(keyword_bench):
    import numpy as np

    if not keyword_bench.reset_peak():
        pytest.skip("/proc/self/clear_refs cannot be written here")
    big = np.ones(40_000_000)  # 305 MB, freed: the peak stays above the resident memory
    del big
    keyword_bench.reset_peak()
    rss = keyword_bench.memory_mb("VmRSS")
    assert keyword_bench.memory_mb("VmHWM") - rss < 50
    small = np.ones(8_000_000)  # 61 MB
    del small
    assert 55 < keyword_bench.memory_mb("VmHWM") - rss < 120


def test_keyword_topics_bench_presets_name_existing_studies_and_themes(keyword_bench):
    from policytopics.model.theme_file import load_themes

    for name, (path, overrides) in keyword_bench.CORPORA.items():
        assert path.is_file(), name
        if "model__themes" in overrides:
            assert len(load_themes(overrides["model__themes"])) >= 6, name
    assert keyword_bench.parse_overrides(["n_topics=20", "corpus=a.jsonl"]) == {"n_topics": 20,
                                                                              "corpus": "a.jsonl"}


def test_keyword_topics_bench_attainable_rho_is_capped_by_documents_without_seed_words(keyword_bench):
    import numpy as np

    rates = np.column_stack([np.arange(10.0), np.r_[np.zeros(9), 1.0], np.r_[np.zeros(5), np.ones(5)]])
    best = keyword_bench.attainable(rates)
    # every document its own rate: 1; one document of ten with a seed word: far below 1
    np.testing.assert_allclose(best, [1.0, 0.5222, 0.8704], atol=1e-4)


@pytest.fixture
def million(monkeypatch):
    """``benchmarks/bench_million.py`` as a module."""
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    return importlib.import_module("bench_million")


def _news(path: Path, n: int = 12) -> Path:
    import gzip
    import json

    with gzip.open(path, "wt", encoding="utf-8") as file:
        for i in range(n):
            text = "".join(f"第{i}条新闻的第{j}句话讲{'工业农业科技生态'[j % 4]}。" for j in range(8))
            file.write(json.dumps({"id": f"s{i}", "title": f"标题{i}", "date": f"2020-0{1 + i % 3}-1{i % 9}",
                                   "text": text}, ensure_ascii=False) + "\n")
    return path


def test_the_archive_is_built_the_same_and_every_article_is_a_dated_story_of_its_month(million, tmp_path):
    source = _news(tmp_path / "news.jsonl.gz")
    first = million.build(40, tmp_path / "a", seed=3, source=source)
    again = million.build(40, tmp_path / "b", seed=3, source=source)
    other = million.build(40, tmp_path / "c", seed=4, source=source)
    assert million.read_lines(first) == million.read_lines(again) != million.read_lines(other)
    assert first.read_bytes() == again.read_bytes()  # no name, no time in the gzip header
    stories = {story["title"]: story for story in million.read_lines(source)}
    articles = million.read_lines(first)
    assert len(articles) == 40 and len({a["id"] for a in articles}) == 40
    for article in articles:
        core = stories[article["title"]]
        assert article["date"] == core["date"] and article["text"].startswith(core["text"].split("。")[0])
        numbers = {int(s.split("条")[0][1:]) for s in article["text"].split("。") if s}
        months = {stories[f"标题{n}"]["date"][:7] for n in numbers}
        assert months == {core["date"][:7]}  # every sentence from a story of the core's month


@pytest.mark.corpora
@pytest.mark.skipif(not XWLB.is_file(), reason="../shared/corpora/xwlb.jsonl.gz is absent")
def test_articles_built_on_one_story_are_not_near_duplicates_of_each_other(million, tmp_path):
    from policytopics.text.duplicates import find_near_duplicates

    articles = million.read_lines(million.build(3000, tmp_path / "m", seed=1))
    by_title: dict[str, list[dict]] = {}
    for article in articles:
        by_title.setdefault(article["title"], []).append(article)
    shared = [group for group in by_title.values() if len(group) > 1]
    assert shared  # 3,000 draws from 74,542 stories: some stories are drawn twice
    pairs = [article for group in shared for article in group]
    found = find_near_duplicates([a["id"] for a in pairs], [a["text"] for a in pairs])
    assert not found
