"""The LDA engines behind :class:`policytopics.model.topic_model.TopicModel`: tomotopy and gensim.

``[model] engine`` chooses one. Both fit the same bag-of-words corpus and dictionary
(:mod:`policytopics.model.corpus`) and answer the same questions, so every table, figure and
the explorer work with either: the topic proportions of the fitted documents, of new
documents (:meth:`infer`), and the topic-word matrix ``p(w|t)`` over the dictionary's ids
(:meth:`topic_word`), in the engine's own topic order (the model orders them).

``"tomotopy"`` (the default, by measurement: ``benchmarks/results.md``)
    tomotopy's ``LDAModel``, collapsed Gibbs sampling in C++, ``gibbs_iterations`` sweeps
    over the corpus, the sampler MALLET and most social-science LDA use. Each document
    enters as its words repeated by their counts, in the order of their word ids. It
    samples with ``[model] workers`` threads (2 by default) in tomotopy's ``PARTITION``
    scheme (:meth:`TomotopyEngine.train`): the same inputs, settings, seed and number of
    workers give the same bytes, measured run to run and across processes (tomotopy's
    maintainer promises it for one worker, bab2min/tomotopy#63). The numbers may differ
    with another tomotopy version or instruction set (``tomotopy.isa``, picked at import,
    pinned with the ``TOMOTOPY_ISA`` environment variable; both recorded in ``model.json``
    and ``run.json``; measured: avx512 and avx2 gave the same topics, sse2 others).

    Priors: ``alpha`` and ``eta`` as numbers are used as given; ``"symmetric"`` is ``1 /
    K``; ``alpha = "asymmetric"`` is gensim's ``1 / (i + sqrt(K))`` vector; ``alpha =
    "auto"`` lets tomotopy re-estimate an asymmetric alpha every 10 sweeps; ``eta =
    "auto"`` cannot be learned by tomotopy and falls back to ``1 / K`` (logged). Seeded
    themes reach the sampler as tomotopy word priors (``set_word_prior``), one column of
    the ``eta`` matrix of :func:`policytopics.model.themes.theme_prior` per seeded word (in a
    Gibbs sampler: near zero in the topics a seed word does not seed); the topic-word
    matrix is the posterior mean ``(n_tw + eta_tw) / (n_t + sum_w eta_tw)`` with those
    priors. A fitted document's proportions are those of the last sample, ``(n_dt +
    alpha_t) / (n_d + sum alpha)``; new documents are inferred with 100 sweeps each,
    independent of the other documents of the call.
``"keyatm"``
    the keyword-assisted topic model's base model (:mod:`policytopics.model.engines.keyatm`; Eshima,
    Imai and Sasaki 2024): a seeded theme's topic draws each token from its keywords or
    from the whole vocabulary, by a switch it learns; without themes, LDA. Collapsed Gibbs
    sampling in numba, one thread, the same seed gives the same bytes.
``"gensim"``
    gensim's ``LdaModel``, online variational Bayes, one process, ``random_state=seed``:
    the same tokens, settings and seed give the same numbers anywhere. ``multicore =
    true`` uses ``LdaMulticore`` (``workers`` processes), not reproducible run to run.

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
from itertools import islice
from pathlib import Path
from typing import Any, ClassVar, Protocol, get_args, runtime_checkable

import numpy as np

from policytopics.settings.config import Engine as EngineName

log = logging.getLogger("policytopics")

#: The engines of ``[model] engine`` (the first is the default).
ENGINES = get_args(EngineName)
#: Settings only some engines read: for the others they are not part of the fit.
ENGINE_SETTINGS = {
    "gensim": frozenset({"passes", "iterations", "chunksize", "eval_every", "multicore"}),
    "tomotopy": frozenset({"gibbs_iterations", "posterior_samples"}),
    "keyatm": frozenset({"gibbs_iterations", "posterior_samples"}),
}
#: Sweeps between two of the sampler's states kept as posterior samples (``posterior_samples``).
POSTERIOR_SAMPLE_GAP = 10
#: Documents per inference call.
INFERENCE_CHUNK = 2000
#: Gibbs sweeps per new document in tomotopy's inference (its own default).
TOMOTOPY_INFER_ITERATIONS = 100
#: tomotopy re-estimates ``alpha = "auto"`` every this many sweeps.
TOMOTOPY_OPTIM_INTERVAL = 10


@runtime_checkable
class LDAEngine(Protocol):
    """What :class:`policytopics.model.topic_model.TopicModel` asks of an engine (both engines here).

    A new engine is a class with these members in this module, its name in
    :data:`ENGINE_CLASSES`, and its name among the choices of ``[model] engine``
    (``policytopics.settings.config.Engine``).
    """

    name: ClassVar[str]
    model_file: ClassVar[str]
    lda: Any
    #: The proportions at the fit's last states (samples × documents × topics), or None.
    doc_topic_samples: np.ndarray | None

    @classmethod
    def fit(cls, corpus, dictionary, config, *, eta=None, progress: bool = False) -> tuple[Any, np.ndarray]:
        """Train; return the engine and the corpus's topic proportions (documents × topics)."""

    def infer(self, corpus) -> np.ndarray:
        """Topic proportions of new documents."""

    def topic_word(self) -> np.ndarray:
        """p(w|t), topics × the dictionary's word ids."""

    def alpha(self) -> np.ndarray:
        """The document-topic prior, one value per topic."""

    def versions(self) -> dict[str, str]:
        """The engine library's version (and anything else that changes its numbers)."""

    def save(self, folder: Path) -> None:
        """Write the engine's own file into ``folder``."""

    @classmethod
    def load(cls, folder: Path, dictionary) -> Any:
        """Read what :meth:`save` wrote."""


