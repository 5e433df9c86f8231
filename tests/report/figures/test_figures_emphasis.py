"""The emphasis heatmaps: signed values, marks only where an interval carries them, gaps and areas."""


import matplotlib.pyplot as plt
import pandas as pd

from policytopics.report.figures import (
    plot_theme_weights_by_region,
)


def test_emphasis_marks_only_intervals_that_can_carry_them_and_keeps_the_sign():
    """Bold only where the group has enough documents and the interval a width; a small
    negative value keeps its sign and digits; the legend says what bold means."""
    from policytopics.report.figures import MARK_MIN_DOCS, plot_theme_emphasis

    rows = []
    for region, n_docs in (("上海市", 2), ("浙江省", 9), ("江苏省", 9)):
        for topic in (1, 2):
            value = {"上海市": 4.0, "浙江省": -0.0239, "江苏省": 3.0}[region] * (1 if topic == 1 else -1)
            width = 0.0 if (region, topic) == ("江苏省", 2) else 0.002
            rows.append({"region": region, "topic": topic, "topic_label": f"T{topic} 词", "emphasis": value,
                         "ci_low": value - width,
                         "ci_high": value + width, "n_docs": n_docs, "sparse": n_docs < 2, "area": "东部"})
    ax = plot_theme_emphasis(pd.DataFrame(rows), by="region", language="en")
    cells = {t.get_text(): t.get_fontweight() for t in ax.texts}
    assert cells["+4.0"] == "normal"      # two documents: no mark, however narrow the interval
    assert cells["-0.024"] == "bold"      # nine documents, interval [-0.026, -0.022]: marked, sign kept
    assert cells["+3.0"] == "bold"
    assert cells["-3.0"] == "normal"      # an interval of zero width carries no mark
    assert "+0.0" not in cells and "-0.0" not in cells
    assert f"≥ {MARK_MIN_DOCS} documents" in ax.get_xlabel()
    plt.close(ax.figure)


def test_emphasis_over_time_marks_years_without_documents_between_rows():
    from policytopics.report.figures import plot_theme_emphasis

    rows = [{"period": p, "topic": t, "topic_label": f"T{t} 词", "emphasis": 1.0 * t, "ci_low": 0.5,
             "ci_high": 1.5, "n_docs": 1, "sparse": True, "area": "其他"}
            for p in ("1962", "1963", "1964", "1975", "1976") for t in (1, 2)]
    ax = plot_theme_emphasis(pd.DataFrame(rows), by="period", language="en")
    dashed = [line for line in ax.get_lines() if line.get_linestyle() not in ("-", "None")]
    assert [line.get_ydata()[0] for line in dashed] == [2.5]  # between 1964 (row 2) and 1975 (row 3)
    assert "periods without a document lie between" in ax.get_xlabel()
    plt.close(ax.figure)


def test_region_heatmap_separates_the_four_areas_as_the_emphasis_map_does():
    from policytopics.report.figures import plot_theme_emphasis

    regions = ("北京市", "上海市", "河南省", "甘肃省", "辽宁省")
    rows = [{"region": r, "topic": t, "topic_label": f"T{t} 词", "weight": 0.1 * t, "ci_low": 0.0,
             "ci_high": 0.3, "n_docs": 3, "sparse": False, "emphasis": 1.0, "area": ""}
            for r in regions for t in (1, 2)]
    for ax in (plot_theme_weights_by_region(pd.DataFrame(rows), min_docs=2, language="en"),
               plot_theme_emphasis(pd.DataFrame(rows), by="region", language="en")):
        separators = [line.get_ydata()[0] for line in ax.get_lines()]
        assert separators == [1.5, 2.5, 3.5]  # East | Central | West | Northeast
        side = [a for a in ax.child_axes]
        assert [t.get_text() for t in side[0].get_yticklabels()] == ["East", "Central", "West", "Northeast"]
    plt.close("all")
