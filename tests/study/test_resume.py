"""A run killed mid-way resumes from its completed stages and gives the same results."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"


def run_study(out: Path, cache: Path, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "policytopics.cli", "run", "--corpus", str(XWLB),
               "--limit", "800", "--topics", "8", "--out", str(out), "--cache-dir", str(cache),
               "--study", str(REPO / "study.toml"), "--no-progress", "-q", *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> None:
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr[-3000:]


@pytest.mark.corpora
@pytest.mark.slow
@pytest.mark.skipif(not XWLB.is_file(), reason="../shared/corpora/xwlb.jsonl.gz is absent")
def test_run_killed_after_segmentation_resumes_with_the_same_results(tmp_path):
    # Reference: one uninterrupted run.
    finish(run_study(tmp_path / "whole", tmp_path / "whole-cache"))

    # Kill a run as soon as its token cache is written (the model is being built).
    cache = tmp_path / "cache"
    process = run_study(tmp_path / "killed", cache)
    deadline = time.monotonic() + 300
    while not list((cache / "tokens").glob("*.parquet")):
        assert process.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "no token cache after 300 s"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert not (tmp_path / "killed" / "run.json").exists()  # it did not get to the end

    # Started again, it resumes: documents and tokens come from the cache.
    finish(run_study(tmp_path / "killed", cache))
    record = pd.read_json(tmp_path / "killed" / "run.json", typ="series")
    assert record["cache_hits"]["tokens"] is True and record["cache_hits"]["model"] is False
    for name in ("doc_topics.csv", "topic_words.csv", "theme_weights_by_period.csv", "documents.csv"):
        resumed = (tmp_path / "killed" / name).read_bytes()
        assert resumed == (tmp_path / "whole" / name).read_bytes(), name
    # Nothing half-written is left behind in the cache.
    assert not [p for p in cache.rglob("*.tmp")]
