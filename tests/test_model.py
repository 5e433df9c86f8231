import numpy as np
import pytest
from conftest import TOPIC_TEXTS as TEXTS

from policytopics.config import ModelConfig
from policytopics.model import TopicModel


def fit(seed=1, k=3):
    return TopicModel(ModelConfig(n_topics=k, seed=seed, passes=10, no_below=1, no_above=0.9)).fit(TEXTS)


def test_same_seed_gives_the_same_topics():
    a, b = fit(), fit()
    np.testing.assert_array_equal(a.doc_topic_, b.doc_topic_)
    assert a.topic_words().equals(b.topic_words())


def test_topics_are_ordered_by_prevalence_and_rows_sum_to_one():
    model = fit()
    prevalence = model.prevalence().to_numpy()
    assert np.all(np.diff(prevalence) <= 1e-12)
    np.testing.assert_allclose(model.doc_topic_.sum(axis=1), 1.0, atol=1e-6)


def test_saved_model_reloads_to_the_same_numbers(tmp_path):
    model = fit()
    model.save(tmp_path / "m")
    again = TopicModel.load(tmp_path / "m", model.config)
    np.testing.assert_array_equal(again.doc_topic_, model.doc_topic_)
    np.testing.assert_allclose(again.transform(TEXTS[:3]), model.transform(TEXTS[:3]))


def test_empty_vocabulary_is_a_clear_error():
    with pytest.raises(ValueError, match="vocabulary is empty"):
        TopicModel(ModelConfig(n_topics=2, no_below=5)).fit([["甲"], ["乙"]])


def test_relevance_with_lambda_one_is_the_probability_order():
    model = fit()
    by_prob = model.topic_words(5)
    by_relevance = model.relevant_words(5, lam=1.0)
    assert by_prob["word"].tolist() == by_relevance["word"].tolist()
    assert len(model.relevant_words(5, lam=0.6)) == 5 * model.config.n_topics


def test_multicore_option_fits():
    config = ModelConfig(n_topics=3, seed=1, passes=2, multicore=True, workers=2)
    model = TopicModel(config).fit(TEXTS)
    assert model.doc_topic_.shape == (len(TEXTS), 3)


def test_fit_on_a_corpus_streamed_from_disk_equals_fit_in_memory(tmp_path):
    from gensim.corpora import MmCorpus

    from policytopics.model import build_dictionary

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


def test_progress_bar_does_not_change_the_fit():
    from policytopics.model import build_dictionary

    config = ModelConfig(n_topics=3, seed=1, passes=4, no_below=1, no_above=0.9)
    dictionary = build_dictionary(TEXTS, config)
    corpus = [dictionary.doc2bow(t) for t in TEXTS]
    quiet = TopicModel(config).fit_corpus(corpus, dictionary)
    shown = TopicModel(config).fit_corpus(corpus, dictionary, progress=True)
    np.testing.assert_array_equal(shown.doc_topic_, quiet.doc_topic_)
    assert shown.lda_.callbacks is None
