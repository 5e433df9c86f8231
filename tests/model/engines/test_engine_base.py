"""What an engine is: the base class's contract and the helpers the engines share."""

from __future__ import annotations

import numpy as np
import pytest

from policytopics.model.engines.base import (
    GIBBS_PRIOR,
    POSTERIOR_SAMPLE_GAP,
    VARIATIONAL_PRIOR,
    LDAEngine,
    normalised_rows,
    numeric_prior,
    posterior_steps,
    uniform_rows,
)


def test_an_engine_missing_a_member_cannot_be_made():
    class Half(LDAEngine):
        name = "half"
        model_file = "half.bin"

        @classmethod
        def workers_change_fit(cls, settings):
            return False

    with pytest.raises(TypeError, match="abstract"):
        Half(None, None)


def test_an_engine_starts_with_its_model_its_dictionary_and_no_samples():
    class Tiny(LDAEngine):
        name, model_file = "tiny", "tiny.npy"
        workers_change_fit = classmethod(lambda cls, settings: False)
        fit = classmethod(lambda cls, *args, **kwargs: None)
        load = classmethod(lambda cls, folder, dictionary: None)
        infer = topic_word = alpha = versions = save = lambda self, *args: None

    engine = Tiny("lda", "dictionary")
    assert (engine.lda, engine.dictionary, engine.doc_topic_samples) == ("lda", "dictionary", None)
    assert Tiny.settings == frozenset() and Tiny.seed_prior is GIBBS_PRIOR


@pytest.mark.parametrize(("iterations", "samples"), [(200, 5), (200, 1), (25, 5), (1, 3), (10, 2)])
def test_posterior_steps_add_up_to_the_sweeps_and_keep_the_last_states_apart(iterations, samples):
    steps = posterior_steps(iterations, samples)
    assert sum(steps) == iterations and 1 <= len(steps) <= samples and steps[0] >= 1
    assert all(step == POSTERIOR_SAMPLE_GAP for step in steps[1:])


def test_rows_are_uniform_before_inference_and_normalised_after():
    np.testing.assert_array_equal(uniform_rows(2, 4), np.full((2, 4), 0.25))
    np.testing.assert_allclose(normalised_rows([[1, 3], [2, 2]]), [[0.25, 0.75], [0.5, 0.5]])


def test_numeric_priors_follow_the_settings_words():
    assert numeric_prior("auto", 4, "alpha") == (0.25, True)
    assert numeric_prior("auto", 4, "eta") == (0.25, False)  # a sampler cannot learn eta
    with pytest.raises(ValueError, match="eta = 'asymmetric'"):
        numeric_prior("asymmetric", 4, "eta")
    with pytest.raises(ValueError):
        numeric_prior(True, 4, "alpha")


def test_the_prior_forms_anchor_in_gibbs_sampling_only():
    assert VARIATIONAL_PRIOR.other_share is None and not VARIATIONAL_PRIOR.contained_at_base
    assert 0 < GIBBS_PRIOR.other_share < 1e-2 and GIBBS_PRIOR.contained_at_base
    assert GIBBS_PRIOR.weight > VARIATIONAL_PRIOR.weight > 0
