"""Read tables of articles: CSV/TSV, Excel workbooks, JSON Lines and Parquet.

Each row is an article. A table's columns are found by their usual Chinese or English
headers (:data:`COLUMN_ALIASES`; 标题, 正文, 发布时间, 省份 ...) unless a ``[corpus]`` column
setting names one that the table has; which column was taken for what is logged and noted
in each document's ``encoding``. A one-table file is read by its suffix's reader in
:data:`TABLE_READERS` (a new table format: one reader and its suffix there); a workbook
gives one table per sheet, a title line above the header and merged title cells
understood. A table that cannot be read is one :class:`RawDocument` with ``error`` set,
and a row that cannot be read is one row with a :class:`RowError`: nothing is lost
silently.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import json
import logging
import numbers
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import chain
from pathlib import Path

import pandas as pd

from .config import CorpusConfig
from .decode import decode_bytes, newlines
from .records import RawDocument, RowError

log = logging.getLogger("policytopics")

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: Tables of one table each, by suffix (a workbook's sheets: :data:`EXCEL_SUFFIXES`); the
#: readers are in :data:`TABLE_READERS`.
SINGLE_TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".jsonl.gz", ".parquet")
TABLE_SUFFIXES = (*SINGLE_TABLE_SUFFIXES, *EXCEL_SUFFIXES)

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
#: Rows searched for the header row of a sheet (a title line often sits above it).
HEADER_SEARCH_ROWS = 10
# An Excel serial day number (a date cell that lost its date format) in the 1900 date
# system, 1905-10-01 .. 2100-12-31; smaller whole numbers are read as years (2024).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_SERIALS = (2101, 73416)



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
        by_key.setdefault(_header_key(header), header)
    taken: dict[str, str] = {}

    def take(field: str, header: str | None) -> None:
        if header is not None and field not in taken and header not in taken.values():
            taken[field] = header

    for field in ("text", "title", "date", "region", "id"):
        name = getattr(columns, f"{field}_column")
        take(field, name if name in headers else by_key.get(_header_key(name)))
    for field, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            take(field, by_key.get(_header_key(alias)))
    return ColumnMap(**taken)


@lru_cache(maxsize=4096)
def _header_key(header: str) -> str:
    """``"標題："`` and ``"标题"`` alike: NFKC, simplified, no spaces or colons, case-folded."""
    from .text import to_simplified

    key = unicodedata.normalize("NFKC", str(header)).replace("\ufeff", "")
    return to_simplified(re.sub(r"[\s:]+", "", key)).casefold()
@dataclass(frozen=True)
class _Table:
    """One table of a file (a whole CSV, or one sheet of a workbook) and its rows."""

    path: Path
    label: str  # for messages: "docs.csv", "docs.xlsx [Sheet1]"
    id_prefix: str  # doc_id is id_prefix:id (or the row number)
    source_prefix: str  # source is source_prefix + row number
    headers: list[str]
    rows: Iterable[tuple[int, dict]]
    encoding: str
    excel: bool = False  # numbers in the date column may be Excel serial days


def read_table(path: Path, suffix: str, columns: CorpusConfig, *, name: str | None = None
               ) -> Iterator[RawDocument]:
    """Documents of one table file; an unreadable file is one document with ``error``.

    ``name`` starts every document's id (``name:17``, ``name:Sheet1:3``); by default the
    file's name up to its first dot.
    """
    stem = name if name is not None else path.stem.split(".")[0]
    if suffix in EXCEL_SUFFIXES:
        sheets, reason = _load_workbook(path)
        if reason:
            yield _unreadable(path, reason, stem)
            return
        for sheet, grid in sheets.items():
            table = _sheet_table(path, stem, sheet, grid, columns)
            if table is None:
                log.info("%s [%s]: empty sheet, skipped", path.name, sheet)
                continue
            yield from _table_documents(table, columns)
        return
    try:
        yield from _table_documents(TABLE_READERS[suffix](path, stem, suffix), columns)
    except (OSError, ValueError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        yield _unreadable(path, str(exc) or type(exc).__name__, stem)


def _unreadable(path: Path, reason: str, doc_id: str) -> RawDocument:
    log.warning("%s: unreadable table (%s); it is one dropped row in the report", path, reason)
    return RawDocument(doc_id, str(path), "", error=f"unreadable table {path.name}: {reason}")


def _delimited_table(path: Path, stem: str, suffix: str) -> _Table:
    """A CSV or TSV file, decoded like a ``.txt`` file (:func:`decode_bytes`)."""
    text, encoding, error = decode_bytes(path.read_bytes())
    if error:
        raise ValueError(error)
    first_line = text.split("\n", 1)[0]
    # Excel's "Unicode text" export is tab-separated, and is often renamed .csv.
    sep = "\t" if suffix == ".tsv" or ("\t" in first_line and "," not in first_line) else ","
    errors: list[tuple[int, dict]] = []
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        if "EOF inside string" not in str(exc):
            raise
        # A quote opened and never closed: every row after it would be lost. Read line by
        # line with quotes as text; a line without the table's columns is a report row.
        frame, errors = _line_by_line(text, sep, path)
    else:
        swallowed = _swallowed_rows(frame, sep)
        if swallowed:
            frame, errors = _without_quoting(text, sep, frame, swallowed, path)
    # Numbered as a spreadsheet shows the file: the header is row 1, the first article row 2.
    return _Table(path, path.name, stem, f"{path}#", [str(c) for c in frame.columns],
                  chain(enumerate(frame.to_dict("records"), start=2), errors), encoding)


def _line_by_line(text: str, sep: str, path: Path) -> tuple[pd.DataFrame, list[tuple[int, dict]]]:
    """A delimited table read one line a row, quotes as plain characters: the lines with the
    header's number of fields are rows, every other line a report row naming its number."""
    numbered = [(i, line) for i, line in enumerate(text.split("\n"), start=1) if line.strip()]
    split = [(i, next(csv.reader([line], delimiter=sep, quoting=csv.QUOTE_NONE), [])) for i, line in numbered]
    (_, header), body = split[0], split[1:]
    rows = [fields for _, fields in body if len(fields) == len(header)]
    errors = [(i, RowError(f"line {i} of {path.name} has {len(fields)} fields, not {len(header)}, "
                           "after an unbalanced quote \" in the file; fix the line and read it again"))
              for i, fields in body if len(fields) != len(header)]
    log.warning("%s: a quote is opened and never closed; read line by line with quotes as text: "
                "%d rows, %d line(s) reported", path.name, len(rows), len(errors))
    return pd.DataFrame(rows, columns=header, dtype=str), errors


