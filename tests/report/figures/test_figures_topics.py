"""The topics' figures: top words, the choice of K, topic correlations."""

from itertools import pairwise

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from policytopics.report.figures import (
    plot_top_words,
)


def test_top_words_has_a_panel_per_topic(sample_study):
    words = sample_study.topic_words()
    fig = plot_top_words(words, topic_labels=sample_study.topic_labels())
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == words["topic"].nunique()
    assert visible[0].get_title(loc="left").startswith("T1 ")
    plt.close(fig)


def test_top_words_weight_labels_do_not_run_together():
    # Long words and small weights (a topic at 0.002, as in the samples) once gave labels
    # such as 0.00000.00050.0010 run together in a narrow panel.
    from policytopics.report.style import plot_context

    words = pd.DataFrame([(t, r, "先进制造业集群" if r == 1 else f"词语{t}{r}", top - (r - 1) * step)
                          for t, top, step in ((1, 0.0203, 0.0013), (2, 0.0136, 0.0008),
                                               (3, 0.0240, 0.0017), (4, 0.002303, 0.0000518))
                          for r in range(1, 11)], columns=["topic", "rank", "word", "weight"])
    fig = plot_top_words(words)
    with plot_context():
        renderer = fig.canvas.get_renderer()
        fig.draw(renderer)
    for ax in fig.axes:
        low, high = ax.get_xlim()
        boxes = sorted((label.get_window_extent(renderer) for tick, label
                        in zip(ax.get_xticks(), ax.get_xticklabels())
                        if low <= tick <= high and label.get_text()), key=lambda box: box.x0)
        assert len(boxes) >= 2
        assert all(left.x1 < right.x0 for left, right in pairwise(boxes)), ax.get_title()
    plt.close(fig)


def test_top_words_draws_one_named_ranking_and_says_each_panel_has_its_own_scale():
    from policytopics.report.figures.topics import TOP_WORDS_RANKING

    rows = []
    for topic in (1, 2):
        for rank, word in enumerate(["经济", "发展", "建设"], start=1):
            rows.append((topic, "probability", rank, word, 0.05 / rank))
        for rank, word in enumerate(["集群", "芯片", "经济"], start=1):
            rows.append((topic, "relevance", rank, word, 0.01 * rank))
    words = pd.DataFrame(rows, columns=["topic", "ranking", "rank", "word", "weight"])
    fig = plot_top_words(words, n_words=3, language="en")
    # The ranking topics.csv, the terminal and the held check use (#36: the figure ranked by
    # probability while the terminal ranked by relevance).
    assert TOP_WORDS_RANKING == "probability"
    panel = next(ax for ax in fig.axes if ax.get_visible())
    assert [t.get_text() for t in panel.get_yticklabels()][::-1] == ["经济", "发展", "建设"]  # top first
    assert "ranked by their probability in the topic" in fig.get_supxlabel()
    assert "each panel has its own x scale" in fig.get_supxlabel()
    plain = plot_top_words(words[words["ranking"] == "probability"].drop(columns="ranking"), n_words=3,
                           language="en")
    assert "ranked by their probability in the topic" in plain.get_supxlabel()
    plt.close("all")


def test_k_selection_is_a_page_wide_with_a_tick_at_every_k_tried():
    from policytopics.report.figures import PAGE_WIDTH_IN, plot_k_selection

    by_k = pd.DataFrame({"k": [14, 18, 22, 26], "npmi": [0.1, 0.12, 0.11, 0.1], "npmi_sd": 0.01,
                         "umass": -1.0, "diversity": [0.8, 0.7, 0.6, 0.5], "perplexity": 900.0,
                         "stability": [0.8, 0.85, 0.8, 0.7]})
    fig = plot_k_selection(by_k, suggested=18, language="en")
    assert fig.get_figwidth() <= PAGE_WIDTH_IN
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 5 and all(list(ax.get_xticks()) == [14, 18, 22, 26] for ax in shown)
    fig.canvas.draw()
    assert all([t.get_text() for t in ax.get_xticklabels()] == ["14", "18", "22", "26"] for ax in shown)
    # Drawn too: the top row's panels (above another panel or above the empty slot) label their K.
    assert all(t.get_visible() for ax in shown for t in ax.get_xticklabels())
    plt.close(fig)


