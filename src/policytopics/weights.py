"""Theme weights: document-topic proportions joined with date and region, by group.

All functions return tidy long tables (one row per observation) for the plots.
"""

from __future__ import annotations

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


NATIONAL_SOURCE = "column: no region stated"


def doc_topics_table(documents: pd.DataFrame, doc_topic: np.ndarray,
                     topic_labels: dict[int, str], period: str = "year",
                     national_label: str = "") -> pd.DataFrame:
    """Long table: one row per document and topic with ``weight`` and metadata.

    ``documents`` are the kept documents, in the row order of ``doc_topic``. Documents
    whose source states no region (``region_source`` ``column: no region stated``) get
    ``national_label`` as their region when it is not empty.
    """
    if len(documents) != doc_topic.shape[0]:
        raise ValueError(f"{len(documents)} documents but {doc_topic.shape[0]} topic rows")
    meta = documents.reindex(columns=["doc_id", "title", "date", "date_precision", "region",
                                      "city", "n_chars"]).reset_index(drop=True)
    if national_label:
        national = (documents["region_source"] == NATIONAL_SOURCE).to_numpy() & meta["region"].isna()
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
    # One row per document, one column per topic: every topic is resampled together.
    wide = data.set_index(keys + ["doc_id", "topic"])["weight"].unstack("topic").sort_index()
    topics = list(wide.columns)
    sizes_by_doc = (data.drop_duplicates("doc_id").set_index("doc_id")[weight_by].astype(float)
                    if weight_by is not None else None)
    rows = []
    for group, frame in wide.groupby(level=keys, sort=True):
        group = group if isinstance(group, tuple) else (group,)
        values = frame.to_numpy(dtype=float)
        n = len(values)
        sizes = np.ones(n)
        if sizes_by_doc is not None:
            sizes = sizes_by_doc.reindex(frame.index.get_level_values("doc_id")).to_numpy()
            sizes = sizes if np.nansum(sizes) > 0 else np.ones(n)
        mean = np.average(values, axis=0, weights=sizes)
        low = high = mean
        if n > 1:
            boots = _bootstrap_means(values, sizes, n_boot, rng)
            low, high = np.quantile(boots, [(1 - ci) / 2, 1 - (1 - ci) / 2], axis=0)
        for j, topic in enumerate(topics):
            rows.append((*group, topic, labels[topic], float(mean[j]), float(low[j]),
                         float(high[j]), n, n < min_docs))
    return pd.DataFrame(rows, columns=columns)


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
    import statsmodels.api as sm

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
    design = sm.add_constant(design, has_constant="add")
    if design.shape[0] <= design.shape[1]:
        return pd.DataFrame(columns=columns)
    n_docs = {name: int((docs[name.split("=", 1)[0]] == name.split("=", 1)[1]).sum())
              for name in design.columns[1:]}
    weights = data.pivot(index="doc_id", columns="topic", values="weight").loc[docs["doc_id"]]
    labels = data.drop_duplicates("topic").set_index("topic")["topic_label"]
    rows = []
    for topic in sorted(weights.columns):
        fit = sm.OLS(weights[topic].to_numpy(), design).fit(cov_type="HC1")
        bounds = fit.conf_int(alpha=1 - ci)
        for name in design.columns[1:]:
            term, level = name.split("=", 1)
            rows.append((topic, labels[topic], term, level,
                         ref_region if term == "region" else ref_period,
                         float(fit.params[name]), float(bounds.loc[name, 0]),
                         float(bounds.loc[name, 1]), float(fit.pvalues[name]), n_docs[name]))
    return pd.DataFrame(rows, columns=columns)


def coverage(doc_topics: pd.DataFrame) -> pd.DataFrame:
    """Documents with and without a region and a period: what the figures rest on."""
    docs = doc_topics.drop_duplicates("doc_id")
    return pd.DataFrame([
        {"what": "documents", "n": len(docs)},
        {"what": "with region", "n": int(docs["region"].notna().sum())},
        {"what": "with period", "n": int(docs["period"].notna().sum())},
        {"what": "without region", "n": int(docs["region"].isna().sum())},
        {"what": "without period", "n": int(docs["period"].isna().sum())},
    ])
