"""Cross-cutting machinery of the stage cache: atomic writes, checksums, temporaries, memory.

The keys of the cached stages are made in :mod:`policytopics.store.keys`.

Every file the package writes, cached or output, goes through :func:`atomic_write`: the
content is written to a temporary file beside the target (named with the writing
process's id and a random part), then renamed into place, so a reader never sees a half
written file and a killed run leaves only a temporary that the next run removes.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import gc
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("policytopics")


# --- atomic writes ---------------------------------------------------------------------

def atomic_write(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Write a file through ``write(temporary_path)``, then rename it to ``path``.

    The one writer behind every table, figure, page and cache file of the package.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write(target, lambda p: p.write_text("ok")).read_text()
    'ok'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            write(tmp)
        except OSError as exc:
            if exc.filename is None and exc.errno is not None:  # file.write() names no file: name it
                raise OSError(exc.errno, exc.strerror, str(path)) from exc
            raise
        # mkstemp creates the file readable by its owner only; give it the permissions
        # of any other file written here.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


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


def check_writable_folder(path: str | Path, what: str) -> Path:
    """Make sure ``path`` is a folder this process can write, before any work is done.

    Creates it (and its parents) when missing, writes and removes a probe file. Raises a
    one-line ``ValueError`` naming ``what`` (the setting or flag), the path and why (a
    file in the way, no permission, a read-only disk), never an ``OSError`` traceback.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ValueError(f"{what} {path} is a file, not a folder; choose a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".policytopics-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ValueError(f"{what} {path} cannot be written ({reason}); "
                         "choose a folder you can write") from None
    return path


def copy_file(source: str | Path, path: str | Path) -> Path:
    """``source`` copied to ``path`` through :func:`atomic_write`."""
    return atomic_write(path, lambda tmp: shutil.copyfile(source, tmp))


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding=encoding))


def write_json(path: str | Path, value) -> Path:
    return write_text(path, json.dumps(value, ensure_ascii=False, indent=2))


def write_parquet(frame, path: str | Path) -> Path:
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))


#: A spreadsheet reads a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(frame):
    """``frame`` with text cells that a spreadsheet would run as a formula made plain text.

    A text cell starting with ``= + - @``, a tab or a carriage return gets a leading
    apostrophe, which Excel and LibreOffice show as text, not as a formula (OWASP's CSV
    injection advice). Numeric columns are left alone; Parquet outputs keep the raw text.

    >>> import pandas as pd
    >>> safe = excel_safe(pd.DataFrame({"title": ['=HYPERLINK("http://x","点击")', "产业链"], "n": [-1, 2]}))
    >>> safe["title"].str[:3].tolist(), safe["n"].tolist()
    (["'=H", '产业链'], [-1, 2])
    """
    from pandas.api.types import is_object_dtype, is_string_dtype

    text_columns = [c for c in frame.columns if is_object_dtype(frame[c]) or is_string_dtype(frame[c])]
    risky = {c: frame[c].map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START))
             for c in text_columns}
    risky = {c: mask for c, mask in risky.items() if mask.any()}
    if not risky:
        return frame
    frame = frame.copy()
    for column, mask in risky.items():
        frame.loc[mask, column] = "'" + frame.loc[mask, column]
    return frame


def write_csv(frame, path: str | Path) -> Path:
    """CSV in UTF-8 with a BOM, so Excel opens it with the Chinese intact, and with no cell
    that Excel would run as a formula (:func:`excel_safe`)."""
    safe = excel_safe(frame)
    return atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig"))


#: The most characters an Excel cell holds.
EXCEL_CELL_CHARS = 32_767


