"""Matching topics one to one: by topic-word vectors (stability) and by top words (labels)."""

import numpy as np
import pytest

from policytopics.model.matching import match_topics, topic_similarity


def test_topic_similarity_ignores_topic_order():
    rng = np.random.default_rng(0)
    topics = rng.dirichlet(np.ones(30), size=5)
    assert topic_similarity(topics, topics[::-1]) == pytest.approx(1.0)
    assert topic_similarity(topics, rng.dirichlet(np.ones(30), size=5)) < 0.95


def test_match_topics_recovers_a_permutation_and_leaves_strangers_unmatched():
    current = {1: ["制造业", "产业链", "企业", "创新"], 2: ["粮食", "农业", "农民", "春耕"],
               3: ["外交", "会见", "合作", "关系"]}
    previous = {"b": current[2][::-1], "a": current[1], "x": ["足球", "比赛", "冠军", "球队"]}
    assert match_topics(previous, current) == {1: ("a", 1.0), 2: ("b", 1.0)}
