"""Fit on a sample, infer the rest: every unit's topic shares from a model fitted on a sample.

:class:`SampleFit` is what :meth:`policytopics.model.topic_model.TopicModel.fit_corpus` calls
instead of the engine's own fit when ``[model] fit_sample`` picks a sample
(:mod:`policytopics.model.sample`): the engine is fitted on the sample's units, then every
other unit's proportions are inferred (:meth:`~policytopics.model.engines.base.LDAEngine.infer`)
in chunks of :data:`~policytopics.model.engines.base.INFERENCE_CHUNK` units read from the
stored corpus (the Matrix Market file of the corpus stage, each chunk by its byte range), on
local worker processes (``[compute] workers``) or as Dask tasks (``[compute] scheduler``,
:func:`policytopics.common.workers.map_chunks`). Memory holds the sample, a chunk per worker
and the units × topics result, never the whole corpus's bags of words.

The sample's units keep the proportions of the fit; every other unit gets its inferred ones
(:meth:`~policytopics.model.engines.base.LDAEngine.infer_chunk`: for tomotopy and keyATM,
Gibbs sampling with the topics held fixed, each unit from the same seed; gensim's variational
inference from the same random state for every chunk). Each unit's inference is its own,
so the same seed gives the same bytes whatever the chunks and
whoever runs them: local processes, one process or a Dask cluster (a test holds the three
equal). The fitted engine reaches the workers as files (its own file and the dictionary, in
a temporary folder beside the corpus stage's), as the corpus does: on a cluster the cache
folder must be on a file system every worker sees.

The intervals (:mod:`policytopics.estimate.uncertainty`) need each unit's proportions and
its tokens (``Dirichlet(theta * (n + sum(alpha)))``): both are there for every unit. The
sampler's states (``doc_topic_samples_``) are kept for no unit, since the inferred units have
one state each: the intervals then widen every unit's Dirichlet by the one-state rule
(``ASSIGNMENT_VARIANCE``), as for gensim.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import numpy as np
import pandas as pd

from policytopics.common.workers import map_chunks, resolve_workers, worker_state
from policytopics.model.corpus import DICTIONARY_FILE
from policytopics.model.engines import engine_class
from policytopics.model.engines.base import INFERENCE_CHUNK

#: Units at which ``[compute] workers = 0`` (auto) starts worker processes for inference:
#: below, loading the engine in each worker costs more than it saves.
INFER_MIN_UNITS = 4 * INFERENCE_CHUNK


def chunk_bounds(index: np.ndarray, size: int,
                 chunk: int = INFERENCE_CHUNK) -> list[tuple[int, int, int, int]]:
    """``(first unit, end unit, first byte, end byte)`` of each chunk of a Matrix Market
    corpus, from gensim's index (each unit's byte offset, ``-1`` for an empty unit); ``size``
    is the file's length in bytes.

    >>> chunk_bounds(np.array([10, -1, 30, 45]), 60, chunk=2)
    [(0, 2, 10, 30), (2, 4, 30, 60)]
    """
    index = np.asarray(index, dtype=np.int64)
    # The byte where each unit starts or, for an empty one, where the next non-empty one does
    # (the offsets grow with the units: a running minimum from the end).
    starts = np.append(index, size)
    starts = np.minimum.accumulate(np.where(starts < 0, size, starts)[::-1])[::-1]
    firsts = range(0, len(index), chunk)
    ends = [min(first + chunk, len(index)) for first in firsts]
    return [(first, end, int(starts[first]), int(starts[end])) for first, end in zip(firsts, ends)]


def read_chunk(path: str | Path, first: int, end: int, begin: int,
               stop: int, skip: Sequence[int] = ()) -> list[list[tuple[int, float]]]:
    """The bags of words of units ``first`` … ``end - 1`` of a Matrix Market corpus, read
    from bytes ``begin`` … ``stop`` only: ``(word id, count)`` pairs in the file's order, as
    gensim's ``MmCorpus`` gives them (an empty unit: ``[]``). The units ``skip`` (offsets from
    ``first``) are given empty: their proportions come from elsewhere (a sample fit's)."""
    bags: list[list[tuple[int, float]]] = [[] for _ in range(end - first)]
    if stop <= begin:
        return bags
    with open(path, "rb") as handle:
        handle.seek(begin)
        data = handle.read(stop - begin)
    table = pd.read_csv(BytesIO(data), sep=" ", header=None, names=["unit", "word", "count"],
                        dtype={"unit": np.int64, "word": np.int64, "count": np.float64})
    units = table["unit"].to_numpy() - 1 - first
    words, counts = table["word"].to_numpy() - 1, table["count"].to_numpy()
    cuts = np.flatnonzero(np.diff(units)) + 1
    for part_units, part_words, part_counts in zip(np.split(units, cuts), np.split(words, cuts),
                                                   np.split(counts, cuts)):
        bags[int(part_units[0])] = list(zip(part_words.tolist(), part_counts.tolist()))
    for offset in skip:
        bags[offset] = []
    return bags


def _load_engine(folder: str, engine: str, thread: int | None = None):
    """The engine saved in ``folder`` (one per ``thread``: a Dask worker's threads share its
    process, and an engine's inference state, such as gensim's random state, is not to be
    shared)."""
    from gensim.corpora import Dictionary

    dictionary = Dictionary.load(str(Path(folder) / DICTIONARY_FILE))
    return engine_class(engine).load(Path(folder), dictionary)


def infer_bounds(bounds: list[tuple], folder: str, engine: str, corpus_path: str) -> list:
    """Worker task: the inferred proportions (units × topics, the engine's topic order) of
    each chunk of ``bounds`` (:func:`chunk_bounds`, each with the offsets of the units it
    skips), with the engine saved in ``folder``."""
    fitted = worker_state(_load_engine, folder, engine, threading.get_ident())
    return [fitted.infer_chunk(read_chunk(corpus_path, *bound)) for bound in bounds]


def infer_corpus(engine, corpus_path: str | Path, index: np.ndarray, *, workers: int = 1,
                 scheduler: str | None = None, progress: bool = False,
                 chunk: int = INFERENCE_CHUNK, skip: Sequence[int] = ()) -> np.ndarray:
    """Every unit's topic proportions (units × topics, the engine's topic order) in a stored
    Matrix Market corpus (``index``: gensim's byte offsets), in chunks of ``chunk`` units on
    ``workers`` local processes or the Dask ``scheduler`` (``"local"``: a ``LocalCluster``).

    The units ``skip`` (row numbers: a sample fit's own units, whose proportions the fit gives)
    are inferred as empty units, at no cost; every other unit's proportions are the same bytes
    when the engine infers each unit on its own (``infers_alone``: tomotopy's and keyATM's
    Gibbs sampling; not gensim's)."""
    from tqdm.auto import tqdm

    corpus_path = Path(corpus_path)
    skip = np.asarray(skip, dtype=np.int64)
    bounds = [(first, end, begin, stop, tuple((skip[(skip >= first) & (skip < end)] - first).tolist()))
              for first, end, begin, stop in chunk_bounds(index, corpus_path.stat().st_size, chunk)]
    n_units, k = len(index), len(engine.alpha())
    workers = resolve_workers(workers, n_units, INFER_MIN_UNITS)
    theta = np.empty((n_units, k))
    with tempfile.TemporaryDirectory(prefix=".infer-", dir=corpus_path.parent.parent) as folder:
        engine.save(Path(folder))
        engine.dictionary.save(str(Path(folder) / DICTIONARY_FILE))
        args = (folder, engine.name, str(corpus_path))
        if workers == 1 and not scheduler:
            fitted = _load_engine(folder, engine.name)  # as a worker loads it
            results = ([fitted.infer_chunk(read_chunk(corpus_path, *bound))] for bound in bounds)
        else:
            results = map_chunks(infer_bounds, bounds, args, workers=workers, chunk_size=1,
                                 scheduler=scheduler or None)
        with tqdm(total=n_units, desc="inferring", unit="unit", disable=not progress, leave=False) as bar:
            for (first, end, *_), (rows,) in zip(bounds, results):
                theta[first:end] = rows
                bar.update(end - first)
    return theta


def stored_path(corpus) -> Path | None:
    """The Matrix Market file of a gensim ``MmCorpus`` read from disk with its index, or
    ``None`` (a corpus in memory)."""
    path = getattr(corpus, "input", None)
    stored = isinstance(path, (str, Path)) and getattr(corpus, "index", None) is not None
    return Path(path) if stored else None


def sample_bags(corpus, rows: np.ndarray) -> list:
    """The bags of words of ``rows`` (sorted) of a corpus: a gensim ``MmCorpus``, read chunk by
    chunk from its file, or a list."""
    path = stored_path(corpus)
    if path is None:
        return [corpus[int(row)] for row in rows]
    wanted = set(rows.tolist())
    bags = []
    for first, end, begin, stop in chunk_bounds(corpus.index, path.stat().st_size):
        if wanted.intersection(range(first, end)):
            chunk = read_chunk(path, first, end, begin, stop)
            bags.extend(chunk[row - first] for row in range(first, end) if row in wanted)
    return bags


class SampleFit:
    """An engine's fit on the sample ``rows`` of a corpus, every other unit inferred: called by
    :meth:`~policytopics.model.topic_model.TopicModel.fit_corpus` as ``engine.fit`` is, it
    returns the fitted engine and every unit's proportions (the engine's topic order).

    Parameters
    ----------
    rows
        The sample's row numbers (:func:`policytopics.model.sample.stratified_sample`).
    workers, scheduler
        Where the inference runs (``[compute] workers`` and ``scheduler``).
    """

    def __init__(self, rows: Sequence[int], *, workers: int = 1, scheduler: str | None = None):
        self.rows = np.asarray(rows, dtype=np.int64)
        self.workers = workers
        self.scheduler = scheduler

    def __call__(self, engine_type, corpus, dictionary, config, *, eta=None, progress: bool = False):
        engine, fitted = engine_type.fit(sample_bags(corpus, self.rows), dictionary, config, eta=eta,
                                         progress=progress)
        engine.doc_topic_samples = None  # the inferred units have one state each
        if stored_path(corpus) is not None:
            # The sample's own units are not inferred: the fit gives theirs (a tenth of the
            # inference at a million units).
            theta = infer_corpus(engine, stored_path(corpus), corpus.index, workers=self.workers,
                                 scheduler=self.scheduler, progress=progress,
                                 skip=self.rows if engine.infers_alone else ())
        else:
            theta = np.concatenate([engine.infer_chunk(corpus[first:first + INFERENCE_CHUNK])
                                    for first in range(0, len(corpus), INFERENCE_CHUNK)])
        theta[self.rows] = fitted
        return engine, theta


__all__ = ["INFER_MIN_UNITS", "SampleFit", "chunk_bounds", "infer_bounds", "infer_corpus", "read_chunk",
           "sample_bags", "stored_path"]
