"""Input tables: what every reader of a table of articles shares.

An input table is a file of articles, one per row: CSV/TSV (:mod:`policytopics.read.delimited`),
a sheet of an Excel workbook (:mod:`policytopics.read.excel`), JSON lines
(:mod:`policytopics.read.jsonl`), JSON (:mod:`policytopics.read.json_file`) or Parquet
(:mod:`policytopics.read.parquet`). Each loads its file into a :class:`Table`; this module
finds its columns by their usual Chinese or English headers (:data:`COLUMN_ALIASES`; 标题,
正文, 发布时间, 省份 ...) unless a ``[corpus]`` column setting names one that the table has,
logs which column was taken for what and notes it in each document's ``encoding``, and
turns its rows into documents (:func:`table_documents`). A table that cannot be read is one
:class:`RawDocument` with ``error`` set (:func:`read_single_table`), and a row that cannot be
read is one row with a :class:`RowError`: nothing is lost silently. A cell over ``[corpus]
max_document_mb`` is such a row (:func:`checked_row`).
"""

from __future__ import annotations

import dataclasses
import gzip
import logging
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import numpy as np

from policytopics.common.encoding import newlines
from policytopics.read.cells import cell_text, date_text
from policytopics.read.limits import oversize, too_large
from policytopics.read.records import RawDocument, RowError
from policytopics.settings.config import CorpusConfig

log = logging.getLogger("policytopics")

#: Headers recognised without a column setting, by field, in order of preference. They
#: match up to case, full-width forms, traditional script, spaces and a colon (``Title``,
#: ``標題``, ``标题：``).
#: ``publisher`` is the 来源 column (the outlet or office that published the article).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("正文", "内容", "全文", "text", "content"),
    "title": ("标题", "题目", "title"),
    "date": ("发布时间", "发布日期", "日期", "时间", "date"),
    "region": ("地区", "省份", "省", "region"),
    "publisher": ("来源", "source"),
    "id": ("id", "编号"),
}


@dataclass(frozen=True)
class ColumnMap:
    """The header of a table taken for each field (``None``: the table has none)."""

    text: str | None = None
    title: str | None = None
    date: str | None = None
    region: str | None = None
    publisher: str | None = None
    id: str | None = None

    def describe(self) -> str:
        """``"正文→text, 标题→title"``: which header was taken for which field."""
        taken = [(f.name, getattr(self, f.name)) for f in fields(self)]
        return ", ".join(f"{header}→{name}" for name, header in taken if header is not None)


def find_columns(headers: Sequence[str], columns: CorpusConfig | None = None) -> ColumnMap:
    """Which of a table's ``headers`` holds the text, title, date, region, publisher and id.

    A column setting (``columns.text_column`` ...) wins when the table has that column;
    otherwise the first of :data:`COLUMN_ALIASES` that the table has is taken. Headers
    match up to case, full-width forms, traditional script, spaces and a colon. A header
    is taken for one field only.

    Parameters
    ----------
    headers
        The table's column names, in order.
    columns
        The study's column settings; defaults otherwise.

    Returns
    -------
    ColumnMap
        The header taken for each field, ``None`` where the table has none.

    Examples
    --------
    >>> find_columns(["标题", "正文", "发布时间", "省份"]).describe()
    '正文→text, 标题→title, 发布时间→date, 省份→region'
    >>> find_columns(["正文", "摘要"], CorpusConfig(text_column="摘要")).text
    '摘要'
    """
    columns = columns or CorpusConfig()
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(header_key(header), header)
    taken: dict[str, str] = {}

    def take(field: str, header: str | None) -> None:
        if header is not None and field not in taken and header not in taken.values():
            taken[field] = header

    for field in ("text", "title", "date", "region", "id"):
        name = getattr(columns, f"{field}_column")
        take(field, name if name in headers else by_key.get(header_key(name)))
    for field, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            take(field, by_key.get(header_key(alias)))
    return ColumnMap(**taken)


@lru_cache(maxsize=4096)
def header_key(header: str) -> str:
    """``"標題："`` and ``"标题"`` alike: NFKC, simplified, no spaces or colons, case-folded."""
    from policytopics.common.chinese import to_simplified

    key = unicodedata.normalize("NFKC", str(header)).replace("\ufeff", "")
    return to_simplified(re.sub(r"[\s:]+", "", key)).casefold()


