"""The numbers behind the explorer page: terms by relevance, frequencies, checks."""


import numpy as np
import pytest
from conftest import TOPIC_TEXTS as TEXTS

from policytopics.model.topic_model import TopicModel
from policytopics.report.explorer import (
    explorer_data,
    explorer_html,
    topic_coordinates,
    topic_terms,
)
from policytopics.settings.config import ModelConfig

K = 3


LABELS = {1: "T1 绿色转型", 3: "T3 产业链创新"}


@pytest.fixture(scope="module")
def model():
    return TopicModel(ModelConfig(n_topics=K, seed=1, passes=10, no_below=1, no_above=0.9)).fit(TEXTS)


@pytest.fixture(scope="module")
def data(model):
    return explorer_data(model, topic_labels=LABELS, n_words=5)


def test_every_topic_has_coordinates_and_prevalences_sum_to_one(data, model):
    topics = data["topics"]
    assert [t["topic"] for t in topics] == list(range(1, K + 1))
    assert all(np.isfinite([t["x"], t["y"]]).all() for t in topics)
    assert sum(t["prevalence"] for t in topics) == pytest.approx(1.0, abs=1e-4)
    # Three clearly separate themes must not collapse onto one point.
    points = np.array([[t["x"], t["y"]] for t in topics])
    assert min(np.linalg.norm(points[i] - points[j]) for i in range(K) for j in range(i + 1, K)) > 0.1
    coordinates = topic_coordinates(model)
    assert list(coordinates.columns) == ["topic", "x", "y", "prevalence"]
    np.testing.assert_allclose(coordinates[["x", "y"]].to_numpy(), points)


def test_labels_are_used_as_given_and_filled_in_from_top_words(data, model):
    labels = [t["label"] for t in data["topics"]]
    top_words = model.topic_words(3).query("topic == 2")["word"]
    assert labels == [LABELS[1], "T2 " + "·".join(top_words), LABELS[3]]


def test_relevance_at_lambda_one_is_the_probability_order(data, model):
    by_probability = model.topic_words(5)
    for k in range(1, K + 1):
        ranked = topic_terms(data, k, lam=1.0)
        assert ranked["word"].tolist() == by_probability.query("topic == @k")["word"].tolist()
        assert ranked["rank"].tolist() == list(range(1, 6))


def test_relevance_matches_the_model_at_the_default_lambda(data, model):
    by_relevance = model.relevant_words(5, lam=0.6)
    for k in range(1, K + 1):
        assert topic_terms(data, k)["word"].tolist() == by_relevance.query("topic == @k")["word"].tolist()


def test_estimated_frequencies_add_up_to_the_corpus_frequency(data):
    shares = np.array(data["share"])
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-4)
    overall = [data["vocab"][w] for w in data["overall"]]
    counts = [data["count"][w] for w in data["overall"]]
    assert counts == sorted(counts, reverse=True)
    assert {"制造业", "数字经济", "绿色低碳"} <= set(overall)  # each appears 9 times, more than any other


def test_bad_arguments_are_clear_errors(model):
    with pytest.raises(ValueError, match="lam"):
        explorer_data(model, lam=1.5)
    with pytest.raises(ValueError, match=r"topics \[0\]"):
        explorer_data(model, topic_labels={0: "zero-based"})
    with pytest.raises(ValueError, match="topic must be between 1 and 3"):
        topic_terms(explorer_data(model), 0)
    with pytest.raises(ValueError, match="language"):
        explorer_html(explorer_data(model), language="fr")


def test_a_seeded_topic_s_seed_words_are_marked_among_its_terms(model):
    top = topic_terms(explorer_data(model, n_words=5), 2)["word"].tolist()
    seeds = {2: [top[0], top[2], "不在词表"]}  # a seeded word outside the terms marks nothing
    data = explorer_data(model, n_words=5, seed_words=seeds)
    assert sorted(data["vocab"][w] for w in data["topics"][1]["seeds"]) == sorted([top[0], top[2]])
    terms = topic_terms(data, 2)
    assert terms.loc[terms["seed"], "word"].tolist() == [top[0], top[2]]
    assert data["topics"][0]["seeds"] == data["topics"][2]["seeds"] == []  # free topics
    assert not topic_terms(data, 1)["seed"].any()
    assert not topic_terms(explorer_data(model, n_words=5), 2)["seed"].any()  # no themes: no marks
