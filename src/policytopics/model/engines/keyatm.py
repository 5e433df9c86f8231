"""The keyword-assisted topic model (keyATM's base model) behind ``[model] engine = "keyatm"``.

Eshima, Imai and Sasaki (2024), "Keyword-Assisted Topic Models", *AJPS* 68(2). A keyword
topic ``k`` has two word distributions: ``phi_tilde_k`` over its keywords only and
``phi_k`` over the whole vocabulary. Each token of document ``d`` draws its topic ``z ~
theta_d``; in a keyword topic a switch ``s ~ Bernoulli(pi_k)``, ``pi_k ~ Beta(gamma1,
gamma2)``, picks ``phi_tilde_k`` (possible only for one of ``k``'s keywords) or ``phi_k``.
Topics without keywords are plain LDA topics, so without themes this engine is LDA. The
keywords lift a theme's own words without a pseudo-count in the topic's denominator, which
is what shuts a strongly seeded LDA topic to the documents' other words
(``benchmarks/results.md``, section keyatm).

This is an independent implementation from the paper (not keyATM's GPL code): collapsed
Gibbs sampling of each token's ``(z, s)`` jointly, in numba, one thread, seeded with
``config.seed`` (the same inputs and seed give the same bytes). Priors are keyATM's
defaults: ``beta = 0.01`` (a number for ``[model] eta`` replaces it), ``beta_tilde =
0.1`` (``[model] keyword_prior``), ``gamma1 = gamma2 = 1`` (with
``[model] switch_prior = 0``); ``alpha`` per topic is re-estimated every sweep by slice
sampling (in log space, stepping out and shrinking) under keyATM's Gamma priors, shape 1
and rate 1 for keyword topics, shape 2 and rate 1 for the others, starting from
``[model] alpha`` (a number for ``alpha`` fixes it instead). keyATM weights each token by
the information of its word, ``-log2(count / tokens)`` (Wilson and Chew 2010; its default
``weights_type = "information-theory"``): every count is a sum of weights, so frequent
words count less. :data:`WORD_WEIGHTS` chooses it (``"none"``: plain counts).
``[model] anchor_keywords`` (false: keyATM) keeps a keyword's tokens in its own topics;
``[model] switch_prior`` (0: keyATM) makes the switch's prior as strong as a share of a
topic. Both are variants, measured against keyATM's defaults in ``benchmarks/results.md``
(section keyatm), and on by default (anchored, 0.075): keyATM as published held 0.20 and 0.30
of the themes there, the variant all of them.

Each seeded topic's keywords are the words the ``eta`` matrix of
:func:`policytopics.model.themes.theme_prior` seeds for it: the columns whose largest value, in
that topic, is above the column's smallest (a seed word and the words containing one).
The strength of the prior does not enter; keyATM needs only the sets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Literal

import numpy as np

from policytopics.model.engines.base import (
    GIBBS_PRIOR,
    INFERENCE_CHUNK,
    POSTERIOR_SAMPLE_GAP,
    LDAEngine,
    numeric_prior,
    posterior_steps,
    uniform_rows,
)

#: keyATM's default priors (its ``priors`` list): the regular distributions' Dirichlet (a
#: number for ``[model] eta`` replaces it) and the switch's Beta when ``[model] switch_prior``
#: is 0. A positive ``switch_prior`` w sets gamma1 = gamma2 = w x the corpus's (weighted)
#: tokens / K, a prior as strong as a fraction w of an average topic that holds pi_k near 1/2:
#: not keyATM, a variant measured in ``benchmarks/results.md``, section keyatm. The keyword
#: distributions' Dirichlet is ``[model] keyword_prior`` (keyATM's 0.1).
BETA = 0.01
GAMMA1 = 1.0
GAMMA2 = 1.0
#: Gamma(shape, rate) priors of alpha: keyword topics, then the others (keyATM's eta_1, eta_2,
#: eta_1_regular, eta_2_regular).
ALPHA_PRIOR_KEYWORD = (1.0, 1.0)
ALPHA_PRIOR_REGULAR = (2.0, 1.0)
#: Token weights: keyATM's default "information-theory" or "none".
WORD_WEIGHTS: Literal["information-theory", "none"] = "information-theory"
#: Gibbs sweeps per new document (:meth:`KeyATMEngine.infer`); the proportions are the mean
#: of the last half.
INFER_ITERATIONS = 100
#: Seed of every new document's sampler: a document's proportions are its own.
INFER_SEED = 0
#: Slice sampling bounds of alpha (keyATM's slice_min, slice_max).
ALPHA_MIN, ALPHA_MAX = 1e-6, 100.0


def kernels() -> dict:
    """The numba kernels (:mod:`policytopics.model.engines.keyatm_kernels`): numba is imported
    on the first fit or inference, not with the engines."""
    from policytopics.model.engines.keyatm_kernels import kernels as compiled

    return compiled()


def keywords_from_eta(eta: np.ndarray | None, n_topics: int, n_vocab: int) -> np.ndarray:
    """Topics × words, True where ``eta`` seeds the word for the topic.

    A column seeds the topic(s) holding its largest value when that is above its smallest
    (either prior form of :func:`policytopics.model.themes.theme_prior`); a constant column
    (a free word, or no themes) seeds nothing.

    >>> eta = np.array([[0.1, 50.0, 0.1], [0.1, 1e-5, 0.1]])
    >>> keywords_from_eta(eta, 2, 3).astype(int).tolist()
    [[0, 1, 0], [0, 0, 0]]
    """
    if eta is None:
        return np.zeros((n_topics, n_vocab), dtype=np.bool_)
    eta = np.asarray(eta, dtype=np.float64)
    top, bottom = eta.max(axis=0), eta.min(axis=0)
    return (eta == top) & (top > bottom)


def word_weights(counts: np.ndarray, kind: str) -> np.ndarray:
    """keyATM's token weights per word id: ``-log2(count / tokens)`` (a word never seen: 0).

    >>> word_weights(np.array([2, 2, 0]), "information-theory").tolist()
    [1.0, 1.0, 0.0]
    """
    counts = np.asarray(counts, dtype=np.float64)
    if kind == "none":
        return (counts > 0).astype(np.float64)
    if kind != "information-theory":
        raise ValueError(f"unknown keyATM word weights {kind!r}")
    with np.errstate(divide="ignore"):
        weights = -np.log2(counts / counts.sum())
    return np.where(counts > 0, weights, 0.0)


def _flatten(corpus) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Document pointers and word ids (int32, each repeated by its count, in word-id order),
    and the rows of documents with at least one token. Each document's tokens are made as one
    small array, never as Python integers: the corpus's tokens are held about once and a half
    while they are joined, not as a list of objects.

    >>> pointers, words, rows = _flatten([[(3, 2), (1, 1)], [], [(0, 1)]])
    >>> pointers.tolist(), words.tolist(), rows
    ([0, 3, 4], [1, 3, 3, 0], [0, 2])
    """
    pieces, sizes, rows = [], [0], []
    for row, bow in enumerate(corpus):
        pairs = np.array(sorted(bow), dtype=np.int64).reshape(-1, 2)
        tokens = np.repeat(pairs[:, 0].astype(np.int32), pairs[:, 1])
        if tokens.size:
            pieces.append(tokens)
            sizes.append(tokens.size)
            rows.append(row)
    words = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)
    return np.cumsum(sizes, dtype=np.int64), words, rows


