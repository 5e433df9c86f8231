"""Figures of the study: one function per figure, and one export helper.

Plot functions take the tidy tables from :mod:`policytopics.weights` and
:meth:`policytopics.model.TopicModel.topic_words`, draw where they are told
(``ax=``) and return what they drew. They never call ``plt.show()`` or save; use
:func:`export_figure`.

Chinese labels render on machines with no CJK font installed: every figure is drawn
inside :func:`policytopics.style.plot_context`, which registers the font shipped in the
``mplfonts`` wheel at run time; the user's ``rcParams`` are not touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd

from .cache import atomic_write
from .figures import (
    emphasis_of,
    few_levels,
    few_topics,
    figure,
    needs_periods,
    needs_regions,
    regions_and_periods,
)
from .places import OTHER_AREA, region_area, region_sort_key
from .style import OKABE_ITO, plot_context, region_colors, topic_colors
from .text import cut_label, display_width

_TEXT = {
    "zh": {"region": "地区", "period": "时期", "topic": "主题", "weight": "平均主题权重",
           "word_weight": "词权重", "by_region": "各地区的主题权重", "over_time": "主题权重随时间变化",
           "top_words": "各主题高频词", "sparse": "* 文档数少于 {n} 篇", "docs": "文档数",
           "coverage": "文档覆盖", "emphasis": "比平均高/低（百分点）",
           "emphasis_by_region": "各地区的主题侧重：与各地区平均之差",
           "emphasis_by_period": "各时期的主题侧重：与各时期平均之差",
           "emphasis_bold": "粗体：95% 区间不含 0（仅标注文档数 ≥ {n} 的组）",
           "emphasis_dot": "圆点：95% 区间不含 0（仅标注文档数 ≥ {n} 的组）",
           "interval": {"model+documents": "区间含模型的不确定性（主题比例的后验抽样）与文档的抽样（自助法）",
                        "documents": "区间仅含文档的抽样（自助法），不含模型的不确定性",
                        "model": "单篇文档的组：区间仅含模型的不确定性"},
           "beyond": "色标截至 ±{limit:.1f}；超出者以该端颜色显示（未标数值时以 △/▽ 标出）",
           "regions_over_time": "{label}：各地区平均主题权重随时间变化{chosen}\n"
                                "（阴影或竖线：95% 区间；空心：文档少）",
           "top_regions": "；文档最多的五个地区",
           "panels_note": "阴影或竖线：95% 区间；空心点：文档数少于 {n} 篇的时期；"
                          "每个时期的值为其文档的平均",
           "kept": "保留的 {n} 篇",
           "expected": "预期主题比例", "effect_levels": "{covariate}对主题比例的效应：各水平的预期值",
           "effect_difference": "主题比例之差：{level} 减 {versus}",
           "difference": "比例之差（百分点）",
           "effect_curves": "主题比例随{covariate}的变化（公式：{formula}）",
           "effects_note": "其他协变量取参照值（类别取文档最多者，数值取中位数）；线或阴影：95% 区间；"
                           "关联，并非因果",
           "difference_note": "实心：95% 区间不含 0；其他协变量取参照值；关联，并非因果",
           "correlation": "主题相关：哪些主题常在同一文档中出现",
           "correlation_note": "文档主题比例的相关系数；圆点：95% 区间不含 0；比例之和为 1，故相关整体偏负",
           "covariates": {"region": "地区", "period": "时期", "year": "年份", "area": "区域"},
           "areas": {"东部": "东部", "中部": "中部", "西部": "西部", "东北": "东北", "其他": "其他"}},
    "en": {"region": "Region", "period": "Period", "topic": "Topic", "weight": "Mean topic weight",
           "word_weight": "Word weight", "by_region": "Theme weights by region",
           "over_time": "Theme weights over time", "top_words": "Top words per topic",
           "sparse": "* fewer than {n} documents", "docs": "Documents", "coverage": "Coverage",
           "emphasis": "above/below the mean (percentage points)",
           "emphasis_by_region": "Theme emphasis by region: difference from the mean over regions",
           "emphasis_by_period": "Theme emphasis over time: difference from the mean over periods",
           "emphasis_bold": "bold: the 95 % interval excludes 0 "
                            "(marked only for groups of ≥ {n} documents)",
           "emphasis_dot": "dot: the 95 % interval excludes 0 "
                           "(marked only for groups of ≥ {n} documents)",
           "interval": {"model+documents": "intervals hold the model's uncertainty (posterior draws of the "
                                           "topic shares) and the documents' (bootstrap)",
                        "documents": "intervals hold the documents' sampling only (bootstrap), "
                                     "not the model's uncertainty",
                        "model": "groups of one document: the interval is the model's uncertainty only"},
           "beyond": "colour scale capped at ±{limit:.1f}; cells beyond it take the end colour "
                     "(△/▽ where no number is shown)",
           "regions_over_time": "{label}: mean topic weight by region over time{chosen}\n"
                                "(band or bar: 95 % interval; hollow: few documents)",
           "top_regions": "; the five regions with most documents",
           "panels_note": "band or bar: 95 % interval; hollow: periods of fewer than {n} documents; "
                          "a period's value is the mean over its documents",
           "kept": "{n} kept documents",
           "expected": "Expected topic proportion",
           "effect_levels": "Effect of {covariate} on topic proportions: expected value per level",
           "effect_difference": "Difference in topic proportion: {level} minus {versus}",
           "difference": "difference (percentage points)",
           "effect_curves": "Topic proportion over {covariate} (formula: {formula})",
           "effects_note": "other covariates at their reference (a category's largest level, a number's "
                           "median); bar or band: 95 % interval; an association, not a cause",
           "difference_note": "filled: the 95 % interval excludes 0; other covariates at their reference; "
                              "an association, not a cause",
           "correlation": "Topic correlations: which topics appear in the same documents",
           "correlation_note": "correlation of the documents' topic proportions; dot: the 95 % interval "
                               "excludes 0; proportions sum to one, so correlations lean negative",
           "covariates": {"region": "region", "period": "period", "year": "year", "area": "area"},
           "areas": {"东部": "East", "中部": "Central", "西部": "West", "东北": "Northeast",
                     "其他": "Other"}},
}


def interval_notes(data: pd.DataFrame, language: str = "zh") -> list[str]:
    """What a figure's intervals hold, in words, from the table's ``interval`` column.

    >>> print(interval_notes(pd.DataFrame({"interval": ["model+documents", "model"]}), "en")[1])
    groups of one document: the interval is the model's uncertainty only
    """
    if "interval" not in data.columns:
        return []
    kinds = set(data["interval"].dropna())
    words = _TEXT[language]["interval"]
    return [words[kind] for kind in ("model+documents", "documents", "model") if kind in kinds]


def _new_axes(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def period_positions(periods: Sequence[str]) -> tuple[np.ndarray, float]:
    """Positions of period labels on a true time axis, and the length of one period.

    Years (``2024``) sit at the year, quarters (``2024Q2``) and months (``2024-06``) at the
    fractional year of their start, so a period without data leaves a gap of its width.
    Other labels are evenly spaced (step 1).

    >>> period_positions(["2014", "2016"])
    (array([2014., 2016.]), 1.0)
    >>> period_positions(["2024Q1", "2024Q3"])[0].tolist(), period_positions(["2024Q1"])[1]
    ([2024.0, 2024.5], 0.25)
    >>> period_positions(["2024-01", "2024-02"])[1] == 1 / 12
    True
    """
    labels = [str(p) for p in periods]
    if labels and all(p.isdigit() for p in labels):
        return np.array([float(p) for p in labels]), 1.0
    if labels and all(len(p) == 6 and p[:4].isdigit() and p[4] == "Q" and p[5] in "1234" for p in labels):
        return np.array([int(p[:4]) + (int(p[5]) - 1) / 4 for p in labels]), 0.25
    if labels and all(len(p) == 7 and p[:4].isdigit() and p[4] == "-" and p[5:].isdigit() for p in labels):
        return np.array([int(p[:4]) + (int(p[5:]) - 1) / 12 for p in labels]), 1 / 12
    return np.arange(len(labels), dtype=float), 1.0


def with_gaps(x, y, step: float):
    """``x`` and ``y`` (sorted by ``x``) with a NaN point inserted wherever consecutive
    positions are more than one period apart, so a line breaks where data is missing.

    >>> xs, ys = with_gaps([2014, 2015, 2018], [0.1, 0.2, 0.3], 1.0)
    >>> xs.tolist(), [round(float(v), 1) if v == v else None for v in ys]
    ([2014.0, 2015.0, 2016.5, 2018.0], [0.1, 0.2, None, 0.3])
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) < 2:
        return x, y
    breaks = np.flatnonzero(np.diff(x) > step * 1.5) + 1
    return (np.insert(x, breaks, (x[breaks - 1] + x[breaks]) / 2),
            np.insert(y, breaks, np.nan))


