"""The topics themselves: top words, the choice of K, and which topics go together."""

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
    heatmap_layout,
    interval_notes,
    interval_words,
)
from policytopics.report.style import OKABE_ITO, plot_context, topic_colors
from policytopics.settings.config import LabelWords


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
        # A page wide: three panels a row (the figure was 41 cm wide with five in a row).
        ncols = 3
        nrows = int(np.ceil(len(criteria) / ncols))
        fig, axes = plt.subplots(nrows, ncols, figsize=(PAGE_WIDTH_IN, 2.6 * nrows + 0.5),
                                 layout="constrained", sharex=True, squeeze=False)
        for ax in axes.flat[len(criteria):]:
            ax.set_visible(False)
        axes = axes.flat[:len(criteria)]
        ks = sorted(int(k) for k in by_k["k"])
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
            # A tick at every K tried (at most ten labelled), none between.
            ax.set_xticks(ks[::max(1, int(np.ceil(len(ks) / 10)))])
            # Every panel labels its K (sharex hides them above another panel; a panel with
            # none below, the last row's gap, would have none).
            ax.tick_params(labelsize=7, labelbottom=True)
        if suggested is not None:
            axes[0].legend(frameon=False, fontsize=8)
        fig.suptitle(names["title"])
    return fig


#: The one ranking of the words in the top_words figure, chosen here and nowhere else: each
#: word's probability in the topic, p(w|t), the ranking of ``topics.csv``'s ``top_words``, of
#: the words the terminal prints and of the words a theme is judged held on
#: (:data:`policytopics.model.themes_held.HELD_TOP_WORDS`), so the figure shows what was judged. The
#: bars are that probability.
TOP_WORDS_RANKING: LabelWords = "probability"

#: How a seeded topic's seed words are told apart from the words it learned from the corpus:
#: the topic's colour, paler, and hatched (the hatch reads in grey print and to every eye).
SEED_HATCH = "////"
SEED_ALPHA = 0.35
#: The legend's names of the two kinds of bar.
SEED_LEGEND = {"zh": ("种子词", "学到的词"), "en": ("seed word", "learned word")}


def _seed_legend(fig, language: str) -> None:
    """One legend for every panel: a hatched pale bar is a seed word, a solid bar a word learned."""
    from matplotlib.patches import Patch

    seed, learned = SEED_LEGEND[language]
    grey = OKABE_ITO[7]
    handles = [Patch(facecolor=mpl.colors.to_rgba(grey, SEED_ALPHA), edgecolor=grey,
                                 hatch=SEED_HATCH, linewidth=0.5, label=seed),
               Patch(facecolor=grey, label=learned)]
    fig.legend(handles=handles, loc="outside upper right", ncols=2, frameon=False, fontsize=8)


def _bars(ax, frame: pd.DataFrame, color: str, seeds) -> None:
    """A panel's bars, top word first; seed words (``seeds``, None for a free topic) paler and hatched."""
    frame = frame[::-1]
    bars = ax.barh(frame["word"], frame["weight"], color=color)
    for bar, word in zip(bars, frame["word"]):
        if seeds is not None and word in seeds:
            bar.set_facecolor(mpl.colors.to_rgba(color, SEED_ALPHA))
            bar.set_edgecolor(color)
            bar.set_hatch(SEED_HATCH)
            bar.set_linewidth(0.5)


def plot_top_words(topic_words: pd.DataFrame, *, topic_labels: dict[int, str] | None = None,
                   n_words: int = 10, ncols: int | None = None, language: str = "zh",
                   seed_words: dict[int, list[str]] | None = None):
    """Bars of the top words of each topic, one panel per topic. Returns the Figure.

    ``topic_words`` is the ``topic_words`` table of every ranking (``ranking`` column, from
    :meth:`policytopics.model.topic_model.TopicModel.word_table`): the words of
    :data:`TOP_WORDS_RANKING` are drawn; a table of one ranking without that column
    (:meth:`~policytopics.model.topic_model.TopicModel.topic_words`) is drawn as ranked by probability.
    Each panel has its own x scale (a topic of small weights would show empty bars on a
    shared one), and the note under the panels says so and names the ranking.
    ``ncols`` defaults to 2 columns up to 4 topics, else 3, so the figure is a page wide
    (A4 at 300 dpi) and grows down the page.
    ``seed_words`` (``{seeded topic: its theme's seeded words}``, a study with themes) draws a
    seeded topic's seed words paler and hatched, its words learned from the corpus solid, and
    a legend says which is which; without it (or empty) every bar is solid and there is no legend.
    """
    import matplotlib.pyplot as plt

    from policytopics.model.word_rankings import RELEVANCE_LAMBDA

    text = _TEXT[language]
    ranking = "probability"
    if "ranking" in topic_words.columns:
        ranking = TOP_WORDS_RANKING
        topic_words = topic_words[topic_words["ranking"] == ranking]
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
            _bars(ax, frame, colors[topic], (seed_words or {}).get(topic))
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
        ranked_by = text["rankings"][ranking].format(lam=RELEVANCE_LAMBDA)
        fig.supxlabel(text["top_words_note"].format(ranking=ranked_by), fontsize=8)
        fig.suptitle(text["top_words"])
        if seed_words:
            _seed_legend(fig, language)
    return fig


def plot_topic_correlation(correlations: pd.DataFrame, *, language: str = "zh", cmap: str = "RdBu_r",
                           one_document_per_period: bool = False):
    """stm's ``topicCorr`` as a heatmap: the correlation of every pair of topics (lower
    triangle), topics ordered so that those that go together sit together (average-linkage
    clustering on ``1 - correlation``); a dot where the interval excludes zero. The note
    counts the pairs above and below zero; with ``one_document_per_period`` (yearly
    reports) it says that the correlations are those of the topics' trends over time, not
    of topics found together in documents. Returns the Axes.
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
        # White on dark cells (a black dot on dark blue or red could not be seen), as the emphasis map.
        ax.scatter(x, y, s=5, c=np.where(np.abs(matrix[y, x]) > 0.6 * limit, "white", "black"), linewidths=0)
        names = [cut_label(labels[topics[i]], 18) for i in order]
        ax.set_xticks(range(k), labels=names, rotation=45, ha="right", rotation_mode="anchor",
                      fontsize=fontsize)
        ax.set_yticks(range(k), labels=names, fontsize=fontsize)
        ax.set_xlim(-0.5, k - 1.5)
        ax.set_ylim(k - 0.5, 0.5)
        ax.spines[:].set_visible(False)
        ax.set_title(text["correlation"])
        pairs = matrix[shown]
        notes = [text["correlation_note"].format(positive=int((pairs > 0).sum()),
                                                 negative=int((pairs < 0).sum()),
                                                 **interval_words(correlations, language, mark="dot")),
                 *interval_notes(correlations, language)]
        if one_document_per_period:
            notes.append(text["correlation_trends"])
        ax.set_xlabel("\n".join(notes), fontsize=8, linespacing=CAPTION_LINESPACING)
        ax.figure.colorbar(mesh, ax=ax, shrink=0.7, label=text["correlation_scale"])
    return ax