def write_xlsx(frame, path: str | Path) -> Path:
    """An Excel workbook of one sheet, with no cell that Excel would run as a formula
    (:func:`excel_safe`) and control characters a workbook cannot hold made U+FFFD.

    Raises
    ------
    ValueError
        When a cell is longer than Excel's :data:`EXCEL_CELL_CHARS` characters (Excel would
        cut it): nothing is written, and the message says to write CSV or Parquet instead.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    safe = excel_safe(frame).copy()
    for column in safe.columns:
        values = safe[column]
        if not values.map(lambda v: isinstance(v, str)).any():
            continue
        too_long = values.map(lambda v: isinstance(v, str) and len(v) > EXCEL_CELL_CHARS)
        if too_long.any():
            raise ValueError(f"{path}: {int(too_long.sum())} cell(s) of column {column!r} are longer than "
                             f"Excel's {EXCEL_CELL_CHARS:,} characters, which Excel would cut; write "
                             "the report as .csv or .parquet instead")
        safe[column] = values.map(lambda v: ILLEGAL_CHARACTERS_RE.sub("\ufffd", v)
                                  if isinstance(v, str) else v)
    # Built in memory, then written in one go: openpyxl's zip file left open by a failed write (a
    # full disk) printed an "Exception ignored" traceback when it was collected.
    import io

    workbook = io.BytesIO()
    safe.to_excel(workbook, index=False, engine="openpyxl")
    return atomic_write(path, lambda tmp: tmp.write_bytes(workbook.getvalue()))


# --- checksums of cached files ----------------------------------------------------------

#: A cached folder's checksums of its files (:func:`keep_checksums`); a cached file's are in
#: ``<file>.sha256`` beside it.
CHECKSUMS_FILE = "checksums.json"


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _checksum_file(path: Path) -> Path:
    return path / CHECKSUMS_FILE if path.is_dir() else path.with_name(path.name + ".sha256")


def _folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != CHECKSUMS_FILE)


def keep_checksums(path: str | Path) -> Path:
    """Record the checksums of a cached file (``<file>.sha256``) or of every file of a cached
    folder (its ``checksums.json``), for :func:`verified` to check when it is read."""
    path = Path(path)
    if path.is_dir():
        return write_json(path / CHECKSUMS_FILE,
                          {p.relative_to(path).as_posix(): file_digest(p) for p in _folder_files(path)})
    return write_text(_checksum_file(path), file_digest(path))


def damage(path: Path) -> str | None:
    """Why a cached file or folder differs from the checksums recorded when it was written
    (a file truncated, a bit flipped, a file missing), or ``None`` when it matches."""
    record = _checksum_file(path)
    try:
        if not path.is_dir():
            same = record.read_text() == file_digest(path)
            return None if same else f"{path.name} does not match its checksum"
        expected = json.loads(record.read_text(encoding="utf-8"))
        for name, digest in expected.items():
            file = path / name
            if not file.is_file():
                return f"{name} is missing"
            if file_digest(file) != digest:
                return f"{name} does not match its checksum"
        extra = [p.relative_to(path).as_posix() for p in _folder_files(path)
                 if p.relative_to(path).as_posix() not in expected]
        return f"{extra[0]} was not written with it" if extra else None
    except (OSError, ValueError) as exc:
        return f"its checksums cannot be read ({exc})"


def verified(path: Path, stage: str, warned: set[str] | None = None) -> bool:
    """Whether the cached ``path`` (a file or a folder) is what was written there.

    A cached entry whose bytes differ from its recorded checksums (truncated, one bit
    flipped, a file missing) is removed, and a warning names ``stage`` (once per stage when
    ``warned`` collects the stages already named): the caller rebuilds it. One without
    checksums (kept by an older version, or a run killed between the two writes) is removed
    and rebuilt too, with an info line. Reading a damaged model could hang or change the
    results with no sign; this reads every byte once more instead.
    """
    if not path.exists():
        return False
    if not _checksum_file(path).is_file():
        log.info("%s: the cached %s has no checksums; rebuilding it", stage, path)
        reason = None
    else:
        reason = damage(path)
        if reason is None:
            return True
        if warned is None or stage not in warned:
            log.warning("%s: the cached %s is damaged (%s); rebuilding it", stage, path, reason)
            if warned is not None:
                warned.add(stage)
    discard(path)
    return False


def discard(path: Path) -> None:
    """Remove a cached file (with its checksum) or folder."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
        _checksum_file(path).unlink(missing_ok=True)


def read_cached_parquet(path: Path):
    """A cached table, or ``None`` when it is absent or unreadable (then it is removed)."""
    import pandas as pd

    if not path.is_file():
        return None
    try:
        return pd.read_parquet(path)
    except Exception:
        log.warning("cache file %s is unreadable; rebuilding it", path)
        path.unlink(missing_ok=True)
        return None


# --- folders built in place ------------------------------------------------------------

