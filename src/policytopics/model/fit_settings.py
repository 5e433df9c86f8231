"""The ``[model]`` settings that change a fit: what a saved model records of its settings,
and the part of them that its cache key and :meth:`~policytopics.model.topic_model.TopicModel.load`'s
check compare (:func:`fit_settings`: display settings out, the settings only other engines read
out, ``workers`` out where the engine's thread rule says it changes nothing; each engine
declares its own, :mod:`policytopics.model.engines`).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from policytopics.model.engines import ENGINE_CLASSES, settings_of_other_engines
from policytopics.settings.config import ModelConfig

#: ModelConfig settings that name or show topics but do not change the fit.
DISPLAY_SETTINGS = frozenset({"top_n_words", "labels", "label_words", "eval_every"})


def settings_dict(config: ModelConfig) -> dict[str, Any]:
    """A ModelConfig as a JSON-ready dict (paths as strings), as saved with a model.

    >>> from policytopics.settings.config import ModelConfig
    >>> settings_dict(ModelConfig(n_topics=8))["n_topics"]
    8
    """
    return json.loads(json.dumps(dataclasses.asdict(config), default=str))


def fit_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings of :func:`settings_dict` that change the fit (display settings out).

    ``workers`` counts when the engine's thread rule says so
    (:meth:`~policytopics.model.engines.base.LDAEngine.workers_change_fit`: tomotopy's
    sampling threads change the topics, gensim's processes only with ``multicore``, keyatm
    samples with one thread); the settings only other engines read (each engine's
    ``settings``, :func:`policytopics.model.engines.settings_of_other_engines`) are left out
    too. A setting missing from ``settings`` (saved before it existed) takes today's default.

    >>> sorted(set(fit_settings(settings_dict(ModelConfig(engine="gensim"))))
    ...        ^ set(fit_settings(settings_dict(ModelConfig(engine="tomotopy")))))
    ['chunksize', 'gibbs_iterations', 'iterations', 'multicore', 'passes', 'posterior_samples', 'workers']
    """
    defaults = settings_dict(ModelConfig())
    full = defaults | dict(settings)
    others = settings_of_other_engines(full["engine"])
    fit = {key: value for key, value in full.items() if key not in DISPLAY_SETTINGS | others}
    engine = ENGINE_CLASSES.get(full["engine"])
    if engine is not None and not engine.workers_change_fit(fit):
        fit.pop("workers", None)  # one process, one thread
    return fit


def config_from_settings(settings: dict[str, Any]) -> ModelConfig:
    """The ModelConfig of saved settings (unknown keys ignored, paths back to ``Path``)."""
    known = {f.name: f for f in dataclasses.fields(ModelConfig)}
    values = {}
    for key, value in settings.items():
        if key not in known:
            continue
        if key in ("labels", "themes") and value is not None:
            value = Path(value)
        values[key] = value
    return ModelConfig(**values)


__all__ = ["DISPLAY_SETTINGS", "config_from_settings", "fit_settings", "settings_dict"]