def _time_axis(ax, x: np.ndarray, periods: Sequence[str], step: float, *, nbins: int = 8,
               fontsize: float | None = None) -> None:
    """Ticks of a period axis: the period labels when few, else a thinned year axis."""
    if step == 1.0 and not all(str(p).isdigit() for p in periods):
        stride = max(1, int(np.ceil(len(periods) / nbins)))
        ax.set_xticks(x[::stride], labels=[str(p) for p in periods][::stride], fontsize=fontsize)
        return
    if len(periods) <= 6 and step == 1.0:
        ax.set_xticks(x, labels=[str(p) for p in periods], fontsize=fontsize)
        return
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, nbins=nbins))
    if fontsize:
        ax.tick_params(axis="x", labelsize=fontsize)


def _band_and_line(ax, x, frame: pd.DataFrame, step: float, color, *, band_alpha: float, **line):
    """A period series: its interval as a band and its weight as a line, both broken where a
    period has no data."""
    gx, low = with_gaps(x, frame["ci_low"], step)
    _, high = with_gaps(x, frame["ci_high"], step)
    _, weight = with_gaps(x, frame["weight"], step)
    ax.fill_between(gx, low, high, color=color, alpha=band_alpha, linewidth=0)
    # A period with no neighbour has no band to draw: its interval is a vertical bar.
    x = np.asarray(x, dtype=float)
    if len(x):
        gaps = np.diff(x) > step * 1.5
        alone = np.r_[True, gaps] & np.r_[gaps, True]
        if alone.any():
            ax.vlines(x[alone], frame["ci_low"].to_numpy(dtype=float)[alone],
                      frame["ci_high"].to_numpy(dtype=float)[alone], color=color,
                      alpha=min(1.0, band_alpha * 4), linewidth=1.2, label="_interval")
    return ax.plot(gx, weight, color=color, **line)


#: A figure fits a page: A4 width (8.27 in, 2,480 px at 300 dpi) and, for tall heatmaps,
#: a page's height less margins.
PAGE_WIDTH_IN = 8.27
PAGE_HEIGHT_IN = 11.0


def heatmap_layout(rows: int, cols: int, annotate: bool,
                   margin: float) -> tuple[tuple[float, float], bool, float]:
    """Figure size, whether numbers fit in the cells, and the tick font size of a heatmap
    that fits a page: cells narrow (and lose their numbers) before the figure grows past
    :data:`PAGE_WIDTH_IN`; rows thin before it grows past :data:`PAGE_HEIGHT_IN`.

    >>> heatmap_layout(4, 5, True, 3.0)[:2]
    ((7.75, 3.6), True)
    >>> size, annotate, _ = heatmap_layout(52, 12, True, 3.0)
    >>> size[0] <= PAGE_WIDTH_IN and size[1] <= PAGE_HEIGHT_IN and not annotate
    True
    """
    cell_width = min(0.95 if annotate else 0.45, (PAGE_WIDTH_IN - margin) / max(cols, 1))
    annotate = annotate and cell_width >= 0.6
    row_height = min(0.45 if annotate else 0.3, (PAGE_HEIGHT_IN - 1.8) / max(rows, 1))
    annotate = annotate and row_height >= 0.3
    fontsize = 9 if annotate else (8 if row_height >= 0.2 else 6)
    return (margin + cell_width * cols, max(3.2, 1.8 + row_height * rows)), annotate, fontsize


