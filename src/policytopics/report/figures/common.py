"""What every figure shares: its words in two languages, time axes and bands, heatmap sizes
and colour limits, significance marks. Saving a figure is :mod:`.export`'s job."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd

_TEXT = {
    "zh": {"region": "地区", "period": "时期", "topic": "主题", "weight": "平均主题权重",
           "word_weight": "词权重", "by_region": "各地区的主题权重", "over_time": "主题权重随时间变化",
           "top_words": "各主题的代表词", "sparse": "* 文档数少于 {n} 篇", "docs": "文档数",
           "coverage": "文档覆盖", "emphasis": "比平均高/低（百分点）",
           "emphasis_by_region": "各地区的主题侧重：与各地区平均之差",
           "emphasis_by_period": "各时期的主题侧重：与各时期平均之差",
           "emphasis_bold": "粗体：95% 区间不含 0（仅标注文档数 ≥ {n} 的组）",
           "emphasis_dot": "圆点：95% 区间不含 0（仅标注文档数 ≥ {n} 的组）",
           "interval": {"model+documents": "区间含模型的不确定性（主题比例的后验抽样）与文档的抽样（自助法）",
                        "documents": "区间仅含文档的抽样（自助法），不含模型的不确定性",
                        "model": "单篇文档的组：区间仅含模型的不确定性",
                        "none": "单篇文档的组没有区间（自助法无从抽样）"},
           "point_estimates": "点估计，未计算区间（[weights] uncertainty = \"none\"）",
           "quick_run": "快速运行（run --quick）：点估计，未计算区间；不加 --quick 的同一命令补上区间",
           "bands": "阴影或竖线：95% 区间；",
           "effect_bars": "横线：95% 区间；",
           "effect_bands": "阴影：95% 区间；",
           "marked": "{mark}：95% 区间不含 0；",
           "marks": {"filled": "实心", "dot": "圆点"},
           "beyond": "色标截至 ±{limit:.1f}；超出者以该端颜色显示（未标数值时以 △/▽ 标出）",
           "regions_over_time": "{label}：各地区平均主题权重随时间变化",
           "hollow_few": "空心：文档少",
           "top_regions": "文档最多的五个地区",
           "top_regions_spread": ("文档最多的五个地区；文档数相同者取该主题平均权重相差最大的："
                                  "最高、最低及其间"),
           "panels_note": "{bands}空心点：文档数少于 {n} 篇的时期；"
                          "每个时期的值为其文档的平均",
           "panels_note_mean": "{bands}每个时期的值为其文档的平均",
           "panels_note_all_sparse": ("{bands}每个时期的文档都少于 {n} 篇"
                                      "（其值为这些文档的平均）"),
           "kept": "保留的 {n} 篇",
           "by_region_period": "各地区逐年的主题权重",
           "region_period_note": ("颜色：该地区该年文档的平均主题权重，每个主题一个色标；灰色：该年无文档；"
                                  "横线分隔国家统计局的区域（自上而下：{areas}）"),
           "expected": "预期主题比例", "effect_levels": "{covariate}对主题比例的效应：各水平的预期值",
           "effect_difference": "主题比例之差：{level} 减 {versus}",
           "difference": "比例之差（百分点）",
           "effect_curves": "主题比例随{covariate}的变化（公式：{formula}）",
           "effects_note": "其他协变量取各文档的实际值后平均（平均预测）；{bands}关联，并非因果",
           "difference_note": "{marked}其他协变量按文档平均；关联，并非因果",
           "curve_gap": "曲线在无文档的年份间断开",
           "period_gap": "虚线：其间的时期没有文档",
           "below_zero": "线性模型不限制比例 ≥ 0：低于 0 的部分在横轴处截去",
           "correlation": "主题相关：哪些主题常在同一文档中出现",
           "correlation_note": "文档主题比例的相关系数；{marked}正相关 {positive} 对，负相关 {negative} 对",
           "correlation_scale": "相关系数",
           "top_words_note": "词按{ranking}排序；条长：词在主题中的概率 p(w|t)；各面板的横轴刻度各自独立",
           "rankings": {"probability": "在主题中的概率", "relevance": "相关度（λ = {lam}）", "frex": "FREX"},
           "correlation_trends": "每个时期只有一篇文档：相关反映主题随时间的共同趋势，而非同一文档中的共现",
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
                        "model": "groups of one document: the interval is the model's uncertainty only",
                        "none": "groups of one document have no interval (the bootstrap has nothing "
                                "to resample)"},
           "point_estimates": "point estimates, no intervals ([weights] uncertainty = \"none\")",
           "quick_run": ("a quick run (run --quick): point estimates, no intervals; the same command "
                         "without --quick adds them"),
           "bands": "band or bar: 95 % interval; ",
           "effect_bars": "bar: 95 % interval; ",
           "effect_bands": "band: 95 % interval; ",
           "marked": "{mark}: the 95 % interval excludes 0; ",
           "marks": {"filled": "filled", "dot": "dot"},
           "beyond": "colour scale capped at ±{limit:.1f}; cells beyond it take the end colour "
                     "(△/▽ where no number is shown)",
           "regions_over_time": "{label}: mean topic weight by region over time",
           "hollow_few": "hollow: few documents",
           "top_regions": "the five regions with most documents",
           "top_regions_spread": ("the five regions with most documents; of those with as many, the\n"
                                  "ones whose mean weight differs most: the highest, the lowest and evenly "
                                  "between"),
           "panels_note": "{bands}hollow: periods of fewer than {n} documents; "
                          "a period's value is the mean over its documents",
           "panels_note_mean": "{bands}a period's value is the mean over its documents",
           "panels_note_all_sparse": ("{bands}every period holds fewer than {n} "
                                      "documents (its value is their mean)"),
           "kept": "{n} kept documents",
           "by_region_period": "Theme weights by region and year",
           "region_period_note": "colour: mean topic weight of the region's documents in that period, one "
                                 "scale per topic; grey: no document; lines separate the NBS areas "
                                 "(top to bottom: {areas})",
           "expected": "Expected topic proportion",
           "effect_levels": "Effect of {covariate} on topic proportions: expected value per level",
           "effect_difference": "Difference in topic proportion: {level} minus {versus}",
           "difference": "difference (percentage points)",
           "effect_curves": "Topic proportion over {covariate} (formula: {formula})",
           "effects_note": "averaged over the documents' other covariates (average predictions); "
                           "{bands}an association, not a cause",
           "difference_note": "{marked}averaged over the other covariates; an association, not a cause",
           "curve_gap": "the curve breaks over years without a document",
           "period_gap": "dashed line: periods without a document lie between",
           "below_zero": "the linear model does not keep shares ≥ 0: what falls below 0 is cut at the axis",
           "correlation": "Topic correlations: which topics appear in the same documents",
           "correlation_note": "correlation of the documents' topic proportions; {marked}{positive} pairs "
                               "above 0, {negative} below",
           "correlation_scale": "correlation",
           "top_words_note": ("words ranked by {ranking}; bar: the word's probability in the topic, "
                              "p(w|t); each panel has its own x scale"),
           "rankings": {"probability": "their probability in the topic", "relevance": "relevance (λ = {lam})",
                        "frex": "FREX"},
           "correlation_trends": "one document per period: the correlations are those of the topics' trends "
                                 "over time, not of topics found together in documents",
           "covariates": {"region": "region", "period": "period", "year": "year", "area": "area"},
           "areas": {"东部": "East", "中部": "Central", "西部": "West", "东北": "Northeast",
                     "其他": "Other"}},
}


def has_intervals(data: pd.DataFrame) -> bool:
    """Whether a figure's table holds any interval (not with ``[weights] uncertainty = "none"``,
    nor in a quick run)."""
    return "ci_low" in data.columns and bool(data["ci_low"].notna().any())


def interval_notes(data: pd.DataFrame, language: str = "zh") -> list[str]:
    """What a figure's intervals hold, in words, from the table's ``interval`` column; that it
    shows point estimates when it holds no interval at all (a table with ``ci_low``, with or
    without an ``interval`` column).

    >>> print(interval_notes(pd.DataFrame({"interval": ["model+documents", "model"]}), "en")[1])
    groups of one document: the interval is the model's uncertainty only
    >>> print(interval_notes(pd.DataFrame({"interval": ["none"], "ci_low": [None]}), "en")[0])
    point estimates, no intervals ([weights] uncertainty = "none")
    >>> print(interval_notes(pd.DataFrame({"interval": ["quick"], "ci_low": [None]}), "en")[0])
    a quick run (run --quick): point estimates, no intervals; the same command without --quick adds them
    """
    text = _TEXT[language]
    # The effects and correlation tables have intervals but no interval column.
    kinds = set(data["interval"].dropna()) if "interval" in data.columns else set()
    if "ci_low" in data.columns and not has_intervals(data):
        return [text["quick_run" if "quick" in kinds else "point_estimates"]]
    return [text["interval"][kind] for kind in ("model+documents", "documents", "model", "none")
            if kind in kinds]


def interval_words(data: pd.DataFrame, language: str = "zh", *, mark: str | None = None) -> dict[str, str]:
    """The words of a note that describe intervals, empty when ``data`` has none: ``bands``
    ("band or bar: 95 % interval; ") and, with ``mark`` (``"filled"`` or ``"dot"``), ``marked``
    ("filled: the 95 % interval excludes 0; "). Format a note with them."""
    text, shown = _TEXT[language], has_intervals(data)
    marked = text["marked"].format(mark=text["marks"][mark]) if mark and shown else ""
    return {"bands": text["bands"] if shown else "", "marked": marked}


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


def dodge_offsets(positions: np.ndarray, step: float, n_series: int) -> np.ndarray:
    """Offsets that set ``n_series`` series side by side about a period that has no neighbour
    (its intervals are vertical bars, and bars of several series at one x hide one another);
    the caller moves only such periods' points. Zero (no dodge) where every period has a
    neighbour (bands, not bars). The series spread over 30 % of the smallest distance between
    periods, so each stays nearer its own period than any other, and a line never reaches it.

    >>> dodge_offsets(np.array([2005.0, 2010.0, 2015.0]), 1.0, 3).tolist()
    [-0.75, 0.0, 0.75]
    >>> dodge_offsets(np.array([2005.0, 2006.0]), 1.0, 3).tolist()
    [0.0, 0.0, 0.0]
    """
    positions = np.asarray(positions, dtype=float)
    if n_series < 2 or not len(positions):
        return np.zeros(n_series)
    gaps = np.diff(positions) > step * 1.5
    if not (np.r_[True, gaps] & np.r_[gaps, True]).any():
        return np.zeros(n_series)
    room = float(np.diff(positions).min()) if len(positions) > 1 else step
    return np.linspace(-0.15 * room, 0.15 * room, n_series)


def line_legend(ax, **kwargs):
    """A legend of the axes' labelled series as they are drawn. A series with a line is shown by
    its line only: its markers are filled where a period has enough documents and hollow where
    it has few, and a filled marker in the legend would stand for points that a series of few
    documents never shows (the caption says what filled and hollow mean). A series whose
    periods are all apart (no two neighbours: no segment is drawn) is shown by its dot, hollow
    when every one of its points is drawn hollow."""
    from matplotlib.lines import Line2D

    lines = ax.get_lines()
    handles = []
    for line in lines:
        if line.get_label().startswith("_"):
            continue
        y = np.asarray(line.get_ydata(), dtype=float)
        drawn = np.isfinite(y)
        if (drawn[1:] & drawn[:-1]).any() or line.get_marker() in ("None", "", None):
            handles.append(Line2D([], [], color=line.get_color(), linewidth=line.get_linewidth(),
                                  label=line.get_label()))
            continue
        # Dots only: hollow when an overlay of white-faced markers of its colour covers them all.
        hollow = sum(int(np.isfinite(np.asarray(other.get_ydata(), dtype=float)).sum()) for other in lines
                     if other is not line and other.get_label().startswith("_")
                     and other.get_color() == line.get_color()
                     and mpl.colors.same_color(other.get_markerfacecolor(), "white")) >= int(drawn.sum())
        handles.append(Line2D([], [], color=line.get_color(), linestyle="none", marker=line.get_marker(),
                              markersize=line.get_markersize(), label=line.get_label(),
                              markerfacecolor="white" if hollow else line.get_color()))
    return ax.legend(handles=handles, **kwargs)


#: Line spacing of a label that carries notes under it (matplotlib's 1.2 left the CJK lines
#: of an axis name and its note touching: 1.5 px apart at 100 dpi).
CAPTION_LINESPACING = 1.5


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