def temporary_sibling(path: Path, *, only_its_own: bool = False) -> Path:
    """An empty folder beside ``path`` to build a stage in before renaming it into place.

    Stale temporaries beside it are removed first: with ``only_its_own`` only ``path``'s own
    (a folder such as ``outputs/`` may sit among the user's files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent, f".{path.name}." if only_its_own else "")
    return Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.",
                                 suffix=".tmp"))


def replace_folder(tmp: Path, path: Path) -> None:
    """Move a finished stage folder into place (a reader never sees a half-written one)."""
    shutil.rmtree(path, ignore_errors=True)
    os.replace(tmp, path)


def exchange_folders(new: Path, path: Path) -> None:
    """Put the folder ``new`` at ``path`` in one step; what was at ``path`` is then at ``new``.

    On Linux one ``renameat2(RENAME_EXCHANGE)``: a reader sees the old folder or the new one,
    never neither nor a mix. Where that is missing (another system, a file system without
    it), two renames, with an instant in which ``path`` is absent. Without a folder at
    ``path``, one rename.
    """
    if not path.exists():
        os.rename(new, path)
        return
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
            if libc.renameat2(at_cwd, os.fsencode(new), at_cwd, os.fsencode(path), exchange) == 0:
                return
            error = ctypes.get_errno()
            if error not in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise OSError(error, os.strerror(error), str(path))
        except AttributeError:  # a C library without renameat2
            pass
    aside = new.with_name(new.name + ".old")
    os.rename(path, aside)
    try:
        os.rename(new, path)
    except OSError:
        os.rename(aside, path)
        raise
    os.rename(aside, new)


_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp(\.old)?$")


def is_temporary(name: str) -> bool:
    """Whether ``name`` is that of a temporary of :func:`atomic_write` or :func:`temporary_sibling`."""
    return bool(_TEMPORARY.match(name))


def remove_stale_temporaries(folder: Path, prefix: str = "") -> None:
    """Delete temporaries left in ``folder`` by a run that was killed mid-write (only
    those whose names start with ``prefix``).

    Their names carry the writing process's id; those of live processes (another run
    writing now) are left alone.
    """
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        match = _TEMPORARY.match(entry.name)
        if not match or not entry.name.startswith(prefix) or _process_alive(int(match.group(1))):
            continue
        log.info("removing %s, left by an interrupted run", entry)
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would terminate it there: keep everything
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


# --- memory ----------------------------------------------------------------------------

def trim_memory() -> None:
    """Hand memory freed by a large stage back to the operating system.

    Python, pyarrow's allocator and glibc's malloc all keep freed memory for reuse, so
    without this the model stage would run on top of everything the ingest and the
    segmentation once held (about 0.9 GB more at the peak for 75,000 news stories). The
    same call Dask's workers use (``malloc_trim``); elsewhere than Linux it only collects.
    """
    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except Exception:  # an allocator without release_unused
        pass
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc (musl)
            ctypes.CDLL("libc.so.6").malloc_trim(0)


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

    def path(self, name: str, key: str) -> Path:
        """Where a stage's result with this key is kept (a folder, or ``.parquet`` beside it)."""
        return self.cache_dir / name / key

    def columns(self, name: str, key: str, columns: list[str]):
        """Some columns of a table stage, from memory or from its file without reading the
        rest; ``None`` when neither holds it (an unreadable file is logged)."""
        memo_key = f"{name}:{key}"
        if memo_key in self.memo:
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

    def frame(self, name: str, key: str, build, *, serve=None, check=None):
        """A stage whose result is one table, kept as ``<key>.parquet`` with its checksum.
        ``check(frame)``: why a cached table does not fit (then it is rebuilt), or ``None``."""
        def read(path: Path):
            path = path.with_suffix(".parquet")
            if not verified(path, name, self.damaged):
                return None
            return self._fitting(name, path, read_cached_parquet(path), check)

        def write(frame, path: Path):
            target = path.with_suffix(".parquet")

            def parquet_and_checksum(tmp: Path) -> None:
                # The checksum first, the table renamed into place last: a run killed at any
                # moment leaves no table without its checksum (which would be rebuilt).
                frame.to_parquet(tmp, index=False)
                write_text(_checksum_file(target), file_digest(tmp))

            atomic_write(target, parquet_and_checksum)

        return self.get(name, key, build, reader=read, writer=write, serve=serve)

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
    "CHECKSUMS_FILE",
    "EXCEL_CELL_CHARS",
    "StageCache",
    "atomic_write",
    "copy_file",
    "damage",
    "discard",
    "excel_safe",
    "exchange_folders",
    "file_digest",
    "is_temporary",
    "keep_checksums",
    "naming_the_cache",
    "read_cached_parquet",
    "remove_stale_temporaries",
    "replace_folder",
    "temporary_sibling",
    "trim_memory",
    "verified",
    "write_csv",
    "write_json",
    "write_parquet",
    "write_text",
    "write_xlsx",
]
