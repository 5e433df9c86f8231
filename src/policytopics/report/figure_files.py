"""Drawing the study's registered figures into files.

The figures a study can draw from its figure tables (and why it skips the others), their
jobs (the drawing function itself, its table and keywords), the worker processes that draw
them while the tables are written, and the sweep's ``k_selection`` figure beside its
tables. A figure whose inputs did not change is copied from :class:`FigureCache`. What the
figures are is declared in :mod:`policytopics.report.figures.registry`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import get_args

import pandas as pd

from policytopics.common import workers as worker_rules
from policytopics.common.chinese import cut_label
from policytopics.common.workers import FIGURE_WORKERS_MAX_DOCS
from policytopics.report.figure_cache import FigureCache
from policytopics.settings.config import FigureFormat, StudyConfig
from policytopics.store.writing import write_csv

log = logging.getLogger("policytopics")

#: The figure formats (``[output] figure_formats``, ``--formats``), as the settings declare them
#: (:data:`policytopics.settings.schema.FigureFormat`).
FIGURE_FORMATS = get_args(FigureFormat)
#: The suffixes of figure files.
FIGURE_SUFFIXES = tuple(f".{fmt}" for fmt in FIGURE_FORMATS)


def is_run_figure(name: str) -> bool:
    """Whether a file of the figures folder is one of a run's figures (by the registered names;
    an effect's figures by their pattern), not the sweep's ``k_selection`` or the user's."""
    path = Path(name)
    if path.suffix not in FIGURE_SUFFIXES:
        return False
    patterns = [re.escape(entry.name).replace(re.escape("{covariate}"), ".+") for entry in registered()]
    return any(re.fullmatch(pattern, path.stem) for pattern in patterns)


#: Topic labels longer than this many characters are cut in figures (with "…"); the tables
#: keep the full name.
FIGURE_LABEL_CHARS = 24


def registered() -> list:
    """Every figure a run draws, in order (:func:`policytopics.report.figures.registry.run_figures`;
    imported here, not at the top: the plotting modules load matplotlib)."""
    from policytopics.report.figures.registry import run_figures

    return run_figures()


def short_label(label: str) -> str:
    """``label`` cut to :data:`FIGURE_LABEL_CHARS` for figures
    (:func:`policytopics.common.chinese.cut_label`)."""
    return cut_label(label, FIGURE_LABEL_CHARS)


#: The columns of the figure tables that hold a region or a covariate's level: names a
#: table may give at any length (a 10,000-character region cell stopped every figure with
#: matplotlib's ``FT_Set_Char_Size`` error), cut like topic labels for display.
_NAME_COLUMNS = ("region", "level", "versus")


def _short_names(values) -> dict[str, str]:
    """Each long text of ``values`` → its cut form, unique: two names that share their first
    :data:`FIGURE_LABEL_CHARS` characters stay two groups (``…(2)``)."""
    names = sorted({v for v in values if isinstance(v, str) and len(v) > FIGURE_LABEL_CHARS})
    taken = {v for v in values if isinstance(v, str) and len(v) <= FIGURE_LABEL_CHARS}
    short: dict[str, str] = {}
    for name in names:
        cut, count = short_label(name), 1
        while cut in taken:
            count += 1
            cut = cut_label(name, FIGURE_LABEL_CHARS - len(f"({count})")) + f"({count})"
        short[name] = cut
        taken.add(cut)
    return short


def _short_labels(frames: Mapping[str, object]) -> dict[str, object]:
    """The figure tables with every ``topic_label`` (and the labels dict), region and
    covariate level shortened; the tables written keep the full values."""
    out = dict(frames)
    tables = {name: frame for name, frame in frames.items() if isinstance(frame, pd.DataFrame)}
    long_names = _short_names({value for frame in tables.values() for column in _NAME_COLUMNS
                               if column in frame.columns for value in frame[column].dropna().unique()})
    for name, frame in tables.items():
        if "topic_label" in frame.columns:
            frame = out[name] = frame.assign(topic_label=frame["topic_label"].map(short_label))
        shortened = {c: frame[c].replace(long_names) for c in _NAME_COLUMNS
                     if long_names and c in frame.columns and pd.api.types.is_string_dtype(frame[c])}
        if shortened:
            out[name] = frame.assign(**shortened)
    if isinstance(frames.get("topic_labels"), dict):
        out["topic_labels"] = {t: short_label(label) for t, label in frames["topic_labels"].items()}
    return out


