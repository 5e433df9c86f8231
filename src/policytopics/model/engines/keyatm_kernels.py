"""The numba kernels of the keyATM sampler (:mod:`policytopics.model.engines.keyatm`):
initialising the chain, its Gibbs sweeps with alpha's slice sampling, and inferring new
documents with the topics fixed.

This module imports numba; :mod:`policytopics.model.engines.keyatm` imports it on the first
fit or inference of ``[model] engine = "keyatm"`` only. The kernels are module functions
compiled with ``cache=True``: the first process compiles them (about 7 s) and writes the
machine code beside this file (``__pycache__``, or numba's cache folder where that is not
writable, ``NUMBA_CACHE_DIR``); later processes load it (README, section keyatm, for the
measured times). Every kernel draws from numba's own random state, seeded by ``seed_rng``:
the same inputs and seed give the same bytes.
"""

from __future__ import annotations

import math

import numpy as np

try:
    from numba import njit
except ImportError:  # pragma: no cover - numba is a dependency
    raise ImportError("[model] engine = 'keyatm' needs numba, a dependency of policytopics: "
                      "pip install numba") from None


@njit(cache=True)
def seed_rng(seed):
    np.random.seed(seed)


@njit(cache=True)
def initialise(doc_ptr, words, weights, keyword_of, n_topics, z, s, n_dk, n_kw, n_k, m_kw, m_k):
    # A keyword token starts in one of its keyword topics, drawn from phi_tilde; any
    # other token in a topic drawn uniformly, from phi.
    for d in range(doc_ptr.size - 1):
        for i in range(doc_ptr[d], doc_ptr[d + 1]):
            w, omega = words[i], weights[words[i]]
            n_own = 0
            for k in range(n_topics):
                if keyword_of[k, w]:
                    n_own += 1
            if n_own > 0:
                pick = np.random.randint(n_own)
                for k in range(n_topics):
                    if keyword_of[k, w]:
                        if pick == 0:
                            z[i] = k
                            break
                        pick -= 1
                s[i] = 1
                m_kw[z[i], w] += omega
                m_k[z[i]] += omega
            else:
                z[i] = np.random.randint(n_topics)
                s[i] = 0
                n_kw[z[i], w] += omega
                n_k[z[i]] += omega
            n_dk[d, z[i]] += omega


@njit(cache=True)
def alpha_logpost(x, k, alpha, n_dk, doc_len, shape, rate):
    # log p(log alpha_k = x | counts): the Dirichlet-multinomial of every document,
    # the Gamma prior and the Jacobian of the log.
    a = math.exp(x)
    total = a
    for j in range(alpha.size):
        if j != k:
            total += alpha[j]
    value = (shape - 1.0) * x - rate * a + x
    lg_a, lg_total = math.lgamma(a), math.lgamma(total)
    for d in range(doc_len.size):
        if doc_len[d] > 0:
            value += lg_total - math.lgamma(doc_len[d] + total) + math.lgamma(n_dk[d, k] + a) - lg_a
    return value


@njit(cache=True)
def sample_alpha(alpha, n_dk, doc_len, alpha_shape, alpha_rate, low, high):
    for k in range(alpha.size):
        shape, rate = alpha_shape[k], alpha_rate[k]
        x0 = math.log(alpha[k])
        level = alpha_logpost(x0, k, alpha, n_dk, doc_len, shape, rate) - np.random.exponential()
        left = x0 - np.random.random()
        right = left + 1.0
        lo, hi = math.log(low), math.log(high)
        for _ in range(20):
            if left <= lo or alpha_logpost(left, k, alpha, n_dk, doc_len, shape, rate) < level:
                break
            left -= 1.0
        for _ in range(20):
            if right >= hi or alpha_logpost(right, k, alpha, n_dk, doc_len, shape, rate) < level:
                break
            right += 1.0
        left, right = max(left, lo), min(right, hi)
        for _ in range(200):
            x1 = left + np.random.random() * (right - left)
            if alpha_logpost(x1, k, alpha, n_dk, doc_len, shape, rate) >= level:
                alpha[k] = math.exp(x1)
                break
            if x1 < x0:
                left = x1
            else:
                right = x1


