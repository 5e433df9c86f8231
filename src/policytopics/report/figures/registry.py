"""The study's figures: a registry filled where each figure is drawn.

A plot function becomes one of the study's figures with the :func:`figure` decorator,
written above it in the plotting module: the file name, the table it draws (a key of the
study's figure tables, ``Study.figure_frames``), the settings it takes from the study, and
when it cannot show anything (one region, one period …, with the reason in words, from the
predicates here). A figure drawn once per covariate of its table (the effects) names its
files with ``{covariate}``. Adding a figure is a decorated function and its test; the
output stage (``outputs.figure_jobs``, ``outputs.skipped_figures``) finds it, and its jobs
carry the function itself (no name looked up at run time).

    @figure("my_figure", "by_period", skip=needs_periods,
            options=lambda frames, config: {"min_docs": config.weights.min_docs})
    def plot_my_figure(data, *, language="zh", min_docs=None): ...
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

#: Above this many topics the combined over-time chart is not drawn (the lines tangle); the
#: small multiples (theme_panels_over_time) show every topic.
COMBINED_MAX_TOPICS = 6
#: A category with more levels than this gets no effect-levels figure (the table has them all).
EFFECT_MAX_LEVELS = 16


@dataclass(frozen=True)
class Figure:
    """One of the study's figures (see the module's introduction)."""

    name: str
    draw: Callable[..., Any]
    table: str
    options: Callable[[Mapping, Any], dict]
    skip: Callable[[Mapping, dict], str | None]
    per_covariate: bool = False
    optional: bool = False

    def instances(self, table: pd.DataFrame | None) -> list[tuple[str, dict]]:
        """``(file name, keywords)`` of each figure this entry draws from ``table``; none from
        an empty table of an optional figure (the effects of a formula that was not estimated)."""
        if (self.optional or self.per_covariate) and (table is None or table.empty):
            return []
        if not self.per_covariate:
            return [(self.name, {})]
        return [(self.name.format(covariate=c), {"covariate": c})
                for c in table["covariate"].drop_duplicates()]


#: The study's figures by name, in the order they are registered (the plotting modules').
REGISTRY: dict[str, Figure] = {}


def _no_options(frames: Mapping, config) -> dict:
    return {}


def _never(frames: Mapping, keywords: dict) -> str | None:
    return None


def figure(name: str, table: str, *, options: Callable[[Mapping, Any], dict] | None = None,
           skip: Callable[[Mapping, dict], str | None] | None = None, per_covariate: bool = False,
           optional: bool = False):
    """Register the decorated plot function as the figure ``name`` drawn from ``table``.

    ``options(frames, config)`` gives its keywords beyond ``language``; ``skip(frames,
    keywords)`` the reason it is not drawn, or None; ``per_covariate``: one figure per
    covariate of the table, ``{covariate}`` in ``name``; ``optional``: not drawn, and not
    listed as skipped, when its table is empty.
    """
    def register(draw):
        REGISTRY[name] = Figure(name, draw, table, options or _no_options, skip or _never, per_covariate,
                                optional)
        return draw

    return register


# Why a figure cannot show anything --------------------------------------------------------
def _count(frames: Mapping, table: str, column: str) -> int:
    frame = frames.get(table)
    return 0 if frame is None or frame.empty else int(frame[column].nunique())


def needs_regions(frames: Mapping, keywords: dict | None = None) -> str | None:
    """A comparison of regions needs two regions or more."""
    if _count(frames, "by_region", "region") >= 2:
        return None
    if _count(frames, "by_region", "region") == 0:
        return "no document has a region"
    return f"only one region ({frames['by_region']['region'].iloc[0]}): nothing to compare"


def needs_periods(frames: Mapping, keywords: dict | None = None) -> str | None:
    """A series over time needs two periods or more."""
    periods = _count(frames, "by_period", "period")
    if periods >= 2:
        return None
    return "no document has a date" if periods == 0 else "only one period: no series over time"


def few_topics(frames: Mapping, keywords: dict | None = None) -> str | None:
    """One chart of all topics' lines needs periods, and few enough topics not to tangle."""
    reason = needs_periods(frames)
    n_topics = _count(frames, "by_period", "topic")
    if reason is None and n_topics > COMBINED_MAX_TOPICS:
        return (f"{n_topics} topics would tangle in one chart; theme_panels_over_time shows one panel "
                "per topic")
    return reason


def regions_and_periods(frames: Mapping, keywords: dict | None = None) -> str | None:
    """Regions over time need two regions and two periods with a region."""
    reason = needs_regions(frames)
    if reason is None and _count(frames, "by_region_period", "period") < 2:
        return "fewer than two periods with a region"
    return reason


def emphasis_of(by: str) -> Callable[[Mapping, dict], str | None]:
    """An emphasis needs two groups (regions or periods) with documents."""
    def skip(frames: Mapping, keywords: dict | None = None) -> str | None:
        reason = (needs_regions if by == "region" else needs_periods)(frames)
        emphasis = frames.get(f"emphasis_by_{by}")
        if reason is None and emphasis is not None and emphasis.empty:
            return f"fewer than two {by}s with documents"
        return reason

    return skip


def few_levels(frames: Mapping, keywords: dict) -> str | None:
    """One figure of a category's levels holds at most :data:`EFFECT_MAX_LEVELS` of them."""
    levels = frames["effect_levels"]
    covariate = keywords["covariate"]
    count = levels.loc[levels["covariate"] == covariate, "level"].nunique()
    if count > EFFECT_MAX_LEVELS:
        return (f"{count} levels of {covariate}, more than {EFFECT_MAX_LEVELS} in one figure: "
                "effect_levels.csv has them all (effect_difference compares two)")
    return None


__all__ = ["COMBINED_MAX_TOPICS", "EFFECT_MAX_LEVELS", "REGISTRY", "Figure", "emphasis_of", "few_levels",
           "few_topics", "figure", "needs_periods", "needs_regions", "regions_and_periods"]
