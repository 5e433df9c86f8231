"""The model stage: the topic model fitted on the bag-of-words corpus.

A pure stage function of the corpus, the units' ids, the words seen before pruning, the units'
region × period cells (for ``[model] fit_sample``) and the ``[model]`` settings (``[compute]``
says where a sample fit's inference runs); kept as the model's own folder
(:meth:`TopicModel.save`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from policytopics.model.fit_settings import fit_settings, settings_dict
from policytopics.model.infer import SampleFit
from policytopics.model.sample import fit_sample_size, stratified_sample
from policytopics.model.topic_model import MODEL_FILE, TopicModel, fit_model
from policytopics.settings.config import ComputeConfig, ModelConfig, WeightsConfig

log = logging.getLogger("policytopics")


def model(corpus, unit_ids: list[str], seen_words: frozenset[str], unit_cells: Callable[[], list[str]],
          model: ModelConfig, compute: ComputeConfig, *, progress: bool = False) -> TopicModel:
    """The topic model of ``corpus`` (``(dictionary, bag of words)``), one row per unit.

    With ``[model] fit_sample`` (:func:`policytopics.model.sample.fit_sample_size`) it is
    fitted on a sample stratified by ``unit_cells()`` (each unit's region × period) and every
    other unit is inferred on ``[compute]``'s workers or Dask scheduler
    (:class:`policytopics.model.infer.SampleFit`)."""
    dictionary, bags = corpus
    size = fit_sample_size(model.fit_sample, len(bags))
    fit = None
    if size is not None:
        cells = unit_cells()
        rows = stratified_sample(cells, size, model.seed)
        log.info("fitting on a sample of %d of %d units (%d region x period cells), inferring the rest",
                 len(rows), len(bags), len(set(cells)))
        fit = SampleFit(rows, workers=compute.workers, scheduler=compute.scheduler or None)
    return fit_model(bags, dictionary, model, doc_ids=unit_ids, unpruned=seen_words, progress=progress,
                     fit=fit)


def model_key(model: ModelConfig, weights: WeightsConfig | None = None) -> tuple:
    """What the fit depends on besides the corpus: the settings that change it
    (:func:`policytopics.model.fit_settings.fit_settings`, the rule :meth:`TopicModel.load`
    checks too, ``fit_sample`` among them), the themes file by its content, not by where it
    is; unless ``fit_sample = 0``, the period of the cells the sample is stratified by.
    ``[compute]`` (where the inference runs) changes nothing."""
    settings = fit_settings(settings_dict(model))
    settings.pop("themes", None)
    period = (weights or WeightsConfig()).period
    cells = () if model.fit_sample == 0 else ({"sample_cells": ("region", period)},)
    return (settings, Path(model.themes) if model.themes else "", *cells)


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
