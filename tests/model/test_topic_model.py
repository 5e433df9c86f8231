import json
from dataclasses import replace

import numpy as np
import pytest
from conftest import TOPIC_TEXTS as TEXTS
from model_corpora import TINY_PLANTED, assert_topics_separate_the_planted_themes

from policytopics.model.themes import Theme
from policytopics.model.topic_model import TopicModel, build_dictionary
from policytopics.settings.config import ModelConfig

DOC_IDS = [f"doc{i}" for i in range(len(TEXTS))]


def fit(seed=1, k=3, **settings):
    config = ModelConfig(n_topics=k, seed=seed, passes=10, no_below=1, no_above=0.9, **settings)
    return TopicModel(config).fit(TEXTS, doc_ids=DOC_IDS)


def test_same_seed_gives_the_same_topics():
    a, b = fit(), fit()
    np.testing.assert_array_equal(a.doc_topic_, b.doc_topic_)
    assert a.topic_words().equals(b.topic_words())


def test_topics_separate_the_tiny_corpus_themes():
    assert_topics_separate_the_planted_themes(fit())


def test_seeded_themes_separate_and_name_the_topics_at_any_seed():
    # Unseeded, seeds 2 and 3 merge two of the three themes on this corpus; seeded, none does.
    themes = [Theme("制造", ("制造业",)), Theme("数字", ("数字经济",)), Theme("绿色", ("绿色低碳",))]
    for seed in (2, 3):
        config = ModelConfig(n_topics=3, seed=seed, passes=10, no_below=1, no_above=0.9)
        model = TopicModel(config).fit(TEXTS, themes=themes)
        assert_topics_separate_the_planted_themes(model)
        top = model.doc_topic_.argmax(axis=1)
        for theme in range(3):
            assert model.theme_names_[int(top[np.equal(TINY_PLANTED, theme)][0]) + 1] == themes[theme].name


def test_topics_are_ordered_by_prevalence_and_rows_sum_to_one():
    model = fit()
    prevalence = model.prevalence().to_numpy()
    assert np.all(np.diff(prevalence) <= 1e-12)
    np.testing.assert_allclose(model.doc_topic_.sum(axis=1), 1.0, atol=1e-6)


def test_saved_model_reloads_to_the_same_numbers(tmp_path):
    model = fit()
    model.save(tmp_path / "m")
    again = TopicModel.load(tmp_path / "m", model.config, doc_ids=DOC_IDS)
    np.testing.assert_array_equal(again.doc_topic_, model.doc_topic_)
    np.testing.assert_array_equal(again.topic_word(), model.topic_word())
    assert again.topic_words().equals(model.topic_words())
    assert again.relevant_words().equals(model.relevant_words())
    np.testing.assert_allclose(again.transform(TEXTS[:3]), model.transform(TEXTS[:3]))


def test_saved_model_describes_itself(tmp_path):
    model = fit()
    model.save(tmp_path / "m")
    record = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert record["n_topics"] == 3 and record["n_docs"] == len(TEXTS)
    assert record["doc_ids"] == DOC_IDS
    assert record["settings"]["seed"] == 1 and record["settings"]["no_above"] == 0.9
    assert record["theme_names"] == {}
    # Without a config the saved settings come back.
    assert TopicModel.load(tmp_path / "m").config == model.config


def test_loading_checks_settings_and_documents(tmp_path):
    model = fit(engine="gensim")
    model.save(tmp_path / "m")
    with pytest.raises(ValueError, match=r"other settings \(n_topics: saved 3, asked 4\)"):
        TopicModel.load(tmp_path / "m", replace(model.config, n_topics=4))
    with pytest.raises(ValueError, match="passes: saved 10, asked 2"):
        TopicModel.load(tmp_path / "m", replace(model.config, passes=2))
    with pytest.raises(ValueError, match="belongs to other documents"):
        TopicModel.load(tmp_path / "m", model.config, doc_ids=DOC_IDS[::-1])
    with pytest.raises(ValueError, match="belongs to other documents"):
        TopicModel.load(tmp_path / "m", model.config, doc_ids=DOC_IDS[:-1])
    # Display settings are not the fit's: the caller's are used.
    shown = TopicModel.load(tmp_path / "m", replace(model.config, top_n_words=3))
    assert len(shown.topic_words()) == 3 * 3


def test_a_model_saved_without_its_description_is_refused(tmp_path):
    model = fit()
    model.save(tmp_path / "m")
    (tmp_path / "m" / "model.json").unlink()
    with pytest.raises(ValueError, match=r"holds no model\.json"):
        TopicModel.load(tmp_path / "m", model.config)


def test_empty_vocabulary_is_a_clear_error():
    with pytest.raises(ValueError, match="vocabulary is empty"):
        TopicModel(ModelConfig(n_topics=2, no_below=5)).fit([["甲"], ["乙"]])


def test_relevance_with_lambda_one_is_the_probability_order():
    model = fit()
    by_prob = model.topic_words(5)
    by_relevance = model.relevant_words(5, lam=1.0)
    assert by_prob["word"].tolist() == by_relevance["word"].tolist()
    assert len(model.relevant_words(5, lam=0.6)) == 5 * model.config.n_topics


def test_fit_on_a_corpus_streamed_from_disk_equals_fit_in_memory(tmp_path):
    from gensim.corpora import MmCorpus

    config = ModelConfig(n_topics=3, seed=1, passes=10, no_below=1, no_above=0.9)
    in_memory = TopicModel(config).fit(TEXTS)
    dictionary = build_dictionary(TEXTS, config)
    MmCorpus.serialize(str(tmp_path / "corpus.mm"), (dictionary.doc2bow(t) for t in TEXTS))
    streamed = TopicModel(config).fit_corpus(MmCorpus(str(tmp_path / "corpus.mm")), dictionary)
    np.testing.assert_allclose(streamed.doc_topic_, in_memory.doc_topic_, atol=1e-6)
    assert streamed.topic_words().equals(in_memory.topic_words())


def test_document_with_no_known_word_gets_a_uniform_row():
    model = TopicModel(ModelConfig(n_topics=3, seed=1, passes=5, no_below=1, no_above=0.9))
    model.fit([*TEXTS, []])
    np.testing.assert_allclose(model.doc_topic_[-1], np.full(3, 1 / 3))
    assert not np.allclose(model.doc_topic_[0], 1 / 3)


def test_perplexity_is_one_formula_for_every_engine():
    models = [fit(engine=engine) for engine in ("tomotopy", "gensim", "keyatm")]
    vocabulary = len(models[0].dictionary_)
    for fitted in models:
        held_out = fitted.perplexity(TEXTS[:6])
        assert 1 < held_out < vocabulary / 2, (fitted.config.engine, held_out)
        assert np.isnan(fitted.perplexity([["未知"], []]))