@dataclass
class KeyATMState:
    """What a fitted keyATM keeps: the counts of its two kinds of draws and its priors.

    ``word_topic`` (topics × words) sums the weights of the tokens drawn from ``phi_k``,
    ``keyword_topic`` of those drawn from ``phi_tilde_k``; ``keywords`` marks each topic's
    keywords; ``weights`` are the token weights per word id (0 for a word not seen in the fit).
    """

    word_topic: np.ndarray
    keyword_topic: np.ndarray
    keywords: np.ndarray
    alpha: np.ndarray
    weights: np.ndarray
    beta: float
    beta_keyword: float
    gamma: tuple[float, float]

    @property
    def k(self) -> int:
        return self.word_topic.shape[0]

    def regular_topic_word(self) -> np.ndarray:
        """``phi_k`` (topics × words): the regular distributions alone."""
        counts = self.word_topic + self.beta
        return counts / counts.sum(axis=1, keepdims=True)

    def keyword_topic_word(self) -> np.ndarray:
        """``phi_tilde_k`` (topics × words, zero off a topic's keywords; a topic without
        keywords: zeros)."""
        counts = np.where(self.keywords, self.keyword_topic + self.beta_keyword, 0.0)
        mass = counts.sum(axis=1, keepdims=True)
        return np.divide(counts, mass, out=np.zeros_like(counts), where=mass > 0)

    def switch(self) -> np.ndarray:
        """Posterior mean of ``pi_k``, the share of a topic's draws from its keywords (0
        for a topic without keywords)."""
        keyword, regular = self.keyword_topic.sum(axis=1), self.word_topic.sum(axis=1)
        pi = (keyword + self.gamma[0]) / (keyword + regular + self.gamma[0] + self.gamma[1])
        return np.where(self.keywords.any(axis=1), pi, 0.0)


