"""How a topic's words are ranked: by probability ``p(w|t)``, by stm's FREX, or by LDAvis'
relevance (:func:`word_scores`; :meth:`policytopics.model.topic_model.TopicModel.ranked_words`
makes the tables).
"""

from __future__ import annotations

import numpy as np

#: How a topic's words can be ranked (:meth:`policytopics.model.topic_model.TopicModel.ranked_words`).
WORD_RANKINGS = ("probability", "frex", "relevance")
#: LDAvis' relevance weight λ (Sievert & Shirley 2014 found 0.6 best for reading topics).
RELEVANCE_LAMBDA = 0.6
#: stm's FREX weight of exclusivity against frequency (its default).
FREX_WEIGHT = 0.5


def word_scores(topic_word: np.ndarray, by: str, *, marginal: np.ndarray | None = None,
                lam: float = RELEVANCE_LAMBDA, frex_weight: float = FREX_WEIGHT) -> np.ndarray:
    """Score of every word in every topic (topics × words) for a ranking of :data:`WORD_RANKINGS`.

    ``marginal`` (word counts or probabilities) is needed for ``"relevance"``.

    >>> beta = np.array([[0.35, 0.3, 0.25, 0.1], [0.5, 0.01, 0.2, 0.29]])
    >>> np.argsort(-word_scores(beta, "frex")[0], kind="stable").tolist()  # word 1: topic 0's own
    [1, 0, 2, 3]
    >>> np.argsort(-word_scores(beta, "probability")[0], kind="stable").tolist()
    [0, 1, 2, 3]
    """
    topic_word = np.asarray(topic_word, dtype=np.float64)
    if by == "probability":
        return topic_word
    if by == "frex":
        from scipy.stats import rankdata

        exclusivity = topic_word / topic_word.sum(axis=0, keepdims=True)
        n_words = topic_word.shape[1]
        exclusive = rankdata(exclusivity, axis=1) / n_words  # stm: data.table::frank / ncol
        frequent = rankdata(topic_word, axis=1) / n_words
        return 1.0 / (frex_weight / exclusive + (1 - frex_weight) / frequent)
    if by == "relevance":
        if marginal is None:
            raise ValueError("relevance needs the words' marginal counts")
        marginal = np.asarray(marginal, dtype=np.float64)
        marginal = marginal / marginal.sum()
        with np.errstate(divide="ignore"):
            lift = topic_word / np.where(marginal > 0, marginal, 1)
            return lam * np.log(topic_word) + (1 - lam) * np.log(lift)
    raise ValueError(f"unknown word ranking {by!r}; expected one of {WORD_RANKINGS}")


__all__ = ["FREX_WEIGHT", "RELEVANCE_LAMBDA", "WORD_RANKINGS", "word_scores"]