def robust_limit(values: np.ndarray, percentile: float = 95) -> tuple[float, bool]:
    """A symmetric colour limit for diverging values: the ``percentile`` of their absolute
    values, so one extreme cell does not pale every other; and whether any value is
    beyond it (the colour bar then shows arrows and those cells are drawn at the limit).

    >>> limit, clipped = robust_limit(np.r_[np.linspace(-3, 3, 40), 58.0])
    >>> round(float(limit), 2), clipped
    (3.0, True)
    >>> robust_limit(np.array([1.0, -2.0]))   # too few cells for a percentile: the maximum
    (np.float64(2.0), False)
    """
    finite = np.abs(values[np.isfinite(values)])
    if not finite.size:
        return 1.0, False
    limit = float(np.percentile(finite, percentile)) if finite.size >= 20 else float(finite.max())
    limit = limit or float(finite.max()) or 1.0
    return np.float64(limit), bool((finite > limit).any())


#: A cell is marked significant only when its group has at least this many documents: a
#: bootstrap over fewer documents has too few distinct resamples to carry an interval.
MARK_MIN_DOCS = 5


def significance_marks(ci_low, ci_high, n_docs, sparse) -> np.ndarray:
    """Which cells may be marked: the interval excludes zero, has a width, and its group is
    not sparse and has at least :data:`MARK_MIN_DOCS` documents.

    >>> significance_marks(np.array([0.1, 0.1, 0.1, 0.2]), np.array([0.3, 0.3, 0.3, 0.2]),
    ...                    np.array([9, 2, 9, 9]), np.array([False, False, True, False])).tolist()
    [True, False, False, False]
    """
    ci_low, ci_high = np.asarray(ci_low, dtype=float), np.asarray(ci_high, dtype=float)
    excludes_zero = (ci_low > 0) | (ci_high < 0)
    real = (ci_high - ci_low > 0) & (np.asarray(n_docs) >= MARK_MIN_DOCS) & ~np.asarray(sparse, dtype=bool)
    return excludes_zero & real


def signed_value(value: float) -> str:
    """A value with its true sign and enough digits to show it: one decimal from 0.95 up,
    else two significant digits (never a ``+0.0`` for a negative value).

    >>> [signed_value(v) for v in (5.93, -0.0239, 0.0, 0.004, -1.04)]
    ['+5.9', '-0.024', '0', '+0.004', '-1.0']
    """
    if value == 0 or not np.isfinite(value):
        return "0" if value == 0 else ""
    if abs(value) >= 0.95:
        return f"{value:+.1f}"
    return f"{value:+.2g}" if abs(value) >= 0.01 else f"{value:+.1g}"


#: Above this many cells the heatmap shows colours only: numbers in hundreds of cells
#: are unreadable, and sparse regions are then starred in their row label instead.
HEATMAP_MAX_ANNOTATED_CELLS = 200


@figure("theme_weights_by_region", "by_region", skip=needs_regions,
        options=lambda frames, config: {"min_docs": config.weights.min_docs})
def plot_theme_weights_by_region(data: pd.DataFrame, *, ax=None, language: str = "zh",
                                 min_docs: int | None = None, cmap: str = "Blues",
                                 annotate: bool | None = None):
    """Heatmap of region × topic mean weights; sparse cells marked with ``*``.

    ``data`` is ``theme_weights(doc_topics, by="region")``. ``annotate`` writes each
    cell's weight into it; by default only while the table has at most
    :data:`HEATMAP_MAX_ANNOTATED_CELLS` cells (with more, sparse regions are starred in
    their row label). Returns the Axes.
    """
    text = _TEXT[language]
    with plot_context():
        regions = sorted(data["region"].unique(), key=region_sort_key)  # by area, 全国 last
        table = data.pivot(index="region", columns="topic_label", values="weight").reindex(regions)
        order = data.drop_duplicates("topic_label").sort_values("topic")["topic_label"]
        table = table[list(order)]
        sparse = data.pivot(index="region", columns="topic_label", values="sparse").reindex(regions)
        sparse = sparse[list(order)].fillna(False).astype(bool)
        n_docs = data.drop_duplicates("region").set_index("region")["n_docs"]
        if annotate is None:
            annotate = table.size <= HEATMAP_MAX_ANNOTATED_CELLS
        # Sized to fit a report page however many topics and regions.
        size, annotate, fontsize = heatmap_layout(*table.shape, annotate, 2.4)
        ax = _new_axes(ax, size)
        # Cells as vector quads, not an image: crisp in SVG and PDF, and a PDF does not
        # embed a 300 dpi raster (which took ~10 s for 30 regions x 20 topics).
        rows, cols = table.shape
        # A robust top: one extreme cell must not pale the others (arrow on the colour bar).
        vmax, clipped = robust_limit(table.to_numpy(dtype=float))
        image = ax.pcolormesh(np.arange(cols + 1) - 0.5, np.arange(rows + 1) - 0.5,
                              np.ma.masked_invalid(table.to_numpy(dtype=float)), cmap=cmap, vmin=0,
                              vmax=vmax)
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)  # first region at the top, as in a table
        ax.set_xticks(range(table.shape[1]), labels=list(table.columns), rotation=35, ha="right",
                      rotation_mode="anchor", fontsize=fontsize)
        row_star = sparse.any(axis=1)
        ax.set_yticks(range(table.shape[0]),
                      labels=[f"{r} (n={n_docs[r]})" + ("*" if row_star[r] and not annotate else "")
                              for r in table.index], fontsize=fontsize)
        top = np.nanmax(table.to_numpy()) if table.size else 1
        for i in range(table.shape[0]) if annotate else ():
            for j in range(table.shape[1]):
                value = table.iat[i, j]
                if np.isnan(value):
                    continue
                mark = "*" if bool(sparse.iat[i, j]) else ""
                ax.text(j, i, f"{value:.2f}{mark}", ha="center", va="center", fontsize=8,
                        color="white" if value > 0.6 * top else "black")
        note = ""
        if min_docs and bool(data["sparse"].any()):
            note = "\n" + text["sparse"].format(n=min_docs)
        ax.set_xlabel(text["topic"] + note)
        ax.set_ylabel(text["region"])
        ax.set_title(text["by_region"])
        ax.figure.colorbar(image, ax=ax, label=text["weight"], shrink=0.8,
                           extend="max" if clipped else "neither")
        ax.spines[:].set_visible(False)
    return ax