def engine_class(name: str) -> type[LDAEngine]:
    """The engine class of ``[model] engine`` (:data:`ENGINE_CLASSES`)."""
    if name not in ENGINE_CLASSES:
        raise ValueError(f"unknown LDA engine {name!r}; expected one of {ENGINES}")
    return ENGINE_CLASSES[name]


def _empty_rows(n_docs: int, k: int) -> np.ndarray:
    """The document-topic matrix before inference: uniform rows (kept by empty documents)."""
    return np.full((n_docs, k), 1.0 / k)


def _normalised(rows) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float64)
    return rows / rows.sum(axis=1, keepdims=True)


# gensim ---------------------------------------------------------------------------------
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


class GensimEngine:
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

    def __init__(self, lda, dictionary):
        self.lda = lda
        self.dictionary = dictionary
        #: Variational Bayes keeps no samples (see TomotopyEngine.doc_topic_samples).
        self.doc_topic_samples = None

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
        matrix = _empty_rows(len(corpus), self.lda.num_topics)
        stream, start = iter(corpus), 0
        while chunk := list(islice(stream, INFERENCE_CHUNK)):
            filled = [i for i, bow in enumerate(chunk) if bow]
            if filled:
                gamma, _ = self.lda.inference([chunk[i] for i in filled])
                matrix[[start + i for i in filled]] = _normalised(gamma)
            start += len(chunk)
        return matrix

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


# tomotopy -------------------------------------------------------------------------------
def _tomotopy():
    try:
        import tomotopy
    except ImportError:
        raise ImportError("[model] engine = 'tomotopy' needs tomotopy, a dependency of policytopics: "
                          "pip install tomotopy") from None
    return tomotopy


