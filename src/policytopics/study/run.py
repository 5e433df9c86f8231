"""A study's run: every stage, then tables, figures, the explorer page and ``run.json``.

:func:`run` is what ``policytopics run`` does (and :meth:`Study.run <policytopics.study.study.Study.run>`):
the outputs are written whole into staged folders, then swapped in
(:func:`policytopics.report.publish.staged_outputs`), each stage's own time recorded. A
quick run (:func:`quick_view`) draws the figures of :data:`QUICK_FIGURES` with point
estimates. :func:`sweep` fits a grid of K on the cached tokens. Each function takes the
``study`` (a :class:`policytopics.study.study.Study`) and calls its facade, never its parts.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from policytopics.common.workers import SWEEP_WORKERS, prepare_figure_workers, study_threads, study_workers
from policytopics.model.labels import seed_words_by_topic
from policytopics.report import explorer, figure_files, output_tables, publish
from policytopics.report.run_record import write_run_record
from policytopics.settings.config import StudyConfig, replace
from policytopics.settings.validate import check_themes_fit
from policytopics.store.writing import write_csv_chunks
from policytopics.study.record import QUICK_FIGURES, run_record
from policytopics.text.documents import DocStatus

log = logging.getLogger("policytopics")


def check_outputs(study, *, write: bool = True, themes: bool = True) -> None:
    """Every check that needs no data, before any work: the output (``write``) and cache
    folders can be written, and the themes fit in K (``themes``). Each failure is one
    ``ValueError`` line."""
    publish.check_folders(study.config.output, write=write)
    publish.check_apart_from_corpus(study.config)
    n_themes = len(study.themes())  # read always: a themes file that cannot be read fails here
    if themes:
        check_themes_fit(n_themes, study.config.model.n_topics, study.config.model.themes)


def notebook_config(config: StudyConfig, notebook: str | None) -> StudyConfig:
    """The settings of a notebook's study (:meth:`Study.from_file`): its tables and figures in a
    folder of its own, ``<tables_dir>/notebooks/<notebook>/``, never over the outputs of
    ``policytopics run``, which may be of another K or themes file (the stages are shared)."""
    if not notebook:
        return config
    folder = config.output.tables_dir / "notebooks" / notebook
    return replace(config, output=replace(config.output, tables_dir=folder, figures_dir=folder / "figures"))


def quick_config(config: StudyConfig) -> StudyConfig:
    """The settings of a quick run: point estimates (``[weights] uncertainty = "none"``), PNG only."""
    output = config.output
    return replace(config, weights=replace(config.weights, uncertainty="none"),
                   output=replace(output, figure_formats=["png"] if output.figure_formats else []))


def quick_view(study):
    """``study`` as a quick run draws it (:func:`run` with ``quick=True``): point estimates
    without intervals, PNG only, the figures of :data:`QUICK_FIGURES`, no explorer page. It
    shares the study's stages and memory: the fit, documents and tokens are not read again."""
    view = copy.copy(study)
    view.config = quick_config(study.config)
    view.quick = True
    view.configured = study.config  # what run.json records as the study's settings
    return view


def run(study, *, quick: bool = False,
        on_fitted: Callable[..., object] | None = None) -> dict[str, object]:
    """Run every stage, write tables, figures and ``run.json``; return their paths.

    Each stage is read from the cache when its inputs and settings are unchanged; a
    rerun with a new topic count reads the cleaned documents and the bag-of-words
    corpus and fits only the model. ``run.json`` records each stage's own time and
    whether it came from the cache. The output folders are written whole, then swapped in
    (:func:`policytopics.report.publish.staged_outputs`): a failed run leaves the earlier one.

    ``on_fitted(study)`` is called as soon as the model is fitted (or read from the
    cache), before the intervals, tables and figures: the command line prints the
    topics then. ``quick``: the tables with point estimates, the figures of
    :data:`QUICK_FIGURES` in PNG and no explorer page (:func:`quick_view`): a new K's
    answer in little more than its fit's time; a full run with the same settings adds
    the rest from the same cached fit.
    """
    if quick and not study.quick:
        return run(quick_view(study), on_fitted=on_fitted)
    with study_threads(study_workers(study.config.compute.workers)):
        return _run(study, on_fitted)


