"""The documents stage's benchmark (benchmarks/bench_documents_stage.py): what it measures, and
its check against another version's report, on the five sample articles."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    return importlib.import_module("bench_documents_stage")


def test_measures_the_stage_and_checks_a_report_against_another(bench, samples, tmp_path, monkeypatch,
                                                               capsys):
    report, numbers = bench.measure(samples, 0)
    assert len(report) == 5 and set(numbers) == {"wall", "main_cpu", "workers_cpu", "main_peak_mib"}
    assert numbers["wall"] > 0 and numbers["main_peak_mib"] > 50
    run = ["bench_documents_stage.py", "--corpus", str(samples), "--out", str(tmp_path / "a")]
    monkeypatch.setattr(sys, "argv", run)
    bench.main()
    monkeypatch.setattr(sys, "argv", [*run[:-1], str(tmp_path / "b"), "--compare", str(tmp_path / "a")])
    bench.main()
    out = capsys.readouterr().out
    assert "the same table as" in out and "documents.csv: the same bytes" in out
    (tmp_path / "a" / "documents.csv").write_text("other", encoding="utf-8")
    bench.main()
    assert "documents.csv: DIFFERENT bytes" in capsys.readouterr().out
