"""Ranking a topic's words: probability, FREX and relevance."""

from __future__ import annotations

import numpy as np
import pytest

from policytopics.model.word_rankings import WORD_RANKINGS, word_scores

TOPIC_WORD = np.array([[0.35, 0.3, 0.25, 0.1], [0.5, 0.01, 0.2, 0.29]])


def test_probability_is_the_topic_word_matrix_and_relevance_at_one_its_log():
    np.testing.assert_array_equal(word_scores(TOPIC_WORD, "probability"), TOPIC_WORD)
    marginal = np.array([10, 3, 5, 4])
    np.testing.assert_allclose(word_scores(TOPIC_WORD, "relevance", marginal=marginal, lam=1.0),
                               np.log(TOPIC_WORD))


def test_relevance_lifts_a_topics_own_words_above_common_ones():
    marginal = TOPIC_WORD.mean(axis=0)
    scores = word_scores(TOPIC_WORD, "relevance", marginal=marginal, lam=0.0)
    assert scores[0, 1] > scores[0, 0]  # word 1 is topic 0's own, word 0 everyone's


def test_frex_is_a_harmonic_mean_of_ranks_between_zero_and_one():
    scores = word_scores(TOPIC_WORD, "frex")
    assert ((scores > 0) & (scores <= 1)).all()
    assert scores[0].argmax() == 1


def test_every_ranking_is_known_and_relevance_needs_the_marginal():
    assert WORD_RANKINGS == ("probability", "frex", "relevance")
    with pytest.raises(ValueError, match="marginal"):
        word_scores(TOPIC_WORD, "relevance")
    with pytest.raises(ValueError, match="unknown word ranking"):
        word_scores(TOPIC_WORD, "tfidf")
