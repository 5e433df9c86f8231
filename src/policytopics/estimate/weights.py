"""Theme weights: document-topic proportions joined with date and region, by group.

:func:`document_table` joins every document's proportions with its metadata and period (one
row per document; :func:`doc_topics_table` is its long form, one row per document and topic);
:func:`theme_weights` gives each group's mean weight per topic (region, period or both),
:func:`theme_emphasis` each group's weight minus the mean over groups, and
:func:`topic_correlations` the correlations of the documents' proportions, each with the
interval of :mod:`policytopics.estimate.uncertainty`; :func:`coverage` counts the documents
each grouping leaves out. All functions return tidy long tables (one row per observation)
for the plots.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from policytopics.text.regions import region_area, region_sort_key


def period_of(date: str | None, precision: str | None, period: str) -> str | None:
    """Period label of an ISO date: ``2024`` (year), ``2024Q2`` (quarter), ``2024-06`` (month).

    A date less precise than the period asked for has no period (``None``).
    """
    if not date or not isinstance(date, str):
        return None
    year = date[:4]
    if period == "year":
        return year
    if precision == "year" or len(date) < 7:
        return None
    month = int(date[5:7])
    if period == "quarter":
        return f"{year}Q{(month - 1) // 3 + 1}"
    return f"{year}-{month:02d}"


#: The documents' own columns in :func:`document_table` and the tables made from it.
DOCUMENT_COLUMNS = ("doc_id", "title", "date", "date_precision", "period", "region", "city", "n_chars")


def document_table(documents: pd.DataFrame, doc_topic: np.ndarray, period: str = "year",
                   national_label: str = "") -> tuple[pd.DataFrame, np.ndarray]:
    """The kept documents' metadata and period, one row per document ordered by ``doc_id``,
    and their proportions (documents × topics) in that order.

    What the study's estimates and tables are made of; :func:`doc_topics_table` repeats it
    once per topic (the long table). ``documents`` are the kept documents, in the row order
    of ``doc_topic``. Documents whose source states no region (their ``national`` flag, set
    by the document stage) get ``national_label`` as their region when it is not empty.

    >>> docs = pd.DataFrame({"doc_id": ["b", "a"], "date": ["2020-05-01", None],
    ...                      "date_precision": ["day", None], "region": ["浙江省", None]})
    >>> meta, theta = document_table(docs, np.array([[0.2, 0.8], [0.6, 0.4]]))
    >>> meta["doc_id"].tolist(), meta["period"].tolist()[1], theta.tolist()
    (['a', 'b'], '2020', [[0.6, 0.4], [0.2, 0.8]])
    """
    if len(documents) != doc_topic.shape[0]:
        raise ValueError(f"{len(documents)} documents but {doc_topic.shape[0]} topic rows")
    meta = documents.reindex(columns=["doc_id", "title", "date", "date_precision", "region",
                                      "city", "n_chars"]).reset_index(drop=True)
    if national_label:
        national = documents["national"].fillna(False).astype(bool).to_numpy() & meta["region"].isna()
        meta.loc[national, "region"] = national_label
    meta["period"] = [period_of(d, p, period) for d, p in zip(meta["date"], meta["date_precision"])]
    order = meta.sort_values("doc_id", kind="stable").index.to_numpy()
    return meta.iloc[order][list(DOCUMENT_COLUMNS)].reset_index(drop=True), doc_topic[order]


def doc_topics_table(documents: pd.DataFrame, doc_topic: np.ndarray,
                     topic_labels: dict[int, str], period: str = "year",
                     national_label: str = "") -> pd.DataFrame:
    """Long table: one row per document and topic with ``weight`` and metadata, rows ordered
    by ``doc_id``, then topic (:func:`document_table`'s rows, each repeated once per topic).

    ``documents`` are the kept documents, in the row order of ``doc_topic``; documents whose
    source states no region get ``national_label`` as their region when it is not empty. A
    study's own tables and estimates are made from :func:`document_table`, never from this
    table: a million documents at K = 20 is a table of twenty million rows.
    """
    return long_table(*document_table(documents, doc_topic, period, national_label), topic_labels)


def long_table(meta: pd.DataFrame, theta: np.ndarray, topic_labels: Mapping[int, str]) -> pd.DataFrame:
    """:func:`doc_topics_table` from :func:`document_table`'s documents and proportions."""
    # Each document's metadata repeated once per topic (built by position; a melt, merge and
    # sort of the long table took seconds).
    n_topics = theta.shape[1]
    # The long texts, repeated once per topic, are kept once each (categories): on 72,855 news
    # stories at K = 20 the table held 302 MB, 130 MB of it the labels and 90 MB the titles.
    long = meta.astype({"title": "category"}).iloc[np.repeat(np.arange(len(meta)), n_topics)]
    long = long.reset_index(drop=True)
    topics = np.tile(np.arange(n_topics), len(meta))
    long["topic"] = topics + 1
    long["weight"] = theta.ravel()
    labels = pd.Categorical([topic_labels.get(t) for t in range(1, n_topics + 1)])
    long["topic_label"] = labels.take(topics)
    columns = ["doc_id", "title", "date", "date_precision", "period", "region", "city",
               "n_chars", "topic", "topic_label", "weight"]
    return long[columns]


def document_topics_wide(meta: pd.DataFrame, theta: np.ndarray) -> pd.DataFrame:
    """One row per document: :func:`document_table`'s metadata and one column per topic
    (``T1`` … ``TK``): the form written to ``doc_topics.csv`` / ``.parquet``."""
    columns = [c for c in DOCUMENT_COLUMNS if c in meta.columns]
    weights = pd.DataFrame(theta, columns=[f"T{topic}" for topic in range(1, theta.shape[1] + 1)])
    return pd.concat([meta[columns].reset_index(drop=True), weights], axis=1)


def _check_weight_by(doc_topics: pd.DataFrame, weight_by: str | None) -> None:
    """Refuse a ``weight_by`` that is not a column of the document-topic table."""
    if weight_by is not None and weight_by not in doc_topics.columns:
        raise ValueError(f"weight_by: no column {weight_by!r} in the document-topic table")


class GroupMeans:
    """Statistic of one draw: every group's mean topic proportions over its documents.

    The statistic :func:`theme_weights` and :func:`theme_emphasis` summarise, and one of
    the statistics :func:`policytopics.estimate.uncertainty.compose` computes on every draw.

    Parameters
    ----------
    documents
        One row per document, in the row order of the proportions it will be given, with
        the group columns ``keys`` (and ``weight_by``). Documents without a value for a
        group column belong to no group.
    keys
        The group columns, e.g. ``["region"]`` or ``["region", "period"]``.
    weight_by
        ``None``: every document counts once. A column such as ``"n_chars"``: documents
        count in proportion to it within their group; a group whose sizes are all missing
        or zero counts its documents equally.

    Attributes
    ----------
    groups : list of tuple
        The groups' keys, sorted.
    n_docs : ndarray
        Documents per group.

    Calling it with proportions (documents × topics) and a generator resamples every
    group's documents with replacement (the bootstrap, each group on its own) and returns
    groups × topics means; with ``rng=None`` it returns the plain means.

    Examples
    --------
    >>> docs = pd.DataFrame({"region": ["甲", "乙", "甲"]})
    >>> means = GroupMeans(docs, ["region"])
    >>> means.groups, means.n_docs.tolist()
    ([('乙',), ('甲',)], [1, 2])
    >>> means(np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]), None).tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """

    def __init__(self, documents: pd.DataFrame, keys: Sequence[str], weight_by: str | None = None):
        keys = list(keys)
        _check_weight_by(documents, weight_by)
        frame = documents[keys].reset_index(drop=True)
        valid = frame.notna().all(axis=1).to_numpy()
        codes = np.full(len(frame), -1, dtype=np.int64)
        grouped = frame[valid].groupby(keys, sort=True)
        codes[valid] = grouped.ngroup().to_numpy()
        self.groups = [key if isinstance(key, tuple) else (key,) for key in grouped.size().index]
        n_groups = len(self.groups)
        self.n_docs = np.bincount(codes[valid], minlength=n_groups)
        sizes = np.ones(len(frame))
        if weight_by is not None:
            given = pd.to_numeric(documents[weight_by], errors="coerce").fillna(0).to_numpy(dtype=float)
            totals = np.bincount(codes[valid], weights=given[valid], minlength=n_groups)
            weighed = valid & (totals[np.maximum(codes, 0)] > 0)
            sizes = np.where(weighed, given, 1.0)
            # A document that weighs nothing in a group that weighs something adds nothing to
            # its mean: it is no member (a resample of only such documents would have no mean).
            codes[weighed & (given <= 0)] = -1
            valid = codes >= 0
            self.n_docs = np.bincount(codes[valid], minlength=n_groups)
        self._codes, self._sizes = codes, sizes
        # Documents of each group side by side, for the bootstrap's draws within groups.
        self._members = np.flatnonzero(valid)[np.argsort(codes[valid], kind="stable")]
        self._member_group = codes[self._members]
        self._starts = np.concatenate([[0], np.cumsum(self.n_docs)[:-1]]).astype(np.int64)
        # The groups × documents matrix's layout (CSR: each group's members in document
        # order) is the same on every draw: only its values, the members' counts, change.
        self._indptr = np.concatenate([[0], np.cumsum(self.n_docs)]).astype(np.int64)

    def __call__(self, theta: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
        from scipy import sparse

        n = len(self._codes)
        if rng is None:
            counts = (self._codes >= 0).astype(float)
        else:
            # One slot per member; each slot draws a document of its own group.
            group = self._member_group
            picks = self._starts[group] + (rng.random(len(group)) * self.n_docs[group]).astype(np.int64)
            counts = np.bincount(self._members[picks], minlength=n).astype(float)
        weights = counts * self._sizes
        rows = self._members
        # Built from its layout, not from (row, column) pairs: the same matrix, entries in
        # the same order (so the same sums), without sorting them again on every draw.
        matrix = sparse.csr_matrix((weights[rows], rows, self._indptr), shape=(len(self.groups), n))
        totals = np.asarray(matrix.sum(axis=1)).ravel()
        return np.asarray(matrix @ theta) / np.maximum(totals, 1e-300)[:, None]


def document_proportions(doc_topics: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, list]:
    """One row per document of a long table: its metadata, its proportions and the topics.

    Returns ``(documents, theta, topics)``: documents in the long table's order (by
    ``doc_id``), ``theta`` documents × topics, ``topics`` the topic numbers of its columns.
    """
    wide = doc_topics.pivot(index="doc_id", columns="topic", values="weight")
    documents = doc_topics.drop_duplicates("doc_id").set_index("doc_id")
    wide = wide.reindex(documents.index)
    return documents.reset_index(), wide.to_numpy(dtype=float), list(wide.columns)


#: A grouping's part of a shared pass of draws: its :class:`GroupMeans`, the point means
#: (groups × topics), the draws (draws × groups × topics) and the topic numbers.
SharedGroups = tuple[GroupMeans, np.ndarray, np.ndarray, list]


def _group_draws(doc_topics: pd.DataFrame, keys: list[str], weight_by: str | None, *,
                 uncertainty: str, draws: int, seed: int, posterior,
                 shared: SharedGroups | None) -> SharedGroups:
    """The groups, their point means, their draws (draws × groups × topics) and the topics:
    ``shared`` when a shared :func:`~policytopics.estimate.uncertainty.compose` pass (a study's) made
    them, else made here."""
    from policytopics.estimate.uncertainty import compose

    if shared is not None:
        return shared
    documents, theta, topics = document_proportions(doc_topics)
    means = GroupMeans(documents, keys, weight_by)
    if posterior is not None and list(posterior.doc_ids) != list(documents["doc_id"]):
        raise ValueError("the posterior's documents are not the table's documents in its order "
                         "(doc_topics sorted by doc_id)")
    group_draws = compose(theta, {"means": means}, posterior=posterior, uncertainty=uncertainty,
                          draws=draws, seed=seed)["means"]
    return means, means(theta, None), group_draws, topics


def _labels(doc_topics: pd.DataFrame, topic_labels: Mapping[int, str] | None) -> Mapping:
    """Topic number → label: ``topic_labels``, or the long table's ``topic_label`` column."""
    if topic_labels is not None:
        return topic_labels
    return doc_topics.drop_duplicates("topic").set_index("topic")["topic_label"]


def interval_kind(uncertainty: str, n_docs: int) -> str:
    """What a group's interval holds: ``model+documents``, ``model``, ``documents`` or ``none``
    (:data:`policytopics.estimate.uncertainty.INTERVAL_KINDS`)."""
    from policytopics.estimate.uncertainty import INTERVAL_KINDS

    return INTERVAL_KINDS[(uncertainty, n_docs > 1)]


def theme_weights(doc_topics: pd.DataFrame, by: str | Sequence[str], *, min_docs: int = 2,
                  draws: int = 1000, seed: int = 0, ci: float = 0.95,
                  weight_by: str | None = None, uncertainty: str = "bootstrap",
                  posterior=None, shared: SharedGroups | None = None,
                  topic_labels: Mapping[int, str] | None = None) -> pd.DataFrame:
    """Mean topic weight per group with its interval.

    Parameters
    ----------
    doc_topics
        Output of :func:`doc_topics_table`.
    by
        ``"region"``, ``"city"``, ``"period"``, or several as a list.
    min_docs
        Groups with fewer documents are flagged ``sparse``.
    weight_by
        ``None``: every document counts once (the share of a group's *articles* given
        to a topic). A column such as ``"n_chars"``: documents count in proportion to
        it (the share of a group's *text*), so a long report outweighs a short notice.
    uncertainty, posterior, draws, seed, ci
        How the interval is made (:mod:`policytopics.estimate.uncertainty`): ``"global"`` draws
        the proportions from ``posterior`` and resamples documents on every draw (the
        method of composition; a one-document group gets the model's uncertainty),
        ``"bootstrap"`` resamples documents only, ``"none"`` gives no interval. ``ci`` is
        the interval's level.
    shared
        This grouping's part of a shared :func:`~policytopics.estimate.uncertainty.compose` pass
        (:data:`SharedGroups`), instead of drawing here; ``doc_topics`` may then be
        :func:`document_table`'s one row per document, with ``topic_labels``.
    topic_labels
        Topic number → label; ``doc_topics``' ``topic_label`` column when not given.

    Returns
    -------
    DataFrame with the group columns, ``topic``, ``topic_label``, ``weight`` (the mean of
    the point proportions), ``ci_low``, ``ci_high``, ``n_docs``, ``sparse`` and
    ``interval`` (what the interval holds: :func:`interval_kind`). Documents without a
    value for a group column are left out; :func:`coverage` counts them.
    """
    from policytopics.estimate.uncertainty import quantile_interval

    keys = [by] if isinstance(by, str) else list(by)
    columns = keys + ["topic", "topic_label", "weight", "ci_low", "ci_high", "n_docs", "sparse",
                      "interval"]
    _check_weight_by(doc_topics, weight_by)
    if doc_topics.dropna(subset=keys).empty:
        return pd.DataFrame(columns=columns)
    means, point, group_draws, topics = _group_draws(
        doc_topics, keys, weight_by, uncertainty=uncertainty, draws=draws, seed=seed,
        posterior=posterior, shared=shared)
    low, high = quantile_interval(group_draws, ci)
    labels = _labels(doc_topics, topic_labels)
    rows = []
    for g, group in enumerate(means.groups):
        n = int(means.n_docs[g])
        kind = interval_kind(uncertainty, n)
        # A group without an interval (one document resampled) gets none, not the estimate twice.
        group_low, group_high = (np.full(len(topics), np.nan), np.full(len(topics), np.nan)) \
            if kind == "none" else (low[g], high[g])
        for j, topic in enumerate(topics):
            rows.append((*group, topic, labels[topic], float(point[g, j]), float(group_low[j]),
                         float(group_high[j]), n, n < min_docs, kind))
    return pd.DataFrame(rows, columns=columns)


def theme_emphasis(doc_topics: pd.DataFrame, by: str = "region", *, min_docs: int = 2,
                   draws: int = 1000, seed: int = 0, ci: float = 0.95,
                   weight_by: str | None = None, uncertainty: str = "bootstrap",
                   posterior=None, shared: SharedGroups | None = None,
                   topic_labels: Mapping[int, str] | None = None) -> pd.DataFrame:
    """Each group's topic weight minus the mean over groups, in percentage points.

    A heatmap of absolute weights is dominated by the topics every region writes about;
    the emphasis shows what a region (or period) writes about *more or less than the
    others*: ``emphasis = 100 * (weight - mean_over_groups)``, where ``weight`` is the
    group's mean as :func:`theme_weights` computes it and ``mean_over_groups`` is the
    unweighted mean of the group means (each group counts once, however many documents
    it has). The emphases of one topic sum to zero over the groups.

    The interval comes from the same draws as :func:`theme_weights`': on every draw, every
    group mean is recomputed (the proportions drawn from the model's posterior and each
    group's documents resampled, for ``uncertainty="global"``), and so is their mean and
    the difference; the interval covers the uncertainty of both the group and the mean it
    is compared with. A group of one document has the model's uncertainty only
    (``interval`` = ``model``), none at all under ``"bootstrap"``; such groups are
    flagged ``sparse``.

    Parameters
    ----------
    doc_topics
        Output of :func:`doc_topics_table` (one row per document and topic).
    by
        The group column: ``"region"`` or ``"period"``. Documents without a value are
        left out, and they do not enter the mean.
    min_docs
        Groups with fewer documents are flagged ``sparse``.
    draws, seed, ci, uncertainty, posterior, shared, weight_by, topic_labels
        As in :func:`theme_weights`.

    Returns
    -------
    DataFrame
        One row per group and topic: the group column, ``area`` (for ``by="region"``,
        see :func:`region_area`), ``topic``, ``topic_label``, ``weight`` and
        ``mean_over_groups`` (proportions, 0–1), ``emphasis``, ``ci_low``, ``ci_high``
        (percentage points), ``n_docs``, ``sparse``, ``interval``. Regions are ordered by
        area (东部, 中部, 西部, 东北, then other), periods in order. With fewer than two
        groups there is nothing to compare: an empty frame with these columns.

    Examples
    --------
    >>> emphasis = theme_emphasis(doc_topics, "region", weight_by="n_chars")  # doctest: +SKIP
    >>> emphasis.pivot(index="region", columns="topic_label", values="emphasis")  # doctest: +SKIP
    """
    columns = [by, *(["area"] if by == "region" else []), "topic", "topic_label", "weight",
               "mean_over_groups", "emphasis", "ci_low", "ci_high", "n_docs", "sparse", "interval"]
    _check_weight_by(doc_topics, weight_by)
    if doc_topics[by].dropna().nunique() < 2:
        return pd.DataFrame(columns=columns)
    means, point, group_draws, topics = _group_draws(
        doc_topics, [by], weight_by, uncertainty=uncertainty, draws=draws, seed=seed,
        posterior=posterior, shared=shared)
    labels = _labels(doc_topics, topic_labels)
    rows = _emphasis_rows(means, point, group_draws, topics, labels, by=by, ci=ci,
                          uncertainty=uncertainty, min_docs=min_docs)
    return pd.DataFrame(rows, columns=columns)


def _emphasis_rows(means: GroupMeans, point: np.ndarray, group_draws: np.ndarray, topics, labels, *,
                   by: str, ci: float, uncertainty: str, min_docs: int) -> list[tuple]:
    """:func:`theme_emphasis`' rows: each group's point means (groups × topics) and their draws
    (draws × groups × topics) against the mean over groups, regions in area order."""
    from policytopics.estimate.uncertainty import quantile_interval

    order = list(range(len(means.groups)))
    if by == "region":
        order.sort(key=lambda g: region_sort_key(means.groups[g][0]))
    centre = point.mean(axis=0)
    emphasis = 100 * (point - centre)
    # Every draw: each group's mean minus that draw's mean over groups.
    low, high = quantile_interval(100 * (group_draws - group_draws.mean(axis=1, keepdims=True)), ci)
    rows = []
    # The mean over groups is resampled too: a one-document group's emphasis has the other
    # groups' sampling in its interval.
    kind = interval_kind(uncertainty, int(means.n_docs.max()))
    if kind == "none":  # nothing resampled: no interval (not one of width 0)
        low, high = np.full_like(low, np.nan), np.full_like(high, np.nan)
    for g in order:
        name, n = means.groups[g][0], int(means.n_docs[g])
        for j, topic in enumerate(topics):
            rows.append((name, *([region_area(name)] if by == "region" else []), topic, labels[topic],
                         float(point[g, j]), float(centre[j]), float(emphasis[g, j]),
                         float(low[g, j]), float(high[g, j]), n, n < min_docs, kind))
    return rows


class TopicCorrelation:
    """Statistic of one draw: the correlations of the documents' topic proportions.

    With a generator the documents are resampled (the bootstrap). It is given the point
    proportions, never a posterior draw (``uses_posterior = False``): a correlation is not
    linear, and the independent noise of a draw pulls every correlation towards the noise's
    own (measured: a pair correlated 0.61 got a global interval of [0.38, 0.55]). So its
    interval is the documents' sampling only. Proportions sum to one, so topics lean
    towards negative correlations; a positive one is a pair that goes together.
    """

    #: :func:`policytopics.estimate.uncertainty.compose` gives this statistic the point proportions.
    uses_posterior = False

    def __call__(self, theta: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
        if rng is not None:
            theta = theta[rng.integers(0, len(theta), len(theta))]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.nan_to_num(np.corrcoef(theta, rowvar=False))


def topic_correlations(point: np.ndarray, draws: np.ndarray, topic_labels: dict[int, str], *,
                       ci: float = 0.95) -> pd.DataFrame:
    """One row per pair of topics: ``topic_a``, ``topic_b``, their labels, ``correlation`` (of
    the documents' point proportions), ``ci_low``, ``ci_high`` (quantiles over the draws of
    :class:`TopicCorrelation`), R stm's ``topicCorr`` with intervals.

    >>> point = np.array([[1.0, -0.5], [-0.5, 1.0]])
    >>> topic_correlations(point, np.stack([point] * 3), {1: "甲", 2: "乙"})["correlation"].tolist()
    [-0.5]
    """
    from policytopics.estimate.uncertainty import quantile_interval

    low, high = quantile_interval(draws, ci)
    k = point.shape[0]
    rows = [(a + 1, b + 1, topic_labels.get(a + 1, f"T{a + 1}"), topic_labels.get(b + 1, f"T{b + 1}"),
             float(point[a, b]), float(low[a, b]), float(high[a, b]))
            for a in range(k) for b in range(a + 1, k)]
    return pd.DataFrame(rows, columns=["topic_a", "topic_b", "label_a", "label_b", "correlation",
                                       "ci_low", "ci_high"])


def coverage(doc_topics: pd.DataFrame, national_label: str = "") -> pd.DataFrame:
    """Documents with and without a region and a period: what the figures rest on.

    One definition, the run summary's too (:func:`policytopics.text.documents.summarise_report`):
    *with a province* is a document whose province was found or stated; *national* one
    whose source states no region (grouped as ``national_label``); *without a region* the
    rest, left out of the regional tables and figures.
    """
    docs = doc_topics.drop_duplicates("doc_id")
    national = docs["region"].eq(national_label) if national_label else pd.Series(False, index=docs.index)
    return pd.DataFrame([
        {"what": "documents", "n": len(docs)},
        {"what": "with a province", "n": int((docs["region"].notna() & ~national).sum())},
        {"what": "national", "n": int(national.sum())},
        {"what": "without a region", "n": int(docs["region"].isna().sum())},
        {"what": "with a period", "n": int(docs["period"].notna().sum())},
        {"what": "without a period", "n": int(docs["period"].isna().sum())},
    ])
