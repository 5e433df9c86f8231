"""Theme weights: periods, group means and their intervals, the document-topic table."""

import numpy as np
import pandas as pd
import pytest

from policytopics import Study, load_study
from policytopics.estimate.weights import period_of, theme_weights


def test_periods():
    assert period_of("2024-06-04", "day", "quarter") == "2024Q2"
    assert period_of("2024-06-04", "day", "month") == "2024-06"
    assert period_of("2024", "year", "month") is None
    assert period_of(None, None, "year") is None


def test_bootstrap_interval_contains_the_mean_and_narrows_with_more_documents():
    rng = np.random.default_rng(0)

    def table(n):
        return pd.DataFrame({"doc_id": range(n), "region": "上海市", "topic": 1,
                             "topic_label": "T1", "weight": rng.beta(2, 5, n)})

    small = theme_weights(table(10), "region").iloc[0]
    large = theme_weights(table(400), "region").iloc[0]
    assert small["ci_low"] <= small["weight"] <= small["ci_high"]
    assert large["ci_low"] <= large["weight"] <= large["ci_high"]
    assert (large["ci_high"] - large["ci_low"]) < (small["ci_high"] - small["ci_low"])
    assert bool(theme_weights(table(1), "region", min_docs=2).iloc[0]["sparse"])


def test_length_weighted_mean_counts_long_documents_more():
    table = pd.DataFrame({"doc_id": [1, 2, 3], "region": "上海市", "topic": 1, "topic_label": "T1",
                          "weight": [0.0, 1.0, 1.0], "n_chars": [800, 100, 100]})
    plain = theme_weights(table, "region").iloc[0]
    by_length = theme_weights(table, "region", weight_by="n_chars").iloc[0]
    assert plain["weight"] == 2 / 3
    assert by_length["weight"] == 0.2
    assert by_length["ci_low"] <= by_length["weight"] <= by_length["ci_high"]
    with pytest.raises(ValueError, match="weight_by"):
        theme_weights(table, "region", weight_by="n_tokens")


def test_national_documents_form_their_own_group_unknown_ones_do_not():
    from policytopics.estimate.weights import doc_topics_table
    from policytopics.text.metadata import NATIONAL_SOURCE

    documents = pd.DataFrame({
        "doc_id": ["a", "b", "c"], "title": ["甲", "乙", "丙"], "date": ["2024", "2024", "2023"],
        "date_precision": ["year"] * 3, "region": ["山东省", None, None], "city": [None] * 3,
        "region_source": ["column", NATIONAL_SOURCE, "no place named"], "national": [False, True, False],
    })
    table = doc_topics_table(documents, np.full((3, 2), 0.5), {1: "T1", 2: "T2"}, national_label="全国")
    regions = table.drop_duplicates("doc_id").set_index("doc_id")["region"]
    assert regions["a"] == "山东省" and regions["b"] == "全国" and pd.isna(regions["c"])


def test_region_level_city_groups_by_city(sample_study, tmp_path):
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=sample_study.config.output.cache_dir,
                        weights__region_level="city", weights__weight_by="n_chars")
    study = Study(config, progress=False)
    by_city = study.theme_weights_by_region()
    cities = set(study.kept_documents()["city"].dropna())
    assert cities and set(by_city["region"]) == cities
    assert "n_chars" in study.doc_topics().columns


def test_group_means_build_each_draws_matrix_from_its_fixed_layout(monkeypatch):
    """A draw's groups × documents matrix is made from the layout computed once (no
    (row, column) pairs converted and sorted on every draw of 500) and gives, bit for bit,
    the means of the matrix built from those pairs."""
    from scipy import sparse
    from scipy.sparse import _coo

    from policytopics.estimate.weights import GroupMeans

    rng = np.random.default_rng(3)
    docs = pd.DataFrame({"region": rng.choice(["甲", "乙", "丙", None], 300),
                         "n_chars": rng.integers(0, 50, 300)})
    theta = rng.dirichlet(np.ones(4), 300)
    means = GroupMeans(docs, ["region"], "n_chars")
    conversions = []
    original = _coo._coo_base._coo_to_compressed
    monkeypatch.setattr(_coo._coo_base, "_coo_to_compressed",
                        lambda self, *a, **k: conversions.append(1) or original(self, *a, **k))
    drawn = means(theta, np.random.default_rng(7))
    assert conversions == []
    monkeypatch.undo()
    # The reference: the same draw's counts, the matrix built from its (group, document) pairs.
    group = means._member_group
    uniform = np.random.default_rng(7).random(len(group))
    picks = means._starts[group] + (uniform * means.n_docs[group]).astype(np.int64)
    weights = np.bincount(means._members[picks], minlength=300).astype(float) * means._sizes
    rows = means._members
    matrix = sparse.csr_matrix((weights[rows], (means._codes[rows], rows)), shape=(len(means.groups), 300))
    totals = np.asarray(matrix.sum(axis=1)).ravel()
    expected = np.asarray(matrix @ theta) / np.maximum(totals, 1e-300)[:, None]
    assert np.array_equal(drawn, expected)
