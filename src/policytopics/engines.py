"""The LDA engines behind :class:`policytopics.model.TopicModel`: gensim and tomotopy.

``[model] engine`` chooses one. Both fit the same bag-of-words corpus and dictionary
(:mod:`policytopics.corpus`) and answer the same questions, so every table, figure and
the explorer work with either: the topic proportions of the fitted documents, of new
documents (:meth:`infer`), and the topic-word matrix ``p(w|t)`` over the dictionary's ids
(:meth:`topic_word`), in the engine's own topic order (the model orders them).

``"gensim"`` (the default)
    gensim's ``LdaModel``, online variational Bayes, one process, ``random_state=seed``:
    the same tokens, settings and seed give the same numbers anywhere. ``multicore =
    true`` uses ``LdaMulticore`` (``workers`` processes), not reproducible run to run.
``"tomotopy"`` (``pip install 'policytopics[tomotopy]'``)
    tomotopy's ``LDAModel``, collapsed Gibbs sampling in C++, ``gibbs_iterations`` sweeps
    over the corpus. Each document enters as its words repeated by their counts, in the
    order of their word ids. With one worker (the default) the same seed gives the same
    result on the same machine: tomotopy's maintainer, bab2min/tomotopy#63 ("since version
    0.8.2, you can obtain the same result in the same machine when the seed is fixed with
    only ``workers=1``"); the numbers may differ on a machine with other SIMD
    instructions (``tomotopy.isa``, recorded in ``model.json``). ``multicore = true``
    samples with ``workers`` threads: faster, NOT reproducible even with a seed (a
    warning is logged).

    Priors: ``alpha`` and ``eta`` as numbers are used as given; ``"symmetric"`` is gensim's
    ``1 / K``; ``alpha = "asymmetric"`` is gensim's ``1 / (i + sqrt(K))`` vector; ``alpha =
    "auto"`` lets tomotopy re-estimate an asymmetric alpha every 10 sweeps; ``eta =
    "auto"`` cannot be learned by tomotopy and falls back to ``1 / K`` (logged). Seeded
    themes reach the sampler as tomotopy word priors (``set_word_prior``), one column of
    the same ``eta`` matrix (:func:`policytopics.themes.theme_prior`) per seeded word; the
    topic-word matrix is the posterior mean ``(n_tw + eta_tw) / (n_t + sum_w eta_tw)``
    with those priors, as gensim's is. A fitted document's proportions are those of the
    last sample, ``(n_dt + alpha_t) / (n_d + sum alpha)``; new documents are inferred
    with 100 sweeps each, independent of the other documents of the call.

Measured (``benchmarks/bench_tomotopy.py``: the first 10,000 xwlb stories, 9,959 units,
891,130 tokens, K = 20, seeds 42-44, 2 CPUs; mean ± SD over seeds)::

    engine                 workers   wall s   sentence NPMI   c_npmi          diversity@10
    gensim (5 passes)      1         11.9     0.102 ± 0.034   0.084 ± 0.020   0.843
    tomotopy (200 sweeps)  1          9.4     0.158 ± 0.002   0.124 ± 0.006   0.815
    tomotopy (200 sweeps)  2          6.7     0.167 ± 0.009   0.131 ± 0.004   0.807

    tomotopy sweeps        50      100     150     200     300     500     1000
    train wall s           2.2     4.4     6.5     8.6     12.8    21.2    42.2
    sentence NPMI          0.143   0.141   0.155   0.158   0.160   0.163   0.163
    c_npmi                 0.115   0.115   0.122   0.124   0.129   0.128   0.127

With two workers a fit took 5.1 s when the second core was free and 9.9 s when another
job held it (the machine is shared). ``gibbs_iterations = 200`` is the rule's pick, fixed
before the run: the fewest sweeps whose mean sentence NPMI and c_npmi are both within one
seed-to-seed SD of the best.

Seeded themes hold less well with tomotopy. With the ten themes of
``data/themes/manufacturing_policy.toml`` on 400-character passages, K = 14, seeds 42, 7
and 2026 (the set-up and scores of ``benchmarks/bench_seed_strength.py``), the default
prior (weight 0.004) held 1.00 and 0.97 of the themes with gensim on the Shandong policy
documents and the Government Work Reports, and 0.33 and 0.37 with tomotopy, whose
seeded topics came out as general topics (8 of their top 10 words not seeded). tomotopy
needs about five times the weight (0.02: 0.90 and 1.00 held), and its seeded topics are
then little more than their seed lists (1.4 of the top 10 learned, against gensim's 3.3
and 2.5 at 0.004) and follow their seed words' rate less (Spearman 0.58 and 0.59 against
0.77 and 0.85). The likely reason: variational Bayes starting from the seeded prior
keeps a seeded topic on its words from the first pass, while Gibbs sampling lets the
documents' other words fill it unless the prior is strong enough to shut them out. For
seeded themes, use gensim.
"""

