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


def test_the_top_words_figure_gets_each_seeded_topic_s_seed_words(sample_study, tmp_path):
    from themed_study import themed_study

    from policytopics.model.labels import seed_words_by_topic
    from policytopics.report.figure_files import figure_jobs

    study = themed_study(tmp_path)
    figure_frames = frames.figure_frames(study.results)
    seeds = seed_words_by_topic(study.theme_seeds())
    assert figure_frames["seed_words"] == seeds and sorted(seeds) == sorted(study.theme_labels())
    (job,) = [job for job in figure_jobs(figure_frames, study.config) if job[0] == "top_words"]
    assert job[3]["seed_words"] == seeds  # the registry passes them to plot_top_words
    assert frames.figure_frames(sample_study.results)["seed_words"] == {}  # no themes
    (plain,) = [job for job in figure_jobs(frames.figure_frames(sample_study.results), sample_study.config)
                if job[0] == "top_words"]
    assert plain[3]["seed_words"] is None
