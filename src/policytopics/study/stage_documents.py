"""The documents stage: every input document read, cleaned, dated and placed (the ingest report).

A pure stage function of the corpus, cleaning, compute and output settings
(:data:`policytopics.study.stages.STAGES`); its key holds the input files by content.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict

import pandas as pd

from policytopics.read.files import corpus_entries
from policytopics.settings.config import CleanConfig, ComputeConfig, CorpusConfig, OutputConfig, StudyConfig
from policytopics.store.cache import StoredTable
from policytopics.store.keys import file_fingerprint
from policytopics.store.writing import ROW_GROUP_ROWS
from policytopics.text.documents import (
    CORPUS_PATH_COLUMN,
    REPORT_COLUMNS,
    document_report_chunks,
    located_sources,
    portable_sources,
)
from policytopics.text.metadata import override_files

#: The report's column of cleaned texts: kept in the cache, served apart (:func:`without_text`).
TEXT_COLUMN = "text"

#: Corpus settings of the units, not of reading: they re-segment, they do not re-read.
UNIT_SETTINGS = ("unit", "passage_chars", "passage_above")


def documents(corpus: CorpusConfig, clean: CleanConfig, compute: ComputeConfig, output: OutputConfig, *,
              progress: bool = False) -> Iterator[pd.DataFrame]:
    """The ingest report, a part at a time (written as it comes: the report of a national
    archive, texts and all, is never whole in memory): one row per input document, its
    sources relative to the corpus paths (the cache keeps them so: a moved corpus shows its
    new place, :func:`located`)."""
    config = StudyConfig(corpus=corpus, clean=clean, compute=compute, output=output)
    for part in document_report_chunks(corpus.paths, config, progress=progress, rows=ROW_GROUP_ROWS):
        yield portable_sources(part, corpus.paths)


def documents_key(corpus: CorpusConfig, clean: CleanConfig, output: OutputConfig) -> tuple:
    """What the report depends on: the input files by content, the reading and cleaning
    settings (not the corpus paths, not the unit settings)."""
    reading = {k: v for k, v in asdict(corpus).items() if k not in ("paths", *UNIT_SETTINGS)}
    entries = _entries(corpus, output)
    files = [(entry.path, entry.name) for entry in entries if entry.reason is None]
    # What the walk could not read is a report row each: a folder made readable changes the key.
    not_read = [(entry.name, entry.reason) for entry in entries if entry.reason is not None]
    # A metadata.csv beside listed files is not among them: its content is a key part of its own.
    overrides = [(path, path.name) for path in override_files(corpus.paths)]
    return (file_fingerprint(files), reading, asdict(clean), clean.spam_phrases or "",
            file_fingerprint(overrides), *([not_read] if not_read else []))


def _entries(corpus: CorpusConfig, output: OutputConfig):
    """The corpus's files and what could not be read, without a warning (the stage warns)."""
    return corpus_entries(corpus.paths, skip=output.folders(), follow_links=corpus.follow_links, warn=False)


def input_bytes(corpus: CorpusConfig, output: OutputConfig) -> int:
    """The size of the corpus's readable input files, as they are on disk (compressed or not)."""
    return sum(entry.path.stat().st_size for entry in _entries(corpus, output) if entry.reason is None)


def missing_columns(frame: pd.DataFrame, columns) -> str | None:
    """Why a cached table does not fit: the columns the stage writes that it lacks."""
    missing = [column for column in columns if column not in frame.columns]
    return f"no column {', '.join(map(repr, missing))}" if missing else None


def check_documents(report: pd.DataFrame) -> str | None:
    """Why a cached report does not fit (a column missing), or ``None``."""
    return missing_columns(report, [*REPORT_COLUMNS, CORPUS_PATH_COLUMN])


def located(report: pd.DataFrame, corpus: CorpusConfig) -> pd.DataFrame:
    """The report as the study sees it: its sources where the corpus is now."""
    return located_sources(report, corpus.paths)


def without_text(report: StoredTable, corpus: CorpusConfig) -> pd.DataFrame:
    """The report as the study holds it in memory: :func:`located`, read from the cached
    table without the texts (:meth:`policytopics.study.catalog.Catalog.documents` reads them
    when asked for). The texts are most of a report: 98 of its 137 MiB on 74,542 news
    stories."""
    return located(report.read([column for column in report.columns if column != TEXT_COLUMN]), corpus)


__all__ = ["TEXT_COLUMN", "UNIT_SETTINGS", "check_documents", "documents", "documents_key", "input_bytes",
           "located", "missing_columns", "without_text"]
