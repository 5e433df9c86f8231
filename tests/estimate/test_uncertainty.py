"""The method of composition: posterior draws, group means, intervals that include the
model's own uncertainty."""

import numpy as np
import pandas as pd
import pytest

from policytopics.estimate.uncertainty import ProportionPosterior, compose, quantile_interval
from policytopics.estimate.weights import GroupMeans, TopicCorrelation, theme_emphasis, theme_weights


def long_table(theta, regions, periods=None):
    rows = []
    for i, (shares, region) in enumerate(zip(theta, regions)):
        for t, share in enumerate(shares, start=1):
            rows.append({"doc_id": f"d{i:03d}", "region": region,
                         "period": None if periods is None else periods[i], "n_chars": 100,
                         "topic": t, "topic_label": f"T{t}", "weight": share})
    return pd.DataFrame(rows)


def test_posterior_is_centred_on_the_point_and_tighter_for_longer_units():
    theta = np.array([[0.7, 0.2, 0.1]] * 2)
    posterior = ProportionPosterior(theta, [20, 2000], [0.1] * 3, ["short", "long"], [1, 1],
                                    ["short", "long"])
    rng = np.random.default_rng(0)
    draws = np.stack([posterior.draw(rng) for _ in range(4000)])
    np.testing.assert_allclose(draws.mean(axis=0), theta, atol=0.01)
    spread = draws.std(axis=0)[:, 0]
    assert spread[0] > 5 * spread[1]  # a 20-token unit is far less certain than a 2,000-token one
    # Dirichlet(theta * (n + sum alpha) / 2): the first share's variance is p(1-p)/((n + sum alpha)/2 + 1).
    np.testing.assert_allclose(spread[0], np.sqrt(0.7 * 0.3 / (20.3 / 2 + 1)), rtol=0.08)


def test_posterior_aggregates_passages_to_documents_by_length():
    theta = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    posterior = ProportionPosterior(theta, [1e6, 1e6, 1e6], [0.5, 0.5], ["a", "a", "b"], [300, 100, 50],
                                    ["b", "a"])
    drawn = posterior.draw(np.random.default_rng(1))
    assert posterior.doc_ids == ["b", "a"]  # rows in the order asked
    np.testing.assert_allclose(drawn, [[0.5, 0.5], [0.75, 0.25]], atol=0.01)


def test_posterior_refuses_units_of_unknown_documents():
    with pytest.raises(ValueError, match="every unit"):
        ProportionPosterior(np.ones((1, 2)) / 2, [5], [1, 1], ["x"], [1], ["y"])


def test_an_empty_unit_is_as_uncertain_as_the_prior():
    posterior = ProportionPosterior(np.array([[0.5, 0.5]]), [0], [0.01, 0.01], ["a"], [1], ["a"])
    rng = np.random.default_rng(2)
    draws = np.stack([posterior.draw(rng) for _ in range(500)])
    assert np.isfinite(draws).all() and (draws[:, 0, 0] > 0.99).mean() > 0.3  # a tiny prior: near 0 or 1


def test_group_means_resample_within_groups_and_weigh_by_size():
    docs = pd.DataFrame({"region": ["甲", "甲", "乙", None], "n_chars": [300, 100, 50, 10]})
    theta = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.9, 0.1]])
    means = GroupMeans(docs, ["region"], "n_chars")
    assert means.groups == [("乙",), ("甲",)] and means.n_docs.tolist() == [1, 2]
    np.testing.assert_allclose(means(theta, None), [[0.5, 0.5], [0.75, 0.25]])
    rng = np.random.default_rng(0)
    draws = np.stack([means(theta, rng) for _ in range(2000)])
    np.testing.assert_allclose(draws[:, 0], 0.5)  # one document: the same in every resample
    values = set(np.round(draws[:, 1, 0], 6))
    assert values == {0.0, 0.75, 1.0}  # 甲's two documents drawn twice: (b,b), (a,b), (a,a)
    with pytest.raises(ValueError, match="weight_by"):
        GroupMeans(docs, ["region"], "n_tokens")


