"""Which units a model is fitted on: ``[model] fit_sample`` and the stratified sample.

A corpus of a million articles takes about ten times the fit of 100,000; the topics are the
corpus's themes, which a sample of tens of thousands of units already holds. With
``fit_sample`` the model is fitted on a sample and every unit's topic shares are then inferred
from the fitted topics (:mod:`policytopics.model.infer`).

The sample is **stratified by cell** (region × period in a study,
:meth:`policytopics.study.catalog.Catalog.unit_cells`): every cell of the panel is in it, so
no region-year is left to topics that never saw it, and the rest of the sample is shared out
in proportion to the cells' sizes (largest remainders), each cell's units drawn at random
with ``[model] seed``. Same cells, size and seed: the same sample.

``fit_sample``:

``0``
    every unit (the fit of earlier versions, byte for byte);
``N``
    a sample of ``N`` units (every unit when the corpus has no more; at least one per cell);
``"auto"`` (default)
    every unit up to :data:`AUTO_SAMPLE_ABOVE` units, a sample of :data:`AUTO_SAMPLE_SIZE`
    above: every study of the examples and the news corpus (74,542 stories) is fitted on all
    its units as before.

Examples
--------
>>> fit_sample_size(0, 1_000_000), fit_sample_size("auto", 74_542), fit_sample_size("auto", 10**6)
(None, None, 100000)
>>> stratified_sample(["a", "a", "a", "a", "b"], 2, seed=1).tolist()
[1, 4]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: ``fit_sample = "auto"`` fits on every unit up to this many units of text ...
AUTO_SAMPLE_ABOVE = 200_000
#: ... and on a stratified sample of this many above.
AUTO_SAMPLE_SIZE = 100_000


def fit_sample_size(fit_sample: int | str, n_units: int) -> int | None:
    """The sample a corpus of ``n_units`` is fitted on under ``fit_sample``, or ``None`` for
    every unit (``0``, ``"auto"`` up to :data:`AUTO_SAMPLE_ABOVE`, or a sample as large as
    the corpus)."""
    if fit_sample == "auto":
        size = AUTO_SAMPLE_SIZE if n_units > AUTO_SAMPLE_ABOVE else 0
    elif isinstance(fit_sample, (int, np.integer)) and not isinstance(fit_sample, bool) and fit_sample >= 0:
        size = int(fit_sample)
    else:
        raise ValueError(f"[model] fit_sample must be 'auto' or a whole number of 0 or more, "
                         f"got {fit_sample!r}")
    return size if 0 < size < n_units else None


def allocate(cell_sizes: np.ndarray, size: int) -> np.ndarray:
    """Units drawn from each cell: ``size`` shared in proportion to the cells' sizes (largest
    remainders, ties to the earlier cell), but at least one per cell and never more than a
    cell holds (those cells fixed, the rest shared again among the others). A ``size`` below
    the number of cells gives one each.

    >>> allocate(np.array([800, 150, 49, 1]), 100).tolist()
    [79, 15, 5, 1]
    """
    cell_sizes = np.asarray(cell_sizes, dtype=np.int64)
    counts = np.minimum(cell_sizes, 1)
    left = min(size, int(cell_sizes.sum()))
    if left <= counts.sum():
        return counts
    open_ = cell_sizes > 0
    while True:
        if not open_.any():
            return counts
        share = np.where(open_, left * cell_sizes / cell_sizes[open_].sum(), 0.0)
        low, high = open_ & (share < 1), open_ & (share > cell_sizes)
        if not (low | high).any():
            break
        counts[high] = cell_sizes[high]
        open_ &= ~(low | high)
        left -= int(counts[low | high].sum())
    whole = np.floor(share).astype(np.int64)
    short = left - int(whole[open_].sum())
    remainder = np.where(open_ & (whole < cell_sizes), share - whole, -1.0)
    whole[np.argsort(-remainder, kind="stable")[:short]] += 1
    counts[open_] = whole[open_]
    return counts


def stratified_sample(cells: Sequence, size: int, seed: int) -> np.ndarray:
    """The sorted row numbers of a sample of ``size`` units stratified by ``cells`` (one
    label per unit, any hashable; a missing label is a cell of its own): every cell in it,
    the rest in proportion to the cells' sizes (:func:`allocate`), each cell's units drawn
    at random with ``seed``.

    The cells are taken in the order of their labels as text, and each cell's draw comes from
    its own generator (``seed`` and the cell's rank), so the sample does not depend on the
    units' order within the corpus beyond their row numbers.
    """
    labels = pd.Series(list(cells), dtype=object).map(lambda cell: "" if cell is None else str(cell))
    if len(labels) == 0:
        return np.zeros(0, dtype=np.int64)
    codes, uniques = pd.factorize(labels, sort=True)
    members = np.argsort(codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(uniques)))])
    counts = allocate(np.diff(bounds), size)
    chosen = []
    for cell, count in enumerate(counts):
        rows = members[bounds[cell]:bounds[cell + 1]]
        rng = np.random.default_rng([seed, cell])
        chosen.append(rng.choice(rows, size=int(count), replace=False))
    return np.sort(np.concatenate(chosen)).astype(np.int64)


__all__ = ["AUTO_SAMPLE_ABOVE", "AUTO_SAMPLE_SIZE", "allocate", "fit_sample_size", "stratified_sample"]
