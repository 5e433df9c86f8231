"""Theme emphasis: each group's topic weight above or below the mean over groups, as a
diverging heatmap with its significant cells marked."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd

from policytopics.report.figures.common import (
    _TEXT,
    CAPTION_LINESPACING,
    HEATMAP_MAX_ANNOTATED_CELLS,
    MARK_MIN_DOCS,
    _new_axes,
    heatmap_layout,
    interval_notes,
    period_positions,
    robust_limit,
    signed_value,
    significance_marks,
)
from policytopics.report.figures.themes import area_separators
from policytopics.report.style import plot_context
from policytopics.text.regions import region_sort_key


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
        groups, order, values, sparse, n_docs, significant = _emphasis_grids(data, by)
        rows, cols = values.shape
        if annotate is None:
            annotate = values.size <= HEATMAP_MAX_ANNOTATED_CELLS
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
        _mark_cells(ax, values, sparse, significant, annotate=annotate, dark_above=0.6 * norm.halfrange,
                    halfrange=halfrange)
        gaps = _period_gaps(ax, groups) if by == "period" else []
        if by == "region":
            area_separators(ax, groups, language)
        notes = _emphasis_notes(data, language, annotate=annotate, significant=significant, sparse=sparse,
                                min_docs=min_docs, clipped=clipped, halfrange=halfrange, gaps=gaps)
        ax.set_xlabel("\n".join([text["topic"], *notes]), linespacing=CAPTION_LINESPACING)
        ax.set_ylabel(text[by])
        ax.set_title(text[f"emphasis_by_{by}"])
        ax.figure.colorbar(mesh, ax=ax, label=text["emphasis"], shrink=0.8, pad=0.08,
                           extend="both" if clipped else "neither")
        ax.spines[:].set_visible(False)
    return ax


def _emphasis_grids(data: pd.DataFrame, by: str) -> tuple:
    """The groups (regions in the NBS order) and topic labels of the heatmap, and its grids:
    the emphasis, the sparse cells, each group's documents and the significant cells."""
    groups = list(data[by].drop_duplicates())
    groups = sorted(groups, key=region_sort_key) if by == "region" else sorted(groups)
    order = list(data.drop_duplicates("topic_label").sort_values("topic")["topic_label"])

    def grid(column):
        return data.pivot(index=by, columns="topic_label", values=column).reindex(
            index=groups, columns=order)

    values = grid("emphasis").to_numpy(dtype=float)
    sparse = grid("sparse").fillna(False).to_numpy(dtype=bool)
    n_docs = data.drop_duplicates(by).set_index(by)["n_docs"]
    significant = significance_marks(grid("ci_low").to_numpy(dtype=float),
                                     grid("ci_high").to_numpy(dtype=float),
                                     n_docs.reindex(groups).to_numpy()[:, None], sparse)
    return groups, order, values, sparse, n_docs, significant


def _mark_cells(ax, values: np.ndarray, sparse: np.ndarray, significant: np.ndarray, *, annotate: bool,
                dark_above: float, halfrange: float) -> None:
    """Each cell's value (bold where significant, starred where sparse), or a dot on the
    significant cells of a grid too large for numbers, and a hollow arrow on the cells beyond
    the colour scale."""
    rows, cols = values.shape
    dark = np.abs(np.nan_to_num(values)) > dark_above
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


def _period_gaps(ax, periods: list) -> list[int]:
    """A dashed line where periods without a document lie between two rows (1964 | 1975);
    returns the rows below such a line."""
    positions, step = period_positions(periods)
    gaps = [i + 1 for i, jump in enumerate(np.diff(positions)) if jump > step * 1.5]
    for row in gaps:
        ax.axhline(row - 0.5, color="0.25", linewidth=0.9, linestyle=(0, (3, 2)))
    return gaps


def _emphasis_notes(data: pd.DataFrame, language: str, *, annotate: bool, significant: np.ndarray,
                    sparse: np.ndarray, min_docs: int | None, clipped: bool, halfrange: float,
                    gaps: list[int]) -> list[str]:
    """The notes under the heatmap: what its marks mean, which cells are sparse or beyond the
    scale, where periods are missing, and what the intervals are."""
    text = _TEXT[language]
    notes = [text["emphasis_bold" if annotate else "emphasis_dot"].format(n=MARK_MIN_DOCS)]
    notes = notes if significant.any() else []
    if min_docs and sparse.any():
        notes.append(text["sparse"].format(n=min_docs))
    if clipped:
        notes.append(text["beyond"].format(limit=halfrange))
    if gaps:
        notes.append(text["period_gap"])
    return notes + interval_notes(data, language)


__all__ = ["plot_theme_emphasis"]
