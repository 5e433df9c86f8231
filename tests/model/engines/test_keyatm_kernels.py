"""keyATM's numba kernels: compiled once, and the same seed gives the same chain."""

from __future__ import annotations

import numpy as np

from policytopics.model.engines.keyatm_kernels import kernels


def start_chain(seed: int):
    """Two documents of three tokens, two topics, word 0 a keyword of topic 0."""
    compiled = kernels()
    doc_ptr, words = np.array([0, 3, 6]), np.array([0, 1, 2, 1, 2, 2])
    weights = np.ones(3)
    keyword_of = np.array([[True, False, False], [False, False, False]])
    z, s = np.zeros(6, dtype=np.int64), np.zeros(6, dtype=np.int8)
    n_dk, n_k, m_k = np.zeros((2, 2)), np.zeros(2), np.zeros(2)
    n_kw, m_kw = np.zeros((2, 3)), np.zeros((2, 3))
    compiled["seed_rng"](seed)
    compiled["initialise"](doc_ptr, words, weights, keyword_of, 2, z, s, n_dk, n_kw, n_k, m_kw, m_k)
    return z, s, n_dk, n_kw, m_kw


def test_the_kernels_are_compiled_once():
    assert kernels() is kernels()
    assert set(kernels()) == {"seed_rng", "initialise", "sweeps", "infer"}


def test_a_keyword_starts_in_its_topic_from_its_keywords_and_the_seed_decides_the_rest():
    z, s, n_dk, n_kw, m_kw = start_chain(1)
    assert z[0] == 0 and s[0] == 1 and m_kw[0, 0] == 1.0
    assert not s[1:].any() and n_kw.sum() == 5 and n_dk.sum() == 6
    for again, first in zip(start_chain(1), (z, s, n_dk, n_kw, m_kw)):
        np.testing.assert_array_equal(again, first)


def test_inference_is_each_documents_own():
    topic_word = np.array([[0.8, 0.1, 0.1], [0.1, 0.1, 0.8]])
    alpha = np.array([0.5, 0.5])
    doc_ptr, words = np.array([0, 3, 6]), np.array([0, 0, 1, 2, 2, 1])
    both = np.zeros((2, 2))
    kernels()["infer"](doc_ptr, words, np.ones(3), topic_word, alpha, 20, 0, both)
    alone = np.zeros((1, 2))
    kernels()["infer"](np.array([0, 3]), words[3:], np.ones(3), topic_word, alpha, 20, 0, alone)
    np.testing.assert_array_equal(alone[0], both[1])
    np.testing.assert_allclose(both.sum(axis=1), 1.0)
    assert both[0, 0] > both[0, 1] and both[1, 1] > both[1, 0]