def skipped_figures(frames: Mapping[str, object], figures: list | None = None) -> dict[str, str]:
    """The figures a study cannot show, by file name, with the reason in words; and
    ``effects`` when the formula's effects were not estimated. ``figures``: the registry's
    entries to judge (a run's: :func:`registered`)."""
    skipped = {}
    if frames.get("effects_reason"):
        skipped["effects"] = (f"effects of {frames.get('effects_formula')!r} not estimated: "
                              f"{frames['effects_reason']}")
    for entry in registered() if figures is None else figures:
        for name, keywords in entry.instances(frames.get(entry.table)):
            reason = entry.skip(frames, keywords)
            if reason:
                skipped[name] = reason
    return skipped


def drawable_figures(frames: Mapping[str, object]) -> list[str]:
    """The file names of every figure the study can draw from ``frames`` (not skipped)."""
    skipped = skipped_figures(frames)
    return [name for entry in registered() if frames.get(entry.table) is not None
            for name, _ in entry.instances(frames[entry.table]) if name not in skipped]


def figure_jobs(frames: Mapping[str, object], config, *, only: Collection[str] | None = None,
                figures: list | None = None) -> list[tuple]:
    """The figures the study draws from ``frames``, as jobs ``(name, function, args, keywords)``:
    every one it can, or those of them named in ``only`` (a quick run's). ``figures``: the
    registry's entries to draw (a run's: :func:`registered`; the sweep's).

    A figure is drawn only when it can show something (:func:`skipped_figures`); topic labels
    longer than :data:`FIGURE_LABEL_CHARS` are cut in the figures (:func:`short_label`).
    """
    frames = _short_labels(frames)
    figures = registered() if figures is None else figures
    skipped = skipped_figures(frames, figures)
    for name, reason in skipped.items():
        # debug: the run's summary and run.json list them (info printed each twice).
        log.debug("figure %s not drawn: %s", name, reason)
    jobs = []
    for entry in figures:
        table = frames.get(entry.table)
        if table is None:
            continue
        for name, keywords in entry.instances(table):
            if name not in skipped and (only is None or name in only):
                jobs.append((name, entry.draw, (table,), {**entry.options(frames, config), **keywords,
                                                          "language": config.output.language}))
    return jobs


def write_figures(frames: Mapping[str, object], config: StudyConfig, *,
                  only: Collection[str] | None = None) -> list[Path]:
    """The study's figures in ``figures_dir``, under stable names, in every format asked
    (:func:`start_figures`, waited for); only those named in ``only`` if given."""
    return start_figures(frames, config, only=only)()


def figure_workers(config: StudyConfig, n_documents: int) -> int:
    """How many processes draw a study's figures (1: this one; see :func:`start_figures`): the
    rule of :func:`policytopics.common.workers.figure_workers` on the study's settings."""
    return worker_rules.figure_workers(config.compute.workers, n_documents,
                                       drawing=bool(config.output.figure_formats))


