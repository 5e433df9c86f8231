"""Theme weights and emphases by region and period, and the coverage of both."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd

from policytopics.common.chinese import cut_label, display_width
from policytopics.report.figures.common import (
    _TEXT,
    CAPTION_LINESPACING,
    HEATMAP_MAX_ANNOTATED_CELLS,
    PAGE_WIDTH_IN,
    _band_and_line,
    _new_axes,
    _time_axis,
    dodge_offsets,
    heatmap_layout,
    interval_notes,
    interval_words,
    line_legend,
    period_positions,
    robust_limit,
)
from policytopics.report.style import OKABE_ITO, plot_context, region_colors, topic_colors
from policytopics.text.regions import OTHER_AREA, region_area, region_sort_key, short_region_name


def hollow(sparse: pd.Series, data: pd.DataFrame) -> np.ndarray:
    """Which points to draw hollow: the sparse ones, unless every point of the figure is
    sparse (yearly reports, one a year): a mark that every point carries says nothing, and
    the note says instead that every period holds few documents.

    >>> data = pd.DataFrame({"sparse": [True, True]})
    >>> hollow(data["sparse"], data).tolist(), hollow(pd.Series([True, False]), data.head(0)).tolist()
    ([False, False], [True, False])
    """
    marks = sparse.fillna(False).to_numpy(dtype=bool)
    every = len(data) > 0 and bool(data["sparse"].fillna(False).astype(bool).all())
    return np.zeros_like(marks) if every else marks


def area_separators(ax, regions: Sequence[str], language: str = "zh") -> None:
    """Rows of regions (top to bottom in the NBS order) grouped by area: a line between the
    National Bureau of Statistics' areas, and each area's name at the right of its rows."""
    text = _TEXT[language]
    rows = len(regions)
    areas = [region_area(g) for g in regions]
    starts = [i for i in range(rows) if i == 0 or areas[i] != areas[i - 1]]
    for start in starts[1:]:
        ax.axhline(start - 0.5, color="black", linewidth=1.2)
    ends = [*starts[1:], rows]
    # A group outside the four areas alone in its block (全国) is named as itself.
    names = [regions[a] if areas[a] == OTHER_AREA and ends[k] - a == 1
             else text["areas"].get(areas[a], areas[a]) for k, a in enumerate(starts)]
    side = ax.secondary_yaxis("right")
    side.set_yticks([(a + b - 1) / 2 for a, b in zip(starts, ends)], labels=names, fontsize=9)
    # The separators run on through the column of area names as long minor ticks,
    # so each name sits between the lines of its own area.
    side.set_yticks([start - 0.5 for start in starts[1:]], minor=True)
    width = max(display_width(name, narrow=0.62) for name in names)
    side.tick_params(which="major", length=0, pad=4)
    side.tick_params(which="minor", length=8 + 9 * width, width=1.2, color="black")
    side.spines[:].set_visible(False)


def plot_theme_weights_by_region(data: pd.DataFrame, *, ax=None, language: str = "zh",
                                 min_docs: int | None = None, cmap: str = "Blues",
                                 annotate: bool | None = None):
    """Heatmap of region × topic mean weights; sparse cells marked with ``*``; regions in the
    NBS order, a line between areas and the areas named at the right (as the emphasis map).

    ``data`` is ``theme_weights(doc_topics, by="region")``. ``annotate`` writes each
    cell's weight into it; by default only while the table has at most
    :data:`HEATMAP_MAX_ANNOTATED_CELLS` cells (with more, sparse regions are starred in
    their row label). Returns the Axes.
    """
    text = _TEXT[language]
    with plot_context():
        regions, table, sparse, n_docs = _region_grids(data)
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
        if annotate:
            _write_weights(ax, table, sparse)
        note = ""
        if min_docs and bool(data["sparse"].any()):
            note = "\n" + text["sparse"].format(n=min_docs)
        ax.set_xlabel(text["topic"] + note, linespacing=CAPTION_LINESPACING)
        ax.set_ylabel(text["region"])
        ax.set_title(text["by_region"])
        # The areas as in the emphasis map: a line between them, their names at the right.
        area_separators(ax, regions, language)
        ax.figure.colorbar(image, ax=ax, label=text["weight"], shrink=0.8, pad=0.08,
                           extend="max" if clipped else "neither")
        ax.spines[:].set_visible(False)
    return ax


def _region_grids(data: pd.DataFrame) -> tuple:
    """The regions (by area, 全国 last), the region × topic weights and sparse cells (topics
    in order) and each region's documents."""
    regions = sorted(data["region"].unique(), key=region_sort_key)  # by area, 全国 last
    table = data.pivot(index="region", columns="topic_label", values="weight").reindex(regions)
    order = data.drop_duplicates("topic_label").sort_values("topic")["topic_label"]
    table = table[list(order)]
    sparse = data.pivot(index="region", columns="topic_label", values="sparse").reindex(regions)
    sparse = sparse[list(order)].fillna(False).astype(bool)
    n_docs = data.drop_duplicates("region").set_index("region")["n_docs"]
    return regions, table, sparse, n_docs


