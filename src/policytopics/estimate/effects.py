"""Effects of document covariates on topic prevalence, by formula (R stm's ``estimateEffect``).

``[effects] formula`` names the covariates, as R's and Python's model formulas do
(`formulaic <https://matthewwardrop.github.io/formulaic/>`_): ``"region + period"`` (the
default: region and period as categories), ``"region + spline(year, 4)"`` (a smooth trend
over years: a B-spline with 4 degrees of freedom, formulaic's ``bs(year, df=4)``),
``"area * year"`` (a linear trend per economic area). A formula holds only the covariates
below, ``spline(x, k)`` (:data:`FUNCTIONS`), ``+``, ``*``, ``:`` and parentheses: it is parsed
here and written back for formulaic, and anything else is refused, never evaluated. The
covariates of every document:

``region``
    its region (province, or city with ``region_level = "city"``; the national group
    for national documents), a category;
``period``
    its period (``[weights] period``), a category;
``year``
    its year as a number (from its date);
``area``
    the economic area of its region (东部, 中部, 西部, 东北, 其他), a category.

A category's reference level is the level with the most documents; levels with fewer than
``min_docs`` documents (two at least) are left out with their documents. Every document
counts once (``[weights] weight_by`` does not weight the regression). With an interaction
such as ``area * year`` a main effect is the effect at year 0: read the ``levels`` and
``curves`` tables (averaged over the documents' other covariates) rather than those
coefficients. A formula whose terms overlap (``region + area``: the area follows from
the region) is not estimated, with that reason. Every topic's proportion is
regressed on the same design (ordinary least squares), and the estimates carry both
uncertainties by the method of composition (:mod:`policytopics.estimate.uncertainty`): on every draw
the documents' proportions are drawn from the model's posterior, the regression is refitted,
and one draw is taken from the normal of its coefficients (HC1 robust covariance, computed
once at the point proportions), as stm's ``estimateEffect(uncertainty = "Global")`` does.
Intervals are quantiles over the draws.

:class:`EffectModel` is that statistic; :func:`effect_tables` turns its draws into the three
tables the figures draw, in stm's three forms: the expected proportion at each level of a
category (``pointestimate``), the difference between two levels (``difference``) and a
number's curve with its band (``continuous``). What an effect is not: a cause. The linear
model also ignores that proportions lie between 0 and 1.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from policytopics.estimate.uncertainty import quantile_interval
from policytopics.settings.formula import (
    COVARIATES,
    EffectFormulaError,
    formula_covariates,
    formulaic_formula,
)
from policytopics.text.regions import region_area

#: Points of a continuous covariate's curve.
CURVE_POINTS = 40


def covariate_frame(documents: pd.DataFrame) -> pd.DataFrame:
    """The covariates of every document (one row per document, in its order)."""
    dates = documents["date"] if "date" in documents else pd.Series(None, index=documents.index)
    years = pd.to_numeric(dates.astype("string").str[:4], errors="coerce")
    region = documents["region"] if "region" in documents else pd.Series(None, index=documents.index)
    return pd.DataFrame({
        "region": region.to_numpy(),
        "period": (documents["period"] if "period" in documents else pd.Series(None, index=documents.index)
                   ).to_numpy(),
        "area": [region_area(r) if isinstance(r, str) else None for r in region],
        "year": years.to_numpy(dtype=float),
    })


class EffectModel:
    """The regression of every topic's proportion on a formula's covariates.

    Parameters
    ----------
    documents
        One row per document (``date``, ``period``, ``region``), in the row order of the
        proportions it will be given.
    formula
        See the module's introduction.
    theta
        The documents' point proportions (documents × topics): the estimates and the
        coefficients' robust covariance are computed at them.
    min_docs
        Levels of a category with fewer documents are left out, with their documents.

    Attributes
    ----------
    usable : bool
        Whether there is a regression to run (more documents than coefficients, and every
        category with two levels or more).
    reason : str
        Why not, when it is not.
    columns : list of str
        The design's columns (``Intercept``, ``region[T.浙江省]``, ``bs(year, df=4)[1]``…).

    Calling it with a draw of the proportions and a generator returns coefficients ×
    topics: the least-squares estimates of that draw plus one normal draw of their
    sampling error (without a generator: the estimates alone).
    """

    def __init__(self, documents: pd.DataFrame, formula: str, theta: np.ndarray, *, min_docs: int = 2):
        self.formula = formula
        self.covariates = formula_covariates(formula)
        data = covariate_frame(documents)
        # A level of one document has no residual to estimate its error from (HC1 gives it
        # none): two at least, whatever min_docs says.
        keep, self.levels, self.reason = _kept_levels(data, self.covariates, max(2, min_docs))
        self.rows = np.flatnonzero(keep)
        self._every_row = len(self.rows) == len(data)
        frame = data.iloc[self.rows].reset_index(drop=True)
        for name, levels in self.levels.items():
            frame[name] = pd.Categorical(frame[name], categories=levels)
        self.data = frame
        self.usable = False
        if not self.reason:
            self._fit(theta)

    def _fit(self, theta: np.ndarray) -> None:
        """The design of the kept documents, its estimates' robust covariance at ``theta``;
        ``reason`` when the design cannot be estimated."""
        from formulaic import Formula

        matrix = Formula(formulaic_formula(self.formula)).get_model_matrix(self.data)
        self.spec = matrix.model_spec
        design = np.asarray(matrix, dtype=float)
        self.columns = list(matrix.columns)
        rank = int(np.linalg.matrix_rank(design))
        if design.shape[0] <= rank:
            self.reason = (f"{design.shape[0]} documents for {design.shape[1]} coefficients: "
                           "too few documents for the formula")
            return
        if rank < design.shape[1]:
            self.reason = (f"the formula's terms overlap ({design.shape[1]} coefficients, {rank} "
                           "independent): area follows from region, period from year, or a spline has "
                           "more degrees of freedom than distinct years; leave one out")
            return
        self.usable = True
        # The design itself is not kept: its pseudo-inverse is all a draw needs (at a million
        # documents and 50 coefficients each is 400 MB).
        self._pinv = np.linalg.pinv(design)
        self._roots = _hc1_roots(design, self._pinv, self._kept(theta))  # topics × k × k

    def _kept(self, theta: np.ndarray) -> np.ndarray:
        """The rows of the kept documents (``theta`` itself when every document is kept)."""
        return theta if self._every_row else theta[self.rows]

    def __call__(self, theta: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
        params = self._pinv @ self._kept(theta)
        if rng is not None:
            noise = rng.standard_normal((params.shape[1], params.shape[0]))
            params = params + np.einsum("tij,tj->it", self._roots, noise)
        return params

    def covariances(self) -> np.ndarray:
        """The coefficients' HC1 robust covariance per topic (topics × coefficients × coefficients),
        at the point proportions."""
        return np.einsum("tij,tkj->tik", self._roots, self._roots)

    def n_docs(self, name: str, level) -> int:
        return int((self.data[name] == level).sum())

    def reference(self) -> dict[str, object]:
        """Every covariate's reference value: a category's reference level, a number's median."""
        return {name: (self.levels[name][0] if COVARIATES[name] else float(self.data[name].median()))
                for name in self.covariates}

    def predict_design(self, name: str, values: Sequence) -> np.ndarray:
        """Design rows for ``values`` of one covariate, averaged over the documents' values of
        the others (average predictions).

        The expected share at ``year = 2010`` is the mean of the model's predictions for the
        corpus's documents had each been from 2010, each keeping its own province: the
        panel's average province, not one reference province (with 31 provinces of 23
        reports each, the reference was whichever came first, and a curve of 脱贫攻坚 drawn
        for Beijing lay at zero). In a formula without interactions this moves a curve or
        the levels up or down and leaves every difference as it was. The documents' values
        are counted once per distinct combination, so the cost does not grow with the corpus.
        """
        others = [other for other in self.covariates if other != name]
        if others:
            combos = (self.data.groupby(others, observed=True, dropna=False).size()
                      .reset_index(name="_documents"))
        else:
            combos = pd.DataFrame({"_documents": [len(self.data)]})
        weights = combos["_documents"].to_numpy(dtype=float) / combos["_documents"].sum()
        frame = combos.loc[np.tile(np.arange(len(combos)), len(values)), others].reset_index(drop=True)
        frame[name] = np.repeat(np.asarray(list(values)), len(combos))
        for category, levels in self.levels.items():
            frame[category] = pd.Categorical(frame[category], categories=levels)
        design = np.asarray(self.spec.get_model_matrix(frame), dtype=float)
        return np.einsum("vcp,c->vp", design.reshape(len(values), len(combos), -1), weights)