def start_figures(frames: Mapping[str, object], config: StudyConfig, *,
                  only: Collection[str] | None = None) -> Callable[[], list[Path]]:
    """Start drawing the study's figures (those named in ``only``, if given); returns the
    function that waits for their paths.

    With two CPUs or more (``[compute] workers`` 2 or more, or 0 = auto up to
    :data:`FIGURE_WORKERS_MAX_DOCS` documents), the figures are drawn by that many worker
    processes, one figure per task, while this one goes on with the tables and the explorer;
    each task carries its small tables. The workers are forked from a small server that has
    imported the plotting code (:func:`policytopics.common.workers.prepare_figure_workers`), not
    from this process: a worker forked from here keeps every page of it alive, and the pages
    this one then writes are copied (the full news corpus peaked at 2.2 GB so). From a script
    that may not guard its entry point (:func:`policytopics.common.workers.spawn_safe`), or with one
    worker, they are drawn here, before this returns. The files are the same either way
    (tested).
    """
    from policytopics.common.workers import figure_context, interruptible, one_thread, worker_pool

    if not config.output.figure_formats:
        log.info("figure_formats is empty: no figures drawn")
        return list
    jobs = figure_jobs(frames, config, only=only)
    folder = config.output.figures_dir
    _remove_stale_figures(frames, folder, {job[0] for job in jobs})
    formats = tuple(config.output.figure_formats)
    cache = FigureCache(config.output.cache_dir / "figures", formats)
    copied = {job[0]: paths for job in jobs if (paths := cache.copy(job, folder))}
    to_draw = [job for job in jobs if job[0] not in copied]

    def in_job_order(drawn: list[Path]) -> list[Path]:
        cache.keep(drawn, to_draw)
        by_name = {**{job[0]: [] for job in jobs}, **copied}
        for path in drawn:
            by_name[path.stem].append(path)
        return [path for job in jobs for path in by_name[job[0]]]

    documents = frames.get("documents")
    workers = min(figure_workers(config, 0 if documents is None else len(documents)), len(to_draw))
    if workers < 2:
        paths = in_job_order(_draw(to_draw, folder, formats))
        return lambda: paths
    pool = worker_pool(workers, figure_context(), one_thread)
    # Figures differ in cost: one per task keeps the workers busy.
    futures = [pool.submit(_draw, [job], folder, formats) for job in to_draw]

    def result() -> list[Path]:
        with interruptible(pool):
            return in_job_order([path for future in futures for path in future.result()])

    # The caller that fails before waiting stops the workers (none is left writing).
    result.cancel = lambda: pool.shutdown(cancel_futures=True)
    return result


def _remove_stale_figures(frames: Mapping[str, object], folder: Path, drawn: set[str]) -> None:
    """Remove the figures of an earlier run that this one cannot draw: they would be read as
    current (the effects' figures are named after the covariates of their run's formula)."""
    stale_names = [f"{name}.*" for name in skipped_figures(frames)] + ["effect_*.*"]
    for pattern in stale_names:
        for stale in sorted(folder.glob(pattern)):
            if stale.suffix in FIGURE_SUFFIXES and stale.stem not in drawn:
                stale.unlink()
                log.info("removed %s: this run does not draw it", stale.name)


def _draw(jobs: list, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    """Draw and export figure jobs."""
    from policytopics.report.figures import export_figure

    paths: list[Path] = []
    for name, draw, args, kwargs in jobs:
        paths += export_figure(draw(*args, **kwargs), name, folder, formats=formats)
    return paths


def write_sweep(result: dict, config: StudyConfig) -> list[Path]:
    """``k_selection.csv``, ``k_selection_runs.csv`` and the sweep's figures (``k_selection``:
    :func:`policytopics.report.figures.registry.sweep_figures`)."""
    from policytopics.report.figures.registry import sweep_figures

    out = config.output.tables_dir
    write_csv(result["by_k"], out / "k_selection.csv")
    write_csv(result["runs"], out / "k_selection_runs.csv")
    frames = {"by_k": result["by_k"], "suggested_k": result["suggested_k"]}
    jobs = figure_jobs(frames, config, figures=sweep_figures())
    return _draw(jobs, config.output.figures_dir, config.output.figure_formats)



__all__ = ["FIGURE_FORMATS", "FIGURE_LABEL_CHARS", "FIGURE_SUFFIXES", "FIGURE_WORKERS_MAX_DOCS",
           "drawable_figures", "figure_jobs", "figure_workers", "is_run_figure", "registered", "short_label",
           "skipped_figures", "start_figures", "write_figures", "write_sweep"]
