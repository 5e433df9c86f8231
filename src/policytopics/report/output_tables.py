"""The output tables of a run: which tables a run writes, and writing them.

``NAME.csv`` (UTF-8 with BOM, safe for Excel) for every table, ``NAME.parquet`` beside some,
and the tables a study names (``[output] figure_tables``) beside its figures; all through the
package's one atomic writer (:mod:`policytopics.store.cache`). The tables themselves are
computed by the stages (:mod:`policytopics.estimate`) and gathered by the study.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from policytopics.settings.config import OutputConfig
from policytopics.store.writing import write_csv, write_parquet

#: Tables also written as Parquet (typed columns, for the next analysis step).
PARQUET_TABLES = ("doc_topics", "passage_topics", "theme_")

#: Every table a run writes (``NAME.csv``, some also ``NAME.parquet``); ``theme_seeds`` only
#: with seeded themes. With the explorer page and ``run.json``, the study's own files in the
#: tables folder: a run replaces them all (:func:`policytopics.report.publish.staged_outputs`).
RUN_TABLES = ("documents", "doc_topics", "passage_topics", "topic_words", "topics", "theme_weights_by_region",
              "theme_weights_by_period", "theme_weights_by_region_period", "theme_emphasis_by_region",
              "theme_emphasis_by_period", "theme_effects", "effect_levels", "effect_difference",
              "effect_curves", "topic_correlations", "coverage", "labels_template", "theme_seeds")
#: Tables that hold the corpus's documents (their text, titles, ids): never written beside the
#: figures (``[output] figure_tables``), which a study may publish.
DOCUMENT_TABLES = ("documents", "doc_topics", "passage_topics", "topics")


def is_run_table(name: str) -> bool:
    """Whether a file of the tables folder is a run's own (a table, the explorer, ``run.json``),
    not the user's or the sweep's (``k_selection.csv``)."""
    stem, _, suffix = name.partition(".")
    if name in ("topic_explorer.html", "run.json"):
        return True
    return stem in RUN_TABLES and suffix in ("csv", "parquet")


def is_figure_table(name: str) -> bool:
    """Whether a file of the figures folder is a table a run writes beside its figures
    (``[output] figure_tables``): a run replaces it, or removes it when no longer asked for."""
    stem, _, suffix = name.partition(".")
    return suffix == "csv" and stem in RUN_TABLES and stem not in DOCUMENT_TABLES


def write_tables(tables: Mapping[str, pd.DataFrame], folder: Path) -> dict[str, Path]:
    """``NAME.csv`` (UTF-8 with BOM: Excel opens it) for every table, and ``NAME.parquet``
    for the document, passage and theme tables. Returns the CSV paths by name."""
    written = {}
    for name, frame in tables.items():
        written[name] = write_csv(frame, folder / f"{name}.csv")
        if name.startswith(PARQUET_TABLES):
            write_parquet(frame, folder / f"{name}.parquet")
    return written


def write_figure_tables(tables: Mapping[str, pd.DataFrame], output: OutputConfig,
                        folder: Path | None = None) -> dict[str, Path]:
    """The tables ``[output] figure_tables`` names, as ``NAME.csv`` in the figures folder
    (``folder``, else ``figures_dir``), when the run draws figures. Returns their paths by name."""
    if not output.figure_formats:
        return {}
    folder = Path(folder or output.figures_dir)
    return {name: write_csv(tables[name], folder / f"{name}.csv") for name in output.figure_tables
            if name in tables}



__all__ = ["DOCUMENT_TABLES", "PARQUET_TABLES", "RUN_TABLES", "is_figure_table", "is_run_table",
           "write_figure_tables", "write_tables"]