def test_one_document_groups_get_the_models_uncertainty_under_global_only():
    theta = np.array([[0.6, 0.4], [0.3, 0.7], [0.5, 0.5]])
    table = long_table(theta, ["甲", "乙", "乙"], periods=["2020", "2021", "2021"])
    posterior = ProportionPosterior(theta, [50, 50, 50], [0.5, 0.5], ["d000", "d001", "d002"], [1, 1, 1],
                                    ["d000", "d001", "d002"])
    plain = theme_weights(table, "period", draws=300, uncertainty="bootstrap").set_index(["period", "topic"])
    full = theme_weights(table, "period", draws=300, uncertainty="global",
                         posterior=posterior).set_index(["period", "topic"])
    lone_plain, lone_full = plain.loc[("2020", 1)], full.loc[("2020", 1)]
    # No interval is empty, not an interval of width 0 around the estimate.
    assert lone_plain[["ci_low", "ci_high"]].isna().all() and lone_plain["interval"] == "none"
    assert lone_full["ci_low"] < 0.6 < lone_full["ci_high"] and lone_full["interval"] == "model"
    assert full.loc[("2021", 1), "interval"] == "model+documents"
    assert plain.loc[("2021", 1), "interval"] == "documents"
    # The global interval of a two-document group is wider than its bootstrap interval.
    width = lambda row: row["ci_high"] - row["ci_low"]  # noqa: E731
    assert width(full.loc[("2021", 1)]) > width(plain.loc[("2021", 1)])
    none = theme_weights(table, "period", uncertainty="none")
    assert none[["ci_low", "ci_high"]].isna().all().all() and set(none["interval"]) == {"none"}


def test_global_needs_a_posterior_and_draws_are_reproducible():
    theta = np.random.default_rng(0).dirichlet([1, 1, 1], size=30)
    table = long_table(theta, ["甲", "乙", "丙"] * 10)
    with pytest.raises(ValueError, match="posterior"):
        theme_weights(table, "region", uncertainty="global")
    ids = [f"d{i:03d}" for i in range(30)]
    posterior = ProportionPosterior(theta, [40] * 30, [0.3] * 3, ids, [1] * 30, ids)
    first = theme_emphasis(table, "region", uncertainty="global", posterior=posterior, seed=4, draws=50)
    again = theme_emphasis(table, "region", uncertainty="global", posterior=posterior, seed=4, draws=50)
    other = theme_emphasis(table, "region", uncertainty="global", posterior=posterior, seed=5, draws=50)
    pd.testing.assert_frame_equal(first, again)
    assert not first["ci_low"].equals(other["ci_low"])
    assert set(first["interval"]) == {"model+documents"}


def test_compose_runs_every_statistic_on_the_same_draws():
    theta = np.random.default_rng(1).dirichlet([1, 1], size=20)
    ids = [str(i) for i in range(20)]
    posterior = ProportionPosterior(theta, [30] * 20, [0.5, 0.5], ids, [1] * 20, ids)
    seen = []
    out = compose(theta, {"a": lambda t, rng: (seen.append(t), t.mean(axis=0))[1],
                          "b": lambda t, rng: t.sum(axis=0)},
                  posterior=posterior, draws=7, seed=0)
    assert out["a"].shape == (7, 2) and out["b"].shape == (7, 2)
    np.testing.assert_allclose(out["b"] / 20, out["a"])  # both statistics saw the same draw
    assert not np.allclose(seen[0], theta)  # a draw, not the point estimate
    with pytest.raises(ValueError, match="uncertainty"):
        compose(theta, {}, uncertainty="bayes")
    with pytest.raises(ValueError, match="at least 2"):
        compose(theta, {}, uncertainty="bootstrap", draws=1)


def test_quantile_interval_checks_its_level():
    with pytest.raises(ValueError, match="between 0 and 1"):
        quantile_interval(np.zeros((3, 1)), 95)


def test_topic_correlation_finds_topics_that_go_together():
    rng = np.random.default_rng(0)
    together = rng.uniform(0, 0.4, 200)
    theta = np.column_stack([together, together * 0.8 + rng.uniform(0, 0.05, 200), np.ones(200)])
    theta /= theta.sum(axis=1, keepdims=True)
    correlation = TopicCorrelation()
    point = correlation(theta, None)
    assert point[0, 1] > 0.9 and point[0, 2] < 0
    draws = np.stack([correlation(theta, rng) for _ in range(100)])
    assert (draws[:, 0, 1] > 0.8).all() and draws.std(axis=0)[0, 1] > 0  # resampled documents