def tomotopy_prior(value, k: int, name: str) -> tuple[float | list[float], bool]:
    """tomotopy's value of ``alpha`` or ``eta`` from a ModelConfig's, and whether tomotopy
    should re-estimate it (``alpha = "auto"``).

    >>> tomotopy_prior("symmetric", 4, "alpha"), tomotopy_prior(0.05, 4, "eta")
    ((0.25, False), (0.05, False))
    >>> [round(a, 3) for a in tomotopy_prior("asymmetric", 3, "alpha")[0]]
    [0.477, 0.302, 0.221]
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), False
    if value == "symmetric":
        return 1.0 / k, False
    if value == "asymmetric" and name == "alpha":
        prior = 1.0 / (np.arange(k) + np.sqrt(k))  # gensim's asymmetric alpha
        return (prior / prior.sum()).tolist(), False
    if value == "auto":
        if name == "alpha":
            return 1.0 / k, True
        log.warning("tomotopy does not learn eta; eta = 'auto' is the symmetric 1/K")
        return 1.0 / k, False
    raise ValueError(f"{name} = {value!r} has no tomotopy equivalent; use a number, "
                     "'symmetric'" + (", 'asymmetric' or 'auto'" if name == "alpha" else ""))


def _words(bow, dictionary) -> list[str]:
    """A bag of words as its words repeated by their counts, in word-id order."""
    return [dictionary[word_id] for word_id, count in sorted(bow) for _ in range(int(count))]


class TomotopyEngine:
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

    def __init__(self, lda, dictionary):
        self.lda = lda
        self.dictionary = dictionary
        self._topic_word: np.ndarray | None = None
        #: The documents' proportions at the fit's last ``posterior_samples`` states, every
        #: POSTERIOR_SAMPLE_GAP sweeps (samples × documents × topics, float32; the last is the
        #: point estimate), or None: the posterior samples of policytopics.estimate.uncertainty.
        self.doc_topic_samples: np.ndarray | None = None

    @classmethod
    def fit(cls, corpus, dictionary, config, *, eta=None, progress: bool = False):
        """Train on a bag-of-words corpus; return the engine and the corpus's topic proportions.

        ``eta`` (topics × words) becomes tomotopy word priors (:meth:`prepare`). One
        worker unless ``config.multicore``.
        """
        from tqdm.auto import tqdm

        lda, fitted_rows = cls.prepare(corpus, dictionary, config, eta=eta)
        iterations = config.gibbs_iterations
        samples = max(1, min(config.posterior_samples, 1 + (iterations - 1) // POSTERIOR_SAMPLE_GAP))
        # The last sweeps in steps of POSTERIOR_SAMPLE_GAP, the state after each kept: sweeps in
        # several calls give the same model as in one, so the fit is the same with any number.
        steps = [iterations - (samples - 1) * POSTERIOR_SAMPLE_GAP] + [POSTERIOR_SAMPLE_GAP] * (samples - 1)
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
                rows = _empty_rows(len(corpus), config.n_topics)
                rows[fitted_rows] = _normalised([doc.get_topic_dist() for doc in lda.docs])
                states.append(rows)
        doc_topic = states[-1]
        engine = cls(lda, dictionary)
        engine.doc_topic_samples = np.stack(states).astype(np.float32) if samples > 1 else None
        return engine, doc_topic

    @staticmethod
    def prepare(corpus, dictionary, config, *, eta=None):
        """An untrained ``tomotopy.LDAModel`` holding the corpus, and the rows it holds.

        Priors from ``config`` (:func:`tomotopy_prior`); every word whose column of
        ``eta`` is not the base prior everywhere gets that column as its word prior. An
        empty document is left out (tomotopy refuses one): its row stays uniform.
        """
        tp = _tomotopy()
        k = config.n_topics
        alpha, optimise = tomotopy_prior(config.alpha, k, "alpha")
        base, _ = tomotopy_prior(config.eta, k, "eta")
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
        matrix = _empty_rows(len(corpus), self.lda.k)
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
                matrix[rows] = _normalised(dists)
            start += len(chunk)
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
            self._topic_word = _normalised(counts + prior)
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


from policytopics.model.engines.keyatm import KeyATMEngine  # noqa: E402  (its own module: the sampler and its kernels)

#: The engines by their ``[model] engine`` name.
ENGINE_CLASSES: dict[str, type[LDAEngine]] = {"tomotopy": TomotopyEngine, "gensim": GensimEngine,
                                              "keyatm": KeyATMEngine}


__all__ = [
    "ENGINES",
    "ENGINE_CLASSES",
    "ENGINE_SETTINGS",
    "GensimEngine",
    "KeyATMEngine",
    "LDAEngine",
    "TomotopyEngine",
    "engine_class",
    "tomotopy_prior",
]
