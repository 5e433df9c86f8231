"""LDA topic model: fit with a fixed seed, topics ordered by prevalence.

:class:`TopicModel` follows the scikit-learn habit: settings in ``__init__``, learning in
:meth:`TopicModel.fit`, learned state in attributes ending in ``_``. The fit runs on the
engine ``[model] engine`` names (:mod:`policytopics.model.engines`): tomotopy's Gibbs sampler
(the default), gensim's single-process ``LdaModel`` or keyATM's sampler; each gives the same
document-topic matrix for the same tokens, settings and seed (tomotopy: with the same number of
workers, on the same machine). Everything the model answers (top words, relevance, the
topic-word matrix, prevalence, new documents, held-out perplexity) is computed here from the
engine's topic-word matrix and inference, the same way for every engine.

Seeded themes (:mod:`policytopics.model.themes`) reach the fit as an ``eta`` prior matrix in
the engine's prior form (gensim's ``eta``, tomotopy's word priors, keyATM's keywords); the
model records which of its ordered topics (T1..TK) is which theme in ``theme_names_``. A saved
model describes itself: its settings (the engine among them), K, the ids of the documents its
rows belong to and its theme names are written beside the engine's files (``model.json``),
and :meth:`TopicModel.load` checks them against the caller's settings and documents.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from policytopics.model.corpus import DICTIONARY_FILE, build_dictionary
from policytopics.model.engines import engine_class
from policytopics.model.fit_settings import config_from_settings, fit_settings, settings_dict
from policytopics.model.word_rankings import FREX_WEIGHT, RELEVANCE_LAMBDA, WORD_RANKINGS, word_scores
from policytopics.settings.config import ModelConfig

log = logging.getLogger("policytopics")

#: File beside the engine's files that makes a saved model describe itself.
MODEL_FILE = "model.json"
#: Version of ``model.json``; a file of another version is refused by :meth:`TopicModel.load`.
MODEL_FORMAT = 1
class TopicModel:
    """LDA over token lists.

    Parameters
    ----------
    config
        Model settings (engine, number of topics, seed, passes or Gibbs sweeps, pruning,
        priors).

    Attributes
    ----------
    dictionary_ : gensim.corpora.Dictionary
    engine_ : policytopics.model.engines.base.LDAEngine
        The fitted engine; read the model through this class's methods, which work for every
        engine.
    lda_ : tomotopy.LDAModel, gensim.models.LdaModel or policytopics.model.engines.keyatm.KeyATMState
        The engine's own model (``engine_.lda``), for what only that library offers.
    doc_topic_ : ndarray, shape (n_docs, n_topics)
        Topic proportions per document, columns in topic order (most prevalent first).
    doc_topic_samples_ : ndarray, shape (n_samples, n_docs, n_topics), or None
        The same at the sampler's last ``posterior_samples`` states (tomotopy and keyatm; the
        last is ``doc_topic_``), for the intervals of :mod:`policytopics.estimate.uncertainty`;
        None for gensim.
    order_ : ndarray
        The engine's topic index of each ordered topic.
    theme_names_ : dict of int to str
        Topic number (1 = most prevalent, as in every table) → name of the theme that
        seeded it; free topics are absent. Empty for an unseeded model.
    doc_ids_ : list or None
        Ids of the documents of ``doc_topic_``'s rows, when the fit was given them.
    units_fitted_ : int
        The units the sampler was fitted on: every row of ``doc_topic_``, or a sample of them
        (``[model] fit_sample``, the rest inferred); ``model.json`` and ``run.json`` record it.
    seed_report_ : DataFrame or None
        The seed words' report of :func:`policytopics.model.themes.seed_prior`, with each theme's
        topic number (:func:`policytopics.model.themes.number_seed_report`), when the prior
        was built by the model (``fit(themes=...)``, or ``config.themes`` without an
        ``eta``); ``None`` when the caller passed the prior.
    """

    def __init__(self, config: ModelConfig | None = None):
        self.config = config or ModelConfig()

    def fit(self, token_lists: Sequence[Sequence[str]], *, themes=None,
            doc_ids: Sequence | None = None) -> TopicModel:
        """Build the vocabulary and fit LDA on token lists held in memory.

        Empty documents get a uniform row. For a corpus streamed from disk use
        :meth:`fit_corpus`.

        Parameters
        ----------
        token_lists
            Tokens per document.
        themes
            Seeded themes (:class:`policytopics.model.themes.Theme`, theme ``i`` seeds topic
            ``i``); ``None``: :meth:`fit_corpus` reads ``config.themes`` when it is set. The
            prior and its report are built by :func:`policytopics.model.themes.theme_prior`.
        doc_ids
            Ids of the documents, saved with the model.
        """
        dictionary, unpruned = build_dictionary(token_lists, self.config, return_unpruned=True)
        corpus = [dictionary.doc2bow(tokens) for tokens in token_lists]
        if themes is None:
            return self.fit_corpus(corpus, dictionary, doc_ids=doc_ids, unpruned=unpruned)
        from policytopics.model.themes import theme_prior

        eta, report = theme_prior(themes, dictionary, self.config, unpruned=unpruned)
        self.fit_corpus(corpus, dictionary, eta=eta, theme_names=[theme.name for theme in themes],
                        doc_ids=doc_ids)
        from policytopics.model.themes import number_seed_report

        self.seed_report_ = number_seed_report(report, self.theme_names_)
        return self

    def fit_corpus(self, corpus, dictionary, *, progress: bool = False, eta=None,
                   theme_names: Sequence[str] | None = None, doc_ids: Sequence | None = None,
                   unpruned=None, fit=None) -> TopicModel:
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
            Show a progress bar of the passes (gensim) or Gibbs sweeps; it does not change the fit.
        eta
            A seeded prior, shape ``(n_topics, len(dictionary))``, from
            :func:`policytopics.model.themes.seed_prior`. ``None``: ``config.eta``, unless
            ``config.themes`` is set, in which case the prior is built here from that
            file (its report in ``seed_report_``, with ``unpruned`` passed on).
        theme_names
            Name of the theme that seeded the engine's topic ``i``, for ``i`` from 0; recorded
            by topic number in ``theme_names_`` once the topics are ordered.
        doc_ids
            Ids of the corpus's documents, in order; saved with the model and checked
            by :meth:`load`.
        unpruned
            Words seen before pruning, for the seed report when the prior is built here.
        fit
            ``None``: the engine's ``fit``; or ``fit(engine class, engine.fit's arguments)``
            (:class:`policytopics.model.infer.SampleFit`: on a sample, the rest inferred).

        Examples
        --------
        >>> from policytopics.model.themes import seed_prior                       # doctest: +SKIP
        >>> eta, report = seed_prior(themes, dictionary, 14, strength=0)    # doctest: +SKIP
        >>> model = TopicModel(config).fit_corpus(
        ...     corpus, dictionary, eta=eta, theme_names=[t.name for t in themes],
        ...     doc_ids=ids)                                                 # doctest: +SKIP
        >>> model.theme_names_                                               # doctest: +SKIP
        {3: '科技创新', 1: '产业链供应链', ...}
        """
        cfg = self.config
        if len(dictionary) == 0:
            _refuse_an_empty_vocabulary(cfg, dictionary)
        report = None
        if eta is None and cfg.themes is not None:
            eta, report, theme_names = _settings_themes_prior(cfg, dictionary, unpruned)
        theme_names = list(theme_names or [])
        eta, doc_ids = _checked_fit_inputs(cfg, corpus, dictionary, eta, theme_names, doc_ids)
        self.dictionary_ = dictionary
        self.engine_, raw = _fit_engine(engine_class(cfg.engine), fit, corpus, dictionary, cfg, eta, progress)
        # The units the sampler saw: a sample fit's (the rest inferred), else every one.
        self.units_fitted_ = len(getattr(fit, "rows", raw))
        self._order_topics(raw, theme_names)
        self.doc_ids_ = doc_ids
        if report is not None:
            from policytopics.model.themes import number_seed_report

            report = number_seed_report(report, self.theme_names_)
        self.seed_report_ = report
        return self

    def _order_topics(self, raw: np.ndarray, theme_names: list[str]) -> None:
        """The fitted engine's results with its topics ordered by prevalence (T1 first)."""
        self.lda_ = self.engine_.lda
        self.order_ = np.argsort(-raw.mean(axis=0), kind="stable")
        self.doc_topic_ = raw[:, self.order_]
        samples = self.engine_.doc_topic_samples
        self.doc_topic_samples_ = None if samples is None else samples[:, :, self.order_]
        position = {int(topic): number for number, topic in enumerate(self.order_, start=1)}
        self.theme_names_ = dict(sorted((position[i], name) for i, name in enumerate(theme_names)))

    def transform(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Topic proportions of new documents, in topic order (an empty one: uniform)."""
        corpus = [self.dictionary_.doc2bow(tokens) for tokens in token_lists]
        return self.engine_.infer(corpus)[:, self.order_]

    def perplexity(self, token_lists: Sequence[Sequence[str]]) -> float:
        """Held-out perplexity by document completion, computed alike for every engine.

        Each document's vocabulary tokens (in word-id order) alternate between two halves:
        the topic proportions ``theta`` are inferred from the first, and the second is
        scored, ``exp(-sum log(theta . p(w|t)) / n_scored)`` (Wallach et al. 2009,
        "Evaluation methods for topic models"). Scoring words the inference has not seen
        keeps the measure honest; the same formula for every engine makes their numbers
        comparable. Lower is better; NaN when no document has two vocabulary tokens.

        Examples
        --------
        >>> model.perplexity(heldout_token_lists)   # doctest: +SKIP
        812.4
        """
        observed, scored = [], []
        for tokens in token_lists:
            words = [w for w, count in sorted(self.dictionary_.doc2bow(tokens)) for _ in range(count)]
            if len(words) >= 2:
                observed.append(sorted(Counter(words[0::2]).items()))
                scored.append(np.asarray(words[1::2], dtype=int))
        if not scored:
            return float("nan")
        theta = self.engine_.infer(observed)
        topic_word = self.engine_.topic_word()
        log_likelihood = sum(float(np.log(theta[d] @ topic_word[:, words]).sum())
                             for d, words in enumerate(scored))
        return math.exp(-log_likelihood / sum(len(words) for words in scored))

    def topic_words(self, n: int | None = None) -> pd.DataFrame:
        """Tidy table: one row per topic and word (``topic``, ``rank``, ``word``, ``weight``).

        Topics are numbered from 1 in order of prevalence; words by ``p(w|t)``, ties by
        word id.
        """
        n = n or self.config.top_n_words
        rows = []
        for position, p in enumerate(self.topic_word(), start=1):
            for rank, word_id in enumerate(np.argsort(-p, kind="stable")[:n], start=1):
                rows.append({"topic": position, "rank": rank,
                             "word": self.dictionary_[int(word_id)], "weight": float(p[word_id])})
        return pd.DataFrame(rows)

    def relevant_words(self, n: int | None = None, lam: float = RELEVANCE_LAMBDA) -> pd.DataFrame:
        """Top words by relevance (Sievert & Shirley 2014, as in LDAvis).

        ``relevance = lam * log p(w|t) + (1 - lam) * log(p(w|t) / p(w))``: with
        ``lam < 1`` words frequent everywhere sink and words typical of the topic rise.
        Returns ``topic``, ``rank``, ``word``, ``relevance``, ``weight``.
        """
        table = self.ranked_words(n, by="relevance", lam=lam)
        return table.rename(columns={"score": "relevance"})[["topic", "rank", "word", "relevance", "weight"]]

    def word_table(self, n: int | None = None) -> pd.DataFrame:
        """Each topic's top ``n`` words by every one of :data:`WORD_RANKINGS`:
        ``topic, ranking, rank, word, weight, score``."""
        frames = [self.ranked_words(n, by).assign(ranking=by) for by in WORD_RANKINGS]
        return pd.concat(frames, ignore_index=True)[["topic", "ranking", "rank", "word", "weight", "score"]]

    def ranked_words(self, n: int | None = None, by: str = "probability", *,
                     lam: float = RELEVANCE_LAMBDA, frex_weight: float = FREX_WEIGHT) -> pd.DataFrame:
        """Each topic's top ``n`` words by one of :data:`WORD_RANKINGS`.

        ``"probability"``
            ``p(w|t)``: the topic's most frequent words, often the corpus's common words.
        ``"frex"``
            stm's FREX (Roberts et al. 2016, ``calcfrex``): the weighted harmonic mean of a
            word's rank within the topic by exclusivity, ``p(w|t) / sum_t' p(w|t')``, and by
            frequency, ``p(w|t)``, each as an empirical CDF over the vocabulary;
            ``frex_weight`` is the exclusivity's weight (stm's default 0.5).
        ``"relevance"``
            LDAvis' relevance with ``lam`` (:meth:`relevant_words`).

        Returns ``topic``, ``rank``, ``word``, ``weight`` (``p(w|t)``) and ``score`` (the
        ranking's own value); ties go to the smaller word id.
        """
        if by not in WORD_RANKINGS:
            raise ValueError(f"unknown word ranking {by!r}; expected one of {WORD_RANKINGS}")
        n = n or self.config.top_n_words
        topic_word = self.topic_word()
        scores = word_scores(topic_word, by, marginal=self.word_counts(), lam=lam, frex_weight=frex_weight)
        rows = []
        for position, (p, score) in enumerate(zip(topic_word, scores), start=1):
            for rank, word_id in enumerate(np.argsort(-score, kind="stable")[:n], start=1):
                rows.append({"topic": position, "rank": rank, "word": self.dictionary_[int(word_id)],
                             "weight": float(p[word_id]), "score": float(score[word_id])})
        return pd.DataFrame(rows, columns=["topic", "rank", "word", "weight", "score"])

    def topic_word(self) -> np.ndarray:
        """p(w|t): one row per topic in this model's order (T1..TK), one column per word id."""
        if not hasattr(self, "engine_"):
            raise ValueError("the model is not fitted: call fit() or load() first")
        return self.engine_.topic_word()[np.asarray(self.order_, dtype=int)]

    def word_counts(self) -> np.ndarray:
        """How often each word id occurs in the corpus (the dictionary's ``cfs``)."""
        counts = np.zeros(len(self.dictionary_), dtype=np.int64)
        for word_id, count in self.dictionary_.cfs.items():
            counts[word_id] = count
        return counts

    @property
    def alpha_(self) -> np.ndarray:
        """The document-topic prior per topic, in topic order (1 = most prevalent first)."""
        return self.engine_.alpha()[self.order_]

    def prevalence(self) -> pd.Series:
        """Mean topic proportion over documents, by topic number."""
        return pd.Series(self.doc_topic_.mean(axis=0), index=range(1, self.config.n_topics + 1),
                         name="prevalence")

    def save(self, folder: str | Path) -> None:
        """Save into ``folder`` (engine files: load only from a trusted source).

        Beside the engine's file (its ``model_file``: ``lda.tomotopy``, ``lda.gensim`` or
        ``keyatm.npz``) and the dictionary,
        ``model.json`` holds the settings (``config`` as a JSON-ready dict, the engine
        among them), K, the theme names by topic number, the document ids and the
        engine's versions, so the folder says what it is and :meth:`load` can check it.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.engine_.save(folder)
        self.dictionary_.save(str(folder / DICTIONARY_FILE))
        np.save(folder / "doc_topic.npy", self.doc_topic_)
        if getattr(self, "doc_topic_samples_", None) is not None:
            np.save(folder / "doc_topic_samples.npy", self.doc_topic_samples_)
        (folder / "order.json").write_text(json.dumps([int(i) for i in self.order_]))
        doc_ids = getattr(self, "doc_ids_", None)
        record = {
            "format": MODEL_FORMAT,
            "n_topics": int(self.doc_topic_.shape[1]),
            "n_docs": int(self.doc_topic_.shape[0]),
            "units_fitted": int(getattr(self, "units_fitted_", self.doc_topic_.shape[0])),
            "settings": settings_dict(self.config),
            "theme_names": {str(t): name for t, name in sorted(getattr(self, "theme_names_", {}).items())},
            "doc_ids": None if doc_ids is None else list(doc_ids),
            "engine": {"name": self.engine_.name, **self.engine_.versions()},
        }
        (folder / MODEL_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=1, default=str),
                                         encoding="utf-8")

    @classmethod
    def load(cls, folder: str | Path, config: ModelConfig | None = None, *,
             doc_ids: Sequence | None = None) -> TopicModel:
        """Load a model saved by :meth:`save` (trusted cache only), checking what it is.

        Parameters
        ----------
        folder
            A folder written by :meth:`save`.
        config
            The settings the caller expects. Its fit settings (:func:`fit_settings`: all but
            the display settings, ``workers`` where the engine's thread rule leaves it out and
            the other engines' settings) must equal the saved ones, the engine among them; its
            display settings are used. ``None``: the saved settings.
        doc_ids
            The documents the caller expects the rows to be, in order.

        Raises
        ------
        ValueError
            The folder holds no ``model.json`` (saved by an older version), or the saved
            settings or document ids differ from the ones given; the message names the
            settings that differ.
        """
        from gensim.corpora import Dictionary

        folder = Path(folder)
        record = _read_record(folder)
        saved = record["settings"]
        if config is not None:
            _check_settings(folder, saved, config)
        if doc_ids is not None:
            _check_doc_ids(folder, record["doc_ids"], doc_ids)
        model = cls(config if config is not None else config_from_settings(saved))
        model.dictionary_ = Dictionary.load(str(folder / DICTIONARY_FILE))
        model.engine_ = engine_class(saved.get("engine", "gensim")).load(folder, model.dictionary_)
        model.lda_ = model.engine_.lda
        model.doc_topic_ = np.load(folder / "doc_topic.npy")
        samples = folder / "doc_topic_samples.npy"
        model.doc_topic_samples_ = np.load(samples) if samples.is_file() else None
        model.order_ = np.array(json.loads((folder / "order.json").read_text()))
        model.theme_names_ = {int(t): name for t, name in record["theme_names"].items()}
        model.doc_ids_ = record["doc_ids"]
        model.units_fitted_ = int(record.get("units_fitted", record["n_docs"]))
        return model


def fit_model(corpus, dictionary, config: ModelConfig, *, doc_ids: Sequence[str] | None = None,
              unpruned=None, progress: bool = False, fit=None) -> TopicModel:
    """The model stage: a :class:`TopicModel` fitted on a bag-of-words corpus (``fit``: as
    :meth:`TopicModel.fit_corpus`'s), with a warning when K exceeds the units of text (most
    topics would be empty or filler)."""
    k, n_units = config.n_topics, len(corpus)
    if k > n_units:
        log.warning("%d topics for %d units of text: a model cannot tell more topics apart than "
                    "it has units, so most topics will be empty or filler; use fewer topics "
                    "(--topics)", k, n_units)
    return TopicModel(config).fit_corpus(corpus, dictionary, progress=progress, doc_ids=doc_ids,
                                         unpruned=unpruned, fit=fit)


def _fit_engine(engine, fit, corpus, dictionary, config: ModelConfig, eta, progress: bool):
    """``engine.fit``'s result, or ``fit``'s (:meth:`TopicModel.fit_corpus`)."""
    if fit is None:
        return engine.fit(corpus, dictionary, config, eta=eta, progress=progress)
    return fit(engine, corpus, dictionary, config, eta=eta, progress=progress)


def _settings_themes_prior(config: ModelConfig, dictionary, unpruned) -> tuple[np.ndarray, Any, list[str]]:
    """The prior, seed report and theme names of the themes file ``config.themes``."""
    from policytopics.model.themes import load_themes, theme_prior

    themes = load_themes(config.themes)
    eta, report = theme_prior(themes, dictionary, config, unpruned=unpruned)
    return eta, report, [theme.name for theme in themes]


def _refuse_an_empty_vocabulary(config: ModelConfig, dictionary) -> None:
    """The error of a fit on an empty vocabulary, with the pruning in effect."""
    from policytopics.model.corpus import pruning

    no_below, no_above = pruning(config, dictionary.num_docs)
    raise ValueError(
        f"the vocabulary is empty after pruning: too few documents or tokens ({dictionary.num_docs} "
        f"units; pruning in effect no_below={no_below}, no_above={no_above}"
        + (", set automatically" if not (config.no_below and config.no_above) else "") + ")"
    )


def _checked_fit_inputs(config: ModelConfig, corpus, dictionary, eta, theme_names: list[str],
                        doc_ids: Sequence | None) -> tuple[np.ndarray | None, list | None]:
    """``eta`` as floats and ``doc_ids`` as a list, once their sizes fit K, the dictionary and
    the corpus (and the theme names fit K)."""
    if len(theme_names) > config.n_topics:
        raise ValueError(f"{len(theme_names)} theme names for {config.n_topics} topics")
    if eta is not None:
        eta = np.asarray(eta, dtype=np.float64)
        if eta.shape != (config.n_topics, len(dictionary)):
            raise ValueError(f"eta has shape {eta.shape}; expected (n_topics, vocabulary) = "
                             f"({config.n_topics}, {len(dictionary)})")
    if doc_ids is not None:
        doc_ids = list(doc_ids)
        if len(doc_ids) != len(corpus):
            raise ValueError(f"{len(doc_ids)} document ids for a corpus of {len(corpus)} documents")
    return eta, doc_ids


def _read_record(folder: Path) -> dict[str, Any]:
    """The ``model.json`` of a saved model, refused when missing or of another format."""
    record_path = folder / MODEL_FILE
    if not record_path.is_file():
        raise ValueError(f"{folder} holds no {MODEL_FILE}: saved by an older policytopics "
                         "without its settings and document ids; fit the model again")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    if record.get("format") != MODEL_FORMAT:
        raise ValueError(f"{record_path} is format {record.get('format')!r}; this version reads "
                         f"format {MODEL_FORMAT}: fit the model again")
    return record


def _check_settings(folder: Path, saved: dict[str, Any], config: ModelConfig) -> None:
    """Refuse a saved model whose fit settings (:func:`fit_settings`) differ from ``config``'s,
    naming each that differs."""
    expected, found = fit_settings(settings_dict(config)), fit_settings(saved)
    differ = sorted(key for key in expected.keys() | found.keys() if expected.get(key) != found.get(key))
    if differ:
        detail = ", ".join(f"{key}: saved {found.get(key)!r}, asked {expected.get(key)!r}"
                           for key in differ)
        raise ValueError(f"the model in {folder} was fitted with other settings ({detail})")


def _check_doc_ids(folder: Path, kept: list | None, doc_ids: Sequence) -> None:
    """Refuse a saved model whose rows are not the documents ``doc_ids``, in order."""
    asked = [str(i) for i in doc_ids]
    if kept is None:
        raise ValueError(f"the model in {folder} was saved without document ids; "
                         "cannot check that its rows are these documents")
    if [str(i) for i in kept] != asked:
        first = next((n for n, (a, b) in enumerate(zip(kept, asked)) if str(a) != b),
                     min(len(kept), len(asked)))
        raise ValueError(f"the model in {folder} belongs to other documents: "
                         f"{len(kept)} saved, {len(asked)} asked, first difference at row {first}")

