"""The keyATM engine: the same seed gives the same bytes, keyword topics recover their themes,
without themes it is LDA, a saved model reloads without pickle, and its variants do what they
say."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from conftest import TOPIC_TEXTS as TEXTS
from model_corpora import (
    PLANTED_TEXTS,
    THEMES,
    assert_planted_themes_held,
    assert_topics_separate_the_planted_themes,
    fit_digest,
    topic_of,
)

from policytopics.model.engines.keyatm import KeyATMEngine, keywords_from_eta, word_weights
from policytopics.model.themes import Theme
from policytopics.model.topic_model import TopicModel
from policytopics.settings.config import ModelConfig

DOC_IDS = [f"doc{i}" for i in range(len(TEXTS))]
KEYATM_THEMES = [Theme("制造", ("制造业", "产业链")), Theme("数字", ("数字经济", "算力")),
                 Theme("绿色", ("绿色低碳", "碳达峰"))]


def config(**settings) -> ModelConfig:
    return ModelConfig(**({"n_topics": 3, "seed": 1, "no_below": 1, "no_above": 0.9,
                           "engine": "keyatm"} | settings))


def fit_keyatm(**settings) -> TopicModel:
    return TopicModel(config(**settings)).fit(TEXTS, themes=KEYATM_THEMES, doc_ids=DOC_IDS)


@pytest.fixture(scope="module")
def keyatm_model() -> TopicModel:
    return fit_keyatm()


def test_keyatm_same_seed_gives_the_same_bytes(keyatm_model):
    again = fit_keyatm()
    assert fit_digest(again) == fit_digest(keyatm_model)
    np.testing.assert_array_equal(again.topic_word(), keyatm_model.topic_word())
    np.testing.assert_array_equal(again.doc_topic_samples_, keyatm_model.doc_topic_samples_)
    assert fit_digest(fit_keyatm(seed=2)) != fit_digest(keyatm_model)
    # Sweeps in several calls are the same sweeps: keeping states changes no topic.
    np.testing.assert_array_equal(fit_keyatm(posterior_samples=1).doc_topic_, keyatm_model.doc_topic_)


def test_keyatm_keyword_topics_recover_their_themes(keyatm_model):
    words = keyatm_model.topic_words(5)
    planted = {theme.name: set(next(t for t in TEXTS if theme.words[0] in t)) for theme in KEYATM_THEMES}
    for theme in KEYATM_THEMES:
        planted[theme.name] |= {w for t in TEXTS if theme.words[0] in t for w in t}
        top = words[words["topic"] == topic_of(keyatm_model, theme.name)]["word"]
        assert set(top) == planted[theme.name], (theme.name, top.tolist())
    state = keyatm_model.lda_
    assert state.keywords.sum() == 6 and (state.switch() > 0).all()
    np.testing.assert_allclose(keyatm_model.topic_word().sum(axis=1), 1.0)
    assert isinstance(keyatm_model.engine_, KeyATMEngine)


def test_keyatm_holds_the_planted_themes_and_is_lda_without_them():
    model = TopicModel(config(n_topics=5, seed=3, no_above=0.95)).fit(PLANTED_TEXTS, themes=THEMES)
    assert_planted_themes_held(model)
    plain = TopicModel(config()).fit(TEXTS)
    assert not plain.lda_.keywords.any() and not plain.lda_.switch().any()
    np.testing.assert_allclose(plain.engine_.topic_word(), plain.lda_.regular_topic_word())
    assert_topics_separate_the_planted_themes(plain)


def test_keyatm_keyword_absent_from_the_vocabulary_is_left_out():
    themes = [Theme("制造", ("制造业", "不在词表")), *KEYATM_THEMES[1:]]
    model = TopicModel(config()).fit(TEXTS, themes=themes)
    status = model.seed_report_.set_index("seed")["status"]
    assert status["不在词表"] == "never seen" and status["制造业"] == "in vocabulary"
    keywords = model.lda_.keywords[0]
    assert [model.dictionary_[int(j)] for j in np.flatnonzero(keywords)] == ["制造业"]
    words = model.topic_words(3)
    assert "制造业" in set(words[words["topic"] == topic_of(model, "制造")]["word"])


def test_keywords_are_the_sets_either_prior_form_seeds():
    """Only the sets count: the variational and the Gibbs forms of one seeding give the same."""
    variational = np.array([[0.25, 9.0, 9.0], [0.25, 0.25, 0.25]])
    gibbs = np.array([[0.25, 9.0, 0.25], [0.25, 2.5e-5, 2.5e-5]])
    assert keywords_from_eta(variational, 2, 3).tolist() == keywords_from_eta(gibbs, 2, 3).tolist()
    assert not keywords_from_eta(None, 2, 3).any()
    assert word_weights(np.array([1, 3, 0]), "none").tolist() == [1.0, 1.0, 0.0]
    with pytest.raises(ValueError, match="word weights"):
        word_weights(np.array([1]), "tf-idf")


def test_keyatm_reloads_to_the_same_numbers_without_pickle(keyatm_model, tmp_path):
    keyatm_model.save(tmp_path / "m")
    with np.load(tmp_path / "m" / "keyatm.npz", allow_pickle=False) as saved:
        assert "word_topic" in saved
    record = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert record["engine"]["name"] == "keyatm" and record["engine"]["numba"]
    again = TopicModel.load(tmp_path / "m", keyatm_model.config, doc_ids=DOC_IDS)
    np.testing.assert_array_equal(again.topic_word(), keyatm_model.topic_word())
    np.testing.assert_array_equal(again.doc_topic_samples_, keyatm_model.doc_topic_samples_)
    new = keyatm_model.transform(TEXTS[:6] + [[], ["未知"]])
    np.testing.assert_array_equal(again.transform(TEXTS[:6] + [[], ["未知"]]), new)
    np.testing.assert_allclose(new[-2:], 1 / 3)
    np.testing.assert_array_equal(new[:6].argmax(axis=1), keyatm_model.doc_topic_[:6].argmax(axis=1))
    # A document's row is its own, whatever else is in the call.
    np.testing.assert_array_equal(keyatm_model.transform(TEXTS[3:6]), new[3:6])
    assert again.perplexity(TEXTS) == keyatm_model.perplexity(TEXTS)
    # One thread: workers is not part of its fit (the thread rule); gibbs_iterations is.
    assert not KeyATMEngine.workers_change_fit({"workers": 4})
    TopicModel.load(tmp_path / "m", replace(keyatm_model.config, workers=1))
    with pytest.raises(ValueError, match="gibbs_iterations: saved 200, asked 50"):
        TopicModel.load(tmp_path / "m", replace(keyatm_model.config, gibbs_iterations=50))


def test_keyatm_variants_anchor_keywords_and_hold_the_switch(keyatm_model):
    # The defaults: anchored keywords, the switch's prior 0.075 of an average topic.
    state = keyatm_model.lda_
    counts = state.word_topic + state.keyword_topic
    assert not counts[~state.keywords & state.keywords.any(axis=0)].any()
    assert counts[state.keywords].all()
    assert state.gamma[0] == state.gamma[1] > 1
    published = fit_keyatm(anchor_keywords=False, switch_prior=0.0).lda_
    assert published.gamma == (1.0, 1.0)
    held = fit_keyatm(switch_prior=100.0).lda_
    assert held.gamma[0] == held.gamma[1] > 100
    np.testing.assert_allclose(held.switch(), 0.5, atol=0.01)


@pytest.mark.parametrize("changed", [{"anchor_keywords": False}, {"switch_prior": 0.2},
                                     {"keyword_prior": 0.5}])
def test_each_keyatm_setting_is_in_the_model_key_and_changes_the_fit(keyatm_model, changed):
    from policytopics.study.stage_model import model_key

    assert model_key(config(**changed)) != model_key(config())
    # Only keyatm reads them: another engine's key does not change.
    assert (model_key(config(engine="tomotopy", **changed)) == model_key(config(engine="tomotopy")))
    # The fit reads it: other topics (a corpus where themes share documents, so unanchored
    # keywords wander to other topics).
    def planted(**settings) -> TopicModel:
        fitted = TopicModel(config(n_topics=5, seed=3, no_above=0.95, **settings))
        return fitted.fit(PLANTED_TEXTS, themes=THEMES)

    default, other = planted(), planted(**changed)
    assert not np.array_equal(other.topic_word(), default.topic_word())
    if "anchor_keywords" in changed:
        state = other.lda_
        assert (state.word_topic + state.keyword_topic)[~state.keywords & state.keywords.any(axis=0)].any()
    if "keyword_prior" in changed:
        assert other.lda_.beta_keyword == 0.5 != default.lda_.beta_keyword


def test_a_model_saved_with_other_keyatm_settings_is_refused(keyatm_model, tmp_path):
    keyatm_model.save(tmp_path / "m")
    with pytest.raises(ValueError, match="switch_prior"):
        TopicModel.load(tmp_path / "m", replace(keyatm_model.config, switch_prior=0.1), doc_ids=DOC_IDS)
