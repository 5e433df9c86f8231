"""The sample-fit benchmark's comparisons (benchmarks/bench_fit_sample.py), on made-up fits:
topics matched one to one, weights within each other's intervals."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    return importlib.import_module("bench_fit_sample")


class _Fit:
    def __init__(self, topic_word):
        self._topic_word = topic_word

    def topic_word(self):
        return self._topic_word


def test_topics_are_matched_one_to_one_by_jensen_shannon(bench):
    rng = np.random.default_rng(0)
    full = rng.dirichlet(np.full(40, 0.1), size=6)
    order = np.array([3, 0, 5, 1, 4, 2])
    sample = full[order]  # the same topics, in another order
    match, distance, shared = bench.match_topics(_Fit(full), _Fit(sample))
    assert (order[match] == np.arange(6)).all()
    assert np.allclose(distance, 0) and shared == [10] * 6
    _, far, _ = bench.match_topics(_Fit(full), _Fit(rng.dirichlet(np.full(40, 0.1), size=6)))
    assert (far > 0.3).all()


def test_cells_within_each_other_s_intervals(bench):
    full = pd.DataFrame({"topic": [1, 1, 2, 2], "period": ["2019", "2020"] * 2,
                         "weight": [0.2, 0.3, 0.5, 0.6], "ci_low": [0.15, 0.25, 0.45, 0.55],
                         "ci_high": [0.25, 0.35, 0.55, 0.65]})
    # The sample's topic 2 is the full fit's topic 1 and the other way round.
    sample = pd.DataFrame({"topic": [2, 2, 1, 1], "period": ["2019", "2020"] * 2,
                           "weight": [0.21, 0.5, 0.52, 0.6], "ci_low": [0.1, 0.45, 0.5, 0.58],
                           "ci_high": [0.3, 0.55, 0.54, 0.62]})
    result = bench.within(full, sample, np.array([1, 0]), "period")
    # 2019 T1: both in; 2020 T1: 0.5 outside [0.25, 0.35] and 0.3 outside [0.45, 0.55];
    # 2019 T2: 0.52 in [0.45, 0.55], 0.5 in [0.5, 0.54]; 2020 T2: 0.6 in both.
    assert result == {"cells": 4, "both": 0.75, "either": 0.75, "max_abs_diff": pytest.approx(0.2)}