def _kept_levels(data: pd.DataFrame, covariates: Sequence[str],
                 min_docs: int) -> tuple[np.ndarray, dict[str, list], str]:
    """The documents kept (a mask of ``data``'s rows), each category's levels with ``min_docs``
    documents or more among them (the reference first), and why there is nothing to
    compare ("" when there is)."""
    keep = data[list(covariates)].notna().all(axis=1).to_numpy().copy()
    reason = ""
    categories = [name for name in covariates if COVARIATES[name]]
    # A category that has fewer than two levels of min_docs documents on its own is the
    # reason, whatever the others (52 yearly reports: period, not region).
    for name in categories:
        enough = int((data.loc[keep, name].value_counts() >= min_docs).sum())
        if enough < 2 and not reason:
            reason = (f"{name} has {'no' if enough == 0 else 'only one'} level with {min_docs} or "
                      "more documents: nothing to compare")
    # Leaving out one covariate's small levels can leave another's with too few
    # documents: repeat until no document is left out.
    while True:
        before = keep.sum()
        for name in categories:
            counts = data.loc[keep, name].value_counts()
            keep &= data[name].isin(counts[counts >= min_docs].index).to_numpy()
        if keep.sum() == before:
            break
    levels: dict[str, list] = {}
    for name in categories:
        counts = data.loc[keep, name].value_counts()
        # Reference first: the level with the most documents (ties: by name).
        levels[name] = sorted(counts.index, key=lambda level: (-counts[level], str(level)))
        if len(levels[name]) < 2 and not reason:
            count = len(levels[name])
            reason = (f"{name} has {'no' if count == 0 else 'only one'} level with {min_docs} or "
                      "more documents once the other covariates' small levels are left out: "
                      "nothing to compare")
    return keep, levels, reason