def test_correlation_caption_counts_the_pairs_and_says_when_it_shows_trends():
    from policytopics.report.figures import plot_topic_correlation

    rows = [(1, 2, 0.6), (1, 3, 0.4), (2, 3, -0.2)]
    data = pd.DataFrame([{"topic_a": a, "topic_b": b, "label_a": f"T{a}", "label_b": f"T{b}",
                          "correlation": r, "ci_low": r - 0.1, "ci_high": r + 0.1} for a, b, r in rows])
    caption = plot_topic_correlation(data, language="en").get_xlabel()
    assert "2 pairs above 0, 1 below" in caption and "trends" not in caption
    caption = plot_topic_correlation(data, language="en", one_document_per_period=True).get_xlabel()
    assert "trends over time" in caption
    plt.close("all")


def test_correlation_colour_bar_has_a_title():
    from policytopics.report.figures import plot_topic_correlation

    data = pd.DataFrame([{"topic_a": 1, "topic_b": 2, "label_a": "T1", "label_b": "T2", "correlation": 0.3,
                          "ci_low": 0.1, "ci_high": 0.5}])
    ax = plot_topic_correlation(data, language="en")
    bar = next(a for a in ax.figure.axes if a.get_label() == "<colorbar>")
    assert bar.get_ylabel() == "correlation"
    plt.close(ax.figure)


def test_correlation_dots_show_on_dark_cells():
    """A dot marks an interval that excludes 0; on the darkest cells it is white, not black."""
    from policytopics.report.figures import plot_topic_correlation

    rows = [(1, 2, -0.5, -0.7, -0.3), (1, 3, 0.05, 0.01, 0.09), (2, 3, 0.1, -0.1, 0.3)]
    data = pd.DataFrame([{"topic_a": a, "topic_b": b, "label_a": f"T{a}", "label_b": f"T{b}",
                          "correlation": r, "ci_low": low, "ci_high": high} for a, b, r, low, high in rows])
    ax = plot_topic_correlation(data, language="en")
    dots = next(c for c in ax.collections if isinstance(c, mpl.collections.PathCollection))
    colours = sorted(mpl.colors.to_hex(c) for c in dots.get_facecolors())
    assert colours == ["#000000", "#ffffff"]  # the pale 0.05 cell black, the dark -0.5 cell white
    plt.close(ax.figure)


def _bar_faces(ax):
    """``{word: (facecolor, hatch)}`` of a top_words panel's bars."""
    words = [t.get_text() for t in ax.get_yticklabels()]
    return {word: (tuple(bar.get_facecolor()), bar.get_hatch()) for word, bar in zip(words, ax.patches)}


@pytest.mark.parametrize("language, names", [("en", ["seed word", "learned word"]),
                                             ("zh", ["种子词", "学到的词"])])
def test_top_words_tells_a_seeded_topic_s_seed_words_from_the_words_it_learned(language, names):
    words = pd.DataFrame([(t, r, w, 0.1 / r) for t, row in ((1, ["数据", "平台", "算力", "应用"]),
                                                             (2, ["粮食", "数据", "耕地", "农民"]))
                          for r, w in enumerate(row, start=1)], columns=["topic", "rank", "word", "weight"])
    fig = plot_top_words(words, n_words=4, language=language, seed_words={1: ["数据", "算力", "大数据"]})
    seeded, free = (ax for ax in fig.axes if ax.get_visible())
    faces = _bar_faces(seeded)
    assert faces["数据"] == faces["算力"] and faces["平台"] == faces["应用"]  # seeds alike, learned alike
    assert faces["数据"] != faces["平台"]  # a second colour and a hatch
    assert faces["数据"][1] and not faces["平台"][1]
    # A free topic is drawn as before, even a word that is a seed of another topic's theme.
    assert len(set(_bar_faces(free).values())) == 1 and not _bar_faces(free)["数据"][1]
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == names
    plain = plot_top_words(words, n_words=4, language=language)  # no themes: no legend, all solid
    assert not plain.legends
    assert all(not bar.get_hatch() for ax in plain.axes for bar in ax.patches)
    plt.close("all")
