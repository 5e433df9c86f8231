"""Matching the topics of two models or runs one to one (Hungarian matching): by their
topic-word vectors, for the stability of a K across seeds (:mod:`policytopics.model.choose_k`),
and by their top words, for labels that follow their topics (:mod:`policytopics.model.labels`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def topic_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Mean cosine similarity of two models' topics after the best one-to-one matching."""
    from scipy.optimize import linear_sum_assignment

    a_norm = a / np.linalg.norm(a, axis=1, keepdims=True)
    b_norm = b / np.linalg.norm(b, axis=1, keepdims=True)
    similarity = a_norm @ b_norm.T
    rows, cols = linear_sum_assignment(-similarity)
    return float(similarity[rows, cols].mean())


def match_topics(previous: dict[object, Sequence[str]], current: dict[int, Sequence[str]],
                 min_shared: float = 0.3) -> dict[int, tuple[object, float]]:
    """Match topics of another run to this run's by their top words (Hungarian matching).

    ``previous`` and ``current`` map topic keys to top-word lists. Each current topic
    gets at most one previous key, the one-to-one assignment that maximises the shared
    share of top words (``|A ∩ B| / min(|A|, |B|)``); pairs sharing less than
    ``min_shared`` stay unmatched. Returns ``{current topic: (previous key, share)}``.

    >>> match_topics({"制造": ["制造业", "产业链", "企业"], "农业": ["粮食", "农业", "农民"]},
    ...              {1: ["农业", "粮食", "春耕"], 2: ["产业链", "制造业", "创新"]})
    {1: ('农业', 0.667), 2: ('制造', 0.667)}
    """
    from scipy.optimize import linear_sum_assignment

    old_keys, new_keys = list(previous), list(current)
    if not old_keys or not new_keys:
        return {}
    share = np.zeros((len(new_keys), len(old_keys)))
    for i, key in enumerate(new_keys):
        words = set(current[key])
        for j, old in enumerate(old_keys):
            other = set(previous[old])
            if words and other:
                share[i, j] = len(words & other) / min(len(words), len(other))
    rows, cols = linear_sum_assignment(-share)
    return {new_keys[i]: (old_keys[j], round(float(share[i, j]), 3))
            for i, j in zip(rows, cols) if share[i, j] >= min_shared}


__all__ = ["match_topics", "topic_similarity"]