def test_several_samples_are_drawn_from_whole_and_one_is_drawn_with_halved_precision():
    first, second = np.array([[0.8, 0.2]]), np.array([[0.4, 0.6]])
    both = ProportionPosterior(np.stack([first, second]), [10_000], [0.5, 0.5], ["a"], [1], ["a"])
    assert both.concentration.shape == (2, 1, 2)
    np.testing.assert_allclose(both.concentration[0, 0], [8000.8, 2000.2])  # no halving with samples
    rng = np.random.default_rng(0)
    draws = np.array([both.draw(rng)[0, 0] for _ in range(400)])
    # Every draw sits near one of the two states: the spread between them is in the draws.
    assert ((np.abs(draws - 0.8) < 0.03) | (np.abs(draws - 0.4) < 0.03)).all()
    assert 0.3 < (draws > 0.6).mean() < 0.7
    single = ProportionPosterior(first, [10_000], [0.5, 0.5], ["a"], [1], ["a"])
    np.testing.assert_allclose(single.concentration[0, 0], [4000.4, 1000.1])


def test_the_model_s_samples_are_kept_as_given_and_drawn_in_double_precision():
    # The model's float32 samples (samples × units × topics) are not copied: each draw makes
    # its sample's concentration, in float64, as all of them made at once would be.
    samples = np.random.default_rng(1).dirichlet([0.5, 0.5, 0.5], size=(3, 40)).astype(np.float32)
    posterior = ProportionPosterior(samples, np.arange(40) * 10, [0.1] * 3, range(40), [1] * 40, range(40))
    assert np.shares_memory(posterior.samples, samples)
    precision = np.arange(40) * 10 + float(np.sum([0.1] * 3))
    whole = np.maximum(samples.astype(float) * precision[None, :, None], 1e-9)
    assert posterior.sample_concentration(2).dtype == np.float64
    np.testing.assert_array_equal(posterior.concentration, whole)


def test_a_document_without_weight_is_no_member_of_a_weighed_group():
    docs = pd.DataFrame({"region": ["甲", "甲", "乙"], "n_chars": [1000, 0, 10]})
    means = GroupMeans(docs, ["region"], "n_chars")
    assert means.n_docs.tolist() == [1, 1]  # 乙, 甲: the empty document adds nothing to 甲's mean
    theta = np.array([[0.8, 0.2], [0.1, 0.9], [0.5, 0.5]])
    rng = np.random.default_rng(0)
    draws = np.stack([means(theta, rng) for _ in range(200)])
    np.testing.assert_allclose(draws[:, 1], [[0.8, 0.2]] * 200)  # never a mean of nothing


def test_correlations_resample_documents_only_and_each_statistic_has_its_own_stream():
    rng = np.random.default_rng(0)
    together = rng.uniform(0, 0.4, 300)
    theta = np.column_stack([together, together * 0.8 + rng.uniform(0, 0.05, 300), np.ones(300)])
    theta /= theta.sum(axis=1, keepdims=True)
    ids = [str(i) for i in range(300)]
    short = ProportionPosterior(theta, [15] * 300, [0.3] * 3, ids, [1] * 300, ids)
    docs = pd.DataFrame({"region": ["甲", "乙", "丙"] * 100})
    out = compose(theta, {"correlation": TopicCorrelation(), "means": GroupMeans(docs, ["region"])},
                  posterior=short, draws=200, seed=1)
    low, high = quantile_interval(out["correlation"])
    point = TopicCorrelation()(theta, None)
    assert low[0, 1] <= point[0, 1] <= high[0, 1]  # noise would pull the interval below the point
    alone = compose(theta, {"means": GroupMeans(docs, ["region"])}, posterior=short, draws=200, seed=1)
    np.testing.assert_array_equal(alone["means"], out["means"])  # the correlation took nothing from it


def test_the_posterior_must_be_the_tables_documents():
    theta = np.random.default_rng(0).dirichlet([1, 1], size=4)
    table = long_table(theta, ["甲", "甲", "乙", "乙"])
    ids = ["d003", "d002", "d001", "d000"]  # the same documents in another order
    posterior = ProportionPosterior(theta[::-1], [30] * 4, [0.5, 0.5], ids, [1] * 4, ids)
    with pytest.raises(ValueError, match="not the table's documents"):
        theme_weights(table, "region", uncertainty="global", posterior=posterior)