def _write_weights(ax, table: pd.DataFrame, sparse: pd.DataFrame) -> None:
    """Each cell's weight written into it, starred where sparse, white on the dark cells."""
    top = np.nanmax(table.to_numpy()) if table.size else 1
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            value = table.iat[i, j]
            if np.isnan(value):
                continue
            mark = "*" if bool(sparse.iat[i, j]) else ""
            ax.text(j, i, f"{value:.2f}{mark}", ha="center", va="center", fontsize=8,
                    color="white" if value > 0.6 * top else "black")


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
        # A period apart from the others shows its intervals as bars: the topics side by side.
        dodge = dodge_offsets(positions, step, len(shown))
        for offset, topic in zip(dodge, shown):
            frame = data[data["topic"] == topic].set_index("period").reindex(periods)
            present = frame["weight"].notna().to_numpy()
            label = frame["topic_label"].dropna().iloc[0]
            # Only a period without a neighbour moves: lines and bands stay on their periods.
            x = positions.copy()
            apart = np.diff(positions[present]) > step * 1.5
            x[present] += offset * (np.r_[True, apart] & np.r_[apart, True])
            _band_and_line(ax, x[present], frame[present], step, colors[topic],
                           band_alpha=0.15, marker="o", markersize=4, label=label)
            # Sparse periods hollow, as in every over-time figure (when some are not).
            sparse = hollow(frame["sparse"], data) & present
            ax.plot(x[sparse], frame["weight"].to_numpy()[sparse], "o", markersize=4,
                    mfc="white", color=colors[topic], linestyle="none")
        n_docs = data.drop_duplicates("period").set_index("period")["n_docs"].reindex(periods)
        if len(periods) <= 12:
            ax.set_xticks(positions, labels=[f"{p}\n(n={n})" for p, n in zip(periods, n_docs)])
        else:
            _time_axis(ax, positions, periods, step)
        ax.set_xlabel("\n".join([text["period"], *interval_notes(data, language)]), fontsize=9,
                      linespacing=CAPTION_LINESPACING)
        ax.set_ylabel(text["weight"])
        ax.set_ylim(bottom=0)
        ax.set_title(text["over_time"])
        line_legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    return ax


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
            sparse = hollow(frame["sparse"], data)
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
        every_sparse = bool(data["sparse"].astype(bool).all())
        # The hollow points are explained only where some are drawn.
        any_hollow = bool(data["sparse"].fillna(False).astype(bool).any()) and not every_sparse
        note = ("panels_note_all_sparse" if every_sparse
                else "panels_note" if any_hollow else "panels_note_mean")
        notes = [text[note].format(n=min_docs, **interval_words(data, language))] if min_docs else []
        notes += interval_notes(data, language)
        fig.supxlabel("\n".join([text["period"], *notes]), fontsize=9, linespacing=CAPTION_LINESPACING)
        fig.supylabel(text["weight"], fontsize=9)
        fig.suptitle(text["over_time"])
    return fig


def regions_to_show(frame: pd.DataFrame, n: int = 5) -> tuple[list[str], bool]:
    """The ``n`` regions a figure of one topic over time shows, highest mean weight first, and
    whether a tie in documents had to be broken.

    The regions with most documents; where regions with as many documents compete for the last
    places (a balanced panel: one report a year each, every region tied), those whose mean
    weight of the topic differs most: the highest, the lowest and the ones evenly between
    (the spread of the topic over regions, not an accident of the NBS or the code points'
    order).

    >>> frame = pd.DataFrame({"region": list("abcdefg"), "period": "2020", "n_docs": 1,
    ...                       "weight": [0.1, 0.7, 0.3, 0.5, 0.2, 0.6, 0.4]})
    >>> regions_to_show(frame, 3)
    (['b', 'g', 'a'], True)
    """
    cells = frame.drop_duplicates(["region", "period"])
    counts = cells.groupby("region")["n_docs"].sum()
    mean = frame.groupby("region")["weight"].mean()
    ranked = sorted(counts.index, key=lambda r: (-counts[r], region_sort_key(r)))
    tied = bool(len(ranked) > n and counts[ranked[n - 1]] == counts[ranked[n]])
    if not tied:
        chosen = ranked[:n]
    else:
        cut = counts[ranked[n - 1]]
        sure = [r for r in ranked if counts[r] > cut]
        candidates = sorted((r for r in ranked if counts[r] == cut),
                            key=lambda r: (-mean[r], region_sort_key(r)))
        free = n - len(sure)
        picks = [0] if free == 1 else np.round(np.linspace(0, len(candidates) - 1, free)).astype(int)
        chosen = sure + [candidates[i] for i in picks]
    return sorted(chosen, key=lambda r: (-mean[r], region_sort_key(r))), tied


