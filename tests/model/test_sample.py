"""Which units a model is fitted on: fit_sample's rule and the stratified sample
(policytopics.model.sample)."""

from __future__ import annotations

import numpy as np
import pytest

from policytopics.model.sample import (
    AUTO_SAMPLE_ABOVE,
    AUTO_SAMPLE_SIZE,
    allocate,
    fit_sample_size,
    stratified_sample,
)


def _panel(seed=0):
    """Unit cells of an uneven region x year panel: a large cell, small ones, a cell of one
    unit, documents with no region or no year."""
    rng = np.random.default_rng(seed)
    regions = ["北京市"] * 60 + ["山东省"] * 30 + ["西藏自治区"] * 3 + ["national"] * 5 + [""] * 2
    years = rng.choice(["2019", "2020", "2021"], size=len(regions)).tolist()
    years[-1] = ""
    cells = [f"{r}|{y}" for r, y in zip(regions, years)]
    cells[92] = "西藏自治区|2018"  # a cell of one unit
    return cells


def test_every_cell_is_in_the_sample_and_the_size_is_kept():
    cells = _panel()
    for size in (len(set(cells)), 20, 50, 99):
        rows = stratified_sample(cells, size, seed=42)
        assert len(rows) == size and len(set(rows.tolist())) == size
        assert {cells[row] for row in rows} == set(cells), size
        assert (np.diff(rows) > 0).all()


def test_the_sample_is_the_seed_s():
    cells = _panel()
    first = stratified_sample(cells, 30, seed=42)
    assert (stratified_sample(list(cells), 30, seed=42) == first).all()
    assert not (stratified_sample(cells, 30, seed=7) == first).all()


def test_the_rest_of_the_sample_is_shared_in_proportion_to_the_cells():
    cells = ["a"] * 800 + ["b"] * 150 + ["c"] * 50
    rows = stratified_sample(cells, 100, seed=1)
    drawn = {cell: sum(cells[r] == cell for r in rows) for cell in "abc"}
    assert drawn == {"a": 80, "b": 15, "c": 5}


def test_a_sample_smaller_than_the_cells_takes_one_of_each_and_no_cell_gives_more_than_it_has():
    assert allocate(np.array([5, 1, 1]), 2).tolist() == [1, 1, 1]
    assert allocate(np.array([3, 1, 9]), 100).tolist() == [3, 1, 9]
    assert allocate(np.array([10, 1, 5]), 6).tolist() == [3, 1, 2]
    assert allocate(np.array([10, 1, 5]), 6).sum() == 6


def test_fit_sample_zero_auto_and_a_number():
    assert fit_sample_size(0, 10**7) is None
    assert fit_sample_size("auto", AUTO_SAMPLE_ABOVE) is None  # every existing study: all its units
    assert fit_sample_size("auto", AUTO_SAMPLE_ABOVE + 1) == AUTO_SAMPLE_SIZE
    assert fit_sample_size(500, 2000) == 500
    assert fit_sample_size(2000, 2000) is None and fit_sample_size(5000, 2000) is None
    for wrong in (-1, "half", 2.5, True):
        with pytest.raises(ValueError, match="fit_sample"):
            fit_sample_size(wrong, 100)
