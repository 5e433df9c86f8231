"""The effects of the ``[effects] formula`` in R stm's three forms."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd

from ..figures import (
    few_levels,
    figure,
)
from ..places import region_sort_key
from ..style import OKABE_ITO, plot_context, topic_colors
from ..text import cut_label
from .common import (
    _TEXT,
    PAGE_WIDTH_IN,
    _new_axes,
)


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
    for ax in list(axes.flat)[:n_topics]:
        # sharex hides the labels above another panel; one above an empty slot needs its own.
        ax.tick_params(labelbottom=True)
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
        elif covariate == "period":
            names.sort(key=str)  # in time (the table lists the reference, most documents, first)
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
        notes = [text["effects_note"]]
        if "supported" in data and not data["supported"].astype(bool).all():
            notes.append(text["curve_gap"])
        if (data["ci_low"] < 0).any():
            notes.append(text["below_zero"])
        fig.supxlabel("\n".join([name, *notes]), fontsize=9)
        fig.supylabel(text["expected"], fontsize=9)
        fig.suptitle(text["effect_curves"].format(covariate=name, formula=formula))
    return fig
