"""The study's estimates together: weights, emphases, correlations and effects, with their
intervals from one pass of draws.

Theme weights by region, period and both (:mod:`policytopics.estimate.weights`), the
emphases, the effects of the ``[effects] formula`` (:mod:`policytopics.estimate.effects`)
and the topic correlations all take their intervals from the same draws
(:func:`policytopics.estimate.uncertainty.compose`): :class:`Estimates` builds the statistics
once, runs the pass once, and turns each statistic's draws into its table. ``Study`` holds
one per model and labels.

Examples
--------
>>> documents, theta = document_table(kept, doc_topic)  # doctest: +SKIP
>>> estimates = Estimates(documents, theta, WeightsConfig(), EffectsConfig(),  # doctest: +SKIP
...                       posterior=model.posterior, topic_labels={1: "科技创新"})
>>> estimates.weights("region"), estimates.effects["levels"]  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property

import numpy as np
import pandas as pd

from policytopics.estimate.weights import (
    GroupMeans,
    TopicCorrelation,
    theme_emphasis,
    theme_weights,
)
from policytopics.estimate.weights import topic_correlations as correlation_table
from policytopics.settings.config import EffectsConfig, WeightsConfig

log = logging.getLogger("policytopics")

#: The groupings of the weight and emphasis tables, by the name of their draws.
GROUPINGS = {"region": ("region",), "period": ("period",), "region_period": ("region", "period")}
#: The effects' tables (:func:`policytopics.estimate.effects.effect_tables`).
EFFECT_TABLES = ("coefficients", "levels", "difference", "curves")


class Estimates:
    """Every estimate of a study with its interval.

    Parameters
    ----------
    documents, theta
        One row per document (:func:`policytopics.estimate.weights.document_table`), ``region``
        already the groups of the regional outputs (provinces, or cities with
        ``region_level = "city"``), and the documents' proportions (documents × topics, topic
        ``j + 1`` in column ``j``) in that order.
    weights, effects
        The study's ``[weights]`` and ``[effects]`` settings.
    posterior
        Gives the documents' posterior (:class:`policytopics.estimate.uncertainty.ProportionPosterior`),
        asked for only under ``uncertainty = "global"``.
    topic_labels
        Topic number → label, for the correlation and effect tables.
    progress
        Show a progress bar over the draws.
    workers
        Processes computing the draws (the draws are the same whatever the number).
    """

    def __init__(self, documents: pd.DataFrame, theta: np.ndarray, weights: WeightsConfig,
                 effects: EffectsConfig, *, posterior: Callable[[], object], topic_labels: dict[int, str],
                 progress: bool = False, workers: int = 1):
        if len(documents) != len(theta):
            raise ValueError(f"{len(documents)} documents but {len(theta)} rows of proportions")
        self.weights_config, self.effects_config = weights, effects
        self._posterior, self.topic_labels, self.progress = posterior, topic_labels, progress
        self.workers = workers
        self.documents, self.theta = documents, theta
        self.topics = list(range(1, theta.shape[1] + 1))

    @cached_property
    def effect_model(self):
        """The formula's regression (:class:`policytopics.estimate.effects.EffectModel`), or ``None``
        without a formula; its ``reason`` says why it cannot be estimated."""
        from policytopics.estimate.effects import EffectModel

        formula = self.effects_config.formula
        if not formula:
            return None
        model = EffectModel(self.documents, formula, self.theta, min_docs=self.weights_config.min_docs)
        if not model.usable:
            log.info("effects of %r not estimated: %s", formula, model.reason)
        return model

    @cached_property
    def draws(self) -> tuple[dict, dict]:
        """``(statistics, draws)``: the statistics by name (the :data:`GROUPINGS`,
        ``correlation`` and, with a usable formula, ``effects``) and their draws."""
        from policytopics.estimate.uncertainty import compose

        settings = self.weights_config
        weight_by = settings.weight_by or None
        statistics = {name: GroupMeans(self.documents, keys, weight_by) for name, keys in GROUPINGS.items()}
        statistics["correlation"] = TopicCorrelation()
        if self.effect_model is not None and self.effect_model.usable:
            statistics["effects"] = self.effect_model
        posterior = self._posterior() if settings.uncertainty == "global" else None
        return statistics, compose(self.theta, statistics, posterior=posterior,
                                   uncertainty=settings.uncertainty, draws=settings.draws,
                                   seed=settings.seed, progress=self.progress, workers=self.workers)

    def _per_group(self, compute, grouping: str) -> pd.DataFrame:
        settings = self.weights_config
        keys = GROUPINGS[grouping]
        statistics, draws = self.draws
        means = statistics[grouping]
        return compute(self.documents, keys[0] if len(keys) == 1 else list(keys), min_docs=settings.min_docs,
                       ci=settings.ci, weight_by=settings.weight_by or None, uncertainty=settings.uncertainty,
                       shared=(means, means(self.theta, None), draws[grouping], self.topics),
                       topic_labels=self.topic_labels)

    def weights(self, grouping: str) -> pd.DataFrame:
        """Mean topic weight per group (:func:`policytopics.estimate.weights.theme_weights`)."""
        return self._per_group(theme_weights, grouping)

    def emphasis(self, grouping: str) -> pd.DataFrame:
        """Each group's weight minus the mean over groups
        (:func:`policytopics.estimate.weights.theme_emphasis`)."""
        return self._per_group(theme_emphasis, grouping)

    @cached_property
    def correlations(self) -> pd.DataFrame:
        """Correlations of the documents' topic proportions, with intervals (stm's ``topicCorr``)."""
        statistics, draws = self.draws
        return correlation_table(statistics["correlation"](self.theta, None), draws["correlation"],
                                 self.topic_labels, ci=self.weights_config.ci)

    @cached_property
    def effects(self) -> dict[str, pd.DataFrame]:
        """The formula's tables (:data:`EFFECT_TABLES`); empty when not estimated."""
        from policytopics.estimate.effects import effect_tables

        statistics, draws = self.draws
        model = statistics.get("effects")
        if model is None:
            return {name: pd.DataFrame() for name in EFFECT_TABLES}
        return effect_tables(model, model(self.theta, None), draws["effects"], self.topic_labels,
                             ci=self.weights_config.ci, compare=self.effects_config.compare)


__all__ = ["EFFECT_TABLES", "GROUPINGS", "Estimates"]