# The most prevalent topic (T1) in the regions with most documents.
def plot_regions_over_time(data: pd.DataFrame, *, topic: int, regions: Sequence[str] | None = None,
                           ax=None, language: str = "zh", title: str | None = None):
    """One topic's weight over time in selected regions (one line per region).

    ``data`` is ``theme_weights(doc_topics, by=["region", "period"])``; ``regions``
    defaults to the five with most documents, ties broken by the topic's spread
    (:func:`regions_to_show`). Each line has its 95 % band (a vertical bar
    for a period with no neighbour); sparse cells are hollow markers. A region has the same
    colour in every figure (:func:`policytopics.report.style.region_colors`). ``title`` replaces
    the descriptive title (small multiples use the topic label). Returns the Axes.
    """
    text = _TEXT[language]
    with plot_context():
        frame = data[data["topic"] == topic]
        regions_default = regions is None
        tied = False
        if regions is None:
            regions, tied = regions_to_show(frame)
        ax = _new_axes(ax, (7, 4))
        periods = sorted(frame["period"].unique())
        positions, step = period_positions(periods)
        position = dict(zip(periods, positions))
        colors = region_colors(regions)
        any_hollow = False
        for region in regions:
            part = frame[frame["region"] == region].sort_values("period")
            x = part["period"].map(position).to_numpy(dtype=float)
            color = colors[region]
            _band_and_line(ax, x, part, step, color, band_alpha=0.12, marker="o", label=region)
            sparse = hollow(part["sparse"], frame)
            any_hollow |= bool(sparse.any())
            # Sparse periods hollow, as in every over-time figure (when some are not).
            ax.plot(x[sparse], part["weight"].to_numpy()[sparse], "o", mfc="white", color=color,
                    linestyle="none")
        _time_axis(ax, positions, periods, step)
        label = frame["topic_label"].iloc[0] if len(frame) else f"T{topic}"
        chosen = (text["top_regions_spread" if tied else "top_regions"]
                  if len(regions) == 5 and regions_default else "")
        # What the bands and the hollow markers mean, only for those drawn.
        marks = [note for note in (interval_words(frame, language)["bands"].rstrip("；; "),
                                   text["hollow_few"] if any_hollow else "") if note]
        # The title, then how the regions were chosen, then the marks: each on its own line.
        described = "\n".join([text["regions_over_time"].format(label=label), *([chosen] if chosen else [])])
        if marks:
            described += "\n" + ("（{}）" if language == "zh" else "({})").format(
                ("；" if language == "zh" else "; ").join(marks))
        ax.set_title(title if title is not None else described, fontsize=None if title is not None else 10.5)
        ax.set_xlabel("\n".join([text["period"], *interval_notes(frame, language)]), fontsize=9,
                      linespacing=CAPTION_LINESPACING)
        ax.set_ylabel(text["weight"])
        ax.set_ylim(bottom=0)
        line_legend(ax, frameon=False, fontsize=8)
    return ax


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


