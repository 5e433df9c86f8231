"""What an LDA engine is: the base class every engine of ``[model] engine`` derives from, and
the helpers they share.

:class:`~policytopics.model.topic_model.TopicModel` fits the same bag-of-words corpus and
dictionary (:mod:`policytopics.model.corpus`) with whichever engine ``[model] engine`` names,
and asks each the same questions: the topic proportions of the fitted documents, of new
documents (:meth:`LDAEngine.infer`), and the topic-word matrix ``p(w|t)`` over the
dictionary's ids (:meth:`LDAEngine.topic_word`), in the engine's own topic order (the model
orders them). So every table, figure and the explorer work with any engine.

Besides those answers an engine declares what the rest of the package must know of it:

``settings``
    the ``[model]`` settings it reads that not every engine reads (``passes`` for gensim,
    ``gibbs_iterations`` for the Gibbs samplers): for the other engines they are not part of
    the fit, so the model's cache key and :meth:`TopicModel.load`'s check leave them out
    (:func:`policytopics.model.fit_settings.fit_settings`).
:meth:`LDAEngine.workers_change_fit`
    its thread rule: whether ``[model] workers`` changes its result (and so is a fit setting).
``seed_prior``
    its prior form (:class:`SeedPriorForm`): how the ``eta`` matrix of seeded themes
    (:func:`policytopics.model.themes.theme_prior`) looks for it. How the matrix then enters
    the fit is the engine's own: gensim's ``eta``, tomotopy's word priors, keyATM's keywords.

Adding an engine: one module in this package with a subclass of :class:`LDAEngine`, one line
in the registry (:data:`policytopics.model.engines.ENGINE_CLASSES`), its name among the
choices of ``[model] engine`` (``policytopics.settings.config.Engine``) and a test file of its
own (``tests/model/engines/test_engine_<name>.py``). Import the engine's library inside its
methods, so that choosing another engine never loads it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

#: Sweeps between two of the sampler's states kept as posterior samples (``posterior_samples``).
POSTERIOR_SAMPLE_GAP = 10
#: Documents per inference call.
INFERENCE_CHUNK = 2000


@dataclass(frozen=True)
class SeedPriorForm:
    """How the ``eta`` matrix of seeded themes looks for an engine
    (:func:`policytopics.model.themes.theme_prior` builds it with these values).

    Parameters
    ----------
    weight
        The share of an average topic's tokens that ``seed_strength = 0`` (automatic) gives
        a seed word in its theme's topic (:func:`policytopics.model.themes.default_strength`).
    other_share
        A seed word's prior in the topics it does not seed, as a share of the base prior;
        ``None``: the base itself.
    contained_at_base
        True: a word that only contains a seed word keeps the base prior in its theme's topic
        (anchored by ``other_share`` elsewhere, not lifted); False: it gets the strength.
    """

    weight: float
    other_share: float | None = None
    contained_at_base: bool = False


#: Variational Bayes (gensim's ``eta``): a seed word keeps the base in the other topics, and a
#: word containing a seed word is seeded as strongly as the seed. The weight was measured
#: (``benchmarks/results.md``, sections seed-strength and seed-strength-gensim).
VARIATIONAL_PRIOR = SeedPriorForm(weight=0.004)
#: Gibbs sampling (tomotopy's word priors, keyATM's keywords): a prior is a pseudo-count, and a
#: large one shuts the topic to the documents' other words. So a seed word's prior is near zero
#: (1e-4 of the base) in the topics it does not seed, which anchors each of its occurrences to
#: its theme, and a word containing a seed word keeps the base in its theme's topic. Measured
#: with ``benchmarks/bench_seed_strength.py --engine tomotopy``.
GIBBS_PRIOR = SeedPriorForm(weight=0.01, other_share=1e-4, contained_at_base=True)


class LDAEngine(ABC):
    """What :class:`policytopics.model.topic_model.TopicModel` asks of an engine.

    Parameters
    ----------
    lda
        The engine's own fitted model (``TopicModel.lda_``).
    dictionary
        The gensim ``Dictionary`` whose word ids the topic-word matrix's columns are.
    """

    #: The engine's ``[model] engine`` name.
    name: ClassVar[str]
    #: The file :meth:`save` writes into a model's folder.
    model_file: ClassVar[str]
    #: The ``[model]`` settings this engine reads that not every engine reads (for the other
    #: engines they are not part of the fit).
    settings: ClassVar[frozenset[str]] = frozenset()
    #: How seeded themes' ``eta`` matrix looks for this engine.
    seed_prior: ClassVar[SeedPriorForm] = GIBBS_PRIOR
    #: Whether :meth:`infer_chunk` infers each document on its own (the others of its chunk
    #: change none of its numbers), so a chunk's units may be left out (given empty).
    infers_alone: ClassVar[bool] = True

    def __init__(self, lda, dictionary):
        self.lda = lda
        self.dictionary = dictionary
        #: The proportions at the fit's last states (samples × documents × topics, float32;
        #: the last is the point estimate), or None: the posterior samples of
        #: :mod:`policytopics.estimate.uncertainty`.
        self.doc_topic_samples: np.ndarray | None = None

    @classmethod
    @abstractmethod
    def workers_change_fit(cls, settings: Mapping[str, Any]) -> bool:
        """The thread rule: whether ``[model] workers`` changes the fit under ``settings``
        (the model's settings as a dict); if not, it is left out of the fit settings."""

    @classmethod
    @abstractmethod
    def fit(cls, corpus, dictionary, config, *, eta=None, progress: bool = False) -> tuple[Any, np.ndarray]:
        """Train; return the engine and the corpus's topic proportions (documents × topics).

        ``eta`` is the seeded prior matrix (topics × words) of
        :func:`policytopics.model.themes.theme_prior`, or None for ``config.eta``.
        """

    @abstractmethod
    def infer(self, corpus) -> np.ndarray:
        """Topic proportions of new documents (a document with no known word: uniform)."""

    def infer_chunk(self, corpus) -> np.ndarray:
        """:meth:`infer` of one chunk of a corpus, whatever chunks this engine inferred before:
        the chunks of a sample fit's inference (:mod:`policytopics.model.infer`) give the same
        bytes in any process and order. An engine whose inference draws from a state it
        keeps (gensim's) starts each chunk from the same state."""
        return self.infer(corpus)

    @abstractmethod
    def topic_word(self) -> np.ndarray:
        """p(w|t), topics × the dictionary's word ids."""

    @abstractmethod
    def alpha(self) -> np.ndarray:
        """The document-topic prior, one value per topic."""

    @abstractmethod
    def versions(self) -> dict[str, str]:
        """The engine library's version (and anything else that changes its numbers), as
        recorded in ``model.json``."""

    @abstractmethod
    def save(self, folder: Path) -> None:
        """Write the engine's own file (:attr:`model_file`) into ``folder``."""

    @classmethod
    @abstractmethod
    def load(cls, folder: Path, dictionary) -> Any:
        """Read what :meth:`save` wrote."""


def uniform_rows(n_docs: int, k: int) -> np.ndarray:
    """The document-topic matrix before inference: uniform rows (kept by empty documents).

    >>> uniform_rows(1, 4).tolist()
    [[0.25, 0.25, 0.25, 0.25]]
    """
    return np.full((n_docs, k), 1.0 / k)


def normalised_rows(rows) -> np.ndarray:
    """``rows`` as float64, each divided by its sum."""
    rows = np.asarray(rows, dtype=np.float64)
    return rows / rows.sum(axis=1, keepdims=True)


def posterior_steps(iterations: int, posterior_samples: int) -> list[int]:
    """Sweeps per call of a sampler that keeps its state after each call as a posterior sample:
    the last states, :data:`POSTERIOR_SAMPLE_GAP` sweeps apart, ``posterior_samples`` of them
    at most (as many as the sweeps allow). Sweeps in several calls give the same model as in
    one, so the fit is the same with any number of samples.

    >>> posterior_steps(200, 5), posterior_steps(25, 5), posterior_steps(200, 1)
    ([160, 10, 10, 10, 10], [5, 10, 10], [200])
    """
    samples = max(1, min(posterior_samples, 1 + (iterations - 1) // POSTERIOR_SAMPLE_GAP))
    return [iterations - (samples - 1) * POSTERIOR_SAMPLE_GAP] + [POSTERIOR_SAMPLE_GAP] * (samples - 1)


def numeric_prior(value, k: int, name: str) -> tuple[float | list[float], bool]:
    """A sampler's value of ``alpha`` or ``eta`` from a ModelConfig's, and whether the sampler
    should re-estimate it (``alpha = "auto"``; ``eta = "auto"`` is the symmetric ``1 / K``).

    >>> numeric_prior("symmetric", 4, "alpha"), numeric_prior(0.05, 4, "eta")
    ((0.25, False), (0.05, False))
    >>> [round(a, 3) for a in numeric_prior("asymmetric", 3, "alpha")[0]]
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
        return 1.0 / k, name == "alpha"
    raise ValueError(f"{name} = {value!r} has no tomotopy equivalent; use a number, "
                     "'symmetric'" + (", 'asymmetric' or 'auto'" if name == "alpha" else ""))


__all__ = [
    "GIBBS_PRIOR",
    "INFERENCE_CHUNK",
    "POSTERIOR_SAMPLE_GAP",
    "VARIATIONAL_PRIOR",
    "LDAEngine",
    "SeedPriorForm",
    "normalised_rows",
    "numeric_prior",
    "posterior_steps",
    "uniform_rows",
]
