"""The themes' figures: weights by region and over time, panels, regions over time, coverage."""


import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from figure_frames import periods_frame

from policytopics.report.figures import (
    plot_theme_weights_by_region,
    plot_theme_weights_over_time,
    plot_top_words,
)


def test_region_heatmap_has_a_row_per_region_and_labelled_cells(sample_study):
    data = sample_study.theme_weights_by_region()
    ax = plot_theme_weights_by_region(data, min_docs=2)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == data["region"].nunique()
    assert any(label.startswith("上海市") for label in labels)
    assert len(ax.texts) == len(data)
    plt.close(ax.figure)


def test_over_time_has_one_line_per_topic(sample_study):
    data = sample_study.theme_weights_by_period()
    ax = plot_theme_weights_over_time(data)
    labelled = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert len(labelled) == data["topic"].nunique()
    assert len(ax.get_legend().get_texts()) == data["topic"].nunique()
    # Sparse periods are hollow markers here too, as in the panels.
    hollow = [line for line in ax.get_lines() if line.get_markerfacecolor() == "white"]
    assert sum(len(line.get_xdata()) for line in hollow) == int(data["sparse"].sum())
    plt.close(ax.figure)


def test_panels_over_time_has_one_panel_per_topic_with_bands(sample_study):
    from policytopics.report.figures import plot_theme_panels_over_time

    data = sample_study.theme_weights_by_period()
    fig = plot_theme_panels_over_time(data)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == data["topic"].nunique()
    assert all(len(ax.collections) >= 1 and len(ax.get_lines()) == 1 for ax in visible)
    plt.close(fig)


def test_shared_panels_show_every_topic_whole():
    # The first panel's range must not cut off a later panel's larger weights.
    from policytopics.report.figures import plot_theme_panels_over_time

    rows = [{"period": str(year), "topic": topic, "topic_label": f"T{topic}", "n_docs": 1, "sparse": True,
             "weight": weight, "ci_low": weight, "ci_high": weight}
            for year in (2020, 2021) for topic, weight in ((1, 0.1), (2, 0.9))]
    fig = plot_theme_panels_over_time(pd.DataFrame(rows))
    low, high = fig.axes[0].get_ylim()
    assert low == 0 and high >= 0.9
    plt.close(fig)


def test_regions_over_time_has_one_line_and_band_per_region(sample_study):
    from policytopics.report.figures import plot_regions_over_time

    data = sample_study.theme_weights_by_region_period()
    regions = sorted(data["region"].unique())
    ax = plot_regions_over_time(data, topic=1, regions=regions)
    bands = [c for c in ax.collections if not c.get_label().startswith("_interval")]
    assert len(bands) == len(regions)  # one band each
    # Every period without a neighbour shows its interval as a bar (the samples: all of them).
    bars = [c for c in ax.collections if c.get_label() == "_interval"]
    assert sum(len(c.get_segments()) for c in bars) == len(data[(data["topic"] == 1)
                                                                & data["region"].isin(regions)])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == regions
    assert ax.get_title().startswith("T1")
    plt.close(ax.figure)
    assert (sample_study.config.output.figures_dir / "regions_over_time_T1.png").is_file()


def test_english_setting_gives_english_titles_and_axis_labels(sample_study):
    import re

    from policytopics.report.figures import plot_coverage

    cjk = re.compile(r"[\u4e00-\u9fff]")
    ax = plot_theme_weights_by_region(sample_study.theme_weights_by_region(), language="en", min_docs=2)
    fig = plot_top_words(sample_study.topic_words(), language="en")
    ax2 = plot_coverage(sample_study.doc_topics().drop_duplicates("doc_id"), by="period", language="en")
    fixed = [ax.get_title(), ax.get_ylabel(), ax2.get_title(), ax2.get_xlabel(), ax2.get_ylabel(),
             fig._suptitle.get_text(), *(a.get_xlabel() for a in fig.axes if a.get_visible())]
    assert all(label and not cjk.search(label) for label in fixed), fixed
    assert ax.get_xlabel().startswith("Topic")
    for figure in (ax.figure, fig, ax2.figure):
        plt.close(figure)


