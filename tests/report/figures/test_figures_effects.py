"""The effects' figures (stm's three forms): notes, marks and a page's size."""

from itertools import pairwise

import matplotlib.pyplot as plt
import pandas as pd
from figure_frames import periods_frame

from policytopics.report.figures import (
    plot_theme_weights_over_time,
)


def test_effect_levels_of_many_topics_and_levels_fit_a_page():
    """20 topics × 16 years was 51.9 cm tall (four panels a row of 0.22 in a level): now a
    fifth column and shorter panels keep it within a page, every panel drawn."""
    from policytopics.report.figures import PAGE_HEIGHT_IN, PAGE_WIDTH_IN, plot_effect_levels

    levels = pd.DataFrame([{"covariate": "period", "level": str(year), "topic": topic,
                            "topic_label": f"T{topic} 产业·创新", "estimate": 0.05, "ci_low": 0.03,
                            "ci_high": 0.07, "n_docs": 3}
                           for topic in range(1, 21) for year in range(2003, 2019)])
    fig = plot_effect_levels(levels, covariate="period", language="en")
    width, height = fig.get_size_inches()
    assert height <= PAGE_HEIGHT_IN and width <= PAGE_WIDTH_IN + 0.01
    assert sum(ax.get_visible() for ax in fig.axes) == 20
    plt.close("all")


def _line_gaps(text, fig):
    """Pixels between the boxes of consecutive lines of a drawn multi-line text."""
    from policytopics.report.style import plot_context

    with plot_context():
        fig.canvas.draw()
        _, lines, _ = text._get_layout(fig.canvas.get_renderer())
    # Each line: (text, (width, height, descent), (x, y) of its box's lower left).
    return [upper[2][1] - (lower[2][1] + lower[1][1]) for upper, lower in pairwise(lines)]


def _effects_frames():
    levels = pd.DataFrame([{"covariate": "region", "level": region, "topic": topic,
                            "topic_label": f"T{topic} 词",
                            "estimate": 0.02 + 0.1 * topic, "ci_low": -0.2 + 0.1 * topic,
                            "ci_high": 0.1 + 0.1 * topic, "n_docs": 4}
                           for topic in (1, 2) for region in ("广东省", "甘肃省", "浙江省")])
    curves = pd.DataFrame([{"covariate": "year", "value": float(year), "topic": topic,
                            "topic_label": f"T{topic}",
                            "estimate": 0.2, "ci_low": 0.1, "ci_high": 0.3, "supported": True}
                           for topic in (1, 2) for year in (2005, 2010, 2015)])
    difference = pd.DataFrame({"covariate": "region", "level": "广东省", "versus": "甘肃省", "topic": [1, 2],
                               "topic_label": ["T1 产业", "T2 就业"], "estimate": [0.07, -0.02],
                               "ci_low": [0.03, -0.05], "ci_high": [0.11, 0.01]})
    return levels, curves, difference


def test_an_axis_name_and_the_note_under_it_do_not_touch():
    """年份 above the effects note, 比例之差 above the difference's note: the lines of a
    caption stand apart (they were 1.5 px apart at 100 dpi, 12.5 px characters)."""
    from policytopics.report.figures import plot_effect_curves, plot_effect_difference

    _levels, curves, difference = _effects_frames()
    fig = plot_effect_curves(curves, covariate="year")
    ax = plot_effect_difference(difference)
    periods = periods_frame(["2020", "2021"]).assign(interval="model+documents")
    over_time = plot_theme_weights_over_time(periods)
    for text, figure in ((fig._supxlabel, fig), (ax.xaxis.label, ax.figure),
                         (over_time.xaxis.label, over_time.figure)):
        gaps = _line_gaps(text, figure)
        assert gaps and min(gaps) >= 0.3 * text.get_fontsize() * figure.dpi / 72, (text.get_text(), gaps)
    plt.close("all")


def test_effects_notes_name_only_the_marks_drawn_and_say_where_shares_are_cut():
    """The curves draw bands only (no 线段), the levels bars only; a level's interval reaching
    below 0 (a share) is cut at the axis and the note says so, as the curves' does."""
    from policytopics.report.figures import plot_effect_curves, plot_effect_levels

    levels, curves, _ = _effects_frames()
    curve_note = plot_effect_curves(curves, covariate="year").get_supxlabel()
    assert "线段" not in curve_note and "阴影：95% 区间" in curve_note
    english = plot_effect_curves(curves, covariate="year", language="en").get_supxlabel()
    assert "bar" not in english and "band: 95 % interval" in english
    fig = plot_effect_levels(levels, covariate="region", language="en")
    assert "bar: 95 % interval" in fig.get_supxlabel() and "band" not in fig.get_supxlabel()
    assert "does not keep shares ≥ 0" in fig.get_supxlabel()
    assert fig.axes[0].get_xlim()[0] == 0
    inside = plot_effect_levels(levels.assign(ci_low=0.01), covariate="region", language="en")
    assert "shares ≥ 0" not in inside.get_supxlabel()
    plt.close("all")
