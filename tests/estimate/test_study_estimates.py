"""Estimates: every estimate of a study from one pass of draws, each as its own function gives it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from policytopics.estimate.effects import EffectModel, effect_tables
from policytopics.estimate.study_estimates import EFFECT_TABLES, GROUPINGS, Estimates
from policytopics.estimate.uncertainty import compose
from policytopics.estimate.weights import (
    GroupMeans,
    TopicCorrelation,
    document_proportions,
    theme_emphasis,
    theme_weights,
    topic_correlations,
)
from policytopics.settings.config import EffectsConfig, WeightsConfig

LABELS = {1: "科技创新", 2: "乡村振兴", 3: "绿色低碳"}
REGIONS = ["浙江省", "四川省", "河南省", "北京市"]


@pytest.fixture(scope="module")
def doc_topics() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    rows = []
    for d in range(48):
        region, year = REGIONS[d % 4], 2018 + d % 3
        for topic, weight in enumerate(rng.dirichlet(np.full(3, 2.0)), start=1):
            rows.append({"doc_id": f"d{d:03d}", "title": f"d{d:03d}", "date": f"{year}-06-01",
                         "date_precision": "day", "period": str(year), "region": region, "city": None,
                         "n_chars": 300 + d, "topic": topic, "topic_label": LABELS[topic], "weight": weight})
    return pd.DataFrame(rows)


WEIGHTS = WeightsConfig(uncertainty="bootstrap", draws=40, seed=3)


def estimates(doc_topics, effects: EffectsConfig | None = None) -> Estimates:
    def no_posterior():
        raise AssertionError("the posterior is asked for only under uncertainty = 'global'")

    documents, theta, _ = document_proportions(doc_topics)
    return Estimates(documents, theta, WEIGHTS, effects or EffectsConfig(), posterior=no_posterior,
                     topic_labels=LABELS)


def test_every_table_is_the_one_its_own_function_gives_from_the_same_pass(doc_topics):
    found = estimates(doc_topics)
    documents, theta, topics = document_proportions(doc_topics)
    model = EffectModel(documents, "region + period", theta, min_docs=WEIGHTS.min_docs)
    statistics = {name: GroupMeans(documents, keys, None) for name, keys in GROUPINGS.items()}
    statistics["correlation"] = TopicCorrelation()
    statistics["effects"] = model
    draws = compose(theta, statistics, uncertainty="bootstrap", draws=40, seed=3)
    for name, compute in (("region", theme_weights), ("period", theme_emphasis)):
        shared = (statistics[name], statistics[name](theta, None), draws[name], topics)
        expected = compute(doc_topics, name, min_docs=2, ci=0.95, weight_by=None,
                           uncertainty="bootstrap", shared=shared)
        got = found.weights(name) if compute is theme_weights else found.emphasis(name)
        pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(found.correlations, topic_correlations(
        statistics["correlation"](theta, None), draws["correlation"], LABELS, ci=0.95))
    expected_effects = effect_tables(model, model(theta, None), draws["effects"], LABELS)
    assert list(found.effects) == list(EFFECT_TABLES)
    for name in EFFECT_TABLES:
        pd.testing.assert_frame_equal(found.effects[name], expected_effects[name])


def test_one_pass_of_draws_serves_every_table(doc_topics):
    found = estimates(doc_topics)
    first = found.draws
    for table in (found.weights("region"), found.weights("region_period"), found.emphasis("period"),
                  found.correlations, *found.effects.values()):
        assert isinstance(table, pd.DataFrame)
    assert found.draws is first
    assert set(first[1]) == {*GROUPINGS, "correlation", "effects"}
    assert all(len(draws) == 40 for draws in first[1].values())


def test_without_a_formula_the_effect_tables_are_empty(doc_topics):
    found = estimates(doc_topics, EffectsConfig(formula=""))
    assert found.effect_model is None
    assert "effects" not in found.draws[0]
    assert {name: table.empty for name, table in found.effects.items()} == dict.fromkeys(EFFECT_TABLES, True)


def test_a_formula_that_cannot_be_estimated_says_why_and_leaves_the_effects_empty(doc_topics):
    found = estimates(doc_topics, EffectsConfig(formula="region + area"))
    assert not found.effect_model.usable and "overlap" in found.effect_model.reason
    assert all(table.empty for table in found.effects.values())
    assert not found.weights("region").empty  # the weights do not depend on it