def _swallowed_rows(frame: pd.DataFrame, sep: str) -> list[str]:
    """Lines inside a parsed field that are themselves a whole row of the table.

    An unbalanced ``"`` at the start of a field makes a CSV parser read on, across line
    ends, to the next quote: the rows in between vanish into one text field. A line of a
    field that splits into exactly as many fields as the table has columns, the first of
    them not empty, is such a row (prose lines rarely hold the separator that often).
    """
    n_columns = len(frame.columns)
    if n_columns < 2:
        return []
    found = []
    for column in frame.columns:
        values = frame[column]
        for value in values[values.str.contains("\n", regex=False)]:
            for line in value.split("\n")[1:]:
                if line.count(sep) < n_columns - 1:  # cheap test first: prose rarely has them
                    continue
                fields = next(csv.reader([line], delimiter=sep), [])
                if len(fields) == n_columns and fields[0].strip():
                    found.append(line)
    return found


def _without_quoting(text: str, sep: str, parsed: pd.DataFrame, swallowed: list[str],
                     path: Path) -> tuple[pd.DataFrame, list[tuple[int, dict]]]:
    """The table read again with quotes as plain characters, when that gives every line its
    columns; else the first reading plus one error row per swallowed line (its line number
    in the file), so the report shows what could not be split back."""
    lines = [line for line in text.split("\n") if line.strip()]
    rows = [next(csv.reader([line], delimiter=sep, quoting=csv.QUOTE_NONE), []) for line in lines]
    header, body = rows[0], rows[1:]
    if body and all(len(row) == len(header) for row in body) and len(body) > len(parsed):
        log.warning("%s: %d row(s) had been swallowed into a text field by an unbalanced quote; "
                    "read again with quotes as text: %d rows", path.name, len(swallowed), len(body))
        return pd.DataFrame(body, columns=[str(c) for c in parsed.columns], dtype=str), []
    all_lines = text.split("\n")
    errors = []
    for line in swallowed:
        number = all_lines.index(line) + 1 if line in all_lines else 0
        errors.append((number, RowError(f"line {number} of {path.name} looks like a whole row "
                                        "swallowed into the text of the row above (an unbalanced "
                                        "quote \"); fix the quote and read the file again")))
    log.warning("%s: %d line(s) inside a text field look like whole rows (an unbalanced quote?); "
                "each is a report row", path.name, len(swallowed))
    return parsed, errors


def _parquet_table(path: Path, stem: str, suffix: str) -> _Table:
    """A Parquet file: its columns, its rows numbered from 1."""
    frame = pd.read_parquet(path)
    return _Table(path, path.name, stem, f"{path}#", [str(c) for c in frame.columns],
                  enumerate(frame.rename(columns=str).to_dict("records"), start=1), "utf-8")