@pytest.mark.parametrize(("periods", "gap_at"), [
    (["2012", "2013", "2016", "2017", "2018", "2020"], [2014.5, 2019.0]),
    (["2023Q1", "2023Q2", "2024Q1"], [2023.625]),
    (["2024-01", "2024-02", "2024-05"], [2024 + 2.5 / 12]),
])
def test_over_time_lines_break_where_a_period_has_no_data(periods, gap_at):
    """A line is a claim that data connects two points: every over-time figure breaks its
    lines and bands at missing periods, on a true time axis."""
    from policytopics.report.figures import plot_regions_over_time, plot_theme_panels_over_time

    data = periods_frame(periods)
    ax = plot_theme_weights_over_time(data)
    fig = plot_theme_panels_over_time(data)
    regions = plot_regions_over_time(data, topic=1)
    for axes in (ax, fig.axes[0], regions):
        line = next(drawn for drawn in axes.get_lines() if len(drawn.get_xdata()) > len(periods) - 1)
        x, y = line.get_xdata(), line.get_ydata()
        # (A period without a neighbour is dodged a little in the topics' chart: the break,
        # an invisible point, moves with it.)
        assert [float(v) for v, w in zip(x, y) if w != w] == pytest.approx(gap_at, abs=0.1)
        assert sum(w == w for w in y) == len(periods)
    plt.close("all")


def test_periods_without_gaps_draw_unbroken_lines():
    ax = plot_theme_weights_over_time(periods_frame(["2020", "2021", "2022"]))
    assert all(not pd.isna(line.get_ydata()).any() for line in ax.get_lines())
    plt.close(ax.figure)


def test_coverage_orders_regions_by_area_national_last_and_counts_in_whole_numbers():
    from policytopics.report.figures import plot_coverage

    documents = pd.DataFrame({"region": ["全国", "上海市", "天津市", "天津市", None],
                              "period": ["2020", "2020", "2021", "2024", None]})
    ax = plot_coverage(documents, by="region", language="en")
    names = [t.get_text() for t in ax.get_yticklabels()][::-1]  # barh draws bottom-up
    assert names == ["天津市", "上海市", "全国"]
    assert "unknown: 1" in ax.get_xlabel() and "5 kept documents" in ax.get_title()
    assert all(float(t).is_integer() for t in ax.get_xticks())
    ax = plot_coverage(documents, by="period", language="en")
    assert len(ax.patches) == 3 and "unknown: 1" in ax.get_xlabel()
    assert all(float(t).is_integer() for t in ax.get_yticks())
    plt.close("all")


def test_region_year_panels_show_chosen_topics_regions_by_area_and_empty_years_grey():
    from policytopics.report.figures import plot_theme_weights_by_region_period
    from policytopics.report.figures.themes import NO_DATA_COLOUR

    regions = ("广东省", "北京市", "甘肃省", "辽宁省")
    data = periods_frame(["2003", "2004", "2006"], topics=(1, 2, 3), regions=regions)
    data = data[~((data["region"] == "甘肃省") & (data["period"] == "2004"))]  # a missing report
    fig = plot_theme_weights_by_region_period(data, topics=[3, 1], language="zh")
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    assert [ax.get_title(loc="left") for ax in panels] == ["T3 词", "T1 词"]
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["北京", "广东", "甘肃", "辽宁"]
    mesh = panels[0].collections[0]
    values = mesh.get_array()
    # Four regions × four years (2005, with no report anywhere, keeps its column).
    assert values.shape == (4, 4)
    assert values.mask[:, 2].all() and values.mask[2, 1] and values.mask.sum() == 5
    assert mpl.colors.to_hex(panels[0].get_facecolor()) == mpl.colors.to_hex(NO_DATA_COLOUR)
    assert "东部、西部、东北" in fig.get_supxlabel()
    plt.close(fig)


def test_yearly_reports_one_a_year_are_filled_points_and_the_note_says_why():
    from policytopics.report.figures import plot_theme_panels_over_time

    data = periods_frame(["1954", "1955", "1956", "1958"]).assign(n_docs=1, sparse=True)
    fig = plot_theme_panels_over_time(data, min_docs=2, language="en")
    points = [c for c in fig.axes[0].collections
              if isinstance(c, mpl.collections.PathCollection) and len(c.get_offsets())]
    assert points and all(mpl.colors.to_hex(c.get_facecolor()[0]) != "#ffffff" for c in points)
    assert "every period holds fewer than 2 documents" in fig.get_supxlabel()
    mixed = data.assign(sparse=data["period"] == "1958")
    fig = plot_theme_panels_over_time(mixed, min_docs=2, language="en")
    hollow = [c for c in fig.axes[0].collections if isinstance(c, mpl.collections.PathCollection)
              and len(c.get_offsets()) and mpl.colors.to_hex(c.get_facecolor()[0]) == "#ffffff"]
    assert len(hollow) == 1 and len(hollow[0].get_offsets()) == 1
    plt.close("all")


