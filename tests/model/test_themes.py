"""Seeded themes: the themes file, the eta prior and its report, labels that follow topics.

The model tests run on a synthetic corpus with planted themes (``tests/model_corpora.py``):
documents are mixtures of five known word distributions (three seeded themes, two free ones)
drawn with a fixed numpy seed, so each seeded topic's words and each document's planted share
are known.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from model_corpora import PLANTED, SHARES, THEMES, topic_of
from model_corpora import PLANTED_TEXTS as TEXTS
from scipy.stats import spearmanr

from policytopics.model.themes import (
    DEFAULT_SEED_WEIGHT,
    GIBBS_OTHER_PRIOR,
    GIBBS_SEED_WEIGHT,
    MIN_SEED_STRENGTH,
    NEVER_SEEN,
    PRUNED,
    Theme,
    default_strength,
    load_themes,
    resolve_strength,
    seed_prior,
    seed_rates,
    seed_words,
    theme_prior,
)
from policytopics.model.topic_model import TopicModel, build_dictionary
from policytopics.settings.config import ModelConfig, SegmentConfig, StudyConfigError, package_data

REPO = Path(__file__).resolve().parents[2]


def config(**kwargs):
    settings = dict(n_topics=5, seed=3, passes=10, no_below=1, no_above=0.95) | kwargs
    return ModelConfig(**settings)


@pytest.fixture(scope="module")
def seeded():
    return TopicModel(config()).fit(TEXTS, themes=THEMES, doc_ids=[f"d{i}" for i in range(len(TEXTS))])


# --- the themes file -----------------------------------------------------------------

def write(tmp_path, text, name="themes.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_themes_file_is_package_data_and_a_copy_of_the_data_folder():
    shipped = package_data("manufacturing_policy.toml")
    assert shipped.read_bytes() == (REPO / "data" / "themes" / "manufacturing_policy.toml").read_bytes()
    themes = load_themes(shipped)
    names = [theme.name for theme in themes]
    for expected in ("产业链供应链", "数字化转型与智能制造", "绿色低碳", "科技创新", "新质生产力",
                     "中小企业与专精特新", "对外开放", "人才", "营商环境"):
        assert expected in names
    assert all(8 <= len(theme.words) <= 20 for theme in themes)
    assert not {"发展", "推进", "加强", "全省"} & set(seed_words(themes))


def test_shipped_seed_words_survive_segmentation(tmp_path):
    from policytopics.text.segment import Segmenter

    themes = load_themes(package_data("manufacturing_policy.toml"))
    words = seed_words(themes)
    dictionary = tmp_path / "terms.txt"
    dictionary.write_text(package_data("policy_terms.txt").read_text(encoding="utf-8")
                          + "\n".join(words) + "\n", encoding="utf-8")
    segmenter = Segmenter(SegmentConfig(user_dictionary=dictionary))
    for word in words:
        assert segmenter.tokenize(word) == [word]
        tokens = segmenter.tokenize(f"加快{word}建设，全面提升{word}水平")
        assert tokens.count(word) == 2, (word, tokens)


def test_seed_words_are_every_theme_word_once_in_order():
    assert seed_words(THEMES)[:5] == ["低碳", "节能", "光伏", "绿色", "数据"]
    assert len(seed_words(THEMES)) == sum(len(theme.words) for theme in THEMES)


# --- the prior and its report ------------------------------------------------------

def vocabulary(*words):
    from gensim.corpora import Dictionary

    return Dictionary([list(words)])


def test_seed_words_and_the_words_containing_them_get_the_strength_in_their_row():
    dictionary = vocabulary("生态", "生态环境", "生态文明", "数据", "大数据", "人才")
    themes = [Theme("生态", ("生态",)), Theme("数字", ("数据",))]
    eta, report = seed_prior(themes, dictionary, 4, strength=30)
    assert eta.shape == (4, len(dictionary))
    ids = dictionary.token2id
    for word in ("生态", "生态环境", "生态文明"):
        assert eta[:, ids[word]].tolist() == [30, 0.25, 0.25, 0.25]
    assert eta[:, ids["大数据"]].tolist() == [0.25, 30, 0.25, 0.25]
    assert (eta[:, ids["人才"]] == 0.25).all()  # no seed: gensim's symmetric 1/K
    assert (eta[2:] == 0.25).all()  # free topics
    assert report.loc[0, "seeded"] == "生态 生态文明 生态环境"
    assert report["n_seeded"].tolist() == [3, 2]


def test_a_word_containing_seeds_of_two_themes_goes_to_the_longer_seed_or_to_neither():
    dictionary = vocabulary("绿色", "金融", "绿色金融", "绿色制造", "绿色制造业", "科技金融")
    themes = [Theme("绿色", ("绿色",)), Theme("制造", ("绿色制造",)), Theme("金融", ("金融",))]
    eta, report = seed_prior(themes, dictionary, 3, strength=10, base=0.5)
    ids = dictionary.token2id
    assert eta[:, ids["绿色制造业"]].tolist() == [0.5, 10, 0.5]   # the more specific seed
    assert eta[:, ids["绿色制造"]].tolist() == [0.5, 10, 0.5]     # a seed word is its own theme's
    assert eta[:, ids["绿色金融"]].tolist() == [0.5, 0.5, 0.5]    # a tie: the data decide
    assert eta[:, ids["科技金融"]].tolist() == [0.5, 0.5, 10]
    green, finance = report.set_index("theme").loc[["绿色", "金融"], "shared"]
    assert green == finance == "绿色金融"


def test_report_tells_pruned_from_never_seen_seed_words():
    texts = [["数据", "算力", "人才"], ["数据", "算力"], ["数据", "算力"], ["数据", "人才", "芯片"]]
    cfg = ModelConfig(n_topics=3, no_below=2, no_above=1.0)
    dictionary, unpruned = build_dictionary(texts, cfg, return_unpruned=True)
    assert "芯片" in unpruned and "芯片" not in dictionary.token2id
    themes = [Theme("数字", ("数据", "芯片", "量子"))]
    _, report = seed_prior(themes, dictionary, 3, strength=5, unpruned=unpruned)
    assert dict(zip(report["seed"], report["status"])) == {
        "数据": "in vocabulary", "芯片": PRUNED, "量子": NEVER_SEEN}
    # The pre-pruning gensim Dictionary works as well as the set of its words.
    from gensim.corpora import Dictionary

    _, again = seed_prior(themes, dictionary, 3, strength=5, unpruned=Dictionary(texts))
    assert again["status"].tolist() == report["status"].tolist()


def test_a_theme_with_no_seed_left_is_an_error_that_names_it():
    dictionary = vocabulary("数据", "人才")
    themes = [Theme("数字", ("数据",)), Theme("新质生产力", ("量子", "低空经济"))]
    with pytest.raises(ValueError, match=r"theme '新质生产力' has no seed word left.*量子 \(never seen\)"):
        seed_prior(themes, dictionary, 4, strength=5, unpruned={"数据", "人才"})


def test_more_themes_than_topics_is_an_error():
    with pytest.raises(ValueError, match="3 seeded themes need at least as many topics"):
        seed_prior(THEMES, vocabulary("数据"), 2, strength=5)


def test_strength_zero_means_the_measured_weight_of_the_corpus():
    from gensim.corpora import Dictionary

    dictionary = build_dictionary(TEXTS, config())
    n_tokens = sum(len(tokens) for tokens in TEXTS)  # nothing pruned from the planted corpus
    assert default_strength(dictionary, 5) == pytest.approx(DEFAULT_SEED_WEIGHT * n_tokens / 5)
    eta, _ = seed_prior(THEMES, dictionary, 5)
    assert eta.max() == pytest.approx(DEFAULT_SEED_WEIGHT * n_tokens / 5)
    # Twice the corpus, twice the prior: the same weight against the data.
    doubled = Dictionary(TEXTS + TEXTS)
    assert default_strength(doubled, 5) == pytest.approx(2 * default_strength(dictionary, 5))
    # A tiny corpus still gives its seeds more than the base 1/K.
    assert default_strength(vocabulary("数据", "人才"), 2) == MIN_SEED_STRENGTH
    # An explicit strength is the prior itself; the base follows a numeric config eta.
    assert resolve_strength(5, dictionary, 5) == 5.0
    eta, _ = theme_prior(THEMES[1:2], vocabulary("数据", "人才"),
                         ModelConfig(n_topics=2, eta=0.2, seed_strength=7, engine="gensim"))
    assert sorted(set(eta.ravel())) == [0.2, 7]


def test_gibbs_prior_form_anchors_a_seed_word_to_its_theme():
    """tomotopy: a seed word's prior is near zero in the topics it does not seed, and its
    automatic strength uses the Gibbs weight."""
    dictionary = build_dictionary(TEXTS, config())
    n_tokens = sum(dictionary.cfs.values())
    eta, _ = theme_prior(THEMES, dictionary, ModelConfig(n_topics=5, engine="tomotopy"))
    word = dictionary.token2id[THEMES[0].words[0]]
    assert eta[0, word] == pytest.approx(GIBBS_SEED_WEIGHT * n_tokens / 5)
    assert eta[1:, word].tolist() == pytest.approx([GIBBS_OTHER_PRIOR / 5] * 4)
    unseeded = next(i for i in range(len(dictionary)) if (eta[:, i] == 0.2).all())
    assert eta[:, unseeded].tolist() == [0.2] * 5
    gensim_eta, _ = theme_prior(THEMES, dictionary, ModelConfig(n_topics=5, engine="gensim"))
    assert gensim_eta[1:, word].tolist() == [0.2] * 4
    with pytest.raises(ValueError, match="positive"):
        seed_prior(THEMES, dictionary, 5, other=0)
    with pytest.raises(StudyConfigError):
        resolve_strength(-1, dictionary, 5)


def test_seed_rates_count_seed_words_and_words_containing_them():
    rates = seed_rates(THEMES, [["低碳", "绿色工厂", "人才", "高层次人才", "粮食"], []])
    np.testing.assert_allclose(rates, [[0.4, 0.0, 0.4], [0, 0, 0]])


# --- seeded models -----------------------------------------------------------------

def test_each_seeded_topic_recovers_its_planted_theme(seeded):
    assert sorted(seeded.theme_names_.values()) == sorted(theme.name for theme in THEMES)
    words = seeded.topic_words(10)
    for theme in THEMES:
        top = words[words["topic"] == topic_of(seeded, theme.name)]["word"]
        assert top.isin(PLANTED[theme.name]).sum() >= 8, (theme.name, top.tolist())


def test_documents_seeded_shares_follow_the_planted_shares(seeded):
    for column, theme in enumerate(THEMES):
        found = seeded.doc_topic_[:, topic_of(seeded, theme.name) - 1]
        assert spearmanr(found, SHARES[:, column]).statistic > 0.7, theme.name


@pytest.mark.parametrize(("n_topics", "seed"), [(5, 11), (7, 1)])
def test_theme_names_follow_their_topics_whatever_k_or_seed(n_topics, seed):
    model = TopicModel(config(n_topics=n_topics, seed=seed, passes=5)).fit(TEXTS, themes=THEMES)
    words = model.topic_words(5)
    for theme in THEMES:
        top = words[words["topic"] == topic_of(model, theme.name)]["word"]
        assert top.isin(PLANTED[theme.name]).sum() >= 4, (theme.name, top.tolist())


def test_without_themes_the_fit_is_identical_to_the_unseeded_model():
    cfg = config(passes=4)
    dictionary = build_dictionary(TEXTS, cfg)
    corpus = [dictionary.doc2bow(tokens) for tokens in TEXTS]
    unseeded = TopicModel(cfg).fit_corpus(corpus, dictionary)
    for other in (TopicModel(cfg).fit(TEXTS),
                  TopicModel(cfg).fit_corpus(corpus, dictionary, eta=None, theme_names=None),
                  TopicModel(cfg).fit_corpus(corpus, dictionary,
                                             eta=seed_prior([], dictionary, cfg.n_topics)[0])):
        np.testing.assert_array_equal(other.doc_topic_, unseeded.doc_topic_)
        assert other.topic_words().equals(unseeded.topic_words())
        assert other.theme_names_ == {}


def test_a_themes_file_in_the_settings_seeds_the_fit(tmp_path):
    path = write(tmp_path, "".join(f'["{t.name}"]\nwords = {list(t.words)!r}\n' for t in THEMES)
                 .replace("'", '"'))
    from_file = TopicModel(config(themes=path, seed_strength=0, passes=4)).fit(TEXTS)
    given = TopicModel(config(passes=4)).fit(TEXTS, themes=THEMES)
    np.testing.assert_array_equal(from_file.doc_topic_, given.doc_topic_)
    assert from_file.theme_names_ == given.theme_names_
    assert set(from_file.seed_report_["status"]) == {"in vocabulary", NEVER_SEEN}  # 绿色


def test_a_wrongly_shaped_prior_is_an_error():
    cfg = config(passes=1)
    dictionary = build_dictionary(TEXTS, cfg)
    corpus = [dictionary.doc2bow(tokens) for tokens in TEXTS]
    with pytest.raises(ValueError, match="eta has shape"):
        TopicModel(cfg).fit_corpus(corpus, dictionary, eta=np.ones((2, len(dictionary))))


# --- saved models describe themselves ------------------------------------------------

def test_saved_seeded_model_keeps_theme_names_settings_and_document_ids(seeded, tmp_path):
    seeded.save(tmp_path / "m")
    again = TopicModel.load(tmp_path / "m", seeded.config, doc_ids=seeded.doc_ids_)
    assert again.theme_names_ == seeded.theme_names_
    assert again.doc_ids_ == [f"d{i}" for i in range(len(TEXTS))]
    np.testing.assert_array_equal(again.doc_topic_, seeded.doc_topic_)
    assert again.topic_words().equals(seeded.topic_words())
    restored = TopicModel.load(tmp_path / "m")  # no config: the saved settings
    assert restored.config == seeded.config


def test_loading_with_other_fit_settings_or_documents_raises(seeded, tmp_path):
    from dataclasses import replace

    seeded.save(tmp_path / "m")
    for change in ({"n_topics": 6}, {"seed": 4}, {"seed_strength": 5.0}, {"themes": tmp_path / "t.toml"},
                   {"no_above": 0.5}):
        key = next(iter(change))
        with pytest.raises(ValueError, match=f"fitted with other settings.*{key}: saved"):
            TopicModel.load(tmp_path / "m", replace(seeded.config, **change))
    with pytest.raises(ValueError, match="belongs to other documents"):
        TopicModel.load(tmp_path / "m", seeded.config, doc_ids=["d1", *seeded.doc_ids_[1:]])
    # Display settings do not change the fit (tomotopy's workers do: test_engine_tomotopy).
    shown = replace(seeded.config, top_n_words=3, labels=tmp_path / "labels.csv", label_words="frex")
    assert TopicModel.load(tmp_path / "m", shown).config.top_n_words == 3


# --- one numbering of topics ---------------------------------------------------------

def test_the_seed_report_numbers_topics_as_every_table_does(seeded):
    """A seeded theme's topic is its topic number (T5 is 5, most prevalent first) in the seed
    report as in every other table, not the theme's index in its file (#36): a join of
    theme_seeds.csv with topics.csv on ``topic`` matched the wrong theme."""
    report = seeded.seed_report_
    assert list(report.columns) == ["theme", "topic", "seed", "status", "n_seeded", "seeded", "shared"]
    for theme in THEMES:
        assert set(report.loc[report["theme"] == theme.name, "topic"]) == {topic_of(seeded, theme.name)}


@pytest.fixture(scope="module")
def planted_study(tmp_path_factory):
    """A seeded study of 150 planted articles, three themes and K = 5 (its study file's config)."""
    from policytopics import load_study

    folder = tmp_path_factory.mktemp("planted_study")
    articles = folder / "articles"
    articles.mkdir()
    for i, tokens in enumerate(TEXTS[:150]):
        (articles / f"{i:03d}.txt").write_text("。".join(tokens) + "。", encoding="utf-8")
    themes_file = folder / "themes.toml"
    themes_file.write_text("".join(f'["{t.name}"]\nwords = {list(t.words)!r}\n'.replace("'", '"')
                                   for t in THEMES), encoding="utf-8")
    (folder / "study.toml").write_text('[corpus]\npaths = ["articles"]\n[model]\nthemes = "themes.toml"\n'
                                       'n_topics = 5\nno_above = 0.95\n[output]\ntables_dir = "out"\n'
                                       'cache_dir = "cache"\n', encoding="utf-8")
    return load_study(folder / "study.toml")


def test_theme_seeds_joins_topics_on_the_topic_number(planted_study):
    import pandas as pd

    from policytopics import Study

    config = planted_study
    tables = Study(config, progress=False).tables()
    seeds, topics = tables["theme_seeds"], tables["topics"]
    joined = seeds.drop_duplicates("theme").merge(topics, on="topic")
    assert len(joined) == len(THEMES)
    # Each theme's row of topics.csv, found by the topic number, is labelled with that theme.
    assert all(label.split(" ", 1)[1] == theme for theme, label in zip(joined["theme"], joined["label"]))
    # And the same numbers name the theme's columns and rows elsewhere.
    template = tables["labels_template"].set_index("topic")["label"]
    assert all(template[t] == theme for theme, t in zip(joined["theme"], joined["topic"]))
    assert pd.api.types.is_integer_dtype(seeds["topic"])


def test_the_run_shows_the_words_the_held_check_judged(planted_study, monkeypatch, capsys):
    """Beside each topic the run prints the list the held check returns, ranked the same way
    (by probability; #36 item 7: a theme was marked (?) beside relevance-ranked words), and a
    seeded topic's two measures of the rule (#39)."""
    from policytopics import Study
    from policytopics.cli import main
    from policytopics.model import themes_held as held_module

    masses = sorted(Study(planted_study, progress=False).themes_held()["seed_mass"])
    monkeypatch.setattr(held_module, "HELD_MIN_SEED_MASS", masses[1])  # some themes hold, some not
    assert main(["run", "--study", str(planted_study.root / "study.toml"), "--quick", "--formats", "none",
                 "--no-progress", "-q"]) == 0
    out = capsys.readouterr().out
    lines = {line.split(":")[0].strip(): line.split(":", 1)[1].split("  (ρ")[0].split()
             for line in out.splitlines() if line.startswith("  T")}
    study = Study(planted_study, progress=False)
    held = study.themes_held()
    assert 0 < held["held"].sum() < len(held)  # the check gives both answers here
    probable = study.model().topic_words(10)
    for row in held.itertuples():
        label = next(label for label in lines if label.startswith(f"T{row.topic} "))
        assert label.endswith(" (?)") == (not row.held)
        assert lines[label] == row.top_words.split()  # the very list judged
        ranked = probable[probable["topic"] == row.topic].sort_values("rank")["word"].tolist()
        assert lines[label] == ranked  # by probability, not by relevance
        assert f"{label}: {row.top_words}  (ρ {row.spearman:.2f}, seed mass {row.seed_mass:.2f})" in out
    assert "(?): a seeded theme whose share does not follow its seed words' rate" in out