def _jsonl_table(path: Path, stem: str, suffix: str) -> _Table:
    """A JSON-lines file (``.jsonl``, ``.jsonl.gz``), streamed; its columns are the keys of
    its first object."""
    rows = _iter_jsonl(path, gz=suffix == ".jsonl.gz")  # numbered by their line in the file
    seen: list[tuple[int, dict]] = []
    for index, row in rows:
        seen.append((index, row))
        if not isinstance(row, RowError):
            break
    headers = [str(key) for key in seen[-1][1]] if seen and not isinstance(seen[-1][1], RowError) else []
    return _Table(path, path.name, stem, f"{path}#", headers, chain(seen, rows), "utf-8")


#: The reader of each one-table suffix: ``reader(path, stem, suffix)`` gives the table. A new
#: table format is a reader here, its suffix in :data:`SINGLE_TABLE_SUFFIXES`, and a test.
TABLE_READERS = {".csv": _delimited_table, ".tsv": _delimited_table, ".jsonl": _jsonl_table,
                 ".jsonl.gz": _jsonl_table, ".parquet": _parquet_table}


def _load_workbook(path: Path) -> tuple[dict[str, list[list]], str | None]:
    """Every sheet of a workbook as rows of cells, or the reason it cannot be read."""
    try:
        frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine")
    except ImportError as exc:
        return {}, f"reading Excel files needs python-calamine ({exc})"
    except Exception as exc:  # the reader raises its own error types on damaged files
        return {}, _workbook_problem(path, exc)
    except BaseException as exc:  # a panic inside the Rust reader is not an Exception
        if type(exc).__name__ != "PanicException":
            raise
        return {}, _workbook_problem(path, exc)
    grids = {str(name): frame.to_numpy(dtype=object).tolist() for name, frame in frames.items()}
    merged = _merged_ranges(path, list(grids))
    for name, grid in grids.items():
        _fill_merged_cells(grid, merged.get(name, []))
    return grids, None


def _merged_ranges(path: Path, sheets: list[str]) -> dict[str, list]:
    """The merged cell ranges of each sheet, ``((row, col), (last_row, last_col))`` from 0,
    the workbook opened once (an old ``.xls`` or a reader without them: none)."""
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        return {name: list(book.get_sheet_by_name(name).merged_cell_ranges or []) for name in sheets}
    except Exception:  # merged ranges are a refinement; the sheets themselves were read
        return {}


