"""Writing files so that no reader ever sees half of one: the package's one file writer.

Every file the package writes, cached or output, goes through :func:`atomic_write`: the
content is written to a temporary file beside the target (named with the writing
process's id and a random part), then renamed into place, so a reader never sees a half
written file and a killed run leaves only a temporary that the next run removes.
:func:`write_text`, :func:`write_json`, :func:`write_parquet`, :func:`write_csv` (UTF-8 with a
BOM, :func:`excel_safe`) and :func:`write_xlsx` are the writers of each format; a folder is
built beside its place (:func:`temporary_sibling`) and swapped in whole
(:func:`replace_folder`, :func:`exchange_folders`).
"""

from __future__ import annotations

import ctypes
import errno
import json
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
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
    """``text`` written to ``path`` through :func:`atomic_write`."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding=encoding))


def write_json(path: str | Path, value) -> Path:
    """``value`` as indented JSON in UTF-8 (Chinese kept as is), through :func:`write_text`."""
    return write_text(path, json.dumps(value, ensure_ascii=False, indent=2))


def write_parquet(frame, path: str | Path) -> Path:
    """``frame`` as Parquet without its index, through :func:`atomic_write`."""
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))


#: Rows gathered into one row group by :func:`parquet_chunks` (a chunk is written once it has as many).
ROW_GROUP_ROWS = 20_000


def parquet_chunks(frames: Iterable, path: str | Path) -> int:
    """Write the frames (the same columns, in order; pandas DataFrames or Arrow tables) into
    one Parquet file at ``path``, a row group of about :data:`ROW_GROUP_ROWS` rows at a time,
    so a table too large to hold whole is never whole in memory; the number of rows written. A
    column that the first frames leave empty (all ``None``: Arrow's null type) is kept as text
    or a list of text, the type that rows to come can have; a later frame's columns are cast
    to the file's types. At least one frame, for the columns. Not atomic: call it inside
    :func:`atomic_write`.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer, schema, held, rows = None, None, [], 0

    def flush() -> None:
        nonlocal writer, schema
        table = pa.concat_tables(held, promote_options="default") if len(held) > 1 else held[0]
        if writer is None:
            schema = pa.schema([field.with_type(_filled_type(field.type)) for field in table.schema],
                               metadata=table.schema.metadata)
            writer = pq.ParquetWriter(str(path), schema)
        writer.write_table(table.cast(schema) if table.schema != schema else table)
        held.clear()

    try:
        for frame in frames:
            held.append(frame if isinstance(frame, pa.Table)
                        else pa.Table.from_pandas(frame, preserve_index=False))
            rows += len(frame)
            if sum(len(t) for t in held) >= ROW_GROUP_ROWS:
                flush()
        if held:
            flush()
        if writer is None:
            raise ValueError("parquet_chunks needs at least one frame (its columns)")
    finally:
        if writer is not None:
            writer.close()
    return rows


def _filled_type(kind):
    """An Arrow type a column of ``None`` so far is given: text, or a list of text."""
    import pyarrow as pa

    if pa.types.is_null(kind):
        return pa.large_string()
    if pa.types.is_list(kind) and pa.types.is_null(kind.value_type):
        return pa.list_(pa.string())
    return kind


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
    risky = {c: _formula_like(frame[c]) for c in text_columns}
    risky = {c: mask for c, mask in risky.items() if mask.any()}
    if not risky:
        return frame
    frame = frame.copy()
    for column, mask in risky.items():
        frame.loc[mask, column] = "'" + frame.loc[mask, column]
    return frame


def _formula_like(column):
    """Which cells of a text column start like a formula: on a column of strings, in one
    vectorised pass (no Python string made of each cell: the documents' texts are most of a
    run's memory); on an object column (mixed cells), cell by cell."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    if is_string_dtype(column) and not is_object_dtype(column):
        return column.str.startswith(FORMULA_START).fillna(False).astype(bool)
    return column.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START))


def write_csv(frame, path: str | Path) -> Path:
    """CSV in UTF-8 with a BOM, so Excel opens it with the Chinese intact, and with no cell
    that Excel would run as a formula (:func:`excel_safe`)."""
    return write_csv_chunks([frame], path)


def write_csv_chunks(frames: Iterable, path: str | Path) -> Path:
    """:func:`write_csv` of the frames one after another (the same columns; the header once),
    each made safe and written before the next is made: a table too large to hold whole (the
    documents with their texts) written chunk by chunk, with the same bytes as if whole.
    At least one frame, for the header."""
    def write(tmp: Path) -> None:
        # pandas opens a path so too (newline="": its own line ends); the BOM is written once.
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            for i, frame in enumerate(frames):
                excel_safe(frame).to_csv(handle, index=False, header=i == 0)

    return atomic_write(path, write)


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



__all__ = [
    "EXCEL_CELL_CHARS",
    "FORMULA_START",
    "ROW_GROUP_ROWS",
    "atomic_write",
    "check_writable_folder",
    "copy_file",
    "excel_safe",
    "exchange_folders",
    "is_temporary",
    "parquet_chunks",
    "remove_stale_temporaries",
    "replace_folder",
    "temporary_sibling",
    "write_csv",
    "write_csv_chunks",
    "write_json",
    "write_parquet",
    "write_text",
    "write_xlsx",
]
