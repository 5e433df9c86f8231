"""The one validator: every wrong setting is one line naming it (policytopics.settings.validate)."""

import pytest

from policytopics.settings.load import load_study
from policytopics.settings.schema import StudyConfigError


@pytest.mark.parametrize("setting, bad, allowed", [
    ("corpus.unit", "page", "'auto', 'document' or 'passage'"),
    ("model.engine", "lda", "'tomotopy', 'gensim' or 'keyatm'"),
    ("weights.period", "week", "'year', 'quarter' or 'month'"),
    ("weights.uncertainty", "bayes", "'global', 'bootstrap' or 'none'"),
    ("output.language", "fr", "'zh' or 'en'"),
])
def test_a_choice_setting_names_its_choices_in_one_line(setting, bad, allowed):
    section, key = setting.split(".")
    with pytest.raises(StudyConfigError) as raised:
        load_study(None, **{f"{section}__{key}": bad})
    assert str(raised.value) == f"[{section}] {key} must be {allowed}, got {bad!r}"


@pytest.mark.parametrize("toml, message", [
    # #31: each of these was a traceback, a C++ abort or a silently wrong value.
    ("model = 5", "model must be a section of settings ([model] and its keys below it), got model = 5"),
    ("[corpus]\npaths = 5", "[corpus] paths must be a path or a list of paths, got 5"),
    ("[output]\nfigure_formats = 5", "[output] figure_formats must be a list of formats, got 5"),
    ("[model]\ntop_n_words = 0", "[model] top_n_words must be at least 1, got 0"),
    ("[model]\nn_topics = 4.7", "[model] n_topics must be a whole number, got 4.7"),
    ("[model]\nn_topics = true", "[model] n_topics must be a whole number, got True"),
    ("[model]\nn_topics = 10000", "[model] n_topics (--topics) must be at most 200, got 10000"),
    ("[model]\nalpha = -1", "[model] alpha must be above 0 (a Dirichlet prior), got -1.0"),
    ("[model]\neta = 0", "[model] eta must be above 0 (a Dirichlet prior), got 0.0"),
    ("[model]\nalpha = \"bogus\"", "[model] alpha must be a number above 0 or 'symmetric', 'asymmetric' "
                                   "or 'auto', got 'bogus'"),
    ("[model]\nthemes = 5", "[model] themes must be a path"),
    ("[corpus]\nlimit = -5", "[corpus] limit must be at least 0 (--limit; 0 = all documents), got -5"),
    ("[corpus]\ntext_column = 5", "[corpus] text_column must be text, got 5"),
    ("[clean]\nmin_cjk_ratio = \"x\"", "[clean] min_cjk_ratio must be a number, got 'x'"),
    ("[clean]\nmin_cjk_ratio = 2", "[clean] min_cjk_ratio must be from 0 to 1, got 2.0"),
    ("[weights]\nmin_docs = 0", "[weights] min_docs must be at least 1, got 0"),
    ("[segment]\npos_filter = 5", "[segment] pos_filter must be a list of part-of-speech tags, got 5"),
    ("[effects]\nformula = \"region + log(year)\"", "[effects] formula: cannot read the formula"),
    # #37: a traceback after the corpus was read, a bare [Errno 2], or silently almost nothing.
    ("[corpus]\ndate_from = \"2020-02-30\"", "[corpus] date_from must be a date written YYYY, YYYY-MM or "
                                         "YYYY-MM-DD, got '2020-02-30': no such day on the calendar"),
    ("[model]\nseed = 18446744073709551616", "[model] seed (--seed) must be from 0 to 4294967295"),
    ("[weights]\nseed = -1", "[weights] seed must be at least 0"),
    ("[model]\nkeep_n = 1", "[model] keep_n must be at least n_topics × top_n_words = 4 × 10 = 40, got 1"),
    ("[segment]\nstopwords = [\"stopwordsiso:zh\", \"none.txt\"]", "[segment] stopwords: file not found"),
    ("[segment]\nuser_dictionary = \"none.txt\"", "[segment] user_dictionary: file not found"),
    ("[model]\nfit_sample = \"half\"", "[model] fit_sample (--fit-sample) must be \"auto\" or a whole"),
    ("[model]\nfit_sample = -5", "[model] fit_sample (--fit-sample) must be \"auto\" or 0 or more, got -5"),
    ("[model]\nfit_sample = 2.5", "[model] fit_sample must be a whole number, got 2.5"),
    ("[segment]\npos_filter = [\"n\", \"zz\"]", "[segment] pos_filter: unknown part-of-speech tag(s) ['zz']; "
                                           "jieba's tags are a, ad,"),
])
def test_a_wrong_setting_is_one_line_naming_it(tmp_path, toml, message):
    study = tmp_path / "study.toml"
    study.write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(StudyConfigError) as raised:
        load_study(study)
    assert str(raised.value).startswith(message) and "\n" not in str(raised.value)


