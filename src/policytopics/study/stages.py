"""The study's cached stages, declared once: function, inputs, settings, storage.

``documents → tokens → corpus → model``. A :class:`Stage` is kedro's node: a pure function
(:mod:`policytopics.study.stage_documents`, ``stage_tokens``, ``stage_corpus``,
``stage_model``) of the results it takes (``inputs``: other stages' results, or a
:data:`VIEWS` of one) and of the settings sections it reads (``settings``); it never sees the
study. Its cache key is ``stable_hash(name, code_version_of(function), keys of the stages of
its inputs, *key_parts(settings))``: the code of every module the function's module imports
(:func:`policytopics.store.keys.code_version_of`), never a hand list; the settings that change
the result and the input files by content, never by path. How a result is kept is its
``storage``: one table (:class:`Table`) or a folder of files (:class:`Folder`), served by
:class:`policytopics.study.catalog.Catalog`.

A new cached stage is one module with its function and one more :class:`Stage` here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from policytopics.settings.config import StudyConfig
from policytopics.store.keys import code_version_of, stable_hash
from policytopics.study import stage_corpus, stage_documents, stage_model, stage_tokens
from policytopics.study.stage_documents import UNIT_SETTINGS, missing_columns

#: What a stage can take besides another stage's whole result: a view of one, by the stage it
#: is read from (its key stands for the view's). Served by :class:`policytopics.study.catalog.Catalog`.
VIEWS = {"kept_documents": "documents", "kept_document_chunks": "documents", "units": "tokens",
         "unit_ids": "tokens", "unit_cells": "tokens",
         "seen_words": "corpus"}


def call(function: Callable, arguments: Mapping, *first):
    """``function(*first, **the arguments its signature names)``: a stage's functions take
    only what they read."""
    names = inspect.signature(function).parameters
    return function(*first, **{name: value for name, value in arguments.items() if name in names})


@dataclass(frozen=True)
class Table:
    """A stage kept as one table, ``<key>.parquet`` with its checksum. ``check(result,
    **settings)`` says why a cached table does not fit (a column missing), or ``None``.
    ``streamed``: the stage's function gives its table as frames, one after another, written
    as they come, and the stage is served as a
    :class:`~policytopics.store.cache.StoredTable` of the file (a table that can outgrow
    memory: the texts or tokens of a national archive)."""

    check: Callable[..., str | None] | None = None
    streamed: bool = False


@dataclass(frozen=True)
class Folder:
    """A stage kept as a folder of files: ``load(path, **inputs and settings)`` (``None`` when
    the folder holds none), ``save(result, folder)``, ``check`` as :class:`Table`'s.
    ``serve_written``: a result just built is read back from its files (a corpus that
    streams from disk)."""

    load: Callable[..., object]
    save: Callable[[object, Path], None]
    check: Callable[..., str | None] | None = None
    serve_written: bool = False


@dataclass(frozen=True)
class Stage:
    """One cached stage: ``function(**inputs, **settings, progress=...)`` gives its result.

    ``inputs`` name the results it takes (stages declared before it, or :data:`VIEWS`);
    ``settings`` the sections of :class:`~policytopics.settings.config.StudyConfig` it reads;
    ``key_parts(**settings)`` what of them, and which input files (as ``Path``, hashed by
    content), change its result. ``releases`` are the upstream results dropped from memory
    once this one is served (they stay on disk); ``serve(result, **settings)`` is what the
    study sees of a result built or read (the cache keeps the result).
    """

    name: str
    function: Callable[..., object]
    inputs: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    key_parts: Callable[..., tuple] = field(default=lambda: ())
    storage: Table | Folder = field(default_factory=Table)
    releases: tuple[str, ...] = ()
    serve: Callable[..., object] | None = None

    def upstream(self) -> tuple[str, ...]:
        """The stages its inputs come from, in order, each once."""
        return tuple(dict.fromkeys(VIEWS.get(name, name) for name in self.inputs))

    def settings_of(self, config: StudyConfig) -> dict:
        """The settings sections it reads, by name."""
        return {name: getattr(config, name) for name in self.settings}

    def key(self, config: StudyConfig, upstream_keys: tuple[str, ...]) -> str:
        """Its cache key, given the keys of :meth:`upstream`."""
        parts = call(self.key_parts, self.settings_of(config))
        return stable_hash(self.name, code_version_of(self.function), *upstream_keys, *parts)

    def run(self, inputs: Mapping, config: StudyConfig, *, progress: bool = False):
        """Its result, built from ``inputs`` (by name) and the settings it reads."""
        return call(self.function, {**inputs, **self.settings_of(config), "progress": progress})


STAGES: dict[str, Stage] = {stage.name: stage for stage in (
    Stage("documents", stage_documents.documents, settings=("corpus", "clean", "compute", "output"),
          key_parts=stage_documents.documents_key,
          # Served as its file: Catalog.documents reads the report without its texts when asked
          # for (the sources, kept relative to the corpus paths, where the corpus is now); the
          # texts stay on disk until asked for (Catalog.documents, document_chunks).
          storage=Table(check=stage_documents.check_documents, streamed=True)),
    # The kept documents' texts come a chunk at a time; the tokens go to the file as they come.
    Stage("tokens", stage_tokens.tokens, inputs=("kept_document_chunks",),
          settings=("corpus", "segment", "compute", "model"), key_parts=stage_tokens.tokens_key,
          storage=Table(check=stage_tokens.check_tokens, streamed=True)),
    Stage("corpus", stage_corpus.corpus, inputs=("tokens",), settings=("model",),
          key_parts=stage_corpus.corpus_key,
          # Serve the files just written, so a cold run streams from disk like a warm one; the
          # model needs only the corpus: let the token lists go (about 0.5 GB for 75,000 news
          # stories), read again from the cache if asked for (as by a sweep).
          storage=Folder(stage_corpus.load, stage_corpus.save, serve_written=True), releases=("tokens",)),
    Stage("model", stage_model.model, inputs=("corpus", "unit_ids", "seen_words", "unit_cells"),
          settings=("model", "compute", "weights"),
          key_parts=stage_model.model_key,
          # Serve the model read back from its files, as a warm run does: the fitted engine holds
          # every document's word assignments (about 0.4 GB for 74,500 news stories), the saved
          # one only the topics (tomotopy's full=False).
          storage=Folder(stage_model.load, stage_model.save, check=stage_model.check_model,
                         serve_written=True)),
)}

__all__ = ["STAGES", "UNIT_SETTINGS", "VIEWS", "Folder", "Stage", "Table", "call", "missing_columns"]
