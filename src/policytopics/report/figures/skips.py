"""Why a figure cannot show anything: the predicates its registry entry names.

Each takes the study's figure tables (and the keywords of one figure drawn per covariate)
and returns the reason in words, or ``None`` when the figure can be drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

#: Above this many topics the combined over-time chart is not drawn (the lines tangle); the
#: small multiples (theme_panels_over_time) show every topic.
COMBINED_MAX_TOPICS = 6
#: A category with more levels than this gets no effect-levels figure (the table has them all).
EFFECT_MAX_LEVELS = 16


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


__all__ = ["COMBINED_MAX_TOPICS", "EFFECT_MAX_LEVELS", "emphasis_of", "few_levels", "few_topics",
           "needs_periods", "needs_regions", "regions_and_periods"]
