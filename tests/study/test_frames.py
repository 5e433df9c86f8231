"""The tables a run writes and the frames its figures draw, by name."""

from __future__ import annotations

from policytopics.study import frames


def test_output_tables_by_file_name(sample_study):
    tables = frames.output_tables(sample_study.results)
    written = {p.stem for p in sample_study.config.output.tables_dir.glob("*.csv")}
    assert set(tables) == written - {"run"}
    assert list(tables)[:3] == ["documents", "doc_topics", "passage_topics"]


def test_figure_frames_by_the_names_the_figures_draw(sample_study):
    figure_frames = frames.figure_frames(sample_study.results)
    assert {"by_region", "by_period", "topic_words", "topic_labels", "documents"} <= set(figure_frames)
    assert list(figure_frames["documents"].columns) == ["doc_id", "region", "period"]
