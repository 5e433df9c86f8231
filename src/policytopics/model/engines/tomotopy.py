"""tomotopy's ``LDAModel`` (collapsed Gibbs sampling in C++) behind ``[model] engine =
"tomotopy"``, the default.

``gibbs_iterations`` sweeps over the corpus, the sampler MALLET and most social-science LDA
use. Each document enters as its words repeated by their counts, in the order of their word
ids. It samples with ``[model] workers`` threads (2 by default) in tomotopy's ``PARTITION``
scheme (:meth:`TomotopyEngine.train`): the same inputs, settings, seed and number of workers
give the same bytes, measured run to run and across processes (tomotopy's maintainer
promises it for one worker, bab2min/tomotopy#63); another number of workers gives other
topics, so ``workers`` is part of the fit (the thread rule). The numbers may differ with
another tomotopy version or instruction set (``tomotopy.isa``, picked at import, pinned with
the ``TOMOTOPY_ISA`` environment variable; both recorded in ``model.json`` and ``run.json``;
measured: avx512 and avx2 gave the same topics, sse2 others).

Priors: ``alpha`` and ``eta`` as numbers are used as given; ``"symmetric"`` is ``1 / K``;
``alpha = "asymmetric"`` is gensim's ``1 / (i + sqrt(K))`` vector; ``alpha = "auto"`` lets
tomotopy re-estimate an asymmetric alpha every 10 sweeps; ``eta = "auto"`` cannot be learned
by tomotopy and falls back to ``1 / K`` (logged). Seeded themes reach the sampler as tomotopy
word priors (``set_word_prior``), one column of the ``eta`` matrix of
:func:`policytopics.model.themes.theme_prior` per seeded word, in the Gibbs form
(:data:`policytopics.model.engines.base.GIBBS_PRIOR`: near zero in the topics a seed word
does not seed); the topic-word matrix is the posterior mean ``(n_tw + eta_tw) / (n_t +
sum_w eta_tw)`` with those priors. A fitted document's proportions are those of the last
sample, ``(n_dt + alpha_t) / (n_d + sum alpha)``; new documents are inferred with 100 sweeps
each, independent of the other documents of the call.

Why tomotopy is the default (``benchmarks/results.md``, sections coherence, labels and
seed-strength; 10,000 xwlb stories at K = 20 and the 52 Government Work Reports' passages
at K = 10, five seeds): sentence NPMI 0.170 and 0.125 against the plain script's 0.118
and 0.093 (gensim with the project's defaults: 0.096 on the stories), diversity@10 0.809
and 0.750 against 0.762 and 0.654; in a blind word-intrusion test two raters found the
intruder in 100 % of tomotopy's topics, 85 % of gensim's and 65 % of the plain script's
(``benchmarks/bench_intrusion.py``). Sampling alone, 200 sweeps over the 10,000
stories: 9.3 s with one worker, 5.2-6.0 s with two (the same bytes in three runs and two
processes).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from policytopics.model.engines.base import (
    GIBBS_PRIOR,
    INFERENCE_CHUNK,
    LDAEngine,
    normalised_rows,
    numeric_prior,
    posterior_steps,
    uniform_rows,
)

log = logging.getLogger("policytopics")

#: Gibbs sweeps per new document in tomotopy's inference (its own default).
TOMOTOPY_INFER_ITERATIONS = 100
#: tomotopy re-estimates ``alpha = "auto"`` every this many sweeps.
TOMOTOPY_OPTIM_INTERVAL = 10


def _tomotopy():
    try:
        import tomotopy
    except ImportError:
        raise ImportError("[model] engine = 'tomotopy' needs tomotopy, a dependency of policytopics: "
                          "pip install tomotopy") from None
    return tomotopy


def _words(bow, dictionary) -> list[str]:
    """A bag of words as its words repeated by their counts, in word-id order."""
    return [dictionary[word_id] for word_id, count in sorted(bow) for _ in range(int(count))]


class TomotopyEngine(LDAEngine):
    """tomotopy ``LDAModel`` (collapsed Gibbs sampling) behind a :class:`TopicModel`.

    Parameters
    ----------
    lda
        The trained ``tomotopy.LDAModel``.
    dictionary
        The gensim ``Dictionary`` whose word ids the topic-word matrix's columns are.
    """

    name = "tomotopy"
    model_file = "lda.tomotopy"
    settings = frozenset({"gibbs_iterations", "posterior_samples"})
    seed_prior = GIBBS_PRIOR

    def __init__(self, lda, dictionary):
        super().__init__(lda, dictionary)
        self._topic_word: np.ndarray | None = None

    @classmethod
    def workers_change_fit(cls, settings: Mapping[str, Any]) -> bool:
        """Sampling threads split the work into other blocks: other (equally valid) topics."""
        return True

    @classmethod
    def fit(cls, corpus, dictionary, config, *, eta=None, progress: bool = False):
        """Train on a bag-of-words corpus; return the engine and the corpus's topic proportions.

        ``eta`` (topics × words) becomes tomotopy word priors (:meth:`prepare`). The state
        after each of the last sweeps in steps of POSTERIOR_SAMPLE_GAP is kept
        (:func:`~policytopics.model.engines.base.posterior_steps`).
        """
        from tqdm.auto import tqdm

        lda, fitted_rows = cls.prepare(corpus, dictionary, config, eta=eta)
        iterations = config.gibbs_iterations
        steps = posterior_steps(iterations, config.posterior_samples)
        states = []
        with tqdm(total=iterations, desc="LDA", unit="sweep", disable=not progress,
                  leave=False) as bar:
            for step in steps:
                start = bar.n
                callback = ((lambda _model, done, _total, start=start: bar.update(start + done - bar.n))
                            if progress else None)
                cls.train(lda, step, config, callback=callback)
                if progress:
                    bar.update(start + step - bar.n)
                rows = uniform_rows(len(corpus), config.n_topics)
                rows[fitted_rows] = normalised_rows([doc.get_topic_dist() for doc in lda.docs])
                states.append(rows)
        engine = cls(lda, dictionary)
        engine.doc_topic_samples = np.stack(states).astype(np.float32) if len(steps) > 1 else None
        return engine, states[-1]

    @staticmethod
    def prepare(corpus, dictionary, config, *, eta=None):
        """An untrained ``tomotopy.LDAModel`` holding the corpus, and the rows it holds.

        Priors from ``config`` (:func:`~policytopics.model.engines.base.numeric_prior`);
        every word whose column of ``eta`` is not the base prior everywhere gets that column
        as its word prior. An empty document is left out (tomotopy refuses one): its row
        stays uniform.
        """
        tp = _tomotopy()
        k = config.n_topics
        alpha, optimise = numeric_prior(config.alpha, k, "alpha")
        base, _ = numeric_prior(config.eta, k, "eta")
        if config.eta == "auto":
            log.warning("tomotopy does not learn eta; eta = 'auto' is the symmetric 1/K")
        lda = tp.LDAModel(k=k, alpha=alpha, eta=base, seed=config.seed)
        lda.optim_interval = TOMOTOPY_OPTIM_INTERVAL if optimise else 0
        if eta is not None:
            for word_id in np.flatnonzero((eta != base).any(axis=0)):
                lda.set_word_prior(dictionary[int(word_id)], eta[:, word_id].tolist())
        fitted_rows = []
        for row, bow in enumerate(corpus):
            words = _words(bow, dictionary)
            if words:
                lda.add_doc(words)
                fitted_rows.append(row)
        if not fitted_rows:
            raise ValueError("no document has a word of the vocabulary")
        return lda, fitted_rows

    @staticmethod
    def train(lda, iterations: int, config, *, callback=None) -> None:
        """Run ``iterations`` Gibbs sweeps with ``config.workers`` sampling threads.

        Two or more threads use tomotopy's ``ParallelScheme.PARTITION`` (the vocabulary and
        the documents split into fixed blocks, each sampled by one thread): measured run to
        run and process to process, the same seed and the same number of workers gave the
        same bytes (``COPY_MERGE``, tomotopy's default scheme, did not), at 1.6-1.8x the
        speed of one worker with two free cores. A different number of workers gives
        different (equally valid) topics, so ``workers = 0`` (all CPUs) is logged as not
        reproducible across machines. Sweeps in several calls give the same model as in one.
        """
        tp = _tomotopy()
        workers = max(0, config.workers)
        if workers == 0:
            log.warning("tomotopy with workers = 0 samples with every CPU: the topics then depend on "
                        "the machine's CPU count; set [model] workers to a number for reproducible results")
        with warnings.catch_warnings():
            # tomotopy warns for any workers != 1; the PARTITION scheme is reproducible (measured).
            warnings.filterwarnings("ignore", message="The training result may differ")
            lda.train(iterations, workers=workers,
                      parallel=tp.ParallelScheme.NONE if workers == 1 else tp.ParallelScheme.PARTITION,
                      callback_interval=max(1, iterations // 20), callback=callback)

    def infer(self, corpus) -> np.ndarray:
        """Topic proportions of a bag-of-words corpus; a document with no word the model
        was trained on gets a uniform row. Each document's result is its own: it does not
        depend on the other documents of the call."""
        tp = _tomotopy()
        known = set(self.lda.used_vocabs)
        matrix = uniform_rows(len(corpus), self.lda.k)
        stream, start = iter(corpus), 0
        while chunk := list(islice(stream, INFERENCE_CHUNK)):
            rows, docs = [], []
            for i, bow in enumerate(chunk):
                words = [w for w in _words(bow, self.dictionary) if w in known]
                if words:
                    rows.append(start + i)
                    docs.append(self.lda.make_doc(words))
            if docs:
                dists, _ = self.lda.infer(docs, iterations=TOMOTOPY_INFER_ITERATIONS, workers=1,
                                          parallel=tp.ParallelScheme.NONE)
                matrix[rows] = normalised_rows(dists)
            start += len(chunk)
        return matrix

    def infer_chunk(self, corpus) -> np.ndarray:
        """Topic proportions of a chunk of a sample fit's units (:mod:`policytopics.model.infer`):
        Gibbs sampling of each token's topic with the topics held at :meth:`topic_word`, 100
        sweeps per unit from the same seed, the mean of the last 50 (keyATM's inference kernel,
        :func:`policytopics.model.engines.keyatm_kernels.infer`); words the fit never saw are
        left out, a unit without any is uniform. Each unit's row is its own.

        Not tomotopy's :meth:`infer`, which copies the model's state for every document: on
        the news stories' vocabulary (26,645 words, K = 20) 2.25 CPU s per 1,000 stories
        against 0.40 s here, and the mean of 50 states is steadier than one state (mean L1
        between the two 0.17; between tomotopy's own 20- and 200-sweep results 0.25).
        """
        from policytopics.model.engines.keyatm import INFER_ITERATIONS, INFER_SEED, _flatten
        from policytopics.model.engines.keyatm_kernels import kernels

        if not hasattr(self, "_seen"):
            used = set(self.lda.used_vocabs)
            self._seen = np.array([self.dictionary[j] in used for j in range(len(self.dictionary))])
        known = [[(w, c) for w, c in bow if self._seen[w]] for bow in corpus]
        doc_ptr, words, rows = _flatten(known)
        matrix = uniform_rows(len(corpus), self.lda.k)
        if rows:
            out = np.zeros((len(rows), self.lda.k))
            kernels()["infer"](doc_ptr, words, np.ones(len(self.dictionary)), self.topic_word(), self.alpha(),
                               INFER_ITERATIONS, INFER_SEED, out)
            matrix[rows] = out
        return matrix

    def topic_word(self) -> np.ndarray:
        """p(w|t) over the dictionary's word ids: ``(n_tw + eta_tw) / sum_w (n_tw + eta_tw)``.

        tomotopy reports its topic-word values with the scalar ``eta`` only; the word
        priors of seeded words are put back here, so a seeded topic reads as gensim's does.
        """
        if self._topic_word is None:
            lda, dictionary = self.lda, self.dictionary
            position = {word: i for i, word in enumerate(lda.used_vocabs)}
            base = float(lda.eta)
            columns = [position.get(dictionary[j]) for j in range(len(dictionary))]
            present = np.array([j for j, c in enumerate(columns) if c is not None], dtype=int)
            tomotopy_columns = np.array([columns[j] for j in present], dtype=int)
            counts = np.zeros((lda.k, len(dictionary)))
            for topic in range(lda.k):
                raw = np.asarray(lda.get_topic_word_dist(topic, normalize=False), dtype=np.float64)
                counts[topic, present] = np.rint(raw[tomotopy_columns] - base)
            prior = np.full_like(counts, base)
            for j in range(len(dictionary)):
                word_prior = lda.get_word_prior(dictionary[j])
                if len(word_prior):
                    prior[:, j] = word_prior
            self._topic_word = normalised_rows(counts + prior)
        return self._topic_word

    def alpha(self) -> np.ndarray:
        """The document-topic prior, one value per topic (re-estimated for ``"auto"``)."""
        return np.broadcast_to(np.asarray(self.lda.alpha, dtype=np.float64), (self.lda.k,)).copy()

    def versions(self) -> dict[str, str]:
        tp = _tomotopy()
        return {"tomotopy": tp.__version__, "isa": tp.isa}

    def save(self, folder: Path) -> None:
        # full=False: the topics and priors, enough to infer; the fitted documents'
        # proportions are saved by the model beside it.
        self.lda.save(str(Path(folder) / self.model_file), full=False)

    @classmethod
    def load(cls, folder: Path, dictionary):
        return cls(_tomotopy().LDAModel.load(str(Path(folder) / cls.model_file)), dictionary)


__all__ = ["TomotopyEngine"]