def _fill_merged_cells(grid: list[list], ranges) -> None:
    """Give every cell of a merged range the value of its first cell, as a reader sees it:
    rows under a merged title cell keep that title instead of an empty one."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        for row in range(top, min(bottom, len(grid) - 1) + 1):
            for col in range(left, min(right, len(grid[row]) - 1) + 1):
                grid[row][col] = value


def _workbook_problem(path: Path, exc: BaseException) -> str:
    try:
        head = path.read_bytes()[:2048]
    except OSError as read_error:
        return read_error.strerror or str(read_error)
    if not head.strip():
        return "empty file"
    if head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"<"):
        # Web sites often serve an HTML table under an .xls name.
        return "not an Excel workbook but an HTML page; open it in Excel and save it as .xlsx"
    return f"not a readable Excel workbook ({exc})"


def _sheet_table(path: Path, stem: str, sheet: str, grid: list[list],
                 columns: CorpusConfig) -> _Table | None:
    """One sheet as a table, its header row found; ``None`` for an empty sheet.

    The header row is the first of the top :data:`HEADER_SEARCH_ROWS` non-empty rows in
    which a text column is found (a title line above the headers is common), else the
    first non-empty row. Rows are numbered as Excel numbers them.
    """
    filled = [i for i, cells in enumerate(grid) if any(_cell_text(c) is not None for c in cells)]
    if not filled:
        return None
    header_at = next((i for i in filled[:HEADER_SEARCH_ROWS]
                      if find_columns(_header_names(grid[i]), columns).text is not None), filled[0])
    if header_at != filled[0]:
        log.info("%s [%s]: headers in row %d", path.name, sheet, header_at + 1)
    headers = _header_names(grid[header_at])
    rows = ((i + 1, dict(zip(headers, grid[i]))) for i in filled if i > header_at)
    return _Table(path, f"{path.name} [{sheet}]", f"{stem}:{sheet}", f"{path}#{sheet}!", headers,
                  rows, path.suffix.lower().lstrip("."), excel=True)


def _header_names(cells: list) -> list[str]:
    """Column names of a header row: blanks named ``Unnamed: 3``, repeats ``标题.1``."""
    names: list[str] = []
    for position, cell in enumerate(cells):
        name = _cell_text(cell) or f"Unnamed: {position}"
        base, count = name, 1
        while name in names:
            name, count = f"{base}.{count}", count + 1
        names.append(name)
    return names


def _table_documents(table: _Table, columns: CorpusConfig) -> Iterator[RawDocument]:
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
    encoding = f"{table.encoding}; columns: {mapping.describe()}" if table.headers else table.encoding
    if table.headers:
        log.info("%s: columns %s (%s)", table.label, mapping.describe(), table.encoding)
    for index, row in table.rows:
        if not isinstance(row, RowError) and all(_cell_text(v) is None for v in row.values()):
            continue  # a blank line of the table, not an article
        yield _row_to_document(row, index, table, mapping, encoding)


def _iter_jsonl(path: Path, *, gz: bool) -> Iterator[tuple[int, dict]]:
    """``(line number, object)`` of each non-blank line."""
    opener = gzip.open if gz else open
    with opener(path, "rt", encoding="utf-8-sig") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                row = RowError(f"line {line_no} is not valid JSON")
            if not isinstance(row, dict | RowError):
                row = RowError(f"line {line_no} is not an object")
            yield line_no, row


def _row_to_document(row: dict | RowError, index: int, table: _Table, mapping: ColumnMap,
                     encoding: str) -> RawDocument:
    if isinstance(row, RowError):
        return RawDocument(f"{table.id_prefix}:{index}", f"{table.source_prefix}{index}", "",
                           error=row.message)

    def value(header: str | None) -> str | None:
        return None if header is None else _cell_text(row.get(header))

    raw_id = value(mapping.id)
    doc_id = f"{table.id_prefix}:{raw_id if raw_id is not None else index}"
    source = f"{table.source_prefix}{index}"
    if mapping.text is None or mapping.text not in row:
        return RawDocument(doc_id, source, "",
                           error=f"no text column {mapping.text!r} in this row of {table.label}")
    text = newlines(value(mapping.text) or "")
    return RawDocument(
        doc_id=doc_id,
        source=source,
        text=text,
        encoding=encoding,
        title=value(mapping.title),
        date=None if mapping.date is None else date_text(row.get(mapping.date), excel=table.excel),
        region=value(mapping.region),
        region_given=mapping.region is not None and mapping.region in row,
        publisher=value(mapping.publisher),
        error=None if text else "empty text",
    )


def _cell_text(value: object) -> str | None:
    """A table cell as stripped text; ``None`` when empty (``NaN``, ``NaT``, ``""``).

    Whole numbers lose the ``.0`` a spreadsheet gives them (编号 ``12.0`` → ``"12"``).
    """
    if value is None or (not isinstance(value, str) and _is_missing(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array in a cell
        return False


def date_text(value: object, *, excel: bool = False) -> str | None:
    """A date column's cell as text for :func:`policytopics.metadata.parse_date_value`.

    Text is passed on as it is (``2024-03-05``, ``2024/3/5``, ``2024.03.05``,
    ``20240305``, ``2024年3月5日``, ``2024年3月``, ``2024`` all parse there; anything
    else is reported there as not a date). Date and datetime cells become ``YYYY-MM-DD``.
    In an Excel sheet a number is a year (``2024``), a compact date (``20240305``) or a
    serial day number in the 1900 date system (``45356`` → ``2024-03-05``, what a date cell
    shows once its date format is lost); any other number is left marked as a number, so
    it is reported rather than guessed (``2024.1`` may be January or October).

    Parameters
    ----------
    value
        The cell as the table reader gives it.
    excel
        Whether the cell comes from an Excel sheet (numbers may be serial days).

    Returns
    -------
    str or None
        The text to parse, ``None`` for an empty cell.

    Examples
    --------
    >>> import datetime
    >>> date_text(datetime.datetime(2013, 8, 21, 9, 30))
    '2013-08-21'
    >>> date_text(45356, excel=True), date_text(2024.0, excel=True), date_text("2024年3月")
    ('2024-03-05', '2024', '2024年3月')
    >>> date_text(2024.1, excel=True)
    'number 2024.1'
    """
    if value is None or (not isinstance(value, str) and _is_missing(value)):
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamps included
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if excel and isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and (1900 <= number <= 2100 or 19000101 <= number <= 21001231):
            return str(int(number))
        if _EXCEL_SERIALS[0] <= number < _EXCEL_SERIALS[1]:
            return (_EXCEL_EPOCH + dt.timedelta(days=int(number))).isoformat()
        return f"number {_cell_text(value)}"
    return _cell_text(value)


__all__ = ["COLUMN_ALIASES", "EXCEL_SUFFIXES", "SINGLE_TABLE_SUFFIXES", "TABLE_READERS", "TABLE_SUFFIXES",
           "ColumnMap", "date_text", "find_columns", "read_table"]
