import warnings
from itertools import pairwise

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from policytopics.report.figures import (
    export_figure,
    plot_theme_weights_by_region,
    plot_theme_weights_over_time,
    plot_top_words,
)


def test_no_missing_glyph_warning_for_chinese_labels(sample_study, tmp_path):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        ax = plot_theme_weights_by_region(sample_study.theme_weights_by_region(), min_docs=2)
        export_figure(ax, "region", tmp_path, formats=("png",))


def test_user_rcparams_are_not_changed(sample_study):
    before = dict(mpl.rcParams)
    ax = plot_theme_weights_over_time(sample_study.theme_weights_by_period())
    plt.close(ax.figure)
    assert dict(mpl.rcParams) == before


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


def test_top_words_has_a_panel_per_topic(sample_study):
    words = sample_study.topic_words()
    fig = plot_top_words(words, topic_labels=sample_study.topic_labels())
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == words["topic"].nunique()
    assert visible[0].get_title(loc="left").startswith("T1 ")
    plt.close(fig)


@pytest.mark.parametrize("name", ["theme_weights_by_region", "theme_weights_over_time", "top_words"])
def test_study_figures_exist_as_png_and_svg(sample_study, name):
    figures = {p.name for p in sample_study.outputs_["figures"]}
    assert {f"{name}.png", f"{name}.svg"} <= figures
    folder = sample_study.config.output.figures_dir
    assert (folder / f"{name}.png").stat().st_size > 10_000


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


def test_every_study_figure_is_written_in_every_format(sample_study):
    folder = sample_study.config.output.figures_dir
    for name in ("theme_weights_by_region", "theme_panels_over_time", "top_words",
                 "coverage_by_region", "coverage_by_period"):
        for fmt in sample_study.config.output.figure_formats:
            assert (folder / f"{name}.{fmt}").stat().st_size > 1000, (name, fmt)
    assert set(sample_study.config.output.figure_formats) == {"png", "svg", "pdf"}


def test_pdf_export_embeds_the_cjk_font(sample_study, tmp_path):
    fig = plot_top_words(sample_study.topic_words(), topic_labels=sample_study.topic_labels())
    (path,) = export_figure(fig, "top_words", tmp_path, formats=("pdf",))
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and b"NotoSansCJK" in data
    assert b"/ToUnicode" in data  # the Chinese text stays searchable


def test_export_lays_out_once_and_matches_a_tight_constrained_save(sample_study, tmp_path):
    # export_figure fixes the layout and the tight box on one draw, then saves every
    # format from it; the file must be what a plain tight save of the laid-out figure gives.
    from PIL import Image

    from policytopics.report.style import plot_context

    data = sample_study.theme_weights_by_region()
    fig = plot_theme_weights_by_region(data, min_docs=2).figure
    with plot_context():
        fig.savefig(tmp_path / "plain.png", bbox_inches="tight")
    plt.close(fig)
    ax = plot_theme_weights_by_region(data, min_docs=2)
    assert ax.figure.get_layout_engine() is not None
    (path,) = export_figure(ax, "frozen", tmp_path, formats=("png",))
    assert ax.figure.get_layout_engine() is not None  # restored afterwards
    width, height = Image.open(path).size
    plain_width, plain_height = Image.open(tmp_path / "plain.png").size
    assert abs(width - plain_width) <= 3 and abs(height - plain_height) <= 3


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


def test_figure_drawn_after_the_context_closes_keeps_the_cjk_font():
    from pathlib import Path

    from matplotlib import font_manager

    from policytopics.report.style import cjk_font_path, plot_context

    with plot_context():
        fig, ax = plt.subplots()
        ax.set_title("制造业")
        ax.set_xticks([0, 1], ["产业链", "绿色低碳"])
    fig.canvas.draw()  # as Jupyter's inline backend does, after the cell's code has run
    for text in [ax.title, *ax.get_xticklabels()]:
        assert Path(font_manager.findfont(text.get_fontproperties())) == cjk_font_path()
    plt.close(fig)


def test_interactive_mode_switched_on_inside_the_context_is_kept():
    from policytopics.report.style import plot_context

    was = mpl.is_interactive()
    try:
        mpl.interactive(False)
        with plot_context():
            mpl.interactive(True)  # what loading Jupyter's inline backend does
        assert mpl.is_interactive()
    finally:
        mpl.interactive(was)


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


