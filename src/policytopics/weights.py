"""Theme weights: document-topic proportions joined with date and region, by group.

All functions return tidy long tables (one row per observation) for the plots.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd


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


def doc_topics_table(documents: pd.DataFrame, doc_topic: np.ndarray,
                     topic_labels: dict[int, str], period: str = "year",
                     national_label: str = "") -> pd.DataFrame:
    """Long table: one row per document and topic with ``weight`` and metadata.

    ``documents`` are the kept documents, in the row order of ``doc_topic``. Documents
    whose source states no region (their ``national`` flag, set by the document stage) get
    ``national_label`` as their region when it is not empty.
    """
    if len(documents) != doc_topic.shape[0]:
        raise ValueError(f"{len(documents)} documents but {doc_topic.shape[0]} topic rows")
    meta = documents.reindex(columns=["doc_id", "title", "date", "date_precision", "region",
                                      "city", "n_chars"]).reset_index(drop=True)
    if national_label:
        national = documents["national"].fillna(False).astype(bool).to_numpy() & meta["region"].isna()
        meta.loc[national, "region"] = national_label
    meta["period"] = [period_of(d, p, period) for d, p in zip(meta["date"], meta["date_precision"])]
    # Rows ordered by doc_id, then topic: each document's metadata repeated once per topic
    # (built by position; a melt, merge and sort of the long table took seconds).
    n_topics = doc_topic.shape[1]
    order = meta.sort_values("doc_id", kind="stable").index.to_numpy()
    long = meta.iloc[np.repeat(order, n_topics)].reset_index(drop=True)
    long["topic"] = np.tile(np.arange(1, n_topics + 1, dtype=np.int64), len(order))
    long["weight"] = doc_topic[order].ravel()
    long["topic_label"] = long["topic"].map(topic_labels)
    columns = ["doc_id", "title", "date", "date_precision", "period", "region", "city",
               "n_chars", "topic", "topic_label", "weight"]
    return long[columns]


def doc_topics_wide(doc_topics: pd.DataFrame) -> pd.DataFrame:
    """One row per document: its metadata and one column per topic (``T1`` … ``TK``).

    The form written to ``doc_topics.csv`` / ``.parquet``; ``doc_topics`` is the long table
    of :func:`doc_topics_table`. Topic labels are in ``topics.csv``.
    """
    meta = [c for c in ("doc_id", "title", "date", "date_precision", "period", "region", "city",
                        "n_chars") if c in doc_topics.columns]
    weights = doc_topics.pivot(index="doc_id", columns="topic", values="weight")
    weights.columns = [f"T{topic}" for topic in weights.columns]
    documents = doc_topics.drop_duplicates("doc_id")[meta]
    return documents.merge(weights, left_on="doc_id", right_index=True, how="left").reset_index(drop=True)


def theme_weights(doc_topics: pd.DataFrame, by: str | Sequence[str], *, min_docs: int = 2,
                  n_boot: int = 1000, seed: int = 0, ci: float = 0.95,
                  weight_by: str | None = None) -> pd.DataFrame:
    """Mean topic weight per group with a bootstrap interval over documents.

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
        The bootstrap resamples documents either way.

    Returns
    -------
    DataFrame with the group columns, ``topic``, ``topic_label``, ``weight``, ``ci_low``,
    ``ci_high``, ``n_docs``, ``sparse``. Documents without a value for a group column
    are left out; :func:`coverage` counts them.
    """
    keys = [by] if isinstance(by, str) else list(by)
    data = doc_topics.dropna(subset=keys)
    columns = keys + ["topic", "topic_label", "weight", "ci_low", "ci_high", "n_docs", "sparse"]
    if weight_by is not None and weight_by not in data.columns:
        raise ValueError(f"weight_by: no column {weight_by!r} in the document-topic table")
    if data.empty:
        return pd.DataFrame(columns=columns)
    rng = np.random.default_rng(seed)
    labels = data.drop_duplicates("topic").set_index("topic")["topic_label"]
    topics, groups = _documents_by_group(data, keys, weight_by)
    rows = []
    for group, values, sizes in groups:
        n = len(values)
        mean = np.average(values, axis=0, weights=sizes)
        low = high = mean
        if n > 1:
            boots = _bootstrap_means(values, sizes, n_boot, rng)
            low, high = np.quantile(boots, [(1 - ci) / 2, 1 - (1 - ci) / 2], axis=0)
        for j, topic in enumerate(topics):
            rows.append((*group, topic, labels[topic], float(mean[j]), float(low[j]),
                         float(high[j]), n, n < min_docs))
    return pd.DataFrame(rows, columns=columns)


def _documents_by_group(data: pd.DataFrame, keys: list[str], weight_by: str | None
                        ) -> tuple[list, list[tuple[tuple, np.ndarray, np.ndarray]]]:
    """Topics, and per group (sorted): its key, documents × topics weights, document sizes.

    Sizes are ones unless ``weight_by`` names a column; a group whose sizes are all
    missing or zero falls back to ones. Shared by :func:`theme_weights` and
    :func:`theme_emphasis`, so both weight a group's documents the same way.
    """
    # One row per document, one column per topic: every topic is resampled together.
    wide = data.set_index(keys + ["doc_id", "topic"])["weight"].unstack("topic").sort_index()
    sizes_by_doc = (data.drop_duplicates("doc_id").set_index("doc_id")[weight_by].astype(float)
                    if weight_by is not None else None)
    groups = []
    for group, frame in wide.groupby(level=keys, sort=True):
        group = group if isinstance(group, tuple) else (group,)
        values = frame.to_numpy(dtype=float)
        n = len(values)
        sizes = np.ones(n)
        if sizes_by_doc is not None:
            sizes = sizes_by_doc.reindex(frame.index.get_level_values("doc_id")).to_numpy()
            sizes = sizes if np.nansum(sizes) > 0 else np.ones(n)
        groups.append((group, values, sizes))
    return list(wide.columns), groups


def _bootstrap_means(values: np.ndarray, sizes: np.ndarray, n_boot: int,
                     rng: np.random.Generator) -> np.ndarray:
    """``n_boot`` (size-weighted) means of documents resampled with replacement.

    A resample is a vector of counts per document (``n`` draws with replacement), so all
    topics of a resample share it and each batch of resamples is one matrix product.
    Counting drawn indices is about 8x faster than ``rng.multinomial`` with ``n``
    categories. Batches keep memory near 80 MB whatever the group's size.
    """
    n = len(values)
    batch = max(1, min(n_boot, 5_000_000 // n))
    out = []
    for start in range(0, n_boot, batch):
        size = min(batch, n_boot - start)
        drawn = rng.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, None]
        counts = np.bincount(drawn.ravel(), minlength=size * n).reshape(size, n)
        weights = counts * sizes
        out.append((weights @ values) / np.maximum(weights.sum(axis=1, keepdims=True), 1e-300))
    return np.vstack(out)


# The National Bureau of Statistics' four economic areas (国家统计局《东西中部和东北地区划分
# 方法》, 2011), provinces in the Bureau's own order.
_AREA_PROVINCES = {
    "东部": ("北京市", "天津市", "河北省", "上海市", "江苏省", "浙江省", "福建省", "山东省",
             "广东省", "海南省"),
    "中部": ("山西省", "安徽省", "江西省", "河南省", "湖北省", "湖南省"),
    "西部": ("内蒙古自治区", "广西壮族自治区", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区",
             "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"),
    "东北": ("辽宁省", "吉林省", "黑龙江省"),
}
_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$")

#: Area of every group outside the four: the national group (全国), 香港, 澳门, 台湾,
#: and cities when the "region" groups are cities.
OTHER_AREA = "其他"

#: The areas in the order figures and tables show them; :data:`OTHER_AREA` last.
AREA_ORDER = (*_AREA_PROVINCES, OTHER_AREA)

#: Province name → area, in full form (``浙江省``, ``内蒙古自治区``, as
#: :func:`policytopics.places.extract_region` gives them) and short form (``浙江``,
#: ``内蒙古``, as a metadata column may give them). Ordered as the Bureau lists them.
REGION_AREAS: dict[str, str] = {
    form: area
    for area, provinces in _AREA_PROVINCES.items()
    for name in provinces
    for form in (name, _PROVINCE_SUFFIX.sub("", name))
}
_REGION_POSITION = {name: i for i, name in enumerate(REGION_AREAS)}


def region_area(name: str | None) -> str:
    """Area of a region: ``东部``, ``中部``, ``西部``, ``东北``, or :data:`OTHER_AREA`.

    Examples
    --------
    >>> region_area("浙江省"), region_area("内蒙古"), region_area("全国")
    ('东部', '西部', '其他')
    """
    return REGION_AREAS.get(name, OTHER_AREA) if isinstance(name, str) else OTHER_AREA


def region_sort_key(name: str) -> tuple[int, int, str]:
    """Sort key that orders regions by area, then as the Bureau lists them, then by name."""
    return (AREA_ORDER.index(region_area(name)), _REGION_POSITION.get(name, len(_REGION_POSITION)),
            str(name))


def theme_emphasis(doc_topics: pd.DataFrame, by: str = "region", *, min_docs: int = 2,
                   n_boot: int = 1000, seed: int = 0, ci: float = 0.95,
                   weight_by: str | None = None) -> pd.DataFrame:
    """Each group's topic weight minus the mean over groups, in percentage points.

    A heatmap of absolute weights is dominated by the topics every region writes about;
    the emphasis shows what a region (or period) writes about *more or less than the
    others*: ``emphasis = 100 * (weight - mean_over_groups)``, where ``weight`` is the
    group's mean as :func:`theme_weights` computes it and ``mean_over_groups`` is the
    unweighted mean of the group means (each group counts once, however many documents
    it has). The emphases of one topic sum to zero over the groups.

    The interval is a bootstrap over documents: each replicate resamples the documents of
    every group independently (with replacement, as :func:`theme_weights` does), recomputes
    every group mean and their mean, and takes the difference, so it covers the
    uncertainty of both the group and the mean it is compared with. A group of one
    document has no spread of its own (its mean is the same in every replicate); such
    groups are flagged ``sparse``.

    Parameters
    ----------
    doc_topics
        Output of :func:`doc_topics_table` (one row per document and topic).
    by
        The group column: ``"region"`` or ``"period"``. Documents without a value are
        left out, and they do not enter the mean.
    min_docs
        Groups with fewer documents are flagged ``sparse``.
    n_boot, seed, ci
        Bootstrap replicates, the seed of its ``numpy`` Generator, the interval's level.
    weight_by
        As in :func:`theme_weights`: ``None`` counts every document once, a column such
        as ``"n_chars"`` weights documents by it within their group.

    Returns
    -------
    DataFrame
        One row per group and topic: the group column, ``area`` (for ``by="region"``,
        see :func:`region_area`), ``topic``, ``topic_label``, ``weight`` and
        ``mean_over_groups`` (proportions, 0–1), ``emphasis``, ``ci_low``, ``ci_high``
        (percentage points), ``n_docs``, ``sparse``. Regions are ordered by area
        (东部, 中部, 西部, 东北, then other), periods in order. With fewer than two groups
        there is nothing to compare: an empty frame with these columns.

    Examples
    --------
    >>> emphasis = theme_emphasis(doc_topics, "region", weight_by="n_chars")  # doctest: +SKIP
    >>> emphasis.pivot(index="region", columns="topic_label", values="emphasis")  # doctest: +SKIP
    """
    area = ["area"] if by == "region" else []
    columns = [by, *area, "topic", "topic_label", "weight", "mean_over_groups", "emphasis",
               "ci_low", "ci_high", "n_docs", "sparse"]
    if weight_by is not None and weight_by not in doc_topics.columns:
        raise ValueError(f"weight_by: no column {weight_by!r} in the document-topic table")
    data = doc_topics.dropna(subset=[by])
    if data[by].nunique() < 2:
        return pd.DataFrame(columns=columns)
    rng = np.random.default_rng(seed)
    labels = data.drop_duplicates("topic").set_index("topic")["topic_label"]
    topics, groups = _documents_by_group(data, [by], weight_by)
    if by == "region":
        groups.sort(key=lambda g: region_sort_key(g[0][0]))
    means = np.array([np.average(values, axis=0, weights=sizes) for _, values, sizes in groups])
    # groups × replicates × topics; a one-document group is the same in every replicate.
    boots = np.stack([
        _bootstrap_means(values, sizes, n_boot, rng) if len(values) > 1
        else np.broadcast_to(mean, (n_boot, len(topics)))
        for (_, values, sizes), mean in zip(groups, means)
    ])
    centre = means.mean(axis=0)
    low, high = 100 * np.quantile(boots - boots.mean(axis=0), [(1 - ci) / 2, 1 - (1 - ci) / 2],
                                  axis=1)
    emphasis = 100 * (means - centre)
    rows = []
    for g, (group, values, _) in enumerate(groups):
        name, n = group[0], len(values)
        for j, topic in enumerate(topics):
            rows.append((name, *([region_area(name)] if area else []), topic, labels[topic],
                         float(means[g, j]), float(centre[j]), float(emphasis[g, j]),
                         float(low[g, j]), float(high[g, j]), n, n < min_docs))
    return pd.DataFrame(rows, columns=columns)


def theme_effects(doc_topics: pd.DataFrame, *, min_docs: int = 2, ci: float = 0.95) -> pd.DataFrame:
    """How topic prevalence depends on region and period together (one regression per topic).

    In the spirit of R stm's ``estimateEffect``: for each topic, an ordinary least-squares
    regression of the documents' topic proportion on region indicators and period
    indicators (binned time), with heteroskedasticity-robust (HC1) standard errors.
    Reference levels are the region and the period with the most documents; an effect
    is the difference in expected topic proportion from that reference, holding the
    other factor fixed. Only documents with both a region and a period are used, and
    levels with fewer than ``min_docs`` documents are left out.

    What it does not claim: proportions are estimates from one fitted model (their own
    uncertainty is not propagated, unlike stm's "method of composition"), the linear
    model ignores that proportions are bounded, and an effect is an association in this
    corpus, not a cause.

    Returns
    -------
    DataFrame with ``topic``, ``topic_label``, ``term`` (``region`` or ``period``),
    ``level``, ``reference``, ``effect``, ``ci_low``, ``ci_high``, ``p_value``, ``n_docs``.
    """
    from scipy.stats import norm

    data = doc_topics.dropna(subset=["region", "period"])
    docs = data.drop_duplicates("doc_id")
    region_counts = docs["region"].value_counts()
    period_counts = docs["period"].value_counts()
    regions = sorted(region_counts[region_counts >= min_docs].index)
    periods = sorted(period_counts[period_counts >= min_docs].index)
    columns = ["topic", "topic_label", "term", "level", "reference", "effect", "ci_low",
               "ci_high", "p_value", "n_docs"]
    if len(regions) + len(periods) < 3:
        return pd.DataFrame(columns=columns)
    data = data[data["region"].isin(regions) & data["period"].isin(periods)]
    ref_region = max(regions, key=lambda r: (region_counts[r], r))
    ref_period = max(periods, key=lambda p: (period_counts[p], p))
    # Every topic is regressed on the same documents, so one design matrix serves all.
    docs = data.drop_duplicates("doc_id")
    design = pd.concat([
        pd.get_dummies(docs["region"], dtype=float).drop(columns=ref_region, errors="ignore")
        .add_prefix("region="),
        pd.get_dummies(docs["period"], dtype=float).drop(columns=ref_period, errors="ignore")
        .add_prefix("period="),
    ], axis=1).reset_index(drop=True)
    design.insert(0, "const", 1.0)
    if design.shape[0] <= design.shape[1]:
        return pd.DataFrame(columns=columns)
    n_docs = {name: int((docs[name.split("=", 1)[0]] == name.split("=", 1)[1]).sum())
              for name in design.columns[1:]}
    weights = data.pivot(index="doc_id", columns="topic", values="weight").loc[docs["doc_id"]]
    labels = data.drop_duplicates("topic").set_index("topic")["topic_label"]
    topics = sorted(weights.columns)
    params, std_errors = _ols_hc1(design.to_numpy(dtype=float), weights[topics].to_numpy(dtype=float))
    z = norm.ppf(0.5 + ci / 2)
    rows = []
    for j, topic in enumerate(topics):
        for i, name in enumerate(design.columns[1:], start=1):
            term, level = name.split("=", 1)
            effect, se = float(params[i, j]), float(std_errors[i, j])
            p_value = float(2 * norm.sf(abs(effect / se))) if se > 0 else float("nan")
            rows.append((topic, labels[topic], term, level,
                         ref_region if term == "region" else ref_period,
                         effect, effect - z * se, effect + z * se, p_value, n_docs[name]))
    return pd.DataFrame(rows, columns=columns)


def _ols_hc1(design: np.ndarray, outcomes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares coefficients and HC1 robust standard errors of every outcome column.

    One design matrix serves all topics, so its pseudo-inverse is computed once and each
    topic costs a matrix product: what statsmodels' ``OLS(y, X).fit(cov_type="HC1")``
    gives topic by topic (normal intervals and p-values), about 20 times faster at 25
    topics. Returns ``(params, std_errors)``, each of shape (predictors, outcomes).
    """
    n, k = design.shape
    pinv = np.linalg.pinv(design)  # (k, n)
    params = pinv @ outcomes
    residuals = outcomes - design @ params
    # Sandwich: pinv diag(e^2) pinv', scaled by n / (n - k) (HC1).
    std_errors = np.empty_like(params)
    for j in range(outcomes.shape[1]):
        scaled = pinv * residuals[:, j] ** 2
        std_errors[:, j] = np.sqrt(np.einsum("ij,ij->i", scaled, pinv) * n / (n - k))
    return params, std_errors


def coverage(doc_topics: pd.DataFrame, national_label: str = "") -> pd.DataFrame:
    """Documents with and without a region and a period: what the figures rest on.

    One definition, the run summary's too (:func:`policytopics.documents.summarise_report`):
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
