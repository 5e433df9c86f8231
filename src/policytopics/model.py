"""gensim LDA topic model: fit with a fixed seed, topics ordered by prevalence.

:class:`TopicModel` follows the scikit-learn habit: settings in ``__init__``, learning in
:meth:`TopicModel.fit`, learned state in attributes ending in ``_``. The default is
gensim's single-process ``LdaModel`` with ``random_state=seed``, so the same tokens,
settings and seed give the same document-topic matrix.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .config import ModelConfig

#: Documents per inference call when the document-topic matrix is built.
_INFERENCE_CHUNK = 2000


#: ``no_below = 0`` (auto) keeps words in at least this share of documents, within the
#: bounds below: 20 documents at 10,000, where it was measured (benchmarks/README.md).
AUTO_NO_BELOW_SHARE = 0.002
AUTO_NO_BELOW_MAX = 20
#: ``no_above = 0`` (auto) drops words in more than this share of the documents, by corpus
#: size: 0.3 from 1,000 documents (measured at 10,000 news stories); 0.5 from 100 (read
#: on the 211 long policy documents, where 0.3 cut too much and 0.9 left generic topics);
#: 0.9 below 100, where a share is two or three documents and no evidence of boilerplate.
AUTO_NO_ABOVE = ((1_000, 0.3), (100, 0.5), (0, 0.9))


def pruning(config: ModelConfig, n_docs: int) -> tuple[int, float]:
    """``(no_below, no_above)`` in effect for a corpus of ``n_docs`` documents (auto resolved).

    >>> from policytopics.config import ModelConfig
    >>> [pruning(ModelConfig(no_below=0, no_above=0), n) for n in (5, 221, 1_000, 10_000, 74_000)]
    [(1, 0.9), (1, 0.5), (2, 0.3), (20, 0.3), (20, 0.3)]
    """
    no_below = config.no_below or min(AUTO_NO_BELOW_MAX, max(1, round(AUTO_NO_BELOW_SHARE * n_docs)))
    no_above = config.no_above or next(share for size, share in AUTO_NO_ABOVE if n_docs >= size)
    return no_below, no_above


def build_dictionary(token_lists, config: ModelConfig):
    """The pruned gensim ``Dictionary`` of a corpus (``no_below``, ``no_above``, ``keep_n``).

    ``token_lists`` is read once, so it may be a stream. Auto pruning (``0``) is resolved
    for the corpus's number of documents (:func:`pruning`).
    """
    from gensim.corpora import Dictionary

    dictionary = Dictionary(token_lists)
    no_below, no_above = pruning(config, dictionary.num_docs)
    dictionary.filter_extremes(no_below=no_below, no_above=no_above, keep_n=config.keep_n)
    return dictionary


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


class TopicModel:
    """LDA over token lists.

    Parameters
    ----------
    config
        Model settings (number of topics, seed, passes, pruning, priors).

    Attributes
    ----------
    dictionary_ : gensim.corpora.Dictionary
    lda_ : gensim.models.LdaModel
    doc_topic_ : ndarray, shape (n_docs, n_topics)
        Topic proportions per document, columns in topic order (most prevalent first).
    order_ : ndarray
        gensim topic index of each ordered topic.
    """

    def __init__(self, config: ModelConfig | None = None):
        self.config = config or ModelConfig()

    def fit(self, token_lists: Sequence[Sequence[str]]) -> TopicModel:
        """Build the vocabulary and fit LDA on token lists held in memory.

        Empty documents get a uniform row. For a corpus streamed from disk use
        :meth:`fit_corpus`.
        """
        dictionary = build_dictionary(token_lists, self.config)
        return self.fit_corpus([dictionary.doc2bow(tokens) for tokens in token_lists], dictionary)

    def fit_corpus(self, corpus, dictionary, *, progress: bool = False) -> TopicModel:
        """Fit LDA on a bag-of-words corpus that may stream from disk.

        Parameters
        ----------
        corpus
            A re-iterable corpus of ``(word_id, count)`` lists with a length: a list, or
            a gensim ``MmCorpus`` read from disk chunk by chunk (memory then does not
            grow with the number of documents, beyond the document-topic matrix).
        dictionary
            The gensim ``Dictionary`` the word ids refer to (see :func:`build_dictionary`).
        progress
            Show a progress bar of the passes (single-process ``LdaModel`` only); it does
            not change the fit.
        """
        from gensim.models import LdaModel, LdaMulticore
        from tqdm.auto import tqdm

        cfg = self.config
        if len(dictionary) == 0:
            raise ValueError(
                "the vocabulary is empty after pruning: too few documents or tokens "
                f"(no_below={cfg.no_below}, no_above={cfg.no_above})"
            )
        self.dictionary_ = dictionary
        options = dict(corpus=corpus, id2word=dictionary, num_topics=cfg.n_topics,
                       random_state=cfg.seed, passes=cfg.passes, iterations=cfg.iterations,
                       eta=cfg.eta, eval_every=cfg.eval_every or None, chunksize=cfg.chunksize)
        if cfg.multicore:
            # LdaMulticore has no alpha="auto" and is not reproducible run to run.
            alpha = "symmetric" if cfg.alpha == "auto" else cfg.alpha
            self.lda_ = LdaMulticore(workers=cfg.workers, alpha=alpha, **options)
        else:
            with tqdm(total=cfg.passes, desc="LDA", unit="pass", disable=not progress,
                      leave=False) as bar:
                callbacks = [_pass_progress(bar)] if progress else None
                self.lda_ = LdaModel(alpha=cfg.alpha, callbacks=callbacks, **options)
            self.lda_.callbacks = None  # not saved with the model
        raw = self._doc_topic_matrix(corpus)
        self.order_ = np.argsort(-raw.mean(axis=0), kind="stable")
        self.doc_topic_ = raw[:, self.order_]
        return self

    def _doc_topic_matrix(self, corpus) -> np.ndarray:
        """Topic proportions per document, inferred chunk by chunk (gensim topic order)."""
        from itertools import islice

        k = self.config.n_topics
        matrix = np.full((len(corpus), k), 1.0 / k)  # empty documents keep the uniform row
        stream = iter(corpus)
        start = 0
        while chunk := list(islice(stream, _INFERENCE_CHUNK)):
            filled = [i for i, bow in enumerate(chunk) if bow]
            if filled:
                gamma, _ = self.lda_.inference([chunk[i] for i in filled])
                matrix[[start + i for i in filled]] = gamma / gamma.sum(axis=1, keepdims=True)
            start += len(chunk)
        return matrix

    def transform(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Topic proportions of new documents, in topic order."""
        corpus = [self.dictionary_.doc2bow(tokens) for tokens in token_lists]
        return self._doc_topic_matrix(corpus)[:, self.order_]

    def topic_words(self, n: int | None = None) -> pd.DataFrame:
        """Tidy table: one row per topic and word (``topic``, ``rank``, ``word``, ``weight``).

        Topics are numbered from 1 in order of prevalence.
        """
        n = n or self.config.top_n_words
        rows = []
        for position, gensim_topic in enumerate(self.order_, start=1):
            for rank, (word_id, weight) in enumerate(
                    self.lda_.get_topic_terms(int(gensim_topic), topn=n), start=1):
                rows.append({"topic": position, "rank": rank,
                             "word": self.dictionary_[word_id], "weight": float(weight)})
        return pd.DataFrame(rows)

    def relevant_words(self, n: int | None = None, lam: float = 0.6) -> pd.DataFrame:
        """Top words by relevance (Sievert & Shirley 2014, as in LDAvis).

        ``relevance = lam * log p(w|t) + (1 - lam) * log(p(w|t) / p(w))``: with
        ``lam < 1`` words frequent everywhere sink and words typical of the topic rise.
        Returns ``topic``, ``rank``, ``word``, ``relevance``, ``weight``.
        """
        n = n or self.config.top_n_words
        counts = self.word_counts()
        marginal = counts / counts.sum()
        rows = []
        with np.errstate(divide="ignore"):
            for position, p in enumerate(self.topic_word(), start=1):
                score = lam * np.log(p) + (1 - lam) * np.log(p / np.where(marginal > 0, marginal, 1))
                for rank, word_id in enumerate(np.argsort(-score, kind="stable")[:n], start=1):
                    rows.append({"topic": position, "rank": rank, "word": self.dictionary_[int(word_id)],
                                 "relevance": float(score[word_id]), "weight": float(p[word_id])})
        return pd.DataFrame(rows)

    def topic_word(self) -> np.ndarray:
        """p(w|t): one row per topic in this model's order (T1..TK), one column per word id."""
        if not hasattr(self, "lda_"):
            raise ValueError("the model is not fitted: call fit() or load() first")
        return self.lda_.get_topics()[np.asarray(self.order_, dtype=int)].astype(np.float64)

    def word_counts(self) -> np.ndarray:
        """How often each word id occurs in the corpus (the dictionary's ``cfs``)."""
        counts = np.zeros(len(self.dictionary_), dtype=np.int64)
        for word_id, count in self.dictionary_.cfs.items():
            counts[word_id] = count
        return counts

    def prevalence(self) -> pd.Series:
        """Mean topic proportion over documents, by topic number."""
        return pd.Series(self.doc_topic_.mean(axis=0), index=range(1, self.config.n_topics + 1),
                         name="prevalence")

    def save(self, folder: str | Path) -> None:
        """Save into ``folder`` (gensim files: load only from a trusted source)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.lda_.save(str(folder / "lda.gensim"))
        self.dictionary_.save(str(folder / "dictionary.gensim"))
        np.save(folder / "doc_topic.npy", self.doc_topic_)
        (folder / "order.json").write_text(json.dumps([int(i) for i in self.order_]))

    @classmethod
    def load(cls, folder: str | Path, config: ModelConfig) -> TopicModel:
        """Load a model saved by :meth:`save` (trusted cache only)."""
        from gensim.corpora import Dictionary
        from gensim.models import LdaModel

        folder = Path(folder)
        model = cls(config)
        model.lda_ = LdaModel.load(str(folder / "lda.gensim"))
        model.dictionary_ = Dictionary.load(str(folder / "dictionary.gensim"))
        model.doc_topic_ = np.load(folder / "doc_topic.npy")
        model.order_ = np.array(json.loads((folder / "order.json").read_text()))
        return model
