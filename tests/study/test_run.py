"""The run's settings and checks: a notebook's folder, a quick run's view, the checks first."""

from __future__ import annotations

import pytest

from policytopics import Study, load_study
from policytopics.study import run


def test_a_notebook_writes_to_a_folder_of_its_own(repo):
    config = load_study(repo / "study.toml")
    assert run.notebook_config(config, None) is config
    own = run.notebook_config(config, "explore")
    assert own.output.tables_dir == config.output.tables_dir / "notebooks" / "explore"
    assert own.output.figures_dir == own.output.tables_dir / "figures"


def test_a_quick_view_shares_the_stages_with_point_estimates(sample_study):
    view = run.quick_view(sample_study)
    assert view.quick and not sample_study.quick and view.stages is sample_study.stages
    assert view.config.weights.uncertainty == "none" and view.configured is sample_study.config
    assert run.figure_names(view) == run.QUICK_FIGURES and run.figure_names(sample_study) is None


def test_more_themes_than_topics_fail_before_any_work(repo, samples, tmp_path):
    study = Study(load_study(repo / "study.toml", corpus=samples, n_topics=2, out=tmp_path / "out",
                             output__cache_dir=tmp_path / "cache",
                             model__themes=repo / "data/themes/manufacturing_policy.toml"), progress=False)
    with pytest.raises(ValueError, match="need at least"):
        run.check_outputs(study)
    run.check_outputs(study, themes=False)
    assert not (tmp_path / "cache" / "documents").exists()


def test_the_explorer_of_a_study_with_themes_marks_each_seeded_topic_s_seed_words(tmp_path):
    import json
    import re

    from themed_study import themed_study

    from policytopics.model.labels import seed_words_by_topic

    study = themed_study(tmp_path)
    page = run.write_explorer(study, tmp_path / "pages").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="explorer-data">(.*?)</script>', page, re.S).group(1))
    seeds = seed_words_by_topic(study.theme_seeds())
    marked = {entry["topic"]: {data["vocab"][w] for w in entry["seeds"]} for entry in data["topics"]}
    assert all(marked[t] and marked[t] <= set(seeds[t]) for t in seeds)  # seeds marked, only seeds
    assert all(not words for t, words in marked.items() if t not in seeds)  # free topics: none