@figure("theme_weights_over_time", "by_period", skip=few_topics)
def plot_theme_weights_over_time(data: pd.DataFrame, *, ax=None, language: str = "zh",
                                 topics: Sequence[int] | None = None):
    """Mean topic weight per period, one line per topic with its interval as a band.

    ``data`` is ``theme_weights(doc_topics, by="period")``. Returns the Axes.
    """
    text = _TEXT[language]
    with plot_context():
        ax = _new_axes(ax, (8, 4.5))
        periods = sorted(data["period"].unique())
        # Periods sit on a true time axis; a line breaks where a period has no document.
        positions, step = period_positions(periods)
        shown = topics or sorted(data["topic"].unique())
        colors = topic_colors(shown)
        for topic in shown:
            frame = data[data["topic"] == topic].set_index("period").reindex(periods)
            present = frame["weight"].notna().to_numpy()
            label = frame["topic_label"].dropna().iloc[0]
            _band_and_line(ax, positions[present], frame[present], step, colors[topic], band_alpha=0.15,
                           marker="o", markersize=4, label=label)
            # Sparse periods hollow, as in every over-time figure.
            sparse = frame["sparse"].fillna(False).to_numpy(dtype=bool) & present
            ax.plot(positions[sparse], frame["weight"].to_numpy()[sparse], "o", markersize=4,
                    mfc="white", color=colors[topic], linestyle="none")
        n_docs = data.drop_duplicates("period").set_index("period")["n_docs"].reindex(periods)
        if len(periods) <= 12:
            ax.set_xticks(positions, labels=[f"{p}\n(n={n})" for p, n in zip(periods, n_docs)])
        else:
            _time_axis(ax, positions, periods, step)
        ax.set_xlabel("\n".join([text["period"], *interval_notes(data, language)]), fontsize=9)
        ax.set_ylabel(text["weight"])
        ax.set_ylim(bottom=0)
        ax.set_title(text["over_time"])
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    return ax


@figure("theme_panels_over_time", "by_period", skip=needs_periods,
        options=lambda frames, config: {"min_docs": config.weights.min_docs})