def test_the_draws_are_the_same_in_one_process_or_two():
    theta = np.random.default_rng(3).dirichlet([1, 1, 1], size=60)
    ids = [str(i) for i in range(60)]
    posterior = ProportionPosterior(theta, [40] * 60, [0.3] * 3, ids, [1] * 60, ids)
    statistics = {"means": GroupMeans(pd.DataFrame({"region": ["甲", "乙", "丙"] * 20}), ["region"]),
                  "correlation": TopicCorrelation()}
    one = compose(theta, statistics, posterior=posterior, draws=120, seed=9, workers=1)
    two = compose(theta, statistics, posterior=posterior, draws=120, seed=9, workers=2)
    for name in statistics:
        np.testing.assert_array_equal(one[name], two[name])
    assert one["means"].shape == (120, 3, 3)


def test_a_draw_of_whole_documents_skips_the_aggregate_and_is_the_same_bit_for_bit():
    """Units that are the documents themselves, in order (news stories): no product with the
    identity aggregate on each of 500 draws, and the same draw as through it."""
    rng = np.random.default_rng(0)
    theta = rng.dirichlet(np.ones(5), 50)
    ids = [f"d{i}" for i in range(50)]
    tokens, chars = rng.integers(0, 80, 50), rng.integers(1, 900, 50)
    whole = ProportionPosterior(theta, tokens, np.full(5, 0.1), ids, chars, ids)
    assert whole.units_are_documents
    through = whole.aggregate
    whole.aggregate = None  # a draw that still multiplied would fail here
    drawn = whole.draw(np.random.default_rng(4))
    whole.aggregate = through
    whole.units_are_documents = False
    assert np.array_equal(drawn, whole.draw(np.random.default_rng(4)))
    passages = ProportionPosterior(theta, np.full(50, 10), np.full(5, 0.1), ids[:25] * 2, np.ones(50),
                                   ids[:25])
    assert not passages.units_are_documents


def _whole_draw(posterior: ProportionPosterior, rng: np.random.Generator) -> np.ndarray:
    """A draw made whole, as before the blocks: every unit's gammas at once."""
    sample = int(rng.integers(len(posterior.samples))) if len(posterior.samples) > 1 else 0
    gammas = rng.standard_gamma(posterior.sample_concentration(sample))
    totals = gammas.sum(axis=1, keepdims=True)
    units = np.divide(gammas, totals, out=np.full_like(gammas, 1 / posterior.n_topics), where=totals > 0)
    return units if posterior.units_are_documents else np.asarray(posterior.aggregate @ units)


@pytest.mark.parametrize("block", [1, 7, 64, 10_000])
def test_a_draw_made_in_blocks_is_the_draw_made_whole_number_for_number(monkeypatch, block):
    from policytopics.estimate import uncertainty

    monkeypatch.setattr(uncertainty, "DRAW_BLOCK_UNITS", block)
    rng = np.random.default_rng(5)
    # 40 documents of 1-4 passages, the passages of two documents interleaved once.
    docs = [f"d{d:02d}" for d in range(40) for _ in range(1 + d % 4)]
    docs[2], docs[3] = docs[3], docs[2]
    samples = rng.dirichlet(np.ones(6), (3, len(docs))).astype(np.float32)
    posterior = ProportionPosterior(samples, rng.integers(0, 60, len(docs)), np.full(6, 0.2), docs,
                                    rng.integers(0, 500, len(docs)), sorted(set(docs)))
    assert not posterior.units_are_documents
    blocks = posterior.blocks()
    assert [start for start, *_ in blocks] == [0] + [stop for _, stop, *_ in blocks[:-1]]
    assert blocks[-1][1] == len(docs)
    # Each document's passages are in one block: d00 alone, then d01 and its interleaved neighbour.
    held = [set(docs[start:stop]) for start, stop, *_ in blocks]
    assert sum(len(documents) for documents in held) == 40
    if block == 1:
        assert held[:3] == [{"d00"}, {"d01", "d02"}, {"d03"}]
    for seed in range(3):
        assert np.array_equal(posterior.draw(np.random.default_rng(seed)),
                              _whole_draw(posterior, np.random.default_rng(seed)))
    ids = [f"u{i:03d}" for i in range(len(docs))]
    whole = ProportionPosterior(samples[0], np.full(len(docs), 30), np.full(6, 0.2), ids,
                                np.ones(len(docs)), ids)
    assert whole.units_are_documents
    assert np.array_equal(whole.draw(np.random.default_rng(8)), _whole_draw(whole, np.random.default_rng(8)))
