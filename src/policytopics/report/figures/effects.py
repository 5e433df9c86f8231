"""The effects of the ``[effects] formula`` in R stm's three forms."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd

from policytopics.common.chinese import cut_label
from policytopics.report.figures.common import (
    _TEXT,
    CAPTION_LINESPACING,
    PAGE_HEIGHT_IN,
    PAGE_WIDTH_IN,
    _new_axes,
    has_intervals,
    interval_notes,
    interval_words,
)
from policytopics.report.style import OKABE_ITO, plot_context, topic_colors
from policytopics.text.regions import region_sort_key

#: The most panels a row of an effects figure holds (narrower ones cannot be read).
GRID_MAX_COLUMNS = 5


def grid_shape(n_topics: int, panel_height: float, min_panel_height: float | None = None
               ) -> tuple[int, int, float]:
    """``(rows, columns, panel height)`` of a page-wide grid of one panel per topic that stays
    within a page's height (:data:`PAGE_HEIGHT_IN`, with 0.8 in of titles): up to four columns,
    a fifth before the panels grow past the page, then panels down to ``min_panel_height``.

    >>> grid_shape(6, 1.9)
    (2, 3, 1.9)
    >>> grid_shape(20, 0.22 * 16 + 0.6, 0.12 * 16 + 0.5)  # 16 levels: 21 in tall at 4 columns
    (4, 5, 2.55)
    """
    ncols = max(1, min(4, n_topics, int(np.ceil(np.sqrt(n_topics)))))

    def rows(columns: int) -> int:
        return int(np.ceil(n_topics / columns))

    while panel_height * rows(ncols) + 0.8 > PAGE_HEIGHT_IN and ncols < min(GRID_MAX_COLUMNS, n_topics):
        ncols += 1
    nrows = rows(ncols)
    if min_panel_height is not None and panel_height * nrows + 0.8 > PAGE_HEIGHT_IN:
        panel_height = max(min_panel_height, round((PAGE_HEIGHT_IN - 0.8) / nrows, 2))
    return nrows, ncols, panel_height


def _topic_grid(n_topics: int, panel_height: float, min_panel_height: float | None = None):
    """A page-wide grid of small panels, one per topic, a page tall at most where it can be
    (:func:`grid_shape`)."""
    import matplotlib.pyplot as plt

    nrows, ncols, panel_height = grid_shape(n_topics, panel_height, min_panel_height)
    width = min(3.6 if ncols <= 3 else 2.8, PAGE_WIDTH_IN / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, panel_height * nrows + 0.8),
                             sharex=True, sharey=True, layout="constrained", squeeze=False)
    for ax in list(axes.flat)[n_topics:]:
        ax.set_visible(False)
    for ax in list(axes.flat)[:n_topics]:
        # sharex hides the labels above another panel; one above an empty slot needs its own.
        ax.tick_params(labelbottom=True)
    return fig, list(axes.flat)[:n_topics], width


def _effects_notes(data: pd.DataFrame, language: str, drawn: str) -> list[str]:
    """What an effects figure averages over and what its intervals are drawn as (``drawn``:
    ``"bars"`` for the levels, ``"bands"`` for the curves), or that it has none."""
    # Each figure names only the mark it draws (a curve has no bar, a level no band).
    text = _TEXT[language]
    bands = text[f"effect_{drawn}"] if has_intervals(data) else ""
    return [text["effects_note"].format(bands=bands), *interval_notes(data, language)]


def plot_effect_levels(levels: pd.DataFrame, *, covariate: str, language: str = "zh"):
    """stm's ``pointestimate``: each topic's expected proportion at every level of a category,
    with its interval (one panel per topic, levels down the side). Returns the Figure.

    ``levels`` is the ``levels`` table of :func:`policytopics.estimate.effects.effect_tables`.
    """
    text = _TEXT[language]
    data = levels[levels["covariate"] == covariate]
    with plot_context():
        topics = sorted(data["topic"].unique())
        names = list(data.drop_duplicates("level")["level"])
        if covariate == "region":
            names.sort(key=region_sort_key)
        elif covariate == "period":
            names.sort(key=str)  # in time (the table lists the reference, most documents, first)
        # 0.22 in a level, down to 0.12 (7-point labels) where the figure would pass a page.
        fig, axes, width = _topic_grid(len(topics), 0.22 * len(names) + 0.6, 0.12 * len(names) + 0.5)
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
        notes = _effects_notes(data, language, "bars")
        # Shares are not negative: as in the curves, the axis starts at 0 and an interval of the
        # linear model reaching below it is cut there, with a note.
        if (data[["estimate", "ci_low"]].min(axis=1) < 0).any():
            axes[0].set_xlim(left=0)
            notes.append(text["below_zero"])
        fig.supxlabel("\n".join([text["expected"], *notes]), fontsize=9,
                      linespacing=CAPTION_LINESPACING)
        fig.suptitle(text["effect_levels"].format(covariate=name))
    return fig


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
        # Without intervals (point estimates) no point claims to exclude 0: all are drawn filled.
        excludes = (low > 0) | (high < 0) if has_intervals(data) else np.ones(len(data), dtype=bool)
        ax.axvline(0, color="0.5", linewidth=0.8)
        ax.hlines(y, low, high, color=OKABE_ITO[0], linewidth=1.5)
        ax.scatter(estimate[excludes], y[excludes], color=OKABE_ITO[0], s=22, zorder=3)
        ax.scatter(estimate[~excludes], y[~excludes], facecolor="white", edgecolor=OKABE_ITO[0], s=22,
                   zorder=3)
        ax.set_yticks(y, labels=list(data["topic_label"]), fontsize=8)
        ax.set_ylim(len(data) - 0.5, -0.5)
        first = data.iloc[0]
        ax.set_title(text["effect_difference"].format(level=first["level"], versus=first["versus"]))
        notes = [text["difference_note"].format(**interval_words(data, language, mark="filled")),
                 *interval_notes(data, language)]
        ax.set_xlabel("\n".join([text["difference"], *notes]), fontsize=9, linespacing=CAPTION_LINESPACING)
        ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_effect_curves(curves: pd.DataFrame, *, covariate: str, formula: str = "", language: str = "zh"):
    """stm's ``continuous``: each topic's expected proportion over a numeric covariate with
    its band (one panel per topic). Returns the Figure."""
    text = _TEXT[language]
    data = curves[curves["covariate"] == covariate]
    with plot_context():
        topics = sorted(data["topic"].unique())
        fig, axes, width = _topic_grid(len(topics), 1.9, 1.4)
        colors = topic_colors(topics)
        for ax, topic in zip(axes, topics):
            frame = data[data["topic"] == topic].sort_values("value")
            # No curve where no document is (a gap of years): the line breaks there.
            if "supported" in frame:
                frame = frame.assign(**{c: frame[c].where(frame["supported"].astype(bool))
                                        for c in ("estimate", "ci_low", "ci_high")})
            ax.fill_between(frame["value"], frame["ci_low"], frame["ci_high"], color=colors[topic], alpha=0.2,
                            linewidth=0)
            ax.plot(frame["value"], frame["estimate"], color=colors[topic], linewidth=1.5)
            ax.set_title(cut_label(frame["topic_label"].iloc[0], int(width * 72 / 9.5)), fontsize=9,
                         loc="left")
            ax.tick_params(labelsize=7)
            ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(nbins=4, integer=covariate == "year"))
        # Shares are not negative: the axis starts at 0, and a linear model's values below it
        # (it ignores that bound) are cut there, with a note.
        axes[0].set_ylim(bottom=0)
        name = text["covariates"].get(covariate, covariate)
        notes = _effects_notes(data, language, "bands")
        if "supported" in data and not data["supported"].astype(bool).all():
            notes.append(text["curve_gap"])
        if (data[["estimate", "ci_low"]].min(axis=1) < 0).any():
            notes.append(text["below_zero"])
        fig.supxlabel("\n".join([name, *notes]), fontsize=9, linespacing=CAPTION_LINESPACING)
        fig.supylabel(text["expected"], fontsize=9)
        fig.suptitle(text["effect_curves"].format(covariate=name, formula=formula))
    return fig
