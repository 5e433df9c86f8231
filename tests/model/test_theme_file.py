"""The themes file: named themes and their seed words, read with clear errors."""

import pytest

from policytopics.model.theme_file import Theme, load_themes
from policytopics.settings.config import StudyConfigError


def write(tmp_path, text):
    path = tmp_path / "themes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_themes_file_reads_quoted_chinese_names_in_order(tmp_path):
    path = write(tmp_path, '["数字化转型"]\nwords = ["数字化", " 算力 ", "数字化"]\n\n'
                           '["人才"]\nwords = ["人才"]\n')
    assert load_themes(path) == [Theme("数字化转型", ("数字化", "算力")), Theme("人才", ("人才",))]


@pytest.mark.parametrize(("text", "message"), [
    ('["人才"\nwords = ["人才"]\n', "not valid TOML"),
    ('["人才"]\nwords = ["人才"]\n["人才"]\nwords = ["专家"]\n', "not valid TOML"),
    ('["人才"]\nwords = ["人才"]\n[" 人才"]\nwords = ["专家"]\n', "theme '人才' is named twice"),
    ('["人才"]\nseeds = ["人才"]\n', "unknown key"),
    ('["人才"]\n', "theme '人才' has no words"),
    ('["人才"]\nwords = []\n', "theme '人才' has an empty word list"),
    ('["人才"]\nwords = ["人才", ""]\n', "a seed word is empty"),
    ('["人才"]\nwords = "人才"\n', "must be a list of text"),
    ('words = ["人才"]\n', "not a theme table"),
    ('["人才"]\nwords = ["人才"]\n["教育"]\nwords = ["人才"]\n', "also a seed of theme '人才'"),
    ("", "defines no theme"),
])
def test_bad_themes_file_is_a_clear_error_naming_the_file(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(StudyConfigError, match=message) as error:
        load_themes(path)
    assert str(path) in str(error.value)


def test_missing_themes_file_is_a_clear_error(tmp_path):
    with pytest.raises(StudyConfigError, match="themes file not found"):
        load_themes(tmp_path / "none.toml")
