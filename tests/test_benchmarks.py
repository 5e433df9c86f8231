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
    runs, full = bench.measure_runs(args, tmp_path)
    plain, cold, warm, rerun = runs
    assert full is None  # --full was not asked for

    assert from_cache(cold) == set() and {"documents", "model"} <= built(cold)
    # Warm: nothing is rebuilt (the cached model means the tokens need not even be read).
    assert "documents" in from_cache(warm) and built(warm) == set()
    # New K: only the model is fitted; documents and segmentation come from the cache.
    assert "documents" in from_cache(rerun) and "model" in built(rerun) and "tokens" not in built(rerun)
    assert [len(run.topics) for run in runs] == [args.topics] * 3 + [args.rerun_topics]
    assert all(len(topic) == bench.TOP_N for run in runs for topic in run.topics)

    quality = bench.score_topics(args, runs)
    assert set(quality) == {"primary", "cross-check"}
    for scores in quality.values():
        for run in (plain, cold, rerun):
            assert -1 <= scores[run.name]["npmi"] <= 1 and not math.isnan(scores[run.name]["npmi"])
            assert scores[run.name]["topics_scored"] == len(run.topics)
    assert warm.name not in quality["primary"]  # it serves the cold run's model: not scored twice
