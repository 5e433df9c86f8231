"""The LDA engines behind :class:`~policytopics.model.topic_model.TopicModel`, one module each,
and the registry that knows them.

``[model] engine`` names one of :data:`ENGINE_CLASSES`: ``"tomotopy"`` (the default;
:mod:`~policytopics.model.engines.tomotopy`), ``"gensim"``
(:mod:`~policytopics.model.engines.gensim`) or ``"keyatm"``
(:mod:`~policytopics.model.engines.keyatm`). Each is a subclass of
:class:`~policytopics.model.engines.base.LDAEngine` (what an engine provides and declares);
importing this package loads none of the engines' libraries (gensim, tomotopy, numba): each
engine imports its own inside its methods.

Adding an engine is one module here, one line in :data:`ENGINE_CLASSES` and a test file
(:mod:`policytopics.model.engines.base` says what the module holds).
"""

from __future__ import annotations

from policytopics.model.engines.base import LDAEngine
from policytopics.model.engines.gensim import GensimEngine
from policytopics.model.engines.keyatm import KeyATMEngine
from policytopics.model.engines.tomotopy import TomotopyEngine

#: The engines by their ``[model] engine`` name, in the order of that setting's choices (the
#: first is the default; ``policytopics.settings.config.Engine`` lists the same names).
ENGINE_CLASSES: dict[str, type[LDAEngine]] = {
    "tomotopy": TomotopyEngine,
    "gensim": GensimEngine,
    "keyatm": KeyATMEngine,
}
#: The engines' names.
ENGINES = tuple(ENGINE_CLASSES)


def engine_class(name: str) -> type[LDAEngine]:
    """The engine class of ``[model] engine`` (:data:`ENGINE_CLASSES`).

    >>> engine_class("gensim").model_file
    'lda.gensim'
    """
    if name not in ENGINE_CLASSES:
        raise ValueError(f"unknown LDA engine {name!r}; expected one of {ENGINES}")
    return ENGINE_CLASSES[name]


def settings_of_other_engines(name: str) -> frozenset[str]:
    """The ``[model]`` settings only engines other than ``name`` read: not part of its fit.

    >>> sorted(settings_of_other_engines("tomotopy"))  # doctest: +NORMALIZE_WHITESPACE
    ['anchor_keywords', 'chunksize', 'eval_every', 'iterations', 'keyword_prior', 'multicore',
     'passes', 'switch_prior']
    """
    own = ENGINE_CLASSES[name].settings if name in ENGINE_CLASSES else frozenset()
    return frozenset().union(*(cls.settings for other, cls in ENGINE_CLASSES.items() if other != name)) - own


__all__ = [
    "ENGINES",
    "ENGINE_CLASSES",
    "GensimEngine",
    "KeyATMEngine",
    "LDAEngine",
    "TomotopyEngine",
    "engine_class",
    "settings_of_other_engines",
]