def _run(study, on_fitted: Callable[..., object] | None) -> dict[str, object]:
    started = time.perf_counter()
    study.check_outputs()
    n_kept = int((study.documents(text=False)["status"] == DocStatus.KEPT).sum())
    if figure_files.figure_workers(study.config, n_kept) > 1:
        prepare_figure_workers()  # in the background, while the other stages run
    study.model()  # builds the tokens and the corpus first, if they are not cached
    if on_fitted is not None:
        on_fitted(study)
    t0 = time.perf_counter()
    frames = study.figure_frames()  # every estimate, from one pass of draws
    estimated = time.perf_counter() - t0
    with publish.staged_outputs(study.config.output) as staged:
        tables = staged.output.tables_dir
        written, seconds = publish.write_outputs(
            frames, replace(study.config, output=staged.output),
            lambda: study.write_tables(tables, staged.output.figures_dir),
            (lambda: None) if study.quick else (lambda: study.write_explorer(tables)),
            only=figure_names(study))
        study.timings.update(seconds, weights=round(estimated + seconds["weights"], 3))
        study.timings["total"] = round(time.perf_counter() - started, 3)
        record = write_run_record(run_record(study), tables / "run.json")
    return staged.final({**written, "run_record": record})


def figure_names(study) -> tuple[str, ...] | None:
    """The figures this study draws: every one it can (``None``), or a quick run's."""
    return QUICK_FIGURES if study.quick else None


def write_tables(study, folder: Path | None = None, figures: Path | None = None) -> dict[str, Path]:
    """The output tables in ``folder`` (``tables_dir``) and the ``[output] figure_tables``
    beside the figures (``figures``, else ``figures_dir``; returned as ``figures/NAME``)."""
    folder = Path(folder or study.config.output.tables_dir)
    # The ingest report with its texts, chunk by chunk: the texts are never all in memory.
    written = {"documents": write_csv_chunks(study.document_chunks(), folder / "documents.csv")}
    tables = study.tables(documents=False)
    written |= output_tables.write_tables(tables, folder)
    beside = output_tables.write_figure_tables(tables, study.config.output, figures)
    return written | {f"figures/{name}": path for name, path in beside.items()}


def write_explorer(study, folder: Path | None = None) -> Path:
    """``topic_explorer.html`` in ``folder`` (``tables_dir``), cached by the model's key."""
    folder = folder or study.config.output.tables_dir
    seeds = seed_words_by_topic(study.theme_seeds()) if study.themes() else None
    return explorer.write_explorer(study.model(), folder / "topic_explorer.html",
                                  topic_labels=study.topic_labels(), language=study.config.output.language,
                                  cache=(study.cache_dir / "explorer", study.key("model")), seed_words=seeds)


def sweep(study, ks: Sequence[int], seeds: Sequence[int] | int = 3, *, workers: int = SWEEP_WORKERS,
          write: bool = True) -> dict[str, object]:
    """Fit a grid of topic counts × seeds on the cached tokens and score each K
    (``k_selection.csv``, ``k_selection_runs.csv``, the ``k_selection`` figure)."""
    from policytopics.model.choose_k import suggest_k
    from policytopics.model.choose_k import sweep as fit_grid

    study.check_outputs(write=write, themes=False)  # the grid of K decides, not the study's K
    if isinstance(seeds, int):
        if seeds < 1:
            raise ValueError(f"seeds per K (--seeds) must be 1 or more, got {seeds}")
        seeds = [study.config.model.seed + i for i in range(seeds)]
    # The units the study's own fit is made on: with [model] fit_sample, its stratified sample.
    token_lists, doc_ids, sample = study.fit_units()
    if sample is not None:
        log.info("sweeping on the sample of %d units the model is fitted on ([model] fit_sample)", sample)
    started = time.perf_counter()
    runs, by_k = fit_grid(token_lists, ks, seeds, study.config.model, workers=workers,
                          top_n=study.config.model.top_n_words, progress=study.progress,
                          doc_ids=doc_ids)
    k, reason = suggest_k(by_k)
    result: dict[str, object] = {"by_k": by_k, "runs": runs, "suggested_k": k, "reason": reason,
                                 "seconds": round(time.perf_counter() - started, 1), "sample": sample}
    if write:
        result["figures"] = figure_files.write_sweep(result, study.config)
    return result


__all__ = ["check_outputs", "figure_names", "notebook_config", "quick_config", "quick_view", "run", "sweep",
           "write_explorer", "write_tables"]