def test_figures_of_point_estimates_say_so_and_claim_no_interval():
    """Under ``uncertainty = "none"`` (and a quick run) the tables hold no interval: no
    figure's note speaks of bands, bars or intervals that exclude 0; each says it shows point
    estimates."""
    from policytopics.report.figures import (
        plot_effect_curves,
        plot_effect_difference,
        plot_theme_panels_over_time,
        plot_topic_correlation,
    )

    def no_interval(frame):
        return frame.assign(ci_low=float("nan"), ci_high=float("nan"), interval="none")

    periods = no_interval(periods_frame(["2020", "2021", "2022"]))
    with_bands = plot_theme_panels_over_time(periods_frame(["2020", "2021", "2022"]).assign(
        interval="model+documents"), min_docs=2, language="en").get_supxlabel()
    captions = {"panels": plot_theme_panels_over_time(periods, min_docs=2, language="en").get_supxlabel()}
    pairs = pd.DataFrame([{"topic_a": 1, "topic_b": 2, "label_a": "T1", "label_b": "T2", "correlation": 0.3}])
    captions["correlation"] = plot_topic_correlation(no_interval(pairs), language="en").get_xlabel()
    difference = pd.DataFrame({"covariate": "region", "level": "甲", "versus": "乙", "topic": [1, 2],
                               "topic_label": ["T1", "T2"], "estimate": [0.01, -0.02]})
    ax = plot_effect_difference(no_interval(difference).drop(columns="interval"), language="en")
    captions["difference"] = ax.get_xlabel()
    filled = [c for c in ax.collections
              if isinstance(c, mpl.collections.PathCollection) and len(c.get_offsets())]
    assert all(mpl.colors.to_hex(c.get_facecolor()[0]) != "#ffffff" for c in filled)  # none hollow
    curves = pd.DataFrame({"covariate": "year", "value": [2020.0, 2021.0] * 2, "topic": [1, 1, 2, 2],
                           "topic_label": ["T1", "T1", "T2", "T2"], "estimate": [0.1, 0.2, 0.3, 0.2],
                           "supported": True})
    captions["curves"] = plot_effect_curves(no_interval(curves).drop(columns="interval"), covariate="year",
                                            language="en").get_supxlabel()
    assert "band or bar: 95 % interval" in with_bands and "point estimates" not in with_bands
    # A quick run's tables say "quick": the note names the run, not the study's settings.
    quick = plot_theme_panels_over_time(periods.assign(interval="quick"), min_docs=2, language="en")
    assert "a quick run (run --quick)" in quick.get_supxlabel() and "uncertainty" not in quick.get_supxlabel()
    for name, caption in captions.items():
        assert "point estimates, no intervals" in caption, name
        assert "95 %" not in caption and "band" not in caption, name
    plt.close("all")


def test_over_time_legends_show_lines_not_markers_a_series_may_never_show():
    """A region whose every period has few documents is drawn with hollow markers only: its
    legend entry is its line, not a filled marker that appears nowhere in the figure."""
    from policytopics.report.figures import plot_regions_over_time

    data = pd.concat([periods_frame(["2020", "2021", "2022"], topics=(1,), regions=(region,))
                      for region in ("北京市", "河南省")], ignore_index=True)
    data = data.assign(sparse=data["region"] == "河南省", interval="model+documents")
    for ax in (plot_regions_over_time(data, topic=1, language="en"),
               plot_theme_weights_over_time(data[data["region"] == "北京市"], language="en")):
        handles = ax.get_legend().legend_handles
        assert handles and all(handle.get_marker() in ("None", "", None) for handle in handles)
        assert all(handle.get_linestyle() == "-" for handle in handles)
    plt.close("all")


def test_regions_over_time_title_claims_only_what_is_drawn_and_how_regions_were_chosen():
    """One report a year in every province: no hollow marker is drawn, so the title does not
    explain one; six provinces with as many reports: the title says how the tie was broken."""
    from policytopics.report.figures import plot_regions_over_time

    provinces = ["上海市", "内蒙古自治区", "北京市", "天津市", "宁夏回族自治区", "河北省"]
    data = pd.concat([periods_frame(["2020", "2021", "2022"], topics=(1,), regions=(region,))
                      for region in provinces], ignore_index=True)
    data = data.assign(n_docs=1, sparse=True, interval="model")
    ax = plot_regions_over_time(data, topic=1, language="en")
    title = ax.get_title()
    assert "hollow" not in title and "band or bar: 95 % interval" in title
    assert "ones whose mean weight differs most" in title
    assert len(ax.get_legend().get_texts()) == 5
    mixed = data.assign(sparse=data["period"] == "2022",
                        n_docs=[1 if p == "2022" else 3 for p in data["period"]])
    assert "hollow: few documents" in plot_regions_over_time(mixed, topic=1, language="en").get_title()
    plt.close("all")