@dataclass
class _Chain:
    """The sampler's tokens, keywords, priors and counts, as its numba kernels take them."""

    doc_ptr: np.ndarray
    words: np.ndarray
    weights: np.ndarray
    keywords: np.ndarray
    alpha: np.ndarray
    estimate_alpha: bool
    beta: float
    beta_keyword: float
    gamma: tuple[float, float]
    anchor: bool

    def __post_init__(self):
        k, n_vocab = self.keywords.shape
        self.z, self.s = np.zeros(self.words.size, dtype=np.int32), np.zeros(self.words.size, dtype=np.int8)
        self.n_dk = np.zeros((self.doc_ptr.size - 1, k))
        self.n_kw, self.m_kw = np.zeros((k, n_vocab)), np.zeros((k, n_vocab))
        self.n_k, self.m_k = np.zeros(k), np.zeros(k)
        self.doc_len = np.add.reduceat(self.weights[self.words], self.doc_ptr[:-1])
        self.is_keyword_topic = self.keywords.any(axis=1)
        self.n_keywords = self.keywords.sum(axis=1).astype(np.float64)
        self.anchored = self.keywords.any(axis=0) & bool(self.anchor)
        self.alpha_shape, self.alpha_rate = np.where(self.is_keyword_topic[:, None], ALPHA_PRIOR_KEYWORD,
                                                     ALPHA_PRIOR_REGULAR).T.copy()

    @classmethod
    def start(cls, corpus, config, eta, n_vocab: int) -> tuple[_Chain, list[int]]:
        """A chain at its seeded first state, and the rows of the documents it holds."""
        k = config.n_topics
        doc_ptr, words, rows = _flatten(corpus)
        if not rows:
            raise ValueError("no document has a word of the vocabulary")
        keywords = keywords_from_eta(eta, k, n_vocab)
        counts = np.bincount(words, minlength=n_vocab)
        weights = word_weights(counts, WORD_WEIGHTS)
        alpha_start, _ = numeric_prior(config.alpha, k, "alpha")
        gamma = (GAMMA1, GAMMA2)
        if config.switch_prior:
            gamma = (float(config.switch_prior) * float(counts.astype(np.float64) @ weights) / k,) * 2
        chain = cls(doc_ptr, words, weights, keywords,
                    alpha=np.broadcast_to(np.asarray(alpha_start, dtype=np.float64), (k,)).copy(),
                    estimate_alpha=not isinstance(config.alpha, (int, float)),
                    beta=float(config.eta) if isinstance(config.eta, (int, float)) else BETA,
                    beta_keyword=float(config.keyword_prior), gamma=gamma,
                    anchor=bool(config.anchor_keywords))
        compiled = kernels()
        compiled["seed_rng"](int(config.seed))
        compiled["initialise"](doc_ptr, words, weights, keywords, k, chain.z, chain.s, chain.n_dk,
                               chain.n_kw, chain.n_k, chain.m_kw, chain.m_k)
        return chain, rows

    def sweep(self, n_sweeps: int) -> None:
        """``n_sweeps`` Gibbs sweeps over every token (and alpha's slice sampling after each)."""
        kernels()["sweeps"](n_sweeps, self.doc_ptr, self.words, self.weights, self.keywords, self.anchored,
                            self.n_keywords, self.is_keyword_topic, self.z, self.s, self.n_dk, self.n_kw,
                            self.n_k, self.m_kw, self.m_k, self.alpha, self.estimate_alpha, self.alpha_shape,
                            self.alpha_rate, self.beta, self.beta_keyword, self.gamma[0], self.gamma[1],
                            self.doc_len, ALPHA_MIN, ALPHA_MAX)

    def proportions(self, n_docs: int, rows: list[int]) -> np.ndarray:
        """``(n_dk + alpha_k) / (n_d + sum alpha)`` of the documents (an empty one: uniform)."""
        fitted = uniform_rows(n_docs, self.alpha.size)
        fitted[rows] = (self.n_dk + self.alpha) / (self.doc_len[:, None] + self.alpha.sum())
        return fitted

    def state(self) -> KeyATMState:
        """What a fitted model keeps of the chain."""
        # Counts are sums of float weights: tiny negative residues of -= are rounding.
        return KeyATMState(word_topic=np.maximum(self.n_kw, 0.0), keyword_topic=np.maximum(self.m_kw, 0.0),
                           keywords=self.keywords, alpha=self.alpha, weights=self.weights, beta=self.beta,
                           beta_keyword=self.beta_keyword, gamma=self.gamma)


