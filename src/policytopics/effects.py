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
uncertainties by the method of composition (:mod:`policytopics.uncertainty`): on every draw
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
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .places import region_area

#: The covariates a formula may use, and whether each is a category.
COVARIATES = {"region": True, "period": True, "area": True, "year": False}

#: Points of a continuous covariate's curve.
CURVE_POINTS = 40

#: The functions a formula may call, as a user writes them: ``spline(x, k)`` is a B-spline of a
#: number covariate ``x`` with ``k`` degrees of freedom (:data:`SPLINE_DF`).
#:
#: A formula is made of the covariates, these functions, ``+`` (add a term), ``*`` (both terms
#: and their interaction), ``:`` (the interaction alone) and parentheses. Anything else
#: (``{…}``, attribute access, another function, a string) is refused by
#: :func:`formulaic_formula`, and only the formula it writes back from the parsed pieces
#: reaches formulaic, which would evaluate Python in ``{…}`` and in function calls.
FUNCTIONS = {"spline": "spline(x, k)"}

#: The degrees of freedom a spline may have (formulaic's ``bs`` needs at least its degree, 3).
SPLINE_DF = (3, 20)

_OPERATORS = "+*:(),"
_TOKEN = re.compile(r"\s*([+*:(),]|[^\s+*:(),]+)")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_DEPTH = 20


class EffectFormulaError(ValueError):
    """A formula names an unknown covariate or cannot be read."""


def formulaic_formula(formula: str) -> str:
    """The formula in formulaic's terms (``spline(x, k)`` becomes ``bs(x, df=k)``), written
    back from its parsed pieces: nothing of the user's text is evaluated.

    Raises :class:`EffectFormulaError` naming the first piece that is not a covariate, a
    listed function (:data:`FUNCTIONS`), a spline's number or one of ``+ * : ( ) ,``.

    >>> formulaic_formula("region + spline(year, 4)")
    'region + bs(year, df=4)'
    """
    return _FormulaParser(formula).parse()[0]


def formula_covariates(formula: str) -> list[str]:
    """The covariates a formula uses, in :data:`COVARIATES` order.

    >>> formula_covariates("area * year")
    ['area', 'year']
    """
    names = _FormulaParser(formula).parse()[1]
    return [name for name in COVARIATES if name in names]