from __future__ import annotations

import logging
import warnings
from itertools import islice
from pathlib import Path

import numpy as np

log = logging.getLogger("policytopics")

#: The engines of ``[model] engine``.
ENGINES = ("gensim", "tomotopy")
#: Settings only one engine reads: for the other they are not part of the fit.
ENGINE_SETTINGS = {
    "gensim": frozenset({"passes", "iterations", "chunksize", "eval_every"}),
    "tomotopy": frozenset({"gibbs_iterations"}),
}
#: Documents per inference call.
INFERENCE_CHUNK = 2000
#: Gibbs sweeps per new document in tomotopy's inference (its own default).
TOMOTOPY_INFER_ITERATIONS = 100
#: tomotopy re-estimates ``alpha = "auto"`` every this many sweeps.
TOMOTOPY_OPTIM_INTERVAL = 10


def engine_class(name: str):
    """The engine class of ``[model] engine`` (``"gensim"`` or ``"tomotopy"``)."""
    engines = {"gensim": GensimEngine, "tomotopy": TomotopyEngine}
    if name not in engines:
        raise ValueError(f"unknown LDA engine {name!r}; expected one of {ENGINES}")
    return engines[name]


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

    @classmethod
    def fit(cls, corpus, dictionary, config, *, eta=None, progress: bool = False):
        """Train on a bag-of-words corpus; return the engine and the corpus's topic proportions.

        ``eta`` (topics × words) becomes tomotopy word priors (:meth:`prepare`). One
        worker unless ``config.multicore``.
        """
        from tqdm.auto import tqdm

        lda, fitted_rows = cls.prepare(corpus, dictionary, config, eta=eta)
        iterations = config.gibbs_iterations
        with tqdm(total=iterations, desc="LDA", unit="sweep", disable=not progress,
                  leave=False) as bar:
            callback = (lambda _model, done, _total: bar.update(done - bar.n)) if progress else None
            cls.train(lda, iterations, config, callback=callback)
        doc_topic = _empty_rows(len(corpus), config.n_topics)
        doc_topic[fitted_rows] = _normalised([doc.get_topic_dist() for doc in lda.docs])
        return cls(lda, dictionary), doc_topic

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
        """Run ``iterations`` Gibbs sweeps: one worker, or ``config.workers`` threads with
        ``config.multicore`` (logged as not reproducible). Sweeps in several calls give
        the same model as in one."""
        tp = _tomotopy()
        workers = max(0, config.workers) if config.multicore else 1
        if workers != 1:
            log.warning("tomotopy with %s sampling threads (multicore = true) is NOT reproducible: "
                        "tomotopy promises the same topics for a seed with one worker only; "
                        "multicore = false for reproducible results", workers or "all")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The training result may differ")  # logged above
            lda.train(iterations, workers=workers,
                      parallel=tp.ParallelScheme.NONE if workers == 1 else tp.ParallelScheme.DEFAULT,
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


__all__ = ["ENGINES", "ENGINE_SETTINGS", "GensimEngine", "TomotopyEngine", "engine_class",
           "tomotopy_prior"]
