"""The study's results by name: each stage's, served from memory, the cache or built.

:class:`Catalog` is kedro's catalog for the declared stages (:data:`policytopics.study.stages.STAGES`):
it computes a stage's key from its declaration, gives the stage the results it names as
inputs (another stage's, or one of :data:`~policytopics.study.stages.VIEWS`), and keeps the
result in the :class:`~policytopics.store.cache.StageCache`. It also keeps what is derived
from the stages (labels, proportions, estimates) under one memo keyed by the keys of the
stages it comes from (:meth:`Catalog.memoised`). The stage functions never see it.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from policytopics.common.workers import trim_memory
from policytopics.estimate.weights import period_of
from policytopics.model.corpus import seen_words
from policytopics.settings.config import StudyConfig
from policytopics.store.cache import StageCache, StoredTable
from policytopics.store.keys import stable_hash
from policytopics.study.apart import APART_STAGES, apart_worthwhile, build_apart
from policytopics.study.stage_documents import TEXT_COLUMN, input_bytes, without_text
from policytopics.study.stages import STAGES, Folder, call
from policytopics.text.documents import DocStatus, kept_documents, warn_disagreeing_dates

#: The kept documents' columns of :meth:`Catalog.kept_metadata`.
KEPT_COLUMNS = ("doc_id", "title", "date", "date_precision", "region", "city", "n_chars", "national")

#: Documents per chunk of :meth:`Catalog.document_chunks`.
DOCUMENT_CHUNK_ROWS = 5_000

#: The columns of the tokens table that are the units of analysis.
UNIT_COLUMNS = ["doc_id", "passage", "n_chars"]


class Catalog:
    """The declared stages of one study's settings, served from ``cache``.

    Examples
    --------
    >>> catalog = Catalog(config, StageCache(config.output.cache_dir))  # doctest: +SKIP
    >>> catalog.get("model")          # fitted, or read from the cache  # doctest: +SKIP
    """

    def __init__(self, config: StudyConfig, cache: StageCache, *, progress: bool = False, apart: bool = True,
                 warn_dates: bool = True):
        self.config = config
        self.cache = cache
        self.progress = progress
        self.apart = apart  # a large corpus's file stages built in a child process (study.apart)
        self.warn_dates = warn_dates  # False in that child: the study warns, once

    def key(self, name: str) -> str:
        """A stage's cache key: its name, its code's version, the keys of the stages of its
        inputs, the settings and input files that change it."""
        return self._key(name, {})

    def _key(self, name: str, known: dict[str, str]) -> str:
        """:meth:`key`, each upstream stage's computed once (``known``): a walk of the corpus each."""
        if name not in known:
            stage = STAGES[name]
            known[name] = stage.key(self.config, tuple(self._key(up, known) for up in stage.upstream()))
        return known[name]

    def stage(self, name: str):
        """A stage's result: from memory, from the cache, or built (and then cached)."""
        stage, key = STAGES[name], self.key(name)
        settings = stage.settings_of(self.config)

        def build():
            return stage.run({source: self.get(source) for source in stage.inputs}, self.config,
                             progress=self.progress)

        built_apart = self._build_apart(name, key)
        serve = None if stage.serve is None else (lambda result: call(stage.serve, settings, result))
        storage = stage.storage
        check = None if storage.check is None else (lambda result: call(storage.check, settings, result))
        if isinstance(storage, Folder):
            def load(path):
                return call(storage.load, {**{i: self.get(i) for i in _named(storage.load, stage.inputs)},
                                           **settings}, path)

            result = self.cache.folder(name, key, build, load=load, save=storage.save,
                                       serve_written=storage.serve_written, serve=serve, check=check)
        else:
            result = self.cache.frame(name, key, build, serve=serve, check=check, streamed=storage.streamed)
        if any([self.cache.release(upstream) for upstream in stage.releases]):
            trim_memory()
        if built_apart is not None:  # its own time is the child's build and this read
            self.cache.timings[name] = round(built_apart.get(name, 0.0) + self.cache.timings[name], 3)
            trim_memory()  # what reading it held (the report's texts, read and dropped) goes back
        return result

    def _build_apart(self, name: str, key: str) -> dict | None:
        """Build a file stage of a large corpus in a child process
        (:mod:`policytopics.study.apart`) when neither memory nor the cache holds it; its
        timings (``None`` when built here)."""
        if not self.apart or name not in APART_STAGES or self.cache.held(name, key):
            return None
        corpus, output = self.config.corpus, self.config.output
        size = self.memoised("input_bytes", lambda: input_bytes(corpus, output), stages=("documents",))
        if not apart_worthwhile(size, corpus.limit or 0):
            return None
        started = time.perf_counter()
        hits, timings = build_apart(self.config, name, Catalog, progress=self.progress)
        # The child's time is the stages' it built, not that of a stage this one is building.
        self.cache.nested(time.perf_counter() - started)
        for stage_name, hit in hits.items():
            self.cache.hits.setdefault(stage_name, hit)
        # Its own time of each stage it built (one it read, the stage before it, keeps ours).
        self.cache.timings.update({n: t for n, t in timings.items() if n != name and not hits.get(n)})
        return timings

    def get(self, name: str):
        """A stage's result or a view of one (:data:`~policytopics.study.stages.VIEWS`)."""
        views = {"documents": self.documents, "kept_documents": self.kept_documents,
                 "kept_document_chunks": self.kept_document_chunks, "units": self.units,
                 "unit_ids": self.unit_ids, "unit_cells": self.unit_cells, "seen_words": self.seen_words}
        return views[name]() if name in views else self.stage(name)

    def memoised(self, what: str, build: Callable[[], object], *, stages: tuple[str, ...] = (),
                 files=(), settings=()):
        """``build()`` once per key: ``what``, the keys of ``stages``, the ``files`` by content
        and the ``settings`` it depends on."""
        key = (what, *(self.key(name) for name in stages), stable_hash(*files, settings))
        return self.cache.memoised(key, build)

    # The views of the stages ------------------------------------------------------------
    def documents(self, text: bool = True) -> pd.DataFrame:
        """The ingest report; documents whose date column their own header contradicts are
        named in one warning per report (:func:`~policytopics.text.documents.warn_disagreeing_dates`).

        ``text=False``: without the cleaned texts, which the study keeps on disk, not in memory
        (the stage serves its report so, :func:`~policytopics.study.stage_documents.without_text`):
        read again from the cached table's one column when asked for (the tokens stage, the
        ``documents`` table, the validation items), so the texts of a large corpus are not held
        through the model, the estimates and the figures.
        """
        report = self.memoised("documents", lambda: without_text(self.stage("documents"), self.config.corpus),
                               stages=("documents",))
        if self.warn_dates:
            self.memoised("date_warning", lambda: warn_disagreeing_dates(report, self.config.corpus),
                          stages=("documents",))
        return self._with_text(report) if text else report

    def _with_text(self, report: pd.DataFrame) -> pd.DataFrame:
        """``report`` with its ``text`` column, read from the cached table's file."""
        key = self.key("documents")
        texts = self.cache.columns("documents", key, [TEXT_COLUMN])
        if texts is None or len(texts) != len(report):
            raise ValueError(f"the cached documents table {self.cache.path('documents', key)}.parquet "
                             "cannot be read; remove it (or the cache folder) and run again")
        return report.assign(**{TEXT_COLUMN: texts[TEXT_COLUMN].array})

    def document_chunks(self, rows: int = DOCUMENT_CHUNK_ROWS) -> Iterator[pd.DataFrame]:
        """:meth:`documents` with their texts, ``rows`` documents at a time: the texts read from
        the cached table in batches, never all at once (``documents.csv`` is written so). A
        report has a document at least (the stage refuses a corpus without one)."""
        report = self.documents(text=False)
        stored = self.stage("documents")
        start = 0
        for batch in stored.batches([TEXT_COLUMN], rows=rows):
            texts = batch[TEXT_COLUMN]
            yield report.iloc[start:start + len(texts)].assign(**{TEXT_COLUMN: texts.array})
            start += len(texts)
        if start != len(report):
            raise ValueError(f"the cached documents table {stored.path} holds {start} texts for "
                             f"{len(report)} documents; remove it and run again")

    def kept_documents(self, text: bool = True) -> pd.DataFrame:
        """The kept documents of :meth:`documents` (``text``: with their texts); without them,
        built once per report."""
        if text:
            return kept_documents(self.documents())
        return self.memoised("kept_documents", lambda: kept_documents(self.documents(text=False)),
                             stages=("documents",))

    def kept_metadata(self) -> pd.DataFrame:
        """The kept documents' own columns (:data:`KEPT_COLUMNS`), in report order, built once
        per report: what the model's results are made of (the document table, the topics'
        representative documents), without the report's counters and reasons (at a million
        documents, a copy of the whole kept report held 550 MB more)."""
        def build():
            report = self.documents(text=False)
            columns = [column for column in ("status", *KEPT_COLUMNS) if column in report.columns]
            return kept_documents(report[columns]).drop(columns="status")

        return self.memoised("kept_metadata", build, stages=("documents",))

    def kept_document_chunks(self, rows: int = DOCUMENT_CHUNK_ROWS) -> KeptParts:
        """The kept documents with their texts (``doc_id``, ``title``, ``n_chars``, ``text``),
        read from the cached report about ``rows`` documents at a time (what the tokens stage
        segments): never all the texts at once. Its length is the number of kept documents."""
        stored = self.stage("documents")
        kept = int((stored["status"] == DocStatus.KEPT).sum())  # one column: not the whole report
        if not kept:
            self.kept_documents(text=False)  # the error that says why
        return KeptParts(kept, stored, rows)

    def units(self) -> pd.DataFrame:
        """The units of analysis without their tokens, read from the cached tokens table's own
        columns, so a new K does not load the tokens."""
        def read():
            units = self.cache.columns("tokens", self.key("tokens"), UNIT_COLUMNS)
            return self.stage("tokens")[UNIT_COLUMNS] if units is None else units

        return self.memoised("units", read, stages=("tokens",))

    def unit_ids(self) -> list[str]:
        """One id per unit, in the model's row order: ``doc_id`` or ``doc_id#passage``."""
        units = self.units()
        whole = units.groupby("doc_id")["passage"].transform("size") == 1
        return [d if one else f"{d}#{p}" for d, p, one in zip(units["doc_id"], units["passage"], whole)]

    def unit_cells(self) -> Callable[[], list[str]]:
        """A function giving each unit's cell of the region × period panel, ``region|period``
        (a document whose source states no region: ``national``; no region or no period:
        empty), in the model's row order: the strata of a sample fit
        (:mod:`policytopics.model.sample`). A function, so that a model fitted on every unit
        (a new K on cached tokens) reads no documents."""
        period = self.config.weights.period

        def build():
            # Only the columns the cells need, read from the cached report's file (not its texts).
            columns = ["doc_id", "status", "region", "national", "date", "date_precision"]
            report = self.cache.columns("documents", self.key("documents"), columns)
            documents = self.kept_documents(text=False) if report is None else kept_documents(report)
            national = documents.get("national", pd.Series(False, index=documents.index))
            region = documents["region"].where(documents["region"].notna(),
                                               national.fillna(False).astype(bool).map({True: "national",
                                                                                        False: ""}))
            periods = [period_of(d, p, period) or ""
                       for d, p in zip(documents["date"], documents["date_precision"])]
            cells = dict(zip(documents["doc_id"], [f"{r}|{p}" for r, p in zip(region, periods)]))
            return [cells[doc_id] for doc_id in self.units()["doc_id"]]

        return lambda: self.memoised("unit_cells", build, stages=("tokens",), settings=period)

    def fit_units(self) -> tuple[list[list[str]], list[str], int | None]:
        """The units a fit of the study's ``[model]`` settings is made on, as token lists with
        their documents, and the sample's size: every unit (``None``), or with ``[model]
        fit_sample`` the sample stratified by region × period that the model stage fits on
        (:func:`policytopics.model.sample.stratified_sample`, the same rows), read from the
        cached tokens a part at a time (the sweep's fits; a million units' token lists as
        Python lists would not fit in memory)."""
        from policytopics.model.sample import fit_sample_size, stratified_sample

        model = self.config.model
        stored = self.stage("tokens")
        size = fit_sample_size(model.fit_sample, len(stored))
        rows = None if size is None else stratified_sample(self.unit_cells()(), size, model.seed)
        token_lists, doc_ids, start = [], [], 0
        for part in stored.batches(["doc_id", "tokens"], rows=DOCUMENT_CHUNK_ROWS):
            if rows is None:
                chosen = np.arange(len(part))
            else:
                chosen = rows[(rows >= start) & (rows < start + len(part))] - start
            token_lists += [list(part["tokens"].iat[i]) for i in chosen]
            doc_ids += part["doc_id"].to_numpy()[chosen].tolist()
            start += len(part)
        return token_lists, doc_ids, size

    def seen_words(self) -> frozenset[str]:
        """Every word of the tokens before the vocabulary was pruned."""
        self.stage("corpus")
        return seen_words(self.corpus_folder())

    def corpus_folder(self):
        """Where the corpus stage's files are (gensim's files, the units' lengths)."""
        return self.cache.path("corpus", self.key("corpus"))


class KeptParts:
    """The kept documents of a stored report, a part at a time (:meth:`Catalog.kept_document_chunks`):
    iterable more than once, its length the number of kept documents."""

    COLUMNS = ("doc_id", "status", "title", "n_chars", TEXT_COLUMN)

    def __init__(self, kept: int, report: StoredTable, rows: int):
        self.kept, self.report, self.rows = kept, report, rows

    def __len__(self) -> int:
        return self.kept

    def __iter__(self) -> Iterator[pd.DataFrame]:
        for part in self.report.batches(list(self.COLUMNS), rows=self.rows):
            yield part[part["status"] == DocStatus.KEPT].drop(columns="status").reset_index(drop=True)


def _named(function: Callable, inputs: tuple[str, ...]) -> list[str]:
    """The inputs ``function`` takes (a loader needs the unit ids, not the corpus)."""
    return [name for name in inputs if name in inspect.signature(function).parameters]


__all__ = ["DOCUMENT_CHUNK_ROWS", "KEPT_COLUMNS", "UNIT_COLUMNS", "Catalog", "KeptParts"]
