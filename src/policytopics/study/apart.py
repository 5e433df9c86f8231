"""Stages built apart: a large corpus's documents, tokens and corpus built in a child process.

Building the documents, tokens and corpus stages of a large corpus leaves this process with
memory it cannot give back: millions of token strings freed among the few that live on (the
dictionary's words) keep their heap pages, so the model, the estimates and the figures would
run on top of it (about 0.2 GB more at the peak for 74,542 news stories). Those three stages
are kept as files, so a child process can build them into the cache and end, taking that memory
with it; this process then reads the results as a warm run does, with the same bytes.

:func:`apart_worthwhile` says when (input files of :data:`APART_MIN_BYTES` or more, not cut
to fewer than :data:`APART_MIN_LIMIT` documents, where a spawned child can start:
:func:`policytopics.common.workers.spawn_safe`); :func:`build_apart` does it. The child's log
records are handled here again, after it ends; its progress bars show as it works; Ctrl-C ends
it as it ends every worker.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys

from policytopics.common.workers import interruptible, spawn_safe, terminate_as_interrupt, worker_pool
from policytopics.settings.config import StudyConfig
from policytopics.store.cache import StageCache

log = logging.getLogger("policytopics")

#: The stages built apart (their results are files, read back by this process).
APART_STAGES = ("documents", "tokens", "corpus")

#: Input files of at least this many bytes (compressed as they are) have their stages built
#: apart: the 74,542 news stories are 46 MiB of gzipped JSONL, the bundled examples under 5 MiB.
APART_MIN_BYTES = 32 * 2**20
#: ... unless ``[corpus] limit`` reads fewer documents than this (a few seconds of start-up
#: would cost more than the memory is worth).
APART_MIN_LIMIT = 50_000


def apart_worthwhile(input_bytes: int, limit: int = 0) -> bool:
    """Whether stages of a corpus of ``input_bytes`` read up to ``limit`` documents (0: all)
    are built in a child process. Not in a Jupyter kernel: a child's progress bars would go to
    the kernel's terminal, not to the notebook."""
    return (input_bytes >= APART_MIN_BYTES and not 0 < limit < APART_MIN_LIMIT and spawn_safe()
            and "ipykernel" not in sys.modules)


def build_apart(config: StudyConfig, name: str, catalog: type, *,
                progress: bool = False) -> tuple[dict, dict]:
    """Build the stage ``name`` (and the stages before it that are not cached) into the cache
    in a child process, through a ``catalog`` (:class:`policytopics.study.catalog.Catalog`) of
    its own; returns its ``(hits, timings)`` (as :class:`StageCache` records them) after
    handling its log records here."""
    level = log.getEffectiveLevel()
    pool = worker_pool(1, multiprocessing.get_context("spawn"))
    with interruptible(pool):
        hits, timings, records = pool.submit(_build, config, name, catalog, progress, level).result()
    for record in records:
        if record.levelno >= logging.getLogger(record.name).getEffectiveLevel():
            logging.getLogger(record.name).handle(record)
    return hits, timings


class _Records(logging.Handler):
    """Keeps the child's log records, their messages made (the arguments may not pickle)."""

    def __init__(self, level: int):
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info, record.exc_text = record.getMessage(), None, None, None
        self.records.append(record)


def _build(config: StudyConfig, name: str, catalog: type, progress: bool, level: int):
    """In the child: the stage built through a catalog of its own on the same cache."""
    keep = _Records(level)
    log.addHandler(keep)
    log.setLevel(level)
    log.propagate = False  # the records are handled once, by the parent
    cache = StageCache(config.output.cache_dir)
    try:
        # Ended by the study (Ctrl-C, SIGTERM): as it ends its workers, this one ends its own.
        with terminate_as_interrupt():
            catalog(config, cache, progress=progress, apart=False, warn_dates=False).stage(name)
    finally:
        log.removeHandler(keep)
    return cache.hits, cache.timings, keep.records


__all__ = ["APART_MIN_BYTES", "APART_MIN_LIMIT", "APART_STAGES", "apart_worthwhile", "build_apart"]
