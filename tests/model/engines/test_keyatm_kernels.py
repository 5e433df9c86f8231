"""keyATM's numba kernels: compiled once (and cached on disk for the next process), and the
same seed gives the same chain."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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


# One start of a chain in a fresh process; prints, per kernel, numba's cache hits and misses.
_CHAIN_IN_A_PROCESS = """
import json, sys
sys.path.insert(0, {tests!r})
from test_keyatm_kernels import start_chain
from policytopics.model.engines.keyatm_kernels import kernels
z = start_chain(1)[0]
stats = {{name: kernel.stats for name, kernel in kernels().items() if name in ("seed_rng", "initialise")}}
print(json.dumps({{"z": z.tolist(), **{{name: [sum(s.cache_hits.values()), sum(s.cache_misses.values())]
                                      for name, s in stats.items()}}}}))
"""


def test_a_second_process_loads_the_kernels_from_the_disk_cache(tmp_path):
    """The first process compiles and writes the machine code, the next reads it: no recompiling."""
    code = _CHAIN_IN_A_PROCESS.format(tests=os.path.dirname(__file__))
    env = os.environ | {"NUMBA_CACHE_DIR": str(tmp_path)}

    def run() -> dict:
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                              check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    first, second = run(), run()
    assert any(tmp_path.rglob("*.nbi")) and any(tmp_path.rglob("*.nbc"))
    assert first["initialise"] == [0, 1] and first["seed_rng"] == [0, 1]
    assert second["initialise"] == [1, 0] and second["seed_rng"] == [1, 0]
    assert second["z"] == first["z"] == start_chain(1)[0].tolist()