@dataclass(frozen=True)
class Table:
    """One table of a file (a whole CSV, or one sheet of a workbook) and its rows."""

    path: Path
    label: str  # for messages: "docs.csv", "docs.xlsx [Sheet1]"
    id_prefix: str  # doc_id is id_prefix:id (or the row number)
    source_prefix: str  # source is source_prefix + row number
    headers: list[str]
    rows: Iterable[tuple[int, dict]]
    encoding: str
    excel: bool = False  # numbers in the date column may be Excel serial days
    date1904: bool = False  # ... counted in the workbook's 1904 date system
    # A note on one row's reading (a damaged byte replaced), by row number; may fill as
    # the rows are read.
    notes: dict[int, str] = dataclasses.field(default_factory=dict)
    row_word: str = "row"  # what the row numbers count, for messages: "row", "line"
    # The header cells as the file has them, repeats included (``headers`` makes them
    # unique: 正文, 正文.1); None: the same as ``headers``.
    file_headers: list[str] | None = None


def table_id(name: str) -> str:
    """Where a table's document ids start: its name below the corpus folder, the file's name
    up to its first dot (``2024/docs.jsonl.gz`` → ``2024/docs``; ids ``2024/docs:17``)."""
    folder, _, file_name = name.rpartition("/")
    return (folder + "/" if folder else "") + file_name.split(".")[0]


