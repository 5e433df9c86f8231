"""Read JSON-lines input tables: ``.jsonl`` and ``.ndjson`` files of articles, one object a
line, either gzip-compressed (``.jsonl.gz``, ``.ndjson.gz``).

Streamed in blocks and never held whole: each line stands alone (a line with a byte that is
not UTF-8 keeps its other characters, noted in its document's ``encoding``), and a line that
is not a JSON object, or is over ``[corpus] max_document_mb``, is a report row naming its line.
"""

from __future__ import annotations

import codecs
import gzip
import json
import logging
import re
from collections.abc import Iterator
from itertools import chain, islice
from pathlib import Path

from policytopics.common.encoding import damaged_places
from policytopics.read.limits import too_large
from policytopics.read.progress import watch
from policytopics.read.records import RawDocument, RowError
from policytopics.read.tables import Table, read_single_table
from policytopics.settings.config import DEFAULT_MAX_DOCUMENT_BYTES, CorpusConfig

log = logging.getLogger("policytopics")

#: The columns of a JSON-lines file are the keys of this many first objects.
JSONL_HEADER_OBJECTS = 100


def read_jsonl(path: Path, name: str, columns: CorpusConfig) -> Iterator[RawDocument]:
    """The articles of a ``.jsonl`` or ``.ndjson`` file, one object a line (their reader in
    :data:`policytopics.read.readers.READERS`)."""
    return read_single_table(jsonl_table, path, name, columns)


def read_jsonl_gz(path: Path, name: str, columns: CorpusConfig) -> Iterator[RawDocument]:
    """The articles of a gzip-compressed ``.jsonl.gz`` or ``.ndjson.gz`` file, read compressed."""
    return read_single_table(jsonl_table, path, name, columns, gz=True)


def jsonl_table(path: Path, stem: str, max_bytes: int, *, gz: bool = False) -> Table:
    """A JSON-lines file (``.jsonl``, ``.ndjson``, either gzip-compressed), streamed; each
    line stands alone.

    Its columns are the keys of its first :data:`JSONL_HEADER_OBJECTS` objects, so a first
    object without the text leaves the others their text column (it is a report row of its
    own). A line with an invalid UTF-8 byte keeps its other characters (the bad one becomes
    U+FFFD, noted in that document's ``encoding``); a line that is not a JSON object, or is
    longer than ``max_bytes`` (``[corpus] max_document_mb``), is a report row naming its line.
    """
    notes: dict[int, str] = {}
    rows = _iter_jsonl(path, gz=gz, notes=notes, max_bytes=max_bytes)
    seen = list(islice(rows, JSONL_HEADER_OBJECTS))
    if not seen:
        raise ValueError("no JSON line in it (an empty file)")
    keys = (key for _, row in seen if not isinstance(row, RowError) for key in row)
    headers = [str(key) for key in dict.fromkeys(keys)]
    return Table(path, path.name, stem, f"{path}#", headers, chain(seen, rows), "utf-8",
                  notes=notes, row_word="line")


#: Bytes read from a JSON-lines file at a time.
_JSONL_BLOCK = 1 << 20
#: Whitespace at the start of a line (blank lines included), skipped in one step.
_BLANK_RUN = re.compile(rb"[ \t\r\n]+")
#: A block of nothing but line breaks, compared whole (a memory compare, not a scan).
_NEWLINES = b"\n" * _JSONL_BLOCK


def _iter_jsonl(path: Path, *, gz: bool, notes: dict[int, str], max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
                ) -> Iterator[tuple[int, dict | RowError]]:
    """``(line number, object)`` of each non-blank line, each line decoded on its own.

    A line with bytes that are not UTF-8 is read with those replaced (U+FFFD), and
    ``notes[line number]`` says so; the rest of the file is unaffected. A line longer than
    ``max_bytes`` is a :class:`RowError`, skipped without being held in memory.
    """
    opener = gzip.open if gz else open
    with opener(path, "rb") as fh:
        watch(fh.fileobj if gz else fh)  # the bytes read of the file on disk, for the progress bar
        for line_no, data, size in _jsonl_lines(fh, max_bytes):
            if data is None:
                yield line_no, RowError(too_large(size, max_bytes, f"line {line_no} of {path.name}"))
                continue
            if line_no == 1:
                data = data.removeprefix(codecs.BOM_UTF8)
            try:
                line = data.decode("utf-8")
            except UnicodeDecodeError:
                line = data.decode("utf-8", errors="replace")
                damaged = damaged_places(line)
                notes[line_no] = f"line {line_no}: {damaged} damaged place(s) replaced by \ufffd"
                log.warning("%s: line %d is not valid UTF-8; read with %d damaged place(s) replaced",
                            path.name, line_no, damaged)
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                row = RowError(f"line {line_no} of {path.name} is not valid JSON")
            if not isinstance(row, dict | RowError):
                row = RowError(f"line {line_no} of {path.name} is not an object")
            yield line_no, row


def _jsonl_lines(fh, max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, bytes, size)`` of each line of a binary stream that is not blank;
    ``bytes`` is ``None`` for a line longer than ``max_bytes`` (its size is then counted,
    its bytes dropped as they are read).

    Read in blocks of :data:`_JSONL_BLOCK`: runs of blank lines are skipped by a regular
    expression and counted, not looped over in Python (4 GB of empty lines would take
    minutes line by line), and no line is ever held whole beyond the limit.
    """
    line_no = 0  # lines finished so far
    pending = bytearray()  # the start of the line being read
    over = -1  # >= 0: the line being read is over the limit; its size so far
    while block := fh.read(_JSONL_BLOCK):
        if block == _NEWLINES and not pending and over < 0:
            line_no += len(block)
            continue
        start = 0
        while start < len(block):
            if not pending and over < 0:
                blank = _BLANK_RUN.match(block, start)
                if blank is not None:
                    line_no += block.count(b"\n", start, blank.end())
                    start = blank.end()
                    continue
            end = block.find(b"\n", start)
            piece = block[start:] if end < 0 else block[start:end]
            if over >= 0:
                over += len(piece)
            else:
                pending += piece
                if len(pending) > max_bytes:
                    over = len(pending)
                    pending = bytearray()
            if end < 0:
                break
            line_no += 1
            if over >= 0:
                yield line_no, None, over
            else:
                yield line_no, bytes(pending), len(pending)
            pending, over, start = bytearray(), -1, end + 1
    if over >= 0:
        yield line_no + 1, None, over
    elif pending.strip():
        yield line_no + 1, bytes(pending), len(pending)


__all__ = ["JSONL_HEADER_OBJECTS", "jsonl_table", "read_jsonl", "read_jsonl_gz"]
