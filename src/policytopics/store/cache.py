"""The stage cache: each stage's result in memory, in ``cache_dir/<stage>/<key>``, or built.

The keys of the cached stages are made in :mod:`policytopics.store.keys`: exactly what a
stage depends on (its inputs' keys, its own settings, the code its function imports). Changing a
figure title never re-segments; changing a cleaning rule always re-cleans.

:class:`StageCache` writes a stage's result through :mod:`policytopics.store.writing` with its
checksums (:mod:`policytopics.store.checksums`) and reads it back only when they match.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

from policytopics.common.workers import trim_memory
from policytopics.store import writing
from policytopics.store.checksums import (
    checksum_file,
    damage,
    discard,
    file_digest,
    keep_checksums,
    read_cached_parquet,
    verified,
)
from policytopics.store.writing import replace_folder, temporary_sibling

log = logging.getLogger("policytopics")


def naming_the_cache(exc: OSError, cache_dir: Path) -> OSError:
    """``exc`` naming the cache folder when it happened there (a full disk, a read-only one):
    the folder to free or to change, not a file inside it nor the outputs."""
    if exc.filename is None or exc.errno is None:
        return exc
    cache = os.path.abspath(cache_dir)
    where = os.path.abspath(exc.filename)
    if where != cache and not where.startswith(cache.rstrip(os.sep) + os.sep):
        return exc
    return OSError(exc.errno, f"{exc.strerror or exc} while writing the cache (--cache-dir, [output] "
                              "cache_dir); the stages already finished are kept", str(cache_dir))


# --- a table kept on disk ---------------------------------------------------------------

class StoredTable:
    """A cached table served from its Parquet file: its columns and row count known, its
    values read when asked for (some columns, or a batch of rows at a time), never held whole.
    A stage whose table can outgrow memory (the documents' texts, the tokens of a million
    articles) is served so (:class:`policytopics.study.stages.Table`, ``streamed``).

    ``table[column]`` is the column (a Series), ``table[[columns]]`` a frame of them, as a
    DataFrame would give them; ``column in table`` and ``len(table)`` as a DataFrame's.
    """

    def __init__(self, path: Path):
        import pyarrow.parquet as pq

        self.path = Path(path)
        metadata = pq.ParquetFile(self.path).metadata  # raises on a file that is no Parquet
        self.columns = list(metadata.schema.to_arrow_schema().names)
        self.rows = metadata.num_rows

    def __len__(self) -> int:
        return self.rows

    def __contains__(self, column) -> bool:
        return column in self.columns

    def __getitem__(self, columns):
        return self.read([columns])[columns] if isinstance(columns, str) else self.read(list(columns))

    def __repr__(self) -> str:
        return f"StoredTable({str(self.path)!r}, {self.rows} rows)"

    def read(self, columns: list[str] | None = None):
        """The table, or some of its columns, as a DataFrame."""
        import pandas as pd

        return pd.read_parquet(self.path, columns=columns)

    def batches(self, columns: list[str] | None = None, rows: int = 5_000):
        """The table (or some of its columns) ``rows`` rows at a time, as DataFrames, in order."""
        import pyarrow.parquet as pq

        # Without pre-buffering: pyarrow's default reads ahead and keeps every column chunk it
        # has read until the file is closed (iterating over a million documents' texts held
        # 957 MB so; without it 48 MB at most, and 3.1 s instead of 5.0 s).
        stored = pq.ParquetFile(self.path, pre_buffer=False)
        for batch in stored.iter_batches(batch_size=rows, columns=columns):
            yield batch.to_pandas()


# --- stages ----------------------------------------------------------------------------

class StageCache:
    """A study's stage results: in memory, in ``cache_dir/<stage>/<key>``, or built.

    Records for each stage whether it came from the cache (``hits``, the first outcome of
    a run: a stage built, released and read back counts as built) and its own time
    (``timings``, without the earlier stages it had to build first).
    """

    def __init__(self, cache_dir: Path):
        self.cache_dir = Path(cache_dir)
        self.memo: dict[str, object] = {}  # "<stage>:<key>" -> its result
        self.derived: dict[object, object] = {}  # what is derived from the stages (memoised)
        self.hits: dict[str, bool] = {}
        self.timings: dict[str, float] = {}
        self._nested_seconds: list[float] = []
        self.damaged: set[str] = set()  # the stages whose damaged cache was named in a warning

    def memoised(self, key, build):
        """``build()`` once per key (hashable: the keys of the stages it is derived from and
        what else it depends on), then from memory."""
        if key not in self.derived:
            self.derived[key] = build()
        return self.derived[key]

    def get(self, name: str, key: str, build, *, reader, writer, serve_written: bool = False, serve=None):
        """A stage's result from memory, from ``reader(path)``, or by ``build()`` then
        ``writer(result, path)``. With ``serve_written`` a freshly built result is read back
        (for stages whose cached form streams from disk); ``serve(result)``, if given, is
        what is returned and kept in memory."""
        memo_key = f"{name}:{key}"
        if memo_key in self.memo:
            return self.memo[memo_key]
        path = self.path(name, key)
        started = time.perf_counter()
        self._nested_seconds.append(0.0)
        try:
            result = reader(path)
            self.hits.setdefault(name, result is not None)
            if result is None:
                log.info("%s: building (cache key %s)", name, key)
                result = build()
                try:
                    writer(result, path)
                except OSError as exc:
                    raise naming_the_cache(exc, self.cache_dir) from exc
                if serve_written:
                    result = reader(path)
                trim_memory()
            else:
                log.info("%s: cache hit (key %s)", name, key)
            if serve is not None:
                result = serve(result)
        finally:
            elapsed = time.perf_counter() - started
            nested = self._nested_seconds.pop()
            if self._nested_seconds:
                self._nested_seconds[-1] += elapsed
        self.timings[name] = round(elapsed - nested, 3)
        self.memo[memo_key] = result
        return result

    def nested(self, seconds: float) -> None:
        """Count ``seconds`` spent building stages elsewhere (a child process) as nested in the
        stage being built here, if any: not its own time."""
        if self._nested_seconds:
            self._nested_seconds[-1] += seconds

    def held(self, name: str, key: str) -> bool:
        """Whether memory or the cache folder holds a stage's result (a table or a folder;
        whether it is whole is checked when it is read)."""
        path = self.path(name, key)
        return f"{name}:{key}" in self.memo or path.with_suffix(".parquet").is_file() or path.is_dir()

    def path(self, name: str, key: str) -> Path:
        """Where a stage's result with this key is kept (a folder, or ``.parquet`` beside it)."""
        return self.cache_dir / name / key

    def columns(self, name: str, key: str, columns: list[str]):
        """Some columns of a table stage, from memory or from its file without reading the
        rest; ``None`` when neither holds it (an unreadable file is logged). A column the
        stage serves without (the documents' texts) is read from the file."""
        memo_key = f"{name}:{key}"
        if memo_key in self.memo and all(column in self.memo[memo_key] for column in columns):
            return self.memo[memo_key][columns]
        path = self.path(name, key).with_suffix(".parquet")
        if path.is_file() and not damage(path):  # a damaged file is named when the stage reads it
            import pandas as pd

            try:
                return pd.read_parquet(path, columns=columns)
            except Exception:
                log.warning("cache file %s is unreadable; rebuilding it", path)
        return None

    def _fitting(self, name: str, stored: Path, result, check):
        """``result`` read from the cache, or ``None`` (and the entry removed, with a warning
        naming the stage) when ``check(result)`` says why it does not fit: a table without a
        column the stage writes, a model whose proportions have the wrong shape. Its checksums
        match what was written, but not what this code writes."""
        if result is None or check is None:
            return result
        reason = check(result)
        if not reason:
            return result
        log.warning("%s: the cached %s does not fit (%s); rebuilding it", name, stored, reason)
        discard(stored)
        return None

    def frame(self, name: str, key: str, build, *, serve=None, check=None, streamed: bool = False):
        """A stage whose result is one table, kept as ``<key>.parquet`` with its checksum.
        ``check(frame)``: why a cached table does not fit (then it is rebuilt), or ``None``.

        ``streamed``: ``build()`` gives the table as frames, one after another, each written
        as it comes (:func:`~policytopics.store.writing.parquet_chunks`); the stage is served
        as a :class:`StoredTable` of its file, built or read, never whole in memory."""
        def read(path: Path):
            path = path.with_suffix(".parquet")
            if not verified(path, name, self.damaged):
                return None
            table = read_cached_parquet(path, StoredTable if streamed else None)
            return self._fitting(name, path, table, check)

        def write(result, path: Path):
            target = path.with_suffix(".parquet")

            def parquet_and_checksum(tmp: Path) -> None:
                # The checksum first, the table renamed into place last: a run killed at any
                # moment leaves no table without its checksum (which would be rebuilt).
                if streamed:
                    writing.parquet_chunks(result, tmp)
                else:
                    result.to_parquet(tmp, index=False)
                writing.write_text(checksum_file(target), file_digest(tmp))

            writing.atomic_write(target, parquet_and_checksum)

        return self.get(name, key, build, reader=read, writer=write, serve=serve, serve_written=streamed)

    def folder(self, name: str, key: str, build, *, load, save, serve_written: bool = False, serve=None,
               check=None):
        """A stage kept as a folder of files (a corpus, a model).

        ``load(path)`` gives the result, or None when the folder holds none; ``save(result,
        folder)`` writes it. The result is written into a temporary folder with the checksums
        of its files and swapped in whole; a folder whose files differ from their checksums,
        or that fails to load, or whose result ``check(result)`` finds wrong, is logged,
        removed and built again.
        """
        def read(path: Path):
            if not verified(path, name, self.damaged):
                return None
            try:
                result = load(path)
            except Exception:
                log.warning("cached %s %s is unreadable; rebuilding it", name, path)
                shutil.rmtree(path, ignore_errors=True)
                return None
            return self._fitting(name, path, result, check)

        def write(result, path: Path):
            tmp = temporary_sibling(path)
            save(result, tmp)
            keep_checksums(tmp)
            replace_folder(tmp, path)

        return self.get(name, key, build, reader=read, writer=write, serve_written=serve_written, serve=serve)

    def release(self, name: str) -> bool:
        """Drop a stage's result from memory (it stays on disk); True if there was one."""
        keys = [key for key in self.memo if key.startswith(f"{name}:")]
        for key in keys:
            del self.memo[key]
        return bool(keys)


__all__ = [
    "StageCache",
    "StoredTable",
    "naming_the_cache",
]
