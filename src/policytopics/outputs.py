"""What a study writes to disk: tables, figures, the explorer page, the run record.

Plain functions that take computed frames and settings and write files through the
package's one atomic writer (:mod:`policytopics.cache`); computing stays in the stage
modules and wiring in :mod:`policytopics.pipeline`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import partial
from pathlib import Path

import pandas as pd

from .cache import write_csv, write_json, write_parquet
from .config import StudyConfig

log = logging.getLogger("policytopics")

#: Tables also written as Parquet (typed columns, for the next analysis step).
PARQUET_TABLES = ("doc_topics", "passage_topics", "theme_")


def write_tables(tables: Mapping[str, pd.DataFrame], folder: Path) -> dict[str, Path]:
    """``NAME.csv`` (UTF-8 with BOM: Excel opens it) for every table, and ``NAME.parquet``
    for the document, passage and theme tables. Returns the CSV paths by name."""
    written = {}
    for name, frame in tables.items():
        written[name] = write_csv(frame, folder / f"{name}.csv")
        if name.startswith(PARQUET_TABLES):
            write_parquet(frame, folder / f"{name}.parquet")
    return written


def write_figures(frames: Mapping[str, object], config: StudyConfig) -> list[Path]:
    """The study's figures in ``figures_dir``, under stable names, in every format asked.

    ``frames`` holds the tables the figures draw: ``by_region``, ``by_period``,
    ``by_region_period``, ``topic_words``, ``topic_labels`` (a dict), ``doc_topics`` and,
    when computed, ``emphasis_by_region`` and ``emphasis_by_period``. A figure whose table
    is empty is skipped with a log line saying why.
    """
    from . import plots

    lang = config.output.language
    folder = config.output.figures_dir
    min_docs = config.weights.min_docs
    export = partial(plots.export_figure, folder=folder, formats=config.output.figure_formats)
    paths: list[Path] = []

    by_region = frames["by_region"]
    if not by_region.empty:
        paths += export(plots.plot_theme_weights_by_region(by_region, language=lang, min_docs=min_docs),
                        "theme_weights_by_region")
    else:
        log.warning("no document has a region: skipping theme_weights_by_region")
    by_period = frames["by_period"]
    if not by_period.empty:
        paths += export(plots.plot_theme_weights_over_time(by_period, language=lang),
                        "theme_weights_over_time")
        paths += export(plots.plot_theme_panels_over_time(by_period, language=lang),
                        "theme_panels_over_time")
    else:
        log.warning("no document has a date: skipping theme_weights_over_time")
    by_region_period = frames["by_region_period"]
    if by_region_period["period"].nunique() >= 2:
        # The most prevalent topic (T1) in the regions with most documents.
        paths += export(plots.plot_regions_over_time(by_region_period, topic=1, language=lang),
                        "regions_over_time_T1")
    else:
        log.info("fewer than two periods with a region: skipping regions_over_time_T1")
    for by, name in (("region", "theme_emphasis_by_region"), ("period", "theme_emphasis_over_time")):
        emphasis = frames.get(f"emphasis_by_{by}")
        if emphasis is None:
            continue
        if emphasis.empty:
            log.info("fewer than two %ss with documents: skipping %s", by, name)
            continue
        paths += export(plots.plot_theme_emphasis(emphasis, by=by, language=lang, min_docs=min_docs), name)
    paths += export(plots.plot_top_words(frames["topic_words"], topic_labels=frames["topic_labels"],
                                         language=lang, n_words=config.model.top_n_words), "top_words")
    documents = frames["doc_topics"].drop_duplicates("doc_id")
    for by in ("region", "period"):
        paths += export(plots.plot_coverage(documents, by=by, language=lang), f"coverage_by_{by}")
    return paths


def write_explorer(model, path: Path, *, topic_labels: dict[int, str], language: str) -> Path:
    """The interactive topic explorer, one offline HTML file."""
    from .explorer import write_explorer as write_page

    return write_page(model, path, topic_labels=topic_labels, language=language)


def write_run_record(record: dict, path: Path) -> Path:
    """``run.json``: what produced the outputs (versions, settings, cache hits, timings)."""
    return write_json(path, record)


def write_sweep(result: dict, config: StudyConfig) -> list[Path]:
    """``k_selection.csv``, ``k_selection_runs.csv`` and the ``k_selection`` figure."""
    from .plots import export_figure, plot_k_selection

    out = config.output.tables_dir
    write_csv(result["by_k"], out / "k_selection.csv")
    write_csv(result["runs"], out / "k_selection_runs.csv")
    output = config.output
    figure = plot_k_selection(result["by_k"], suggested=result["suggested_k"], language=output.language)
    return export_figure(figure, "k_selection", output.figures_dir, formats=output.figure_formats)


__all__ = ["write_explorer", "write_figures", "write_run_record", "write_sweep", "write_tables"]
