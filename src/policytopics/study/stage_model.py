"""The model stage: the topic model fitted on the bag-of-words corpus.

A pure stage function of the corpus, the units' ids, the words seen before pruning and the
``[model]`` settings; kept as the model's own folder (:meth:`TopicModel.save`).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from policytopics.model.fit_settings import fit_settings, settings_dict
from policytopics.model.topic_model import MODEL_FILE, TopicModel, fit_model
from policytopics.settings.config import ModelConfig


def model(corpus, unit_ids: list[str], seen_words: frozenset[str], model: ModelConfig, *,
          progress: bool = False) -> TopicModel:
    """The topic model of ``corpus`` (``(dictionary, bag of words)``), one row per unit."""
    dictionary, bags = corpus
    return fit_model(bags, dictionary, model, doc_ids=unit_ids, unpruned=seen_words, progress=progress)


def model_key(model: ModelConfig) -> tuple:
    """What the fit depends on besides the corpus: the settings that change it
    (:func:`policytopics.model.fit_settings.fit_settings`, the rule :meth:`TopicModel.load`
    checks too), the themes file by its content, not by where it is."""
    settings = fit_settings(settings_dict(model))
    settings.pop("themes", None)
    return (settings, Path(model.themes) if model.themes else "")


def load(path: Path, unit_ids: list[str], model: ModelConfig) -> TopicModel | None:
    """The model kept in ``path``, or ``None`` when the folder holds none.

    Its themes file is the same by content (the key holds it) though perhaps elsewhere (a
    study folder moved): the saved place is what :meth:`TopicModel.load` compares, and the
    model then carries this study's settings.
    """
    if not (path / "order.json").is_file():
        return None
    saved = json.loads((path / MODEL_FILE).read_text(encoding="utf-8"))["settings"].get("themes")
    loaded = TopicModel.load(path, replace(model, themes=Path(saved) if saved else None), doc_ids=unit_ids)
    loaded.config = model
    return loaded


def save(fitted: TopicModel, folder: Path) -> None:
    fitted.save(folder)


def check_model(fitted: TopicModel, model: ModelConfig) -> str | None:
    """Why a cached model does not fit: its proportions are not one row per unit it saw and
    one column per topic."""
    expected = (len(fitted.doc_ids_ or ()), model.n_topics)
    shapes = {"doc_topic.npy": fitted.doc_topic_.shape}
    if fitted.doc_topic_samples_ is not None:
        shapes["doc_topic_samples.npy"] = fitted.doc_topic_samples_.shape[-2:]
    wrong = [f"{name} is {' x '.join(map(str, shape))}" for name, shape in shapes.items()
             if tuple(shape) != expected]
    return f"{', '.join(wrong)}, not {expected[0]} units x {expected[1]} topics" if wrong else None


__all__ = ["check_model", "load", "model", "model_key", "save"]
