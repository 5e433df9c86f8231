"""What the study derives from its stages, once per the keys it depends on."""

from __future__ import annotations

from policytopics.study.results import Results


def test_results_are_memoised_and_shared_by_a_quick_view(sample_study):
    results = Results(sample_study.catalog)
    assert results.document_table() is results.document_table()
    assert results.topic_labels() == sample_study.topic_labels()
    quick = Results(sample_study.quick_view().catalog, quick=True)
    assert quick.document_table() is results.document_table()  # the same model and periods
    assert quick.estimates() is not results.estimates()  # point estimates only
    assert set(quick.weights("region")["interval"]) == {"quick"}
    assert "quick" not in set(results.weights("region")["interval"])


def test_weights_and_emphasis_by_their_grouping(sample_study):
    results = Results(sample_study.catalog)
    assert results.weights("period").equals(sample_study.theme_weights_by_period())
    assert results.emphasis("region").equals(sample_study.theme_emphasis_by_region())
    assert results.effects() is results.estimates().effects


def test_the_long_table_is_the_document_table_once_per_topic(sample_study):
    results = Results(sample_study.catalog)
    documents, theta = results.document_table()
    long = results.doc_topics()
    k = theta.shape[1]
    assert len(long) == len(documents) * k
    assert long["doc_id"].tolist() == documents["doc_id"].repeat(k).tolist()
    assert long["weight"].tolist() == theta.ravel().tolist()
    wide = results.doc_topics_wide()
    assert wide["doc_id"].tolist() == documents["doc_id"].tolist()
    assert wide[[f"T{t}" for t in range(1, k + 1)]].to_numpy().tolist() == theta.tolist()
