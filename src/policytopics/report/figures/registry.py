"""The study's figures, declared in one list: :data:`FIGURES`.

Each entry names a plot function (the function itself, never a name looked up at run time),
its file name, the table it draws (a key of the study's figure tables,
``Study.figure_frames``; the sweep's are ``by_k`` and ``suggested_k``), the settings it takes
from the study, when it cannot show anything (the predicates of :mod:`.skips`, with the
reason in words), and whether a quick run (``policytopics run --quick``) draws it. A figure
drawn once per covariate of its table (the effects) names its files with ``{covariate}``;
the sweep's ``k_selection`` is drawn by ``policytopics sweep``, not by a run.

Adding a figure is one plot function in :mod:`.themes`, :mod:`.topics` or :mod:`.effects`,
its entry here and its test; the output stage (:mod:`policytopics.report.figure_files`)
finds it:

    Figure("my_figure", plot_my_figure, "by_period", skip=needs_periods,
           options=lambda frames, config: {"min_docs": config.weights.min_docs})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from policytopics.report.figures.effects import plot_effect_curves, plot_effect_difference, plot_effect_levels
from policytopics.report.figures.emphasis import plot_theme_emphasis
from policytopics.report.figures.skips import (
    emphasis_of,
    few_levels,
    few_topics,
    needs_periods,
    needs_regions,
    regions_and_periods,
)
from policytopics.report.figures.themes import (
    plot_coverage,
    plot_regions_over_time,
    plot_theme_panels_over_time,
    plot_theme_weights_by_region,
    plot_theme_weights_by_region_period,
    plot_theme_weights_over_time,
)
from policytopics.report.figures.topics import plot_k_selection, plot_top_words, plot_topic_correlation


def _no_options(frames: Mapping, config) -> dict:
    return {}


def _never(frames: Mapping, keywords: dict) -> str | None:
    return None


@dataclass(frozen=True)
class Figure:
    """One of the study's figures (see the module's introduction).

    ``options(frames, config)`` gives its keywords beyond ``language``; ``skip(frames,
    keywords)`` the reason it is not drawn, or None; ``per_covariate``: one figure per
    covariate of the table, ``{covariate}`` in ``name``; ``optional``: not drawn, and not
    listed as skipped, when its table is empty; ``quick``: a quick run draws it; ``sweep``:
    drawn by the topic-count sweep, not by a run.
    """

    name: str
    draw: Callable[..., Any]
    table: str
    options: Callable[[Mapping, Any], dict] = _no_options
    skip: Callable[[Mapping, dict], str | None] = _never
    per_covariate: bool = False
    optional: bool = False
    quick: bool = False
    sweep: bool = False

    def instances(self, table: pd.DataFrame | None) -> list[tuple[str, dict]]:
        """``(file name, keywords)`` of each figure this entry draws from ``table``; none from
        an empty table of an optional figure (the effects of a formula that was not estimated)."""
        if (self.optional or self.per_covariate) and (table is None or table.empty):
            return []
        if not self.per_covariate:
            return [(self.name, {})]
        return [(self.name.format(covariate=c), {"covariate": c})
                for c in table["covariate"].drop_duplicates()]


def _min_docs(frames: Mapping, config) -> dict:
    return {"min_docs": config.weights.min_docs}


def _one_document_per_period(frames: Mapping, config) -> dict:
    by_period = frames.get("by_period")
    one = by_period is not None and not by_period.empty and bool((by_period["n_docs"] == 1).all())
    return {"one_document_per_period": one}


#: Every figure of the study, in the order a run draws and lists them.
FIGURES: tuple[Figure, ...] = (
    Figure("effect_levels_{covariate}", plot_effect_levels, "effect_levels", skip=few_levels,
           per_covariate=True, optional=True),
    Figure("effect_difference", plot_effect_difference, "effect_difference", optional=True),
    Figure("effect_curve_{covariate}", plot_effect_curves, "effect_curves", per_covariate=True, optional=True,
           options=lambda frames, config: {"formula": frames.get("effects_formula", "")}),
    Figure("theme_weights_by_region", plot_theme_weights_by_region, "by_region", skip=needs_regions,
           options=_min_docs),
    Figure("theme_weights_over_time", plot_theme_weights_over_time, "by_period", skip=few_topics, quick=True),
    Figure("theme_panels_over_time", plot_theme_panels_over_time, "by_period", skip=needs_periods,
           options=_min_docs, quick=True),
    Figure("regions_over_time_T1", plot_regions_over_time, "by_region_period", skip=regions_and_periods,
           options=lambda frames, config: {"topic": 1}),
    Figure("coverage_by_period", plot_coverage, "documents", skip=needs_periods,
           options=lambda frames, config: {"by": "period"}),
    Figure("coverage_by_region", plot_coverage, "documents", skip=needs_regions,
           options=lambda frames, config: {"by": "region"}),
    Figure("theme_emphasis_over_time", plot_theme_emphasis, "emphasis_by_period", skip=emphasis_of("period"),
           options=lambda frames, config: {"by": "period", "min_docs": config.weights.min_docs}, quick=True),
    Figure("theme_emphasis_by_region", plot_theme_emphasis, "emphasis_by_region", skip=emphasis_of("region"),
           options=lambda frames, config: {"by": "region", "min_docs": config.weights.min_docs}, quick=True),
    Figure("theme_weights_by_region_year", plot_theme_weights_by_region_period, "by_region_period",
           skip=regions_and_periods,
           options=lambda frames, config: {"topics": list(frames.get("theme_topics") or ()) or None}),
    Figure("top_words", plot_top_words, "topic_words", quick=True,
           options=lambda frames, config: {"topic_labels": frames["topic_labels"],
                                           "n_words": config.model.top_n_words,
                                           "seed_words": frames.get("seed_words") or None}),
    Figure("topic_correlation", plot_topic_correlation, "topic_correlations", optional=True,
           options=_one_document_per_period),
    Figure("k_selection", plot_k_selection, "by_k", sweep=True,
           options=lambda frames, config: {"suggested": frames["suggested_k"]}),
)

#: The study's figures by name.
REGISTRY: dict[str, Figure] = {entry.name: entry for entry in FIGURES}


def run_figures() -> list[Figure]:
    """The figures a run draws (every one but the sweep's), in order."""
    return [entry for entry in FIGURES if not entry.sweep]


def sweep_figures() -> list[Figure]:
    """The figures the topic-count sweep draws (``k_selection``)."""
    return [entry for entry in FIGURES if entry.sweep]


def quick_figures() -> tuple[str, ...]:
    """The figures a quick run draws (``policytopics run --quick``): the topics, and the
    themes' emphasis by region and weights over time: what a researcher trying another K looks
    at first. The others, the intervals and the explorer page come with a full run."""
    return tuple(entry.name for entry in FIGURES if entry.quick)


__all__ = ["FIGURES", "REGISTRY", "Figure", "quick_figures", "run_figures", "sweep_figures"]
