"""Drawing the registered figures into files: worker processes, skipped figures, short labels."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from policytopics.report.figures import export_figure


def test_figures_drawn_by_worker_processes_are_the_same_files(sample_study, tmp_path):
    from policytopics.report.figure_files import start_figures, write_figures
    from policytopics.settings.config import replace

    config = sample_study.config
    frames = sample_study.figure_frames()

    def drawn_with(workers: int):
        return replace(config, compute=replace(config.compute, workers=workers),
                       output=replace(config.output, figures_dir=tmp_path / str(workers),
                                      figure_formats=("png", "svg")))

    here = write_figures(frames, drawn_with(1))
    wait = start_figures(frames, drawn_with(2))  # two worker processes draw while this goes on
    assert not any((tmp_path / "1" / p.name).stat().st_size == 0 for p in here)
    forked = wait()
    assert [p.name for p in forked] == [p.name for p in here] == [
        p.name for p in sample_study.outputs_["figures"] if p.suffix in (".png", ".svg")]
    for path in forked:
        assert path.parent == tmp_path / "2"
        assert path.read_bytes() == (tmp_path / "1" / path.name).read_bytes(), path.name


def test_figures_that_cannot_show_anything_are_skipped_with_a_reason(sample_study, caplog):
    """One region (every report national) or one period: no one-row heatmap, one-bar chart
    or one-point line; the run log and run.json say which figure was skipped and why."""
    import logging

    from policytopics.report.figure_files import figure_jobs, skipped_figures

    frames = sample_study.figure_frames()
    # The samples have four regions and two years, but no region with two documents.
    assert skipped_figures(frames) == {"effects": "effects of 'region + period' not estimated: region has "
                                                  "no level with 2 or more documents: nothing to compare"}
    assert len(figure_jobs(frames, sample_study.config)) == 11
    national = sample_study.doc_topics().assign(region="全国")  # the long table
    from policytopics.estimate.weights import theme_emphasis, theme_weights

    one_region = frames | {
        "doc_topics": frames["doc_topics"].assign(region="全国"),
        "by_region": theme_weights(national, by="region"),
        "by_region_period": theme_weights(national, by=["region", "period"]),
        "emphasis_by_region": theme_emphasis(national, "region"),
    }
    skipped = skipped_figures(one_region)
    assert set(skipped) == {"theme_weights_by_region", "theme_emphasis_by_region", "coverage_by_region",
                            "regions_over_time_T1", "theme_weights_by_region_year", "effects"}
    assert skipped["coverage_by_region"] == "only one region (全国): nothing to compare"
    with caplog.at_level(logging.DEBUG, logger="policytopics"):
        names = [job[0] for job in figure_jobs(one_region, sample_study.config)]
    assert not set(names) & set(skipped)
    assert "figure coverage_by_region not drawn: only one region (全国)" in caplog.text
    record = json.loads((sample_study.config.output.tables_dir / "run.json").read_text(encoding="utf-8"))
    assert set(record["figures_skipped"]) == {"effects"}


def test_a_long_theme_name_is_shortened_in_figures_only(sample_study):
    from policytopics.report.figure_files import FIGURE_LABEL_CHARS, figure_jobs

    frames = sample_study.figure_frames()
    long_name = "T1 " + "先进制造业与现代服务业深度融合发展" * 12
    frames["topic_labels"] = {**frames["topic_labels"], 1: long_name}
    frames["by_period"] = frames["by_period"].assign(
        topic_label=frames["by_period"]["topic_label"].where(frames["by_period"]["topic"] != 1, long_name))
    jobs = {name: (args, kwargs) for name, _, args, kwargs in figure_jobs(frames, sample_study.config)}
    assert max(map(len, jobs["top_words"][1]["topic_labels"].values())) <= FIGURE_LABEL_CHARS
    assert jobs["theme_weights_over_time"][0][0]["topic_label"].str.len().max() <= FIGURE_LABEL_CHARS
    assert frames["topic_labels"][1] == long_name  # the caller's table keeps the full name


def test_many_topics_get_panels_not_one_tangled_chart(sample_study):
    from policytopics.report.figure_files import skipped_figures
    from policytopics.report.figures.skips import COMBINED_MAX_TOPICS

    frames = sample_study.figure_frames()
    by_period = frames["by_period"]
    many = pd.concat([by_period.assign(topic=by_period["topic"] + 10 * i) for i in range(3)])
    assert many["topic"].nunique() > COMBINED_MAX_TOPICS
    skipped = skipped_figures(frames | {"by_period": many})
    assert "theme_panels_over_time" in skipped["theme_weights_over_time"]
    assert "theme_panels_over_time" not in skipped


def test_a_figure_this_run_cannot_draw_is_not_left_from_an_earlier_run(sample_study, tmp_path):
    from dataclasses import replace

    from policytopics.estimate.weights import theme_weights
    from policytopics.report.figure_files import write_figures

    frames = sample_study.figure_frames()
    national = sample_study.doc_topics().assign(region="全国")  # the long table
    frames = frames | {"doc_topics": frames["doc_topics"].assign(region="全国"),
                       "by_region": theme_weights(national, by="region"),
                       "by_region_period": theme_weights(national, by=["region", "period"])}
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "theme_weights_by_region.png").write_bytes(b"old")
    (folder / "theme_weights_by_region.csv").write_text("not a figure")
    config = sample_study.config
    config = replace(config, output=replace(config.output, figures_dir=folder, figure_formats=("png",)))
    written = write_figures(frames, config)
    assert not (folder / "theme_weights_by_region.png").exists()
    assert (folder / "theme_weights_by_region.csv").exists()  # only figure files are removed
    assert all(p.exists() for p in written) and "theme_weights_by_region.png" not in {p.name for p in written}


def test_the_figure_formats_are_the_ones_the_settings_and_the_command_line_accept(tmp_path):
    # One list: the settings declare the formats (FigureFormat); the report and the flag read them.
    import argparse

    import pytest

    from policytopics.cli import _formats
    from policytopics.report.figure_files import FIGURE_FORMATS, FIGURE_SUFFIXES, is_run_figure
    from policytopics.settings.config import StudyConfigError, load_study

    config = load_study(None, output__figure_formats=list(FIGURE_FORMATS))
    assert config.output.figure_formats == FIGURE_FORMATS
    assert _formats(",".join(FIGURE_FORMATS)) == list(FIGURE_FORMATS)
    with pytest.raises(StudyConfigError):
        load_study(None, output__figure_formats=["jpg"])
    with pytest.raises(argparse.ArgumentTypeError):
        _formats("jpg")
    assert FIGURE_SUFFIXES == (".png", ".svg", ".pdf")
    assert all(is_run_figure(f"top_words{suffix}") for suffix in FIGURE_SUFFIXES)
    assert not is_run_figure("top_words.jpg")


@pytest.mark.parametrize("name", ["theme_weights_by_region", "theme_weights_over_time", "top_words"])
def test_study_figures_exist_as_png_and_svg(sample_study, name):
    figures = {p.name for p in sample_study.outputs_["figures"]}
    assert {f"{name}.png", f"{name}.svg"} <= figures
    folder = sample_study.config.output.figures_dir
    assert (folder / f"{name}.png").stat().st_size > 10_000


def test_every_study_figure_is_written_in_every_format(sample_study):
    folder = sample_study.config.output.figures_dir
    for name in ("theme_weights_by_region", "theme_panels_over_time", "top_words",
                 "coverage_by_region", "coverage_by_period"):
        for fmt in sample_study.config.output.figure_formats:
            assert (folder / f"{name}.{fmt}").stat().st_size > 1000, (name, fmt)
    assert set(sample_study.config.output.figure_formats) == {"png", "svg", "pdf"}


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
