"""What the study derives from its stages, once per the keys it depends on."""

from __future__ import annotations

from policytopics.study.results import Results


def test_results_are_memoised_and_shared_by_a_quick_view(sample_study):
    results = Results(sample_study.catalog)
    assert results.doc_topics() is results.doc_topics()
    assert results.topic_labels() == sample_study.topic_labels()
    quick = Results(sample_study.quick_view().catalog, quick=True)
    assert quick.doc_topics() is results.doc_topics()  # the same model, labels and periods
    assert quick.estimates() is not results.estimates()  # point estimates only
    assert set(quick.weights("region")["interval"]) == {"quick"}
    assert "quick" not in set(results.weights("region")["interval"])


def test_weights_and_emphasis_by_their_grouping(sample_study):
    results = Results(sample_study.catalog)
    assert results.weights("period").equals(sample_study.theme_weights_by_period())
    assert results.emphasis("region").equals(sample_study.theme_emphasis_by_region())
    assert results.effects() is results.estimates().effects
