"""gensim's ``LdaModel`` (online variational Bayes) behind ``[model] engine = "gensim"``.

One process, ``random_state = seed``: the same tokens, settings and seed give the same numbers
anywhere. ``multicore = true`` uses ``LdaMulticore`` (``workers`` processes), faster and not
reproducible run to run; only then does ``workers`` change the fit (the thread rule,
:meth:`GensimEngine.workers_change_fit`). It reads ``passes``, ``iterations``, ``chunksize``,
``eval_every`` and ``multicore``, settings no other engine reads.

Seeded themes enter as gensim's ``eta`` matrix in the variational form
(:data:`policytopics.model.engines.base.VARIATIONAL_PRIOR`), and a seeded fit starts from
topics that hold the prior (:func:`_seeded_lda`). gensim is imported inside the methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from policytopics.model.engines.base import (
    INFERENCE_CHUNK,
    VARIATIONAL_PRIOR,
    LDAEngine,
    normalised_rows,
    uniform_rows,
)


def _pass_progress(bar):
    """A gensim callback "metric" that only advances ``bar`` after each pass (gensim is
    imported here, lazily)."""
    from gensim.models.callbacks import Metric

    class PassProgress(Metric):
        logger = None
        title = "pass"

        def get_value(self, **kwargs):
            bar.update()
            return 0.0

    return PassProgress()


def _seeded_lda(lda_class, *, corpus, **options):
    """Fit gensim LDA whose first pass starts from topics that hold the seeded prior.

    gensim's single-process ``LdaModel`` starts its first E-step from random topics
    without ``eta``; the prior enters only at the first M-step. By then a free topic has
    often taken a theme's documents and keeps them, and the seeded topic is left with its
    seed words alone. Starting from ``eta + sstats``, as gensim's ``LdaMulticore``
    workers do, gives the seeds their topic from the first pass; the random draws and
    passes are gensim's own. Measured: on the planted test corpus at strength 50 (seeds
    1, 3, 11), 2 of 9 seeded topics had 8 of their top 10 words from their planted theme
    with gensim's start, 9 of 9 with this one; on passages of policy documents and
    Government Work Reports (``benchmarks/bench_seed_strength.py``, the default prior),
    0.40 and 0.53 of the ten themes held with gensim's start, all of them with this one.
    """
    lda = lda_class(corpus=None, **options)
    lda.sync_state()  # expElogbeta from the state's eta + sstats
    lda.update(corpus)
    return lda


class GensimEngine(LDAEngine):
    """gensim ``LdaModel`` (or ``LdaMulticore``) behind a :class:`TopicModel`.

    Parameters
    ----------
    lda
        The fitted gensim model.
    dictionary
        The gensim ``Dictionary`` of its word ids.
    """

    name = "gensim"
    model_file = "lda.gensim"
    settings = frozenset({"passes", "iterations", "chunksize", "eval_every", "multicore"})
    seed_prior = VARIATIONAL_PRIOR
    # Variational inference of a chunk from one random state: a document given empty changes
    # the other documents' numbers (tests/model/test_infer.py showed it).
    infers_alone = False

    @classmethod
    def workers_change_fit(cls, settings: Mapping[str, Any]) -> bool:
        """Only ``LdaMulticore`` (``multicore = true``) runs ``workers`` processes."""
        return bool(settings.get("multicore"))

    @classmethod
    def fit(cls, corpus, dictionary, config, *, eta=None, progress: bool = False):
        """Fit on a bag-of-words corpus; return the engine and the corpus's topic proportions.

        ``eta`` is the seeded prior matrix (topics × words) or ``None`` for
        ``config.eta``; a seeded prior starts from topics that hold it (:func:`_seeded_lda`).
        """
        from gensim.models import LdaModel, LdaMulticore
        from tqdm.auto import tqdm

        options = dict(corpus=corpus, id2word=dictionary, num_topics=config.n_topics,
                       random_state=config.seed, passes=config.passes, iterations=config.iterations,
                       eta=config.eta if eta is None else eta, eval_every=config.eval_every or None,
                       chunksize=config.chunksize)
        seeded = eta is not None and eta.max() > eta.min()
        if config.multicore:
            # LdaMulticore has no alpha="auto" and is not reproducible run to run. Its
            # workers start every pass from eta + sstats, so a seeded prior needs no help.
            alpha = "symmetric" if config.alpha == "auto" else config.alpha
            lda = LdaMulticore(workers=config.workers, alpha=alpha, **options)
        else:
            with tqdm(total=config.passes, desc="LDA", unit="pass", disable=not progress,
                      leave=False) as bar:
                callbacks = [_pass_progress(bar)] if progress else None
                fit = _seeded_lda if seeded else (lambda lda_class, **kw: lda_class(**kw))
                lda = fit(LdaModel, alpha=config.alpha, callbacks=callbacks, **options)
            lda.callbacks = None  # not saved with the model
        engine = cls(lda, dictionary)
        return engine, engine.infer(corpus)

    def infer(self, corpus) -> np.ndarray:
        """Topic proportions of a bag-of-words corpus, chunk by chunk; empty rows uniform."""
        matrix = uniform_rows(len(corpus), self.lda.num_topics)
        stream, start = iter(corpus), 0
        while chunk := list(islice(stream, INFERENCE_CHUNK)):
            filled = [i for i, bow in enumerate(chunk) if bow]
            if filled:
                gamma, _ = self.lda.inference([chunk[i] for i in filled])
                matrix[[start + i for i in filled]] = normalised_rows(gamma)
            start += len(chunk)
        return matrix

    def infer_chunk(self, corpus) -> np.ndarray:
        """:meth:`infer`, leaving the model's random state as it found it (gensim draws each
        document's starting ``gamma`` from the model's ``random_state``, which every call moves
        on): every chunk starts from the same state, the one the engine was saved or loaded with."""
        state = self.lda.random_state.get_state()
        try:
            return self.infer(corpus)
        finally:
            self.lda.random_state.set_state(state)

    def topic_word(self) -> np.ndarray:
        """p(w|t), one row per topic, one column per word id."""
        return self.lda.get_topics().astype(np.float64)

    def alpha(self) -> np.ndarray:
        """The document-topic prior, one value per topic (the fitted one for ``"auto"``)."""
        return np.asarray(self.lda.alpha, dtype=np.float64)

    def versions(self) -> dict[str, str]:
        import gensim

        return {"gensim": gensim.__version__}

    def save(self, folder: Path) -> None:
        self.lda.save(str(Path(folder) / self.model_file))

    @classmethod
    def load(cls, folder: Path, dictionary):
        from gensim.models import LdaModel

        return cls(LdaModel.load(str(Path(folder) / cls.model_file)), dictionary)


__all__ = ["GensimEngine"]