def _periods_frame(periods, topics=(1, 2), regions=("全国",)):
    rows = []
    for region in regions:
        for i, period in enumerate(periods):
            for topic in topics:
                weight = 0.1 * topic + 0.01 * i
                rows.append({"region": region, "period": period, "topic": topic,
                             "topic_label": f"T{topic} 词",
                             "weight": weight, "ci_low": weight - 0.02, "ci_high": weight + 0.02,
                             "n_docs": 3, "sparse": False})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("periods", "gap_at"), [
    (["2012", "2013", "2016", "2017", "2018", "2020"], [2014.5, 2019.0]),
    (["2023Q1", "2023Q2", "2024Q1"], [2023.625]),
    (["2024-01", "2024-02", "2024-05"], [2024 + 2.5 / 12]),
])
def test_over_time_lines_break_where_a_period_has_no_data(periods, gap_at):
    """A line is a claim that data connects two points: every over-time figure breaks its
    lines and bands at missing periods, on a true time axis."""
    from policytopics.report.figures import plot_regions_over_time, plot_theme_panels_over_time

    data = _periods_frame(periods)
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
    ax = plot_theme_weights_over_time(_periods_frame(["2020", "2021", "2022"]))
    assert all(not pd.isna(line.get_ydata()).any() for line in ax.get_lines())
    plt.close(ax.figure)


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
    data = _periods_frame(["2003", "2004", "2006"], topics=(1, 2, 3), regions=regions)
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


def test_a_figure_wider_or_taller_than_a_page_is_saved_to_fit_a4_at_full_width(tmp_path):
    fig, ax = plt.subplots(figsize=(8.27, 3), layout="constrained")
    ax.set_ylabel("一个很长的纵轴标签")  # the labels run past the 8.27 in of the figure
    (wide,) = export_figure(fig, "wide", tmp_path, formats=("png",))
    fig, ax = plt.subplots(figsize=(6, 16), layout="constrained")
    (tall,) = export_figure(fig, "tall", tmp_path, formats=("png",))
    width, height = plt.imread(wide).shape[1], plt.imread(tall).shape[0]
    assert 2400 < width <= 2480 and 3300 < height <= 3508


def test_pngs_are_300_dpi_as_promised_even_when_the_figure_runs_past_a_page(tmp_path):
    """A figure whose labels run past A4 is laid out again smaller, not saved at 272-292 dpi
    (the README promises PNG at 300 dpi); it still fits the page."""
    from PIL import Image

    from policytopics.report.figures import plot_theme_panels_over_time

    fig, ax = plt.subplots(figsize=(8.27, 3), layout="constrained")
    ax.set_ylabel("一个很长的纵轴标签")
    paths = export_figure(fig, "wide", tmp_path, formats=("png",))
    fig, ax = plt.subplots(figsize=(6, 16), layout="constrained")
    paths += export_figure(fig, "tall", tmp_path, formats=("png",))
    panels = plot_theme_panels_over_time(_periods_frame([str(y) for y in range(2003, 2026)],
                                                        topics=range(1, 15)), min_docs=2)
    paths += export_figure(panels, "panels", tmp_path, formats=("png",))
    for path in paths:
        with Image.open(path) as image:
            assert round(image.info["dpi"][0]) == round(image.info["dpi"][1]) == 300, path.name
            assert image.size[0] <= 2480 and image.size[1] <= 3508, path.name


def test_a_title_wider_than_a_page_does_not_crush_the_panels(tmp_path):
    """Laying out again cannot help text alone wider than a page: the figure keeps its size
    (and is scaled to the page) instead of shrinking its axes to a sliver."""
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    ax.set_title("一个比一页还宽的标题" * 12)
    export_figure(fig, "long_title", tmp_path, formats=("png",))
    assert tuple(fig.get_size_inches()) == (7, 4)


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