def read_single_table(load: Callable[..., Table], path: Path, name: str, columns: CorpusConfig,
                      **options) -> Iterator[RawDocument]:
    """Documents of a file of one table; an unreadable file is one document with ``error``.

    ``load(path, stem, max_bytes, **options)`` gives the file's :class:`Table`; ``name`` (the
    file's name below the corpus folder) starts every document's id (:func:`table_id`).
    """
    stem = table_id(name)
    max_bytes = columns.max_document_bytes
    try:
        yield from table_documents(load(path, stem, max_bytes, **options), columns)
    except (OSError, ValueError, UnicodeDecodeError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield unreadable(path, str(exc) or type(exc).__name__, stem)


def unreadable(path: Path, reason: str, doc_id: str) -> RawDocument:
    log.warning("%s: unreadable table (%s); it is one dropped row in the report", path, reason)
    return RawDocument(doc_id, str(path), "", error=f"unreadable table {path.name}: {reason}")


def checked_row(row: dict, number: int, path: Path, max_bytes: int, word: str) -> dict | RowError:
    """``row``, or a :class:`RowError` if one of its cells holds more than ``max_bytes``."""
    for header, value in row.items():
        size = oversize(value, max_bytes)
        if size is not None:
            return RowError(too_large(size, max_bytes, f"{word} {number} of {path.name}, column {header!r},"))
    return row


def header_names(cells: list) -> list[str]:
    """Column names of a header row: blanks named ``Unnamed: 3``, repeats ``标题.1``."""
    names: list[str] = []
    for position, cell in enumerate(cells):
        name = cell_text(cell) or f"Unnamed: {position}"
        base, count = name, 1
        while name in names:
            name, count = f"{base}.{count}", count + 1
        names.append(name)
    return names


def table_documents(table: Table, columns: CorpusConfig) -> Iterator[RawDocument]:
    """The documents of one table, its columns found by :func:`find_columns`."""
    mapping = find_columns(table.headers, columns)
    if mapping.text is None and table.headers:
        # Briefly: a sheet without a header row has a whole article where a name should be.
        brief = [h if len(h) <= 20 else h[:19] + "…" for h in table.headers[:10]]
        present = ", ".join(brief) + (f" … ({len(table.headers)} columns)" if len(table.headers) > 10 else "")
        looked_for = ", ".join(dict.fromkeys((columns.text_column, *COLUMN_ALIASES["text"])))
        reason = (f"no text column in {table.label}: its first row reads {present}; if that row is "
                  "an article, the sheet has no header row: add one (e.g. 标题, 正文, 日期), or set "
                  f"--text-column (policytopics run or ingest) or [corpus] text_column to the column "
                  f"holding the article text (looked for {looked_for})")
        log.warning("%s", reason)
        yield RawDocument(table.id_prefix, str(table.path), "", error=reason)
        return
    repeated = _repeated_column(table, mapping)
    if repeated:
        log.warning("%s", repeated)
        yield RawDocument(table.id_prefix, str(table.path), "", error=repeated)
        return
    encoding = f"{table.encoding}; columns: {mapping.describe()}" if table.headers else table.encoding
    if table.headers:
        log.info("%s: columns %s (%s)", table.label, mapping.describe(), table.encoding)
    any_row = False
    for index, row in table.rows:
        any_row = True
        if not isinstance(row, RowError) and all(cell_text(v) is None for v in row.values()):
            continue  # a blank line of the table, not an article
        note = table.notes.get(index)
        if not isinstance(row, RowError) and _repeats_header(row):
            # Two exports joined into one file: the second's header line is no article.
            row = RowError(f"{table.row_word} {index} of {table.label} repeats the header row (two files "
                           "joined into one?): not an article")
        yield _row_to_document(row, index, table, mapping, f"{encoding}; {note}" if note else encoding)
    if not any_row:
        reason = f"{table.label} has no rows (a header only, or nothing)"
        log.warning("%s", reason)
        yield RawDocument(table.id_prefix, str(table.path), "", error=reason)


#: The longest cell that may be a header (``发布时间``, ``Publication date``).
HEADER_MAX_CHARS = 40


def _repeats_header(row: dict) -> bool:
    """Whether every cell of a row is its own column's header (``标题, 正文, 日期`` again)."""
    # A header is short: a long cell (an article's text) rules the row out before any cell is
    # normalised (NFKC and OpenCC on every article would cost seconds on a large table).
    return (len(row) > 1 and all(len(str(value)) <= HEADER_MAX_CHARS for value in row.values())
            and all(header_key(cell_text(value) or "") == header_key(str(header).split(".")[0])
                    for header, value in row.items()))


def _repeated_column(table: Table, mapping: ColumnMap) -> str | None:
    """Why the table cannot be read if a header taken for a field is in it more than once
    (two 正文 columns: which holds the text is unclear), else ``None``. Headers that match
    alike (``正文``, ``正文：``) count as the same; repeats of an unused header are fine."""
    written = table.file_headers or table.headers
    for name in fields(mapping):
        header = getattr(mapping, name.name)
        if header is None or header not in table.headers:
            continue
        key = header_key(written[table.headers.index(header)])
        same = [i for i, other in enumerate(written, start=1) if header_key(other) == key]
        if len(same) > 1:
            names = ", ".join(repr(n) for n in dict.fromkeys(written[i - 1] for i in same))
            return (f"{table.label} has {len(same)} columns named {names} (columns "
                    f"{', '.join(map(str, same))}), taken for the {name.name}: which one to read is "
                    "unclear; rename or remove the others and read the file again")
    return None


def _row_to_document(row: dict | RowError, index: int, table: Table, mapping: ColumnMap,
                     encoding: str) -> RawDocument:
    if isinstance(row, RowError):
        return RawDocument(f"{table.id_prefix}:{index}", f"{table.source_prefix}{index}", "",
                           error=row.message)

    def value(header: str | None, joined: str = "\n") -> str | None:
        return None if header is None else cell_text(row.get(header), joined)

    raw_id = value(mapping.id)
    doc_id = f"{table.id_prefix}:{raw_id if raw_id is not None else index}"
    source = f"{table.source_prefix}{index}"
    if mapping.text is None or mapping.text not in row:
        return RawDocument(doc_id, source, "",
                           error=f"no text column {mapping.text!r} in {table.row_word} {index} of "
                                 f"{table.label}")
    text = newlines(value(mapping.text) or "")
    region_flag = mapping.region is not None and isinstance(row.get(mapping.region), bool | np.bool_)
    if region_flag:
        encoding = f"{encoding}; region column {mapping.region!r} holds true/false, not a region: not used"
    return RawDocument(
        doc_id=doc_id,
        source=source,
        text=text,
        encoding=encoding,
        title=value(mapping.title, " "),
        date=None if mapping.date is None else date_text(row.get(mapping.date), excel=table.excel,
                                                         date1904=table.date1904),
        # A true/false column is no region (not even "none stated"): the text decides.
        region=None if region_flag else value(mapping.region, " "),
        region_given=mapping.region is not None and mapping.region in row and not region_flag,
        publisher=value(mapping.publisher),
        error=None if text else "empty text",
    )


__all__ = ["COLUMN_ALIASES", "HEADER_MAX_CHARS", "ColumnMap", "Table", "checked_row", "find_columns",
           "header_key", "header_names", "read_single_table", "table_documents", "table_id", "unreadable"]
