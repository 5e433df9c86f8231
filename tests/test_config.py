from pathlib import Path

import pytest

from policytopics.config import StudyConfigError, find_study_file, load_study


def test_study_file_resolves_paths_against_its_folder(repo):
    config = load_study(repo / "study.toml")
    assert config.corpus.paths == (repo / "data" / "samples",)
    assert config.segment.user_dictionary == repo / "data/dictionaries/policy_terms.txt"
    assert config.output.figures_dir == repo / "figures"


def test_overrides_win_and_none_is_ignored(repo, tmp_path):
    config = load_study(repo / "study.toml", n_topics=12, seed=None, out=tmp_path)
    assert config.model.n_topics == 12
    assert config.model.seed == 42
    assert config.output.tables_dir == tmp_path
    assert config.output.figures_dir == tmp_path / "figures"


def test_unknown_keys_are_reported(repo, tmp_path):
    bad = tmp_path / "study.toml"
    bad.write_text("[model]\nn_topic = 3\n", encoding="utf-8")
    with pytest.raises(StudyConfigError, match="n_topic"):
        load_study(bad)
    with pytest.raises(StudyConfigError, match="n_topics must be at least 2"):
        load_study(repo / "study.toml", n_topics=1)


def test_find_study_file_searches_upwards(repo):
    assert find_study_file(repo / "notebooks") == repo / "study.toml"
    assert find_study_file(Path("/")) is None