def test_legends_show_dots_where_no_line_is_drawn():
    """Periods five years apart: every interval is a bar and no segment joins the points, so
    the legend shows each series' dot, not a line that appears nowhere."""
    from policytopics.report.figures import plot_regions_over_time

    data = pd.concat([periods_frame(["2005", "2010", "2015"], topics=(1, 2), regions=(region,))
                      for region in ("北京市", "河南省")], ignore_index=True)
    beijing = data[data["region"] == "北京市"]
    for ax in (plot_regions_over_time(data, topic=1), plot_theme_weights_over_time(beijing)):
        handles = ax.get_legend().legend_handles
        assert handles and all(handle.get_marker() == "o" for handle in handles)
        assert all(handle.get_linestyle() in ("None", "none", "") for handle in handles)
    hollow = plot_regions_over_time(data.assign(sparse=data["region"] == "河南省"), topic=1, language="en")
    faces = {t.get_text(): h.get_markerfacecolor() for t, h in zip(hollow.get_legend().get_texts(),
                                                                     hollow.get_legend().legend_handles)}
    assert faces["河南省"] == "white" and faces["北京市"] != "white"
    plt.close("all")


def test_panels_note_explains_hollow_points_only_where_some_are_drawn():
    from policytopics.report.figures import plot_theme_panels_over_time

    data = periods_frame(["2005", "2010", "2015"])  # no period sparse: nothing hollow
    note = plot_theme_panels_over_time(data, min_docs=2).get_supxlabel()
    assert "空心" not in note and "每个时期的值为其文档的平均" in note
    mixed = data.assign(sparse=data["period"] == "2015")
    assert "空心点" in plot_theme_panels_over_time(mixed, min_docs=2).get_supxlabel()
    plt.close("all")


def test_topics_intervals_at_one_period_are_dodged_not_drawn_over_each_other():
    """Five topics at periods five years apart: each topic's bar stands at its own x, near
    its period, and the tick stays at the period."""
    data = periods_frame(["2005", "2010", "2015"], topics=(1, 2, 3, 4, 5))
    ax = plot_theme_weights_over_time(data)
    bars = [c for c in ax.collections if c.get_label() == "_interval"]
    xs = sorted(float(segment[0][0]) for c in bars for segment in c.get_segments())
    at_2010 = [x for x in xs if abs(x - 2010) < 2.5]
    assert len(at_2010) == 5 and len(set(at_2010)) == 5
    assert max(at_2010) - min(at_2010) <= 0.5 * 5 and all(abs(x - 2010) < 2.5 for x in at_2010)
    assert 2010 in list(ax.get_xticks())
    plt.close(ax.figure)


def test_regions_over_time_on_a_balanced_panel_shows_the_regions_that_differ_most():
    """Eight provinces, one report a year each (all tied on documents): the five shown are the
    highest, the lowest and three evenly between in the topic's mean weight, and the title
    says so; not the first five in some order of names."""
    from policytopics.report.figures import plot_regions_over_time

    provinces = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "上海市", "甘肃省"]
    means = dict(zip(provinces, (0.30, 0.31, 0.10, 0.45, 0.20, 0.05, 0.60, 0.25)))
    data = pd.concat([periods_frame(["2020", "2021", "2022"], topics=(1,), regions=(region,))
                      .assign(weight=means[region]) for region in provinces], ignore_index=True)
    data = data.assign(n_docs=1, sparse=True, interval="model")
    ax = plot_regions_over_time(data, topic=1, language="en")
    shown = [t.get_text() for t in ax.get_legend().get_texts()]
    assert shown[0] == "上海市" and shown[-1] == "辽宁省"   # highest first, lowest last
    assert len(shown) == 5 and shown == sorted(shown, key=means.__getitem__, reverse=True)
    assert "differs most" in ax.get_title()
    plt.close(ax.figure)


def _lab(colour):
    """CIELAB of an sRGB colour (D65), for colour distances as a reader sees them."""
    import numpy as np

    rgb = np.array(mpl.colors.to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_no_report_cells_stand_apart_from_the_palest_colour_of_the_scale():
    import numpy as np

    from policytopics.report.figures import plot_theme_weights_by_region_period

    data = periods_frame(["2003", "2004"], regions=("北京市", "甘肃省"))
    data = data[~((data["region"] == "甘肃省") & (data["period"] == "2004"))]
    fig = plot_theme_weights_by_region_period(data)
    panel = fig.axes[0]
    mesh = panel.collections[0]
    no_data, palest = panel.get_facecolor(), mesh.get_cmap()(0.0)
    # CIE76 distance: 0.88 grey was 10 from the palest blue (#f7fbff), about a step of the scale.
    assert np.linalg.norm(_lab(no_data[:3]) - _lab(palest[:3])) > 25
    plt.close(fig)
