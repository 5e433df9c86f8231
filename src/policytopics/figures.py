"""The study's figures: a registry filled where each figure is drawn.

A plot function of :mod:`policytopics.plots` becomes one of the study's figures with the
:func:`figure` decorator, written above it: the file name, the table it draws (a key of the
study's figure tables, :meth:`policytopics.pipeline.Study.figure_frames`), the settings it
takes from the study, and when it cannot show anything (one region, one period …, with the
reason in words). A figure drawn once per covariate of its table (the effects) names its
files with ``{covariate}``. Adding a figure is a decorated function in ``plots.py`` and its
test; :func:`figure_jobs` and :func:`skipped_figures` find it, and the jobs carry the
function itself (no name looked up at run time).

    @figure("theme_panels_over_time", "by_period", skip=needs_periods,
            options=lambda frames, config: {"min_docs": config.weights.min_docs})
    def plot_theme_panels_over_time(data, *, language="zh", min_docs=None): ...
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .text import cut_label

#: Above this many topics the combined over-time chart is not drawn (the lines tangle); the
#: small multiples (theme_panels_over_time) show every topic.
COMBINED_MAX_TOPICS = 6
#: Topic labels longer than this many characters are cut in figures (with "…"); the tables
#: keep the full name.
FIGURE_LABEL_CHARS = 24
#: A category with more levels than this gets no effect-levels figure (the table has them all).
EFFECT_MAX_LEVELS = 16

#: A figure job: file name, plot function, its arguments and keywords.
Job = tuple[str, Callable[..., Any], tuple, dict]


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


#: The study's figures by name, in the order they are drawn (the order of ``plots.py``).
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


def registered() -> list[Figure]:
    """Every registered figure (importing :mod:`policytopics.plots` registers them)."""
    from . import plots  # noqa: F401

    return list(REGISTRY.values())


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


# Jobs ---------------------------------------------------------------------------------------
def short_label(label: str) -> str:
    """``label`` cut to :data:`FIGURE_LABEL_CHARS` for figures (:func:`policytopics.text.cut_label`)."""
    return cut_label(label, FIGURE_LABEL_CHARS)


def _short_labels(frames: Mapping[str, object]) -> dict[str, object]:
    """The figure tables with every ``topic_label`` (and the labels dict) shortened."""
    out = dict(frames)
    for name, frame in frames.items():
        if isinstance(frame, pd.DataFrame) and "topic_label" in frame.columns:
            out[name] = frame.assign(topic_label=frame["topic_label"].map(short_label))
    if isinstance(frames.get("topic_labels"), dict):
        out["topic_labels"] = {t: short_label(label) for t, label in frames["topic_labels"].items()}
    return out


def skipped_figures(frames: Mapping[str, object]) -> dict[str, str]:
    """The figures a study cannot show, by file name, with the reason in words; and
    ``effects`` when the formula's effects were not estimated."""
    skipped = {}
    if frames.get("effects_reason"):
        skipped["effects"] = (f"effects of {frames.get('effects_formula')!r} not estimated: "
                              f"{frames['effects_reason']}")
    for entry in registered():
        for name, keywords in entry.instances(frames.get(entry.table)):
            reason = entry.skip(frames, keywords)
            if reason:
                skipped[name] = reason
    return skipped


def figure_jobs(frames: Mapping[str, object], config) -> list[Job]:
    """The figures the study draws from ``frames``, as jobs ``(name, function, args, keywords)``.

    A figure is drawn only when it can show something (:func:`skipped_figures`); topic labels
    longer than :data:`FIGURE_LABEL_CHARS` are cut in the figures (:func:`short_label`).
    """
    import logging

    log = logging.getLogger("policytopics")
    frames = _short_labels(frames)
    skipped = skipped_figures(frames)
    for name, reason in skipped.items():
        log.info("figure %s not drawn: %s", name, reason)
    jobs: list[Job] = []
    for entry in registered():
        table = frames.get(entry.table)
        if table is None:
            continue
        for name, keywords in entry.instances(table):
            if name not in skipped:
                jobs.append((name, entry.draw, (table,), {**entry.options(frames, config), **keywords,
                                                          "language": config.output.language}))
    return jobs


__all__ = ["COMBINED_MAX_TOPICS", "EFFECT_MAX_LEVELS", "FIGURE_LABEL_CHARS", "REGISTRY", "Figure", "figure",
           "figure_jobs", "registered", "short_label", "skipped_figures"]