@njit(cache=True)
def sweeps(n_sweeps, doc_ptr, words, weights, keyword_of, anchored, n_keywords, is_keyword_topic, z, s,
           n_dk, n_kw, n_k, m_kw, m_k, alpha, estimate_alpha, alpha_shape, alpha_rate, beta,
           beta_kw, gamma1, gamma2, doc_len, low, high):
    n_topics, n_vocab = n_kw.shape
    v_beta = n_vocab * beta
    p = np.zeros(2 * n_topics)
    for _ in range(n_sweeps):
        for d in range(doc_ptr.size - 1):
            for i in range(doc_ptr[d], doc_ptr[d + 1]):
                w, omega, k_old = words[i], weights[words[i]], z[i]
                n_dk[d, k_old] -= omega
                if s[i] == 1:
                    m_kw[k_old, w] -= omega
                    m_k[k_old] -= omega
                else:
                    n_kw[k_old, w] -= omega
                    n_k[k_old] -= omega
                total = 0.0
                for k in range(n_topics):
                    if anchored[w] and not keyword_of[k, w]:
                        p[2 * k] = total
                        p[2 * k + 1] = total
                        continue
                    a = n_dk[d, k] + alpha[k]
                    regular = a * (n_kw[k, w] + beta) / (n_k[k] + v_beta)
                    if is_keyword_topic[k]:
                        switch = n_k[k] + m_k[k] + gamma1 + gamma2
                        total += regular * (n_k[k] + gamma2) / switch
                        p[2 * k] = total
                        if keyword_of[k, w]:
                            total += (a * (m_kw[k, w] + beta_kw) / (m_k[k] + n_keywords[k] * beta_kw)
                                      * (m_k[k] + gamma1) / switch)
                    else:
                        total += regular
                        p[2 * k] = total
                    p[2 * k + 1] = total
                u = np.random.random() * total
                j = 0
                while j < 2 * n_topics - 1 and p[j] <= u:
                    j += 1
                k_new = j // 2
                z[i] = k_new
                s[i] = j % 2
                n_dk[d, k_new] += omega
                if s[i] == 1:
                    m_kw[k_new, w] += omega
                    m_k[k_new] += omega
                else:
                    n_kw[k_new, w] += omega
                    n_k[k_new] += omega
        if estimate_alpha:
            sample_alpha(alpha, n_dk, doc_len, alpha_shape, alpha_rate, low, high)


@njit(cache=True)
def infer(doc_ptr, words, weights, topic_word, alpha, n_iterations, seed, out):
    n_topics = alpha.size
    p = np.zeros(n_topics)
    n_dk = np.zeros(n_topics)
    keep_from = n_iterations // 2
    for d in range(doc_ptr.size - 1):
        np.random.seed(seed)  # each document on its own, whatever the others
        start, end = doc_ptr[d], doc_ptr[d + 1]
        z = np.empty(end - start, dtype=np.int64)
        n_dk[:] = 0.0
        doc_len = 0.0
        for i in range(start, end):
            z[i - start] = np.random.randint(n_topics)
            n_dk[z[i - start]] += weights[words[i]]
            doc_len += weights[words[i]]
        for it in range(n_iterations):
            for i in range(start, end):
                w, omega = words[i], weights[words[i]]
                n_dk[z[i - start]] -= omega
                total = 0.0
                for k in range(n_topics):
                    total += (n_dk[k] + alpha[k]) * topic_word[k, w]
                    p[k] = total
                u = np.random.random() * total
                k = 0
                while k < n_topics - 1 and p[k] <= u:
                    k += 1
                z[i - start] = k
                n_dk[k] += omega
            if it >= keep_from:
                for k in range(n_topics):
                    out[d, k] += (n_dk[k] + alpha[k]) / (doc_len + alpha.sum())
        for k in range(n_topics):
            out[d, k] /= n_iterations - keep_from


_KERNELS = {"seed_rng": seed_rng, "initialise": initialise, "sweeps": sweeps, "infer": infer}


def kernels() -> dict:
    """The numba kernels by name (compiled, or loaded from numba's cache, on first call)."""
    return _KERNELS


__all__ = ["kernels"]