def plot_theme_panels_over_time(data: pd.DataFrame, *, ncols: int | None = None,
                                language: str = "zh", sharey: bool = True,
                                min_docs: int | None = None):
    """Small multiples: one panel per topic, its mean weight per period with the interval.

    ``data`` is ``theme_weights(doc_topics, by="period")``. Sparse periods are drawn as
    hollow markers; a note under the panels says what the band, the bars and the hollow
    markers are. ``ncols`` defaults to 3, or 4 for many topics (a page wide); panel titles
    are cut to the panel's width. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    text = _TEXT[language]
    with plot_context():
        topics = sorted(data["topic"].unique())
        if ncols is None:
            ncols = max(3, min(4, int(np.ceil(np.sqrt(len(topics))))))
        ncols = max(1, min(ncols, len(topics)))
        nrows = int(np.ceil(len(topics) / ncols))
        # A page wide (A4 at 300 dpi) whatever the number of columns.
        panel_width = min(3.6 if ncols <= 3 else 2.8, PAGE_WIDTH_IN / ncols)
        fig, axes = plt.subplots(nrows, ncols, figsize=(panel_width * ncols, 2.2 * nrows + 0.4),
                                 sharey=sharey, layout="constrained", squeeze=False)
        periods = sorted(data["period"].unique())
        positions, step = period_positions(periods)
        position = dict(zip(periods, positions))
        colors = topic_colors(topics)
        for ax, topic in zip(axes.flat, topics):
            frame = data[data["topic"] == topic].sort_values("period")
            x = frame["period"].map(position).to_numpy(dtype=float)
            _band_and_line(ax, x, frame, step, colors[topic], band_alpha=0.2, linewidth=1.5)
            sparse = frame["sparse"].to_numpy(dtype=bool)
            ax.scatter(x[~sparse], frame["weight"][~sparse], color=colors[topic], s=14, zorder=3)
            ax.scatter(x[sparse], frame["weight"][sparse], facecolor="white",
                       edgecolor=colors[topic], s=14, zorder=3)
            # A title no wider than its panel (9 pt characters), so neighbours do not collide.
            ax.set_title(cut_label(frame["topic_label"].iloc[0], int(panel_width * 72 / 9.5)), fontsize=9,
                         loc="left")
            if not sharey:
                ax.set_ylim(bottom=0)
            _time_axis(ax, positions, periods, step, nbins=5, fontsize=7)
            ax.tick_params(labelsize=7)
        if sharey:
            # Once all panels are drawn: set_ylim fixes the top too, and the shared axes
            # would keep the first panel's range, cutting off the others.
            axes.flat[0].set_ylim(bottom=0)
        for ax in list(axes.flat)[len(topics):]:
            ax.set_visible(False)
        notes = [text["panels_note"].format(n=min_docs)] if min_docs else []
        notes += interval_notes(data, language)
        fig.supxlabel("\n".join([text["period"], *notes]), fontsize=9)
        fig.supylabel(text["weight"], fontsize=9)
        fig.suptitle(text["over_time"])
    return fig


# The most prevalent topic (T1) in the regions with most documents.
@figure("regions_over_time_T1", "by_region_period", skip=regions_and_periods,
        options=lambda frames, config: {"topic": 1})
def plot_regions_over_time(data: pd.DataFrame, *, topic: int, regions: Sequence[str] | None = None,
                           ax=None, language: str = "zh", title: str | None = None):
    """One topic's weight over time in selected regions (one line per region).

    ``data`` is ``theme_weights(doc_topics, by=["region", "period"])``; ``regions``
    defaults to the five with most documents. Each line has its 95 % band (a vertical bar
    for a period with no neighbour); sparse cells are hollow markers. A region has the same
    colour in every figure (:func:`policytopics.style.region_colors`). ``title`` replaces
    the descriptive title (small multiples use the topic label). Returns the Axes.
    """
    text = _TEXT[language]
    with plot_context():
        frame = data[data["topic"] == topic]
        regions_default = regions is None
        if regions is None:
            regions = (frame.drop_duplicates(["region", "period"]).groupby("region")["n_docs"].sum()
                       .nlargest(5).index.tolist())
        ax = _new_axes(ax, (7, 4))
        periods = sorted(frame["period"].unique())
        positions, step = period_positions(periods)
        position = dict(zip(periods, positions))
        colors = region_colors(regions)
        for region in regions:
            part = frame[frame["region"] == region].sort_values("period")
            x = part["period"].map(position).to_numpy(dtype=float)
            color = colors[region]
            _band_and_line(ax, x, part, step, color, band_alpha=0.12, marker="o", label=region)
            sparse = part["sparse"].to_numpy(dtype=bool)
            # Sparse periods hollow, as in every over-time figure.
            ax.plot(x[sparse], part["weight"].to_numpy()[sparse], "o", mfc="white", color=color,
                    linestyle="none")
        _time_axis(ax, positions, periods, step)
        label = frame["topic_label"].iloc[0] if len(frame) else f"T{topic}"
        chosen = text["top_regions"] if len(regions) == 5 and regions_default else ""
        described = text["regions_over_time"].format(label=label, chosen=chosen)
        ax.set_title(title if title is not None else described)
        ax.set_xlabel("\n".join([text["period"], *interval_notes(frame, language)]), fontsize=9)
        ax.set_ylabel(text["weight"])
        ax.set_ylim(bottom=0)
        ax.legend(frameon=False, fontsize=8)
    return ax


def plot_k_selection(by_k: pd.DataFrame, *, suggested: int | None = None, language: str = "zh"):
    """One panel per criterion of the topic-count sweep, K on the x axis. Returns the Figure."""
    import matplotlib.pyplot as plt

    names = {
        "zh": {"npmi": "NPMI 一致性 (越高越好)", "umass": "UMass 一致性 (越高越好)",
               "diversity": "主题多样性 (越高越好)", "perplexity": "留出集困惑度 (越低越好)",
               "stability": "跨种子稳定性 (越高越好)", "k": "主题数 K", "title": "主题数选择",
               "suggested": "建议 K"},
        "en": {"npmi": "NPMI coherence (higher is better)", "umass": "UMass coherence (higher is better)",
               "diversity": "Topic diversity (higher is better)",
               "perplexity": "Held-out perplexity (lower is better)",
               "stability": "Stability across seeds (higher is better)", "k": "Number of topics K",
               "title": "Choosing the number of topics", "suggested": "suggested K"},
    }[language]
    criteria = ["npmi", "umass", "diversity", "perplexity", "stability"]
    with plot_context():
        fig, axes = plt.subplots(1, len(criteria), figsize=(3.2 * len(criteria), 3),
                                 layout="constrained", sharex=True)
        for ax, criterion in zip(axes, criteria):
            ax.plot(by_k["k"], by_k[criterion], marker="o", color=OKABE_ITO[0])
            if criterion == "npmi" and "npmi_sd" in by_k:
                ax.fill_between(by_k["k"], by_k["npmi"] - by_k["npmi_sd"].fillna(0),
                                by_k["npmi"] + by_k["npmi_sd"].fillna(0), color=OKABE_ITO[0],
                                alpha=0.15, linewidth=0)
            if suggested is not None:
                ax.axvline(suggested, color=OKABE_ITO[5], linestyle="--", linewidth=1,
                           label=f"{names['suggested']} = {suggested}")
            ax.set_title(names[criterion], fontsize=9)
            ax.set_xlabel(names["k"], fontsize=8)
            ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        if suggested is not None:
            axes[0].legend(frameon=False, fontsize=8)
        fig.suptitle(names["title"])
    return fig


@figure("top_words", "topic_words", options=lambda frames, config: {
    "topic_labels": frames["topic_labels"], "n_words": config.model.top_n_words})
def plot_top_words(topic_words: pd.DataFrame, *, topic_labels: dict[int, str] | None = None,
                   n_words: int = 10, ncols: int | None = None, language: str = "zh"):
    """Bars of the top words of each topic, one panel per topic. Returns the Figure.

    ``ncols`` defaults to 2 columns up to 4 topics, else 3, so the figure is a page wide
    (A4 at 300 dpi) and grows down the page.
    """
    import matplotlib.pyplot as plt

    text = _TEXT[language]
    with plot_context():
        topics = sorted(topic_words["topic"].unique())
        if ncols is None:
            ncols = 2 if len(topics) <= 4 else (3 if len(topics) <= 12 else 4)
        ncols = min(ncols, len(topics))
        nrows = int(np.ceil(len(topics) / ncols))
        # A page wide and, up to 20 topics, a page tall (rows of bars get thinner).
        bar_height = min(0.24, (PAGE_HEIGHT_IN - 1.2) / max(1, n_words * nrows))
        fig, axes = plt.subplots(nrows, ncols, figsize=(min(3.2 * ncols, PAGE_WIDTH_IN),
                                                        bar_height * n_words * nrows + 1.2),
                                 layout="constrained", squeeze=False)
        colors = topic_colors(topics)
        for ax, topic in zip(axes.flat, topics):
            frame = topic_words[topic_words["topic"] == topic].nsmallest(n_words, "rank")
            ax.barh(frame["word"][::-1], frame["weight"][::-1], color=colors[topic])
            title = (topic_labels or {}).get(topic, f"{text['topic']} {topic}")
            ax.set_title(cut_label(title, int(min(3.2, PAGE_WIDTH_IN / ncols) * 72 / 10.5)), fontsize=10,
                         loc="left")
            ax.set_xlabel(text["word_weight"], fontsize=8)
            ax.tick_params(axis="y", labelsize=9)
            # A narrow panel has room for three weight labels (0.0000 0.0005 … ran together).
            ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(nbins=3))
            ax.tick_params(axis="x", labelsize=8)
        for ax in list(axes.flat)[len(topics):]:
            ax.set_visible(False)
        fig.suptitle(text["top_words"])
    return fig


@figure("coverage_by_region", "documents", skip=needs_regions,
        options=lambda frames, config: {"by": "region"})
@figure("coverage_by_period", "documents", skip=needs_periods,
        options=lambda frames, config: {"by": "period"})
def plot_coverage(documents: pd.DataFrame, *, by: str = "region", ax=None, language: str = "zh"):
    """Number of kept documents per region or period (missing values shown as such)."""
    text = _TEXT[language]
    missing = "未知" if language == "zh" else "unknown"
    integer_counts = mpl.ticker.MaxNLocator(integer=True)
    with plot_context():
        counts = documents[by].value_counts()
        unknown = int(documents[by].isna().sum())
        if by == "period":
            # Periods on a time axis (a bar per period, gaps where none), a page wide.
            periods = sorted(counts.index)
            positions, step = period_positions(periods)
            ax = _new_axes(ax, (7.5, 3.2))
            ax.bar(positions, counts.reindex(periods).to_numpy(), width=step * 0.8, color=OKABE_ITO[0])
            _time_axis(ax, positions, periods, step)
            ax.yaxis.set_major_locator(integer_counts)
            ax.set_xlabel(text[by] + (f" ({missing}: {unknown})" if unknown else ""))
            ax.set_ylabel(text["docs"])
        else:
            # The documents without a region are counted in the axis label, not drawn as a
            # bar: in a news corpus they can outnumber every province together.
            names = sorted(counts.index, key=region_sort_key)
            ax = _new_axes(ax, (6, min(9.5, 0.32 * len(names) + 1.2)))
            ax.barh(names[::-1], counts.reindex(names).to_numpy()[::-1], color=OKABE_ITO[0])
            ax.xaxis.set_major_locator(integer_counts)
            ax.set_xlabel(text["docs"] + (f" ({missing}: {unknown:,})" if unknown else ""))
            ax.set_ylabel(text[by])
        n_kept = documents["doc_id"].nunique() if "doc_id" in documents else len(documents)
        kept = text["kept"].format(n=f"{n_kept:,}")
        ax.set_title(f"{text['coverage']}: {text[by]} ({kept})")
    return ax


@figure("theme_emphasis_by_region", "emphasis_by_region", skip=emphasis_of("region"),
        options=lambda frames, config: {"by": "region", "min_docs": config.weights.min_docs})
@figure("theme_emphasis_over_time", "emphasis_by_period", skip=emphasis_of("period"),
        options=lambda frames, config: {"by": "period", "min_docs": config.weights.min_docs})
def plot_theme_emphasis(data: pd.DataFrame, *, by: str = "region", ax=None, language: str = "zh",
                        min_docs: int | None = 2, cmap: str = "RdBu_r",
                        annotate: bool | None = None):
    """Heatmap of each group's topic weight above or below the mean over groups.

    ``data`` is ``theme_emphasis(doc_topics, by)`` (``by`` is ``"region"`` or
    ``"period"``). Colours diverge around zero on a symmetric scale (red: more than the
    average group, blue: less), so equal distances above and below the mean look equally
    strong. Cells whose bootstrap interval excludes zero are written in bold (or carry a
    dot when the grid is too large for numbers, see :data:`HEATMAP_MAX_ANNOTATED_CELLS`);
    sparse cells are starred and never marked. Regions are grouped by the National Bureau of Statistics'
    areas, with a line between areas and the area's name on the right. Returns the Axes.

    Examples
    --------
    >>> emphasis = theme_emphasis(doc_topics, "region")  # doctest: +SKIP
    >>> ax = plot_theme_emphasis(emphasis, language="en")  # doctest: +SKIP
    >>> export_figure(ax, "theme_emphasis_by_region", "figures")  # doctest: +SKIP
    """
    if data.empty:
        raise ValueError("no emphasis to draw: theme_emphasis needs at least two groups")
    text = _TEXT[language]
    with plot_context():
        groups = list(data[by].drop_duplicates())
        groups = sorted(groups, key=region_sort_key) if by == "region" else sorted(groups)
        order = list(data.drop_duplicates("topic_label").sort_values("topic")["topic_label"])

        def grid(column):
            return data.pivot(index=by, columns="topic_label", values=column).reindex(
                index=groups, columns=order)

        table = grid("emphasis")
        values = table.to_numpy(dtype=float)
        sparse = grid("sparse").fillna(False).to_numpy(dtype=bool)
        n_docs = data.drop_duplicates(by).set_index(by)["n_docs"]
        significant = significance_marks(grid("ci_low").to_numpy(dtype=float),
                                         grid("ci_high").to_numpy(dtype=float),
                                         n_docs.reindex(groups).to_numpy()[:, None], sparse)
        rows, cols = table.shape
        if annotate is None:
            annotate = table.size <= HEATMAP_MAX_ANNOTATED_CELLS
        size, annotate, fontsize = heatmap_layout(rows, cols, annotate, 3.0)
        ax = _new_axes(ax, size)
        # A robust scale: one extreme cell (a single-report year) must not pale the rest.
        halfrange, clipped = robust_limit(values)
        norm = mpl.colors.CenteredNorm(vcenter=0, halfrange=halfrange)
        # Vector quads, as in plot_theme_weights_by_region (crisp in SVG and PDF).
        mesh = ax.pcolormesh(np.arange(cols + 1) - 0.5, np.arange(rows + 1) - 0.5,
                             np.ma.masked_invalid(values), cmap=cmap, norm=norm)
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.set_xticks(range(cols), labels=order, rotation=35, ha="right", rotation_mode="anchor",
                      fontsize=fontsize)
        row_star = sparse.any(axis=1)
        ax.set_yticks(range(rows), labels=[
            f"{g} (n={n_docs[g]})" + ("*" if row_star[i] and not annotate else "")
            for i, g in enumerate(groups)], fontsize=fontsize)
        dark = np.abs(np.nan_to_num(values)) > 0.6 * norm.halfrange
        if annotate:
            for i in range(rows):
                for j in range(cols):
                    if np.isnan(values[i, j]):
                        continue
                    # Numbers in DejaVu Sans: the packaged CJK font has no bold weight.
                    ax.text(j, i, signed_value(values[i, j]) + ("*" if sparse[i, j] else ""),
                            ha="center", va="center", fontsize=8, fontfamily="DejaVu Sans",
                            fontweight="bold" if significant[i, j] else "normal",
                            color="white" if dark[i, j] else "black")
        elif significant.any():
            y, x = np.nonzero(significant)
            ax.scatter(x, y, s=6, c=np.where(dark[y, x], "white", "black"), linewidths=0)
        beyond = np.abs(np.nan_to_num(values)) > halfrange
        if beyond.any() and not annotate:  # annotated cells show their own value
            for sign, marker in ((1, "^"), (-1, "v")):
                y, x = np.nonzero(beyond & (np.sign(np.nan_to_num(values)) == sign))
                if len(x):
                    ax.scatter(x, y, s=10, marker=marker, facecolors="none", edgecolors="white",
                               linewidths=0.6, label=f"_beyond_{sign}")
        if by == "region":
            areas = [region_area(g) for g in groups]
            starts = [i for i in range(rows) if i == 0 or areas[i] != areas[i - 1]]
            for start in starts[1:]:
                ax.axhline(start - 0.5, color="black", linewidth=1.2)
            ends = [*starts[1:], rows]
            # A group outside the four areas alone in its block (全国) is named as itself.
            names = [groups[a] if areas[a] == OTHER_AREA and ends[k] - a == 1
                     else text["areas"].get(areas[a], areas[a]) for k, a in enumerate(starts)]
            side = ax.secondary_yaxis("right")
            side.set_yticks([(a + b - 1) / 2 for a, b in zip(starts, ends)], labels=names,
                            fontsize=9)
            # The separators run on through the column of area names as long minor ticks,
            # so each name sits between the lines of its own area.
            side.set_yticks([start - 0.5 for start in starts[1:]], minor=True)
            width = max(display_width(name, narrow=0.62) for name in names)
            side.tick_params(which="major", length=0, pad=4)
            side.tick_params(which="minor", length=8 + 9 * width, width=1.2, color="black")
            side.spines[:].set_visible(False)
        notes = [text["emphasis_bold" if annotate else "emphasis_dot"].format(n=MARK_MIN_DOCS)]
        notes = notes if significant.any() else []
        if min_docs and sparse.any():
            notes.append(text["sparse"].format(n=min_docs))
        if clipped:
            notes.append(text["beyond"].format(limit=halfrange))
        notes += interval_notes(data, language)
        ax.set_xlabel("\n".join([text["topic"], *notes]))
        ax.set_ylabel(text[by])
        ax.set_title(text[f"emphasis_by_{by}"])
        ax.figure.colorbar(mesh, ax=ax, label=text["emphasis"], shrink=0.8, pad=0.08,
                           extend="both" if clipped else "neither")
        ax.spines[:].set_visible(False)
    return ax


def _topic_grid(n_topics: int, panel_height: float):
    """A page-wide grid of small panels, one per topic."""
    import matplotlib.pyplot as plt

    ncols = max(1, min(4, n_topics, int(np.ceil(np.sqrt(n_topics)))))
    nrows = int(np.ceil(n_topics / ncols))
    width = min(3.6 if ncols <= 3 else 2.8, PAGE_WIDTH_IN / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, panel_height * nrows + 0.8),
                             sharex=True, sharey=True, layout="constrained", squeeze=False)
    for ax in list(axes.flat)[n_topics:]:
        ax.set_visible(False)
    return fig, list(axes.flat)[:n_topics], width


@figure("effect_levels_{covariate}", "effect_levels", skip=few_levels, per_covariate=True, optional=True)
def plot_effect_levels(levels: pd.DataFrame, *, covariate: str, language: str = "zh"):
    """stm's ``pointestimate``: each topic's expected proportion at every level of a category,
    with its interval (one panel per topic, levels down the side). Returns the Figure.

    ``levels`` is the ``levels`` table of :func:`policytopics.effects.effect_tables`.
    """
    text = _TEXT[language]
    data = levels[levels["covariate"] == covariate]
    with plot_context():
        topics = sorted(data["topic"].unique())
        names = list(data.drop_duplicates("level")["level"])
        if covariate == "region":
            names.sort(key=region_sort_key)
        fig, axes, width = _topic_grid(len(topics), 0.22 * len(names) + 0.6)
        colors = topic_colors(topics)
        y = np.arange(len(names))
        for ax, topic in zip(axes, topics):
            frame = data[data["topic"] == topic].set_index("level").reindex(names)
            ax.hlines(y, frame["ci_low"], frame["ci_high"], color=colors[topic], linewidth=1.4)
            ax.plot(frame["estimate"], y, "o", color=colors[topic], markersize=3.5)
            ax.set_title(cut_label(frame["topic_label"].iloc[0], int(width * 72 / 9.5)), fontsize=9,
                         loc="left")
            ax.tick_params(labelsize=7)
            ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(nbins=3))
        axes[0].set_yticks(y, labels=names)
        axes[0].set_ylim(len(names) - 0.5, -0.5)
        name = text["covariates"].get(covariate, covariate)
        fig.supxlabel("\n".join([text["expected"], text["effects_note"]]), fontsize=9)
        fig.suptitle(text["effect_levels"].format(covariate=name))
    return fig


@figure("effect_difference", "effect_difference", optional=True)
def plot_effect_difference(difference: pd.DataFrame, *, language: str = "zh"):
    """stm's ``difference``: each topic's difference in expected proportion between two levels,
    in percentage points, with its interval; filled where the interval excludes zero.
    Returns the Axes."""
    text = _TEXT[language]
    with plot_context():
        data = difference.sort_values("topic")
        ax = _new_axes(None, (7, 0.28 * len(data) + 1.6))
        y = np.arange(len(data))
        estimate, low, high = (100 * data[c].to_numpy(dtype=float) for c in ("estimate", "ci_low", "ci_high"))
        excludes = (low > 0) | (high < 0)
        ax.axvline(0, color="0.5", linewidth=0.8)
        ax.hlines(y, low, high, color=OKABE_ITO[0], linewidth=1.5)
        ax.scatter(estimate[excludes], y[excludes], color=OKABE_ITO[0], s=22, zorder=3)
        ax.scatter(estimate[~excludes], y[~excludes], facecolor="white", edgecolor=OKABE_ITO[0], s=22,
                   zorder=3)
        ax.set_yticks(y, labels=list(data["topic_label"]), fontsize=8)
        ax.set_ylim(len(data) - 0.5, -0.5)
        first = data.iloc[0]
        ax.set_title(text["effect_difference"].format(level=first["level"], versus=first["versus"]))
        ax.set_xlabel("\n".join([text["difference"], text["difference_note"]]), fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
    return ax


@figure("effect_curve_{covariate}", "effect_curves", per_covariate=True, optional=True,
        options=lambda frames, config: {"formula": frames.get("effects_formula", "")})
def plot_effect_curves(curves: pd.DataFrame, *, covariate: str, formula: str = "", language: str = "zh"):
    """stm's ``continuous``: each topic's expected proportion over a numeric covariate with
    its band (one panel per topic). Returns the Figure."""
    text = _TEXT[language]
    data = curves[curves["covariate"] == covariate]
    with plot_context():
        topics = sorted(data["topic"].unique())
        fig, axes, width = _topic_grid(len(topics), 1.9)
        colors = topic_colors(topics)
        for ax, topic in zip(axes, topics):
            frame = data[data["topic"] == topic].sort_values("value")
            ax.fill_between(frame["value"], frame["ci_low"], frame["ci_high"], color=colors[topic], alpha=0.2,
                            linewidth=0)
            ax.plot(frame["value"], frame["estimate"], color=colors[topic], linewidth=1.5)
            ax.set_title(cut_label(frame["topic_label"].iloc[0], int(width * 72 / 9.5)), fontsize=9,
                         loc="left")
            ax.tick_params(labelsize=7)
            ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(nbins=4, integer=covariate == "year"))
        axes[0].set_ylim(bottom=min(0, float(data["ci_low"].min())))
        name = text["covariates"].get(covariate, covariate)
        fig.supxlabel("\n".join([name, text["effects_note"]]), fontsize=9)
        fig.supylabel(text["expected"], fontsize=9)
        fig.suptitle(text["effect_curves"].format(covariate=name, formula=formula))
    return fig


@figure("topic_correlation", "topic_correlations", optional=True)
def plot_topic_correlation(correlations: pd.DataFrame, *, language: str = "zh", cmap: str = "RdBu_r"):
    """stm's ``topicCorr`` as a heatmap: the correlation of every pair of topics (lower
    triangle), topics ordered so that those that go together sit together (average-linkage
    clustering on ``1 - correlation``); a dot where the interval excludes zero. Returns the Axes.
    """
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    text = _TEXT[language]
    with plot_context():
        topics = sorted(set(correlations["topic_a"]) | set(correlations["topic_b"]))
        labels = dict(zip(correlations["topic_a"], correlations["label_a"])) | dict(
            zip(correlations["topic_b"], correlations["label_b"]))
        index = {t: i for i, t in enumerate(topics)}
        k = len(topics)
        matrix, low, high = np.eye(k), np.zeros((k, k)), np.zeros((k, k))
        for row in correlations.itertuples():
            for a, b in ((index[row.topic_a], index[row.topic_b]), (index[row.topic_b], index[row.topic_a])):
                matrix[a, b], low[a, b], high[a, b] = row.correlation, row.ci_low, row.ci_high
        order = leaves_list(linkage(squareform(np.clip(1 - matrix, 0, 2), checks=False), "average")) \
            if k > 2 else np.arange(k)
        matrix, low, high = (m[np.ix_(order, order)] for m in (matrix, low, high))
        shown = np.tril(np.ones((k, k), dtype=bool), -1)
        size, _, fontsize = heatmap_layout(k, k, False, 3.0)
        ax = _new_axes(None, (min(PAGE_WIDTH_IN, size[0] + 0.6), min(PAGE_WIDTH_IN, size[0])))
        limit = max(0.05, float(np.abs(matrix[shown]).max()) if shown.any() else 1.0)
        mesh = ax.pcolormesh(np.arange(k + 1) - 0.5, np.arange(k + 1) - 0.5,
                             np.ma.masked_where(~shown, matrix), cmap=cmap,
                             norm=mpl.colors.CenteredNorm(vcenter=0, halfrange=limit))
        y, x = np.nonzero(shown & ((low > 0) | (high < 0)))
        ax.scatter(x, y, s=5, c="black", linewidths=0)
        names = [cut_label(labels[topics[i]], 18) for i in order]
        ax.set_xticks(range(k), labels=names, rotation=45, ha="right", rotation_mode="anchor",
                      fontsize=fontsize)
        ax.set_yticks(range(k), labels=names, fontsize=fontsize)
        ax.set_xlim(-0.5, k - 1.5)
        ax.set_ylim(k - 0.5, 0.5)
        ax.spines[:].set_visible(False)
        ax.set_title(text["correlation"])
        ax.set_xlabel(text["correlation_note"], fontsize=8)
        ax.figure.colorbar(mesh, ax=ax, shrink=0.7)
    return ax


def export_figure(figure, name: str, folder: str | Path,
                  formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Save ``figure`` (a Figure or an Axes) as ``folder/name.<fmt>`` for each format."""
    import matplotlib.pyplot as plt

    fig = getattr(figure, "figure", figure)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with plot_context():
        # Lay the figure out once for all formats: with its layout engine and tight
        # bounding box left on, every savefig lays out and draws the figure twice (half of
        # the figures stage's time on a large study).
        bbox, engine = _freeze_layout(fig)
        try:
            for fmt in formats:
                paths.append(atomic_write(folder / f"{name}.{fmt}", lambda tmp, fmt=fmt: fig.savefig(
                    tmp, format=fmt, metadata=_stable_metadata(fmt), bbox_inches=bbox)))
        finally:
            if engine is not None:
                fig.set_layout_engine(engine)
    plt.close(fig)
    return paths


def _freeze_layout(fig):
    """Run the figure's layout engine once, switch it off, and return the tight bbox.

    Returns ``(bbox_inches, engine)``: what ``savefig(bbox_inches="tight")`` would use, and
    the engine to restore afterwards.
    """
    engine = fig.get_layout_engine()
    fig.draw_without_rendering()
    bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(mpl.rcParams["savefig.pad_inches"])
    # None (not "none", which leaves a placeholder engine that savefig still lays out for).
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
    return bbox, engine


def _stable_metadata(fmt: str) -> dict:
    # No creation dates in the files, so the same study gives the same bytes.
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    if fmt == "png":
        return {"Software": None}
    return {}