def _region_period_panel(ax, part: pd.DataFrame, regions: list, periods: tuple, starts: list[int], *,
                         cmap: str, fontsize: float | None) -> None:
    """One topic's panel of :func:`plot_theme_weights_by_region_period`: regions × the
    ``periods`` grid (its columns, each period's column and the step), grey where no
    document is, with its own colour bar; the regions named when ``fontsize`` is given."""
    grid, column, step = periods
    values = np.full((len(regions), len(grid)), np.nan)
    rows = pd.Index(regions).get_indexer(part["region"])
    cols = part["period"].map(column).to_numpy(dtype=int)
    values[rows, cols] = part["weight"].to_numpy(dtype=float)
    top = float(np.nanpercentile(values, 98)) if np.isfinite(values).any() else 1.0
    mesh = ax.pcolormesh(np.r_[grid - step / 2, grid[-1] + step / 2],
                         np.arange(len(regions) + 1) - 0.5, np.ma.masked_invalid(values),
                         cmap=cmap, vmin=0, vmax=top or 1.0)
    ax.set_facecolor(NO_DATA_COLOUR)  # no document in that province and period
    ax.set_ylim(len(regions) - 0.5, -0.5)
    for start in starts[1:]:
        ax.axhline(start - 0.5, color="black", linewidth=0.6)
    if fontsize is not None:
        ax.set_yticks(range(len(regions)), labels=[short_region_name(r) for r in regions],
                      fontsize=fontsize)
    else:
        ax.set_yticks([])
    ax.tick_params(axis="y", length=0, pad=1)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=step == 1.0, nbins=5))
    ax.tick_params(axis="x", labelsize=6, length=2)
    ax.set_title(cut_label(part["topic_label"].iloc[0], 18), fontsize=7.5, loc="left")
    bar = ax.figure.colorbar(mesh, ax=ax, shrink=0.9, pad=0.01, aspect=30, fraction=0.05,
                             extend="max" if np.nanmax(values) > top else "neither")
    bar.ax.tick_params(labelsize=5, length=2)
    bar.ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(nbins=3))
    ax.spines[:].set_visible(False)


#: The cells of no document in the region × period panels: a mid grey, far from the palest
#: blue of the scale (light grey, 0.88, read as a small weight).
NO_DATA_COLOUR = "#8c8c8c"

#: At most this many topics in the region × period small multiples (a page).
REGION_PERIOD_MAX_PANELS = 12


def plot_theme_weights_by_region_period(data: pd.DataFrame, *, topics: Sequence[int] | None = None,
                                        language: str = "zh", cmap: str = "Blues"):
    """Small multiples of a panel: one heatmap per topic, regions × periods.

    ``data`` is ``theme_weights(doc_topics, by=["region", "period"])``. Each panel has
    the regions down the side in the National Bureau of Statistics' order (a line between
    areas, named in the note), the periods on a true time axis (a column for
    every period between the first and the last; grey: no document there) and a colour
    scale of its own (shares differ between topics: one scale would pale the small
    ones; a robust top, so one extreme cell does not pale the rest). ``topics`` chooses the
    panels (the study passes its seeded themes); by default the first
    :data:`REGION_PERIOD_MAX_PANELS` topics, the most prevalent. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    text = _TEXT[language]
    with plot_context():
        shown = list(topics) if topics else sorted(data["topic"].unique())
        shown = shown[:REGION_PERIOD_MAX_PANELS]
        frame = data[data["topic"].isin(shown)]
        regions = sorted(frame["region"].unique(), key=region_sort_key)
        periods = sorted(frame["period"].unique())
        positions, step = period_positions(periods)
        # Every period between the first and the last gets its column: a gap stays visible.
        grid = np.arange(positions.min(), positions.max() + step / 2, step)
        column = {p: round((x - grid[0]) / step) for p, x in zip(periods, positions)}
        ncols = min(3, len(shown))
        nrows = int(np.ceil(len(shown) / ncols))
        # A page: up to four rows of panels, each as tall as its regions need.
        panel_height = min(2.45, 0.6 + 0.06 * len(regions))
        fig, axes = plt.subplots(nrows, ncols, figsize=(PAGE_WIDTH_IN, panel_height * nrows + 0.9),
                                 layout="constrained", squeeze=False)
        fontsize = 4.6 if len(regions) > 24 else 6
        areas = [region_area(r) for r in regions]
        starts = [i for i in range(len(regions)) if i == 0 or areas[i] != areas[i - 1]]
        area_names = "、".join(text["areas"].get(areas[a], areas[a]) for a in starts)
        for i, (ax, topic) in enumerate(zip(axes.flat, shown)):
            _region_period_panel(ax, frame[frame["topic"] == topic], regions, (grid, column, step), starts,
                                 cmap=cmap, fontsize=fontsize if i % ncols == 0 else None)
        for ax in list(axes.flat)[len(shown):]:
            ax.set_visible(False)
        fig.supxlabel("\n".join([text["period"], text["region_period_note"].format(areas=area_names)]),
                      fontsize=8, linespacing=CAPTION_LINESPACING)
        fig.suptitle(text["by_region_period"], fontsize=11)
    return fig