class KeyATMEngine(LDAEngine):
    """keyATM's base model (collapsed Gibbs sampling in numba) behind a :class:`TopicModel`.

    Parameters
    ----------
    lda
        The fitted :class:`KeyATMState`.
    dictionary
        The gensim ``Dictionary`` whose word ids the topic-word matrix's columns are.
    """

    name = "keyatm"
    model_file = "keyatm.npz"
    settings = frozenset({"gibbs_iterations", "posterior_samples", "anchor_keywords", "switch_prior",
                          "keyword_prior"})
    #: Only the keyword sets of the Gibbs form's matrix count (:func:`keywords_from_eta`).
    seed_prior = GIBBS_PRIOR

    @classmethod
    def workers_change_fit(cls, settings: Mapping[str, Any]) -> bool:
        """One thread, whatever ``workers`` says."""
        return False

    @classmethod
    def fit(cls, corpus, dictionary, config, *, eta=None, progress: bool = False):
        """Sample ``config.gibbs_iterations`` sweeps; return the engine and the fitted
        documents' proportions ``(n_dk + alpha_k) / (n_d + sum alpha)`` at the last state
        (weighted counts; an empty document: uniform).

        ``eta`` (topics × words) gives each topic's keywords (:func:`keywords_from_eta`).
        """
        from tqdm.auto import tqdm

        chain, rows = _Chain.start(corpus, config, eta, len(dictionary))
        iterations = config.gibbs_iterations
        steps = posterior_steps(iterations, config.posterior_samples)
        states = []
        with tqdm(total=iterations, desc="keyATM", unit="sweep", disable=not progress, leave=False) as bar:
            for step in steps:
                # Progress in chunks of at most 10 sweeps: the same sweeps as in one call.
                done = 0
                while done < step:
                    chunk = min(POSTERIOR_SAMPLE_GAP, step - done)
                    chain.sweep(chunk)
                    done += chunk
                    bar.update(chunk)
                states.append(chain.proportions(len(corpus), rows))
        engine = cls(chain.state(), dictionary)
        engine.doc_topic_samples = np.stack(states).astype(np.float32) if len(steps) > 1 else None
        return engine, states[-1]

    def infer(self, corpus) -> np.ndarray:
        """Topic proportions of new documents: Gibbs sampling of each token's topic with the
        topics fixed (``p(w|k)`` of :meth:`topic_word`), :data:`INFER_ITERATIONS` sweeps per
        document from the same seed, the mean of the last half. Words the fit never saw are
        left out; a document without any gets a uniform row. Deterministic, and each
        document's row is its own."""
        compiled = kernels()
        topic_word = self.topic_word()
        seen = self.lda.weights > 0
        matrix = uniform_rows(len(corpus), self.lda.k)
        stream, start = iter(corpus), 0
        while chunk := list(islice(stream, INFERENCE_CHUNK)):
            known = [[(w, c) for w, c in bow if w < seen.size and seen[w]] for bow in chunk]
            doc_ptr, words, rows = _flatten(known)
            if rows:
                out = np.zeros((len(rows), self.lda.k))
                compiled["infer"](doc_ptr, words, self.lda.weights, topic_word, self.lda.alpha,
                                 INFER_ITERATIONS, INFER_SEED, out)
                matrix[[start + r for r in rows]] = out
            start += len(chunk)
        return matrix

    def topic_word(self) -> np.ndarray:
        """p(w|k) over the dictionary's word ids: the topic's overall word distribution
        ``pi_k phi_tilde_kw + (1 - pi_k) phi_kw`` (posterior means; a topic without keywords:
        ``phi_k``). ``lda.regular_topic_word()`` is ``phi_k`` alone."""
        pi = self.lda.switch()[:, None]
        return pi * self.lda.keyword_topic_word() + (1.0 - pi) * self.lda.regular_topic_word()

    def alpha(self) -> np.ndarray:
        """The document-topic prior, one value per topic (the last slice-sampled one)."""
        return self.lda.alpha.copy()

    def versions(self) -> dict[str, str]:
        import numba

        return {"numba": numba.__version__, "word_weights": WORD_WEIGHTS}

    def save(self, folder: Path) -> None:
        state = self.lda
        np.savez(Path(folder) / self.model_file, word_topic=state.word_topic,
                 keyword_topic=state.keyword_topic, keywords=state.keywords, alpha=state.alpha,
                 weights=state.weights, beta=state.beta, beta_keyword=state.beta_keyword,
                 gamma=np.asarray(state.gamma))

    @classmethod
    def load(cls, folder: Path, dictionary):
        with np.load(Path(folder) / cls.model_file, allow_pickle=False) as saved:
            state = KeyATMState(word_topic=saved["word_topic"], keyword_topic=saved["keyword_topic"],
                                keywords=saved["keywords"], alpha=saved["alpha"], weights=saved["weights"],
                                beta=float(saved["beta"]), beta_keyword=float(saved["beta_keyword"]),
                                gamma=tuple(float(g) for g in saved["gamma"]))
        return cls(state, dictionary)


__all__ = ["KeyATMEngine", "KeyATMState", "keywords_from_eta", "word_weights"]
