"""The end-to-end benchmark's smoke version: 300 xwlb stories, K = 5 (skipped without the corpus)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"


def table_row(results: str, name: str) -> list[str]:
    """Cells of the end-to-end table row whose first cell starts with ``name``."""
    for line in results.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith(name):
            return cells
    raise AssertionError(f"no table row {name!r} in the results")


def cache_cell(cell: str) -> tuple[set[str], set[str]]:
    """Stages served from the cache and stages built, from ``hit: a, b; built: c``."""
    hits, built = cell.split("; ")
    return set(hits.removeprefix("hit: ").split(", ")), set(built.removeprefix("built: ").split(", "))


@pytest.mark.corpora
@pytest.mark.skipif(not XWLB.is_file(), reason="../shared/corpora/xwlb.jsonl.gz is absent")
def test_end_to_end_smoke(tmp_path):
    results_path = tmp_path / "results.md"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_end_to_end.py"), "--smoke",
         "--out", str(results_path)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = results_path.read_text(encoding="utf-8")
    plain, cold, warm, rerun = (table_row(results, name) for name in
                                ("plain", "project cold", "project warm", "project new K = 6"))
    for row in (plain, cold, warm, rerun):
        assert float(row[2]) > 0  # end-to-end seconds
    cold_hits, cold_built = cache_cell(cold[-1])
    warm_hits, warm_built = cache_cell(warm[-1])
    rerun_hits, rerun_built = cache_cell(rerun[-1])
    assert cold_hits == {"none"} and {"documents", "model"} <= cold_built
    # Warm: nothing is rebuilt (the cached model means the tokens need not even be read).
    assert "documents" in warm_hits and warm_built == {"none"}
    # New K: only the model is fitted; documents and segmentation come from the cache.
    assert "documents" in rerun_hits and "model" in rerun_built and "tokens" not in rerun_built
    assert "## Goals" in results