def test_right_settings_keep_their_values(tmp_path):
    study = tmp_path / "study.toml"
    study.write_text('[model]\nn_topics = 12.0\nalpha = "0.1"\neta = "auto"\n'
                     '[effects]\ncompare = [2020, "2021"]\n', encoding="utf-8")
    config = load_study(study, limit=0)
    assert (config.model.n_topics, config.model.alpha, config.model.eta) == (12, 0.1, "auto")
    assert config.effects.compare == ("2020", "2021")
    assert load_study(None, n_topics=200).model.n_topics == 200


@pytest.mark.parametrize("written, read", [('"auto"', "auto"), ("0", 0), ("20000", 20000), ('"500"', 500)])
def test_fit_sample_is_auto_or_a_whole_number(tmp_path, written, read):
    study = tmp_path / "study.toml"
    study.write_text(f"[model]\nfit_sample = {written}\n", encoding="utf-8")
    assert load_study(study).model.fit_sample == read
    assert load_study(None, model__fit_sample=str(read)).model.fit_sample == read  # as --fit-sample gives it


def test_a_pos_filter_tag_of_the_user_dictionary_is_known(tmp_path):
    (tmp_path / "terms.txt").write_text("新质生产力 10 policy\n数字经济 nz\n", encoding="utf-8")
    (tmp_path / "study.toml").write_text('[segment]\nuser_dictionary = "terms.txt"\n'
                                         'pos_filter = ["n", "policy"]\n', encoding="utf-8")
    assert load_study(tmp_path / "study.toml").segment.pos_filter == ("n", "policy")


def test_reading_limits_are_checked():
    assert load_study(None, corpus__max_document_mb=2).corpus.max_document_mb == 2.0
    with pytest.raises(StudyConfigError, match=r"\[corpus\] max_document_mb must be above 0"):
        load_study(None, corpus__max_document_mb=0)
    with pytest.raises(StudyConfigError, match=r"\[corpus\] max_document_mb must be a finite number"):
        load_study(None, corpus__max_document_mb=float("inf"))
    with pytest.raises(StudyConfigError, match=r"\[corpus\] follow_links must be 'inside', 'all' or 'none'"):
        load_study(None, corpus__follow_links="yes")


def test_the_themes_fit_in_k_check_says_where_it_failed():
    from policytopics.settings.validate import check_themes_fit

    check_themes_fit(3, 3, "themes.toml")
    check_themes_fit(0, 2, None, sweep=True)
    with pytest.raises(ValueError) as raised:
        check_themes_fit(10, 3, "t.toml")
    assert str(raised.value) == "10 seeded themes in t.toml need at least 10 topics; n_topics is 3 (--topics)"
    with pytest.raises(ValueError) as raised:
        check_themes_fit(10, 3)
    assert str(raised.value) == "10 seeded themes need at least as many topics; n_topics is 3"
    with pytest.raises(ValueError) as raised:
        check_themes_fit(10, 4, "t.toml", sweep=True)
    assert str(raised.value) == ("the sweep's smallest K, 4, is below the 10 seeded themes of t.toml: "
                                 "every K must hold them and free topics beside (e.g. --topics 12:30:2)")