def _hc1_roots(design: np.ndarray, pinv: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Square roots of the coefficients' HC1 robust covariance per topic (topics × k × k), at
    the point proportions ``point`` (documents × topics)."""
    params = pinv @ point
    residuals = point - design @ params
    n, k = design.shape
    # HC1 sandwich per topic: pinv diag(e^2) pinv' * n / (n - k); its square root for
    # the draws (eigen-decomposition: a rank-deficient covariance has zero directions).
    roots = []
    for j in range(point.shape[1]):
        covariance = (pinv * residuals[:, j] ** 2) @ pinv.T * n / (n - k)
        values, vectors = np.linalg.eigh(covariance)
        roots.append(vectors * np.sqrt(np.clip(values, 0, None)))
    return np.stack(roots)


def effect_tables(model: EffectModel, point: np.ndarray, draws: np.ndarray, topic_labels: dict,
                  *, ci: float = 0.95, compare: Sequence[str] = ()) -> dict[str, pd.DataFrame]:
    """The coefficient table and stm's three forms, from the draws of ``model``.

    Parameters
    ----------
    point
        ``model`` at the point proportions (coefficients × topics).
    draws
        ``model`` on every draw (draws × coefficients × topics).
    compare
        Two levels of one category for the difference; empty: the two levels with the most
        documents of the formula's first category.

    Returns
    -------
    dict with

    ``coefficients``
        ``term`` (the design column), ``covariate``, ``level`` (a category's level),
        ``reference``, ``topic``, ``topic_label``, ``estimate``, ``ci_low``, ``ci_high``,
        ``n_docs``.
    ``levels``
        ``covariate``, ``level``, ``topic``, ``topic_label``, ``estimate``, ``ci_low``,
        ``ci_high``, ``n_docs``: the expected proportion at each level of each category,
        averaged over the documents' other covariates (:meth:`EffectModel.predict_design`;
        stm's ``pointestimate`` holds them at a reference instead).
    ``difference``
        ``covariate``, ``level``, ``versus``, ``topic``, ``topic_label``, ``estimate``,
        ``ci_low``, ``ci_high`` (proportions; ``level`` minus ``versus``).
    ``curves``
        ``covariate``, ``value``, ``topic``, ``topic_label``, ``estimate``, ``ci_low``,
        ``ci_high``: a number's expected proportion over its range (stm's ``continuous``).
    """
    topics = list(range(1, point.shape[1] + 1))
    labels = [topic_labels.get(topic, f"T{topic}") for topic in topics]
    levels, curves = [], []
    for name in model.covariates:
        if COVARIATES[name]:
            levels += _level_rows(model, point, draws, name, labels, ci)
        else:
            curves += _curve_rows(model, point, draws, name, labels, ci)
    pair = _comparison(model, compare)
    difference = _difference_rows(model, point, draws, pair, labels, ci) if pair is not None else []
    return {
        "coefficients": _coefficient_table(model, point, draws, labels, ci),
        "levels": pd.DataFrame(levels, columns=["covariate", "level", "topic", "topic_label", "estimate",
                                                "ci_low", "ci_high", "n_docs"]),
        "difference": pd.DataFrame(difference, columns=["covariate", "level", "versus", "topic",
                                                        "topic_label", "estimate", "ci_low", "ci_high"]),
        "curves": pd.DataFrame(curves, columns=["covariate", "value", "topic", "topic_label", "estimate",
                                                "ci_low", "ci_high", "supported"]),
    }


def _coefficient_table(model: EffectModel, point: np.ndarray, draws: np.ndarray, labels: list[str],
                       ci: float) -> pd.DataFrame:
    """:func:`effect_tables`' ``coefficients``: one row per design column and topic."""
    low, high = quantile_interval(draws, ci)
    reference = model.reference()
    rows = []
    for i, term in enumerate(model.columns):
        covariate, level = _term_parts(term, model)
        n_docs = model.n_docs(covariate, level) if level is not None else len(model.rows)
        for j, label in enumerate(labels):
            rows.append((term, covariate, level, reference.get(covariate) if level is not None else None,
                         j + 1, label, float(point[i, j]), float(low[i, j]), float(high[i, j]), n_docs))
    return pd.DataFrame(rows, columns=["term", "covariate", "level", "reference", "topic",
                                       "topic_label", "estimate", "ci_low", "ci_high", "n_docs"])


def _predicted(model: EffectModel, point: np.ndarray, draws: np.ndarray, name: str,
               values) -> tuple[np.ndarray, np.ndarray]:
    """The expected proportions at ``values`` of covariate ``name`` (values × topics) and
    their draws (draws × values × topics)."""
    design = model.predict_design(name, values)  # values × coefficients
    return design @ point, np.einsum("vc,sct->svt", design, draws)


def _level_rows(model: EffectModel, point: np.ndarray, draws: np.ndarray, name: str,
                labels: list[str], ci: float) -> list[tuple]:
    """:func:`effect_tables`' ``levels`` rows of category ``name``."""
    values = model.levels[name]
    estimate, drawn = _predicted(model, point, draws, name, values)
    lo, hi = quantile_interval(drawn, ci)
    return [(name, level, j + 1, label, float(estimate[v, j]), float(lo[v, j]), float(hi[v, j]),
             model.n_docs(name, level))
            for v, level in enumerate(values) for j, label in enumerate(labels)]


def _curve_rows(model: EffectModel, point: np.ndarray, draws: np.ndarray, name: str,
                labels: list[str], ci: float) -> list[tuple]:
    """:func:`effect_tables`' ``curves`` rows of number ``name``: :data:`CURVE_POINTS` over its range."""
    grid = np.linspace(model.data[name].min(), model.data[name].max(), CURVE_POINTS)
    estimate, drawn = _predicted(model, point, draws, name, grid)
    lo, hi = quantile_interval(drawn, ci)
    supported = supported_values(grid, model.data[name])
    return [(name, float(value), j + 1, label, float(estimate[v, j]), float(lo[v, j]), float(hi[v, j]),
             bool(supported[v]))
            for v, value in enumerate(grid) for j, label in enumerate(labels)]


def _difference_rows(model: EffectModel, point: np.ndarray, draws: np.ndarray,
                     pair: tuple[str, object, object], labels: list[str], ci: float) -> list[tuple]:
    """:func:`effect_tables`' ``difference`` rows: the first level of ``pair`` minus the second."""
    name, first, second = pair
    estimate, drawn = _predicted(model, point, draws, name, [first, second])
    gap, gap_draws = estimate[0] - estimate[1], drawn[:, 0] - drawn[:, 1]
    lo, hi = quantile_interval(gap_draws, ci)
    return [(name, first, second, j + 1, label, float(gap[j]), float(lo[j]), float(hi[j]))
            for j, label in enumerate(labels)]


def supported_values(grid: np.ndarray, observed) -> np.ndarray:
    """Which points of a curve's ``grid`` lie where the documents are: not inside a gap of
    the ``observed`` values wider than twice their usual spacing (1965-1974 in seventy years
    of yearly reports). A spline drawn across such a gap shows a shape no document holds.

    >>> supported_values(np.array([1960, 1964, 1968, 1972, 1975, 1976]),
    ...                  [1960, 1962, 1963, 1964, 1975, 1976]).tolist()
    [True, True, False, False, True, True]
    """
    values = np.unique(np.asarray(observed, dtype=float)[~pd.isna(observed)])
    supported = np.ones(len(grid), dtype=bool)
    if len(values) < 3:
        return supported
    threshold = 2 * float(np.median(np.diff(values)))
    for low, high in itertools.pairwise(values):
        if high - low > threshold:
            supported &= ~((grid > low) & (grid < high))
    return supported


def _term_parts(term: str, model: EffectModel) -> tuple[str, object]:
    """``region[T.浙江省]`` → ``("region", "浙江省")``; other terms → ``(term, None)``."""
    for name, levels in model.levels.items():
        prefix = f"{name}[T."
        if term.startswith(prefix) and term.endswith("]"):
            level = term[len(prefix):-1]
            matched = [lv for lv in levels if str(lv) == level]
            if matched and ":" not in term:
                return name, matched[0]
    return term, None


def _comparison(model: EffectModel, compare: Sequence[str]) -> tuple[str, object, object] | None:
    """The category and two levels of the difference figure."""
    if compare:
        first, second = (str(c) for c in compare)
        for name, levels in model.levels.items():
            names = [str(level) for level in levels]
            if first in names and second in names:
                return name, levels[names.index(first)], levels[names.index(second)]
        raise EffectFormulaError(f"[effects] compare: no category of the formula has both {first!r} "
                                 f"and {second!r} (with enough documents)")
    for name, levels in model.levels.items():
        if len(levels) >= 2:
            return name, levels[0], levels[1]
    return None


__all__ = ["COVARIATES", "EffectFormulaError", "EffectModel", "covariate_frame", "effect_tables",
           "formula_covariates", "formulaic_formula"]