class _FormulaParser:
    """Recursive descent over the tokens of a formula::

        formula := term ("+" term)*
        term    := factor (("*" | ":") factor)*
        factor  := covariate | "spline" "(" covariate "," number ")" | "(" formula ")"
    """

    def __init__(self, formula):
        if not isinstance(formula, str):
            raise EffectFormulaError(f"the formula must be text, got {formula!r}")
        self.formula = formula
        if "~" in formula:
            raise EffectFormulaError(f"the formula names the covariates only (no '~'): {formula!r}; "
                                     "every topic is the outcome")
        self.tokens = self._tokens()
        self.current = next(self.tokens, None)
        self.names: set[str] = set()

    def _tokens(self):
        position = 0
        while True:
            match = _TOKEN.match(self.formula, position)
            if match is None:  # only white space is left
                return
            piece = match.group(1)
            if not (piece in _OPERATORS or _IDENTIFIER.fullmatch(piece)
                    or (piece.isascii() and piece.isdigit())):
                self._refuse(piece)
            yield piece
            position = match.end()

    def _refuse(self, piece, why=""):
        why = why or (f"a formula holds only the covariates ({', '.join(COVARIATES)}), "
                      f"{', '.join(FUNCTIONS.values())}, and + * : ( )")
        raise EffectFormulaError(f"cannot read the formula {self.formula!r} at {piece!r}: {why}")

    def _take(self, expected=None):
        piece = self.current
        if piece is None:
            raise EffectFormulaError(f"cannot read the formula {self.formula!r}: it ends early"
                                     + (f" (expected {expected!r})" if expected else ""))
        if expected is not None and piece != expected:
            self._refuse(piece, f"expected {expected!r}")
        self.current = next(self.tokens, None)
        return piece

    def parse(self) -> tuple[str, set[str]]:
        if self.current is None:
            raise EffectFormulaError("the formula is empty")
        text = self._formula(0)
        if self.current is not None:
            self._refuse(self.current, "expected + * or : between terms")
        return text, self.names

    def _formula(self, depth):
        parts = [self._term(depth)]
        while self.current == "+":
            self._take()
            parts.append(self._term(depth))
        return " + ".join(parts)

    def _term(self, depth):
        text = self._factor(depth)
        while self.current in ("*", ":"):
            operator = self._take()
            text += (" * " if operator == "*" else ":") + self._factor(depth)
        return text

    def _factor(self, depth):
        piece = self._take()
        if piece == "(":
            if depth >= _MAX_DEPTH:
                self._refuse(piece, f"more than {_MAX_DEPTH} nested parentheses")
            text = self._formula(depth + 1)
            self._take(")")
            return f"({text})"
        if self.current == "(":
            return self._function(piece)
        return self._covariate(piece)

    def _covariate(self, piece, *, number=False):
        if piece not in COVARIATES:
            if piece.isdigit():
                self._refuse(piece, "a number belongs only in spline(x, k)")
            if _IDENTIFIER.fullmatch(piece):
                raise EffectFormulaError(f"the formula {self.formula!r} names {piece!r}; a formula may "
                                         f"use {', '.join(COVARIATES)} and {', '.join(FUNCTIONS.values())}")
            self._refuse(piece)
        if number and COVARIATES[piece]:
            self._refuse(piece, f"{piece} is a category; a spline takes a number covariate "
                                f"({', '.join(n for n, category in COVARIATES.items() if not category)})")
        self.names.add(piece)
        return piece

    def _function(self, name):
        if name not in FUNCTIONS:
            self._refuse(name, f"unknown function; a formula may call {', '.join(FUNCTIONS.values())}")
        self._take("(")
        covariate = self._covariate(self._take(), number=True)
        self._take(",")
        df = self._take()
        low, high = SPLINE_DF
        if not (df.isascii() and df.isdigit() and low <= int(df) <= high):
            self._refuse(df, f"a spline's degrees of freedom are a whole number from {low} to {high}")
        self._take(")")
        return f"bs({covariate}, df={int(df)})"


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
        from formulaic import Formula

        self.formula = formula
        self.covariates = formula_covariates(formula)
        data = covariate_frame(documents)
        keep = data[self.covariates].notna().all(axis=1).to_numpy().copy()
        self.levels: dict[str, list[str]] = {}
        self.reason = ""
        # A level of one document has no residual to estimate its error from (HC1 gives it
        # none): two at least, whatever min_docs says.
        min_docs = max(2, min_docs)
        categories = [name for name in self.covariates if COVARIATES[name]]
        # A category that has fewer than two levels of min_docs documents on its own is the
        # reason, whatever the others (52 yearly reports: period, not region).
        for name in categories:
            enough = int((data.loc[keep, name].value_counts() >= min_docs).sum())
            if enough < 2 and not self.reason:
                self.reason = (f"{name} has {'no' if enough == 0 else 'only one'} level with {min_docs} or "
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
        for name in categories:
            counts = data.loc[keep, name].value_counts()
            # Reference first: the level with the most documents (ties: by name).
            self.levels[name] = sorted(counts.index, key=lambda level: (-counts[level], str(level)))
            if len(self.levels[name]) < 2 and not self.reason:
                count = len(self.levels[name])
                self.reason = (f"{name} has {'no' if count == 0 else 'only one'} level with {min_docs} or "
                               "more documents once the other covariates' small levels are left out: "
                               "nothing to compare")
        self.rows = np.flatnonzero(keep)
        frame = data.iloc[self.rows].reset_index(drop=True)
        for name, levels in self.levels.items():
            frame[name] = pd.Categorical(frame[name], categories=levels)
        self.data = frame
        self.usable = False
        if self.reason:
            return
        matrix = Formula(formulaic_formula(formula)).get_model_matrix(frame)
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
        self.design = design
        self._pinv = np.linalg.pinv(design)
        point = theta[self.rows]
        params = self._pinv @ point
        residuals = point - design @ params
        n, k = design.shape
        # HC1 sandwich per topic: pinv diag(e^2) pinv' * n / (n - k); its square root for
        # the draws (eigen-decomposition: a rank-deficient covariance has zero directions).
        self._roots = []
        for j in range(point.shape[1]):
            covariance = (self._pinv * residuals[:, j] ** 2) @ self._pinv.T * n / (n - k)
            values, vectors = np.linalg.eigh(covariance)
            self._roots.append(vectors * np.sqrt(np.clip(values, 0, None)))
        self._roots = np.stack(self._roots)  # topics × k × k

    def __call__(self, theta: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
        params = self._pinv @ theta[self.rows]
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
    from .uncertainty import quantile_interval

    topics = list(range(1, point.shape[1] + 1))
    low, high = quantile_interval(draws, ci)
    reference = model.reference()
    rows = []
    for i, term in enumerate(model.columns):
        covariate, level = _term_parts(term, model)
        n_docs = model.n_docs(covariate, level) if level is not None else len(model.rows)
        for j, topic in enumerate(topics):
            rows.append((term, covariate, level, reference.get(covariate) if level is not None else None,
                         topic, topic_labels.get(topic, f"T{topic}"), float(point[i, j]),
                         float(low[i, j]), float(high[i, j]), n_docs))
    coefficients = pd.DataFrame(rows, columns=["term", "covariate", "level", "reference", "topic",
                                               "topic_label", "estimate", "ci_low", "ci_high", "n_docs"])

    def predicted(name, values):
        design = model.predict_design(name, values)  # values × coefficients
        return design @ point, np.einsum("vc,sct->svt", design, draws)

    levels, curves, difference = [], [], []
    for name in model.covariates:
        if COVARIATES[name]:
            values = model.levels[name]
            estimate, drawn = predicted(name, values)
            lo, hi = quantile_interval(drawn, ci)
            for v, level in enumerate(values):
                for j, topic in enumerate(topics):
                    levels.append((name, level, topic, topic_labels.get(topic, f"T{topic}"),
                                   float(estimate[v, j]), float(lo[v, j]), float(hi[v, j]),
                                   model.n_docs(name, level)))
        else:
            grid = np.linspace(model.data[name].min(), model.data[name].max(), CURVE_POINTS)
            estimate, drawn = predicted(name, grid)
            lo, hi = quantile_interval(drawn, ci)
            supported = supported_values(grid, model.data[name])
            for v, value in enumerate(grid):
                for j, topic in enumerate(topics):
                    curves.append((name, float(value), topic, topic_labels.get(topic, f"T{topic}"),
                                   float(estimate[v, j]), float(lo[v, j]), float(hi[v, j]),
                                   bool(supported[v])))
    pair = _comparison(model, compare)
    if pair is not None:
        name, first, second = pair
        estimate, drawn = predicted(name, [first, second])
        gap, gap_draws = estimate[0] - estimate[1], drawn[:, 0] - drawn[:, 1]
        lo, hi = quantile_interval(gap_draws, ci)
        for j, topic in enumerate(topics):
            difference.append((name, first, second, topic, topic_labels.get(topic, f"T{topic}"),
                               float(gap[j]), float(lo[j]), float(hi[j])))
    return {
        "coefficients": coefficients,
        "levels": pd.DataFrame(levels, columns=["covariate", "level", "topic", "topic_label", "estimate",
                                                "ci_low", "ci_high", "n_docs"]),
        "difference": pd.DataFrame(difference, columns=["covariate", "level", "versus", "topic",
                                                        "topic_label", "estimate", "ci_low", "ci_high"]),
        "curves": pd.DataFrame(curves, columns=["covariate", "value", "topic", "topic_label", "estimate",
                                                "ci_low", "ci_high", "supported"]),
    }


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
