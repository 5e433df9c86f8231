"""Reading a study file and overrides (policytopics.settings.load)."""

from pathlib import Path

import pytest

from policytopics.settings.load import find_study_file, load_study
from policytopics.settings.schema import StudyConfigError, package_data


def test_study_file_resolves_paths_against_its_folder(tmp_path):
    study = tmp_path / "study" / "study.toml"
    study.parent.mkdir()
    study.write_text(
        '[corpus]\npaths = ["articles", "/elsewhere/table.csv"]\n'
        '[clean]\nspam_phrases = "policytopics:spam_phrases.txt"\n'
        '[segment]\nuser_dictionary = "lists/terms.txt"\nstopwords = ["stopwordsiso:zh", "lists/stop.txt"]\n'
        '[output]\nfigures_dir = "figs"\n',
        encoding="utf-8")
    (study.parent / "lists").mkdir()
    for name in ("terms.txt", "stop.txt"):
        (study.parent / "lists" / name).write_text("数据\n", encoding="utf-8")
    folder = study.parent.resolve()
    config = load_study(study)
    assert config.root == folder
    assert config.corpus.paths == (folder / "articles", Path("/elsewhere/table.csv"))
    assert config.segment.user_dictionary == folder / "lists/terms.txt"
    assert config.segment.stopwords == ("stopwordsiso:zh", str(folder / "lists/stop.txt"))
    assert config.output.figures_dir == folder / "figs"
    # "policytopics:NAME" is a word list shipped in the package, wherever the study is.
    assert config.clean.spam_phrases == package_data("spam_phrases.txt")
    assert package_data("spam_phrases.txt").read_text(encoding="utf-8").strip()
    # Paths given as overrides (the command line) are relative to where the user is.
    assert load_study(study, corpus="here").corpus.paths == (Path.cwd() / "here",)


def test_unknown_built_in_word_list_is_a_clear_error():
    with pytest.raises(StudyConfigError, match=r"no built-in data file 'missing\.txt'"):
        load_study(None, clean__spam_phrases="policytopics:missing.txt")


def test_every_file_the_repository_study_names_exists(repo):
    config = load_study(repo / "study.toml")
    named = [*config.corpus.paths, config.clean.spam_phrases, config.segment.user_dictionary,
             *(Path(s) for s in config.segment.stopwords if not s.startswith("stopwordsiso:"))]
    assert [path for path in named if not path.exists()] == []


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


def test_a_study_file_with_a_bom_is_read_and_other_encodings_are_named(tmp_path):
    # #37: Notepad's BOM was "not valid TOML"; GBK and UTF-16 gave errors naming neither the
    # file nor the fix.
    study = tmp_path / "study.toml"
    text = '# 研究\n[model]\nn_topics = 7\n[weights]\nnational_label = "全国"\n'
    study.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_study(study).model.n_topics == 7
    for encoding in ("gbk", "utf-16"):
        study.write_bytes(text.encode(encoding))
        with pytest.raises(StudyConfigError) as raised:
            load_study(study)
        assert str(study) in str(raised.value) and "save it as UTF-8" in str(raised.value), encoding
    assert "UTF-16" in str(raised.value)