def test_yearly_reports_one_a_year_are_filled_points_and_the_note_says_why():
    from policytopics.report.figures import plot_theme_panels_over_time

    data = _periods_frame(["1954", "1955", "1956", "1958"]).assign(n_docs=1, sparse=True)
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

    periods = no_interval(_periods_frame(["2020", "2021", "2022"]))
    with_bands = plot_theme_panels_over_time(_periods_frame(["2020", "2021", "2022"]).assign(
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


def test_over_time_legends_show_lines_not_markers_a_series_may_never_show():
    """A region whose every period has few documents is drawn with hollow markers only: its
    legend entry is its line, not a filled marker that appears nowhere in the figure."""
    from policytopics.report.figures import plot_regions_over_time

    data = pd.concat([_periods_frame(["2020", "2021", "2022"], topics=(1,), regions=(region,))
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
    data = pd.concat([_periods_frame(["2020", "2021", "2022"], topics=(1,), regions=(region,))
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


def test_a_region_thousands_of_characters_long_is_cut_in_figures_only(sample_study, tmp_path):
    # #37: a 10,000-character region value stopped every figure with matplotlib's
    # FT_Set_Char_Size error. Two long names that begin alike stay two rows.
    from policytopics.report.figure_files import FIGURE_LABEL_CHARS, figure_jobs

    frames = sample_study.figure_frames()
    first, second = sorted(frames["by_region"]["region"].unique())[:2]
    long_names = {first: "长" * 10_000, second: "长" * 9_999 + "短"}
    for name, frame in list(frames.items()):
        if isinstance(frame, pd.DataFrame) and "region" in frame.columns:
            frames[name] = frame.assign(region=frame["region"].replace(long_names))
    jobs = [job for job in figure_jobs(frames, sample_study.config)
            if "region" in job[2][0].columns or job[0] == "coverage_by_region"]
    assert {"theme_weights_by_region", "coverage_by_region"} <= {name for name, *_ in jobs}
    for name, draw, args, kwargs in jobs:
        figure = draw(*args, **kwargs)
        export_figure(figure, name, tmp_path, formats=("png",))  # drawn to the end
    by_region = next(args[0] for name, _, args, _ in jobs if name == "theme_weights_by_region")
    shown = sorted(r for r in by_region["region"].unique() if r.startswith("长"))
    assert len(shown) == 2 and max(map(len, shown)) <= FIGURE_LABEL_CHARS
    assert frames["by_region"]["region"].str.len().max() == 10_000  # the tables keep the value


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
    periods = _periods_frame(["2020", "2021"]).assign(interval="model+documents")
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


def test_legends_show_dots_where_no_line_is_drawn():
    """Periods five years apart: every interval is a bar and no segment joins the points, so
    the legend shows each series' dot, not a line that appears nowhere."""
    from policytopics.report.figures import plot_regions_over_time

    data = pd.concat([_periods_frame(["2005", "2010", "2015"], topics=(1, 2), regions=(region,))
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

    data = _periods_frame(["2005", "2010", "2015"])  # no period sparse: nothing hollow
    note = plot_theme_panels_over_time(data, min_docs=2).get_supxlabel()
    assert "空心" not in note and "每个时期的值为其文档的平均" in note
    mixed = data.assign(sparse=data["period"] == "2015")
    assert "空心点" in plot_theme_panels_over_time(mixed, min_docs=2).get_supxlabel()
    plt.close("all")


def test_topics_intervals_at_one_period_are_dodged_not_drawn_over_each_other():
    """Five topics at periods five years apart: each topic's bar stands at its own x, near
    its period, and the tick stays at the period."""
    data = _periods_frame(["2005", "2010", "2015"], topics=(1, 2, 3, 4, 5))
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
    data = pd.concat([_periods_frame(["2020", "2021", "2022"], topics=(1,), regions=(region,))
                      .assign(weight=means[region]) for region in provinces], ignore_index=True)
    data = data.assign(n_docs=1, sparse=True, interval="model")
    ax = plot_regions_over_time(data, topic=1, language="en")
    shown = [t.get_text() for t in ax.get_legend().get_texts()]
    assert shown[0] == "上海市" and shown[-1] == "辽宁省"   # highest first, lowest last
    assert len(shown) == 5 and shown == sorted(shown, key=means.__getitem__, reverse=True)
    assert "differs most" in ax.get_title()
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

    data = _periods_frame(["2003", "2004"], regions=("北京市", "甘肃省"))
    data = data[~((data["region"] == "甘肃省") & (data["period"] == "2004"))]
    fig = plot_theme_weights_by_region_period(data)
    panel = fig.axes[0]
    mesh = panel.collections[0]
    no_data, palest = panel.get_facecolor(), mesh.get_cmap()(0.0)
    # CIE76 distance: 0.88 grey was 10 from the palest blue (#f7fbff), about a step of the scale.
    assert np.linalg.norm(_lab(no_data[:3]) - _lab(palest[:3])) > 25
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
