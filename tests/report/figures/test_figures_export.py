"""Saving a figure: every format, the CJK font embedded, fitted to an A4 page."""

import warnings

import matplotlib.pyplot as plt
from figure_frames import periods_frame

from policytopics.report.figures import (
    export_figure,
    plot_theme_weights_by_region,
    plot_top_words,
)


def test_no_missing_glyph_warning_for_chinese_labels(sample_study, tmp_path):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        ax = plot_theme_weights_by_region(sample_study.theme_weights_by_region(), min_docs=2)
        export_figure(ax, "region", tmp_path, formats=("png",))


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
    panels = plot_theme_panels_over_time(periods_frame([str(y) for y in range(2003, 2026)],
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
