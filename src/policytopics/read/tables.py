"""Read tables of articles: CSV/TSV, Excel workbooks, JSON Lines, JSON and Parquet.

Each row is an article. A table's columns are found by their usual Chinese or English
headers (:data:`COLUMN_ALIASES`; 标题, 正文, 发布时间, 省份 ...) unless a ``[corpus]`` column
setting names one that the table has; which column was taken for what is logged and noted
in each document's ``encoding``. A one-table file is read by its suffix's reader in
:data:`TABLE_READERS` (a new table format: one reader and its suffix there); a workbook
gives one table per sheet, a title line above the header and merged title cells
understood. A table that cannot be read is one :class:`RawDocument` with ``error`` set,
and a row that cannot be read is one row with a :class:`RowError`: nothing is lost
silently. A cell or JSON line over ``[corpus] max_document_mb`` is such a row
(:func:`too_large` words the reason); a JSON line is streamed in blocks and never held whole.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import gzip
import io
import json
import logging
import numbers
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path

import numpy as np
import pandas as pd

from policytopics.common.encoding import damaged_places, decode_bytes, newlines
from policytopics.read.records import RawDocument, RowError
from policytopics.settings.config import DEFAULT_MAX_DOCUMENT_BYTES, CorpusConfig

log = logging.getLogger("policytopics")

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: Tables of one table each, by suffix (a workbook's sheets: :data:`EXCEL_SUFFIXES`); the
#: readers are in :data:`TABLE_READERS`.
SINGLE_TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json", ".parquet")
#: Suffixes of two parts, found before the last part alone.
COMPOUND_SUFFIXES = (".jsonl.gz", ".ndjson.gz")
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
#: The columns of a JSON-lines file are the keys of this many first objects.
JSONL_HEADER_OBJECTS = 100
# An Excel serial day number (a date cell that lost its date format) in the 1900 date
# system, 1905-10-01 .. 2100-12-31; smaller whole numbers are read as years (2024). A
# workbook in the 1904 date system (Excel for Mac before 2011) counts from 1904-01-01.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_SERIALS = (2101, 73416)
_EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
_DATE1904_RE = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*[\"'](?:1|true)[\"']", re.I)



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
    from policytopics.common.chinese import to_simplified

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
    date1904: bool = False  # ... counted in the workbook's 1904 date system
    # A note on one row's reading (a damaged byte replaced), by row number; may fill as
    # the rows are read.
    notes: dict[int, str] = dataclasses.field(default_factory=dict)
    row_word: str = "row"  # what the row numbers count, for messages: "row", "line"
    # The header cells as the file has them, repeats included (``headers`` makes them
    # unique: 正文, 正文.1); None: the same as ``headers``.
    file_headers: list[str] | None = None


def read_table(path: Path, suffix: str, columns: CorpusConfig, *, name: str | None = None
               ) -> Iterator[RawDocument]:
    """Documents of one table file; an unreadable file is one document with ``error``.

    ``name`` starts every document's id (``name:17``, ``name:Sheet1:3``); by default the
    file's name up to its first dot.
    """
    stem = name if name is not None else path.stem.split(".")[0]
    max_bytes = columns.max_document_bytes
    if suffix in EXCEL_SUFFIXES:
        sheets, reason = _load_workbook(path)
        if reason:
            yield _unreadable(path, reason, stem)
            return
        date1904 = _uses_1904_dates(path)
        tables = []
        for sheet, grid in sheets.items():
            table = _sheet_table(path, stem, sheet, grid, columns, date1904, max_bytes)
            if table is None:
                log.info("%s [%s]: empty sheet, skipped", path.name, sheet)
            else:
                tables.append(table)
        if not tables:
            yield _unreadable(path, "every sheet is empty", stem)
        for table in tables:
            yield from _table_documents(table, columns)
        return
    try:
        yield from _table_documents(TABLE_READERS[suffix](path, stem, suffix, max_bytes), columns)
    except (OSError, ValueError, UnicodeDecodeError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield _unreadable(path, str(exc) or type(exc).__name__, stem)


def too_large(size: int, max_bytes: int, what: str) -> str:
    """The reason of a report row for a document, cell or line over the limit."""
    megabytes = f"{size / 1e6:,.1f}" if size >= 1e6 else f"{size / 1e6:.2g}"
    # The reason starts the same for every document: the run's summary counts them as one.
    return (f"over [corpus] max_document_mb ({what} holds {megabytes} MB of text, more than "
            f"{max_bytes / 1e6:g} MB: not read; split it, or raise the setting if it really is one article)")


def oversize(value: object, max_bytes: int) -> int | None:
    """The UTF-8 size of a text cell over ``max_bytes``, else ``None`` (cheap for short cells)."""
    if isinstance(value, str) and len(value) * 4 > max_bytes:
        size = len(value.encode("utf-8", "surrogatepass"))
        return size if size > max_bytes else None
    if isinstance(value, bytes | bytearray) and len(value) > max_bytes:
        return len(value)
    return None


def read_settings_table(path: str | Path) -> pd.DataFrame:
    """A small CSV the researcher writes (``metadata.csv``, a labels file), all cells text.

    Decoded like every other table (:func:`policytopics.common.encoding.decode_bytes`: UTF-8 ± BOM,
    GB18030/GBK as Excel saves it on a Chinese Windows, Big5, UTF-16); any error names
    the file.

    Parameters
    ----------
    path
        The CSV file.

    Returns
    -------
    pandas.DataFrame
        Its rows, every cell a string (empty cells ``""``).

    Raises
    ------
    ValueError
        When the file cannot be decoded or parsed, naming it.
    """
    path = Path(path)
    text, encoding, error = decode_bytes(path.read_bytes())
    if error:
        raise ValueError(f"{path}: {error}")
    damage = _delimited_damage(text, ",")
    if damage is not None and "the header has" in damage:  # a quote inside a cell pandas reads
        # A row with one field too many made pandas take the first column as the index:
        # every value moved one column left, every label of the file lost without a word.
        raise ValueError(f"{path}, {damage}: put a cell that holds a comma in double quotes "
                         '("产业链,供应链") and read it again')
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False)
    except (ValueError, pd.errors.ParserError) as exc:
        raise ValueError(f"{path} ({encoding}) is not a readable CSV: {exc}") from exc


def _unreadable(path: Path, reason: str, doc_id: str) -> RawDocument:
    log.warning("%s: unreadable table (%s); it is one dropped row in the report", path, reason)
    return RawDocument(doc_id, str(path), "", error=f"unreadable table {path.name}: {reason}")


def _delimited_table(path: Path, stem: str, suffix: str, max_bytes: int) -> _Table:
    """A CSV or TSV file, decoded like a ``.txt`` file (:func:`decode_bytes`).

    A well-formed file (RFC 4180: quotes only around whole fields, doubled inside them,
    no row longer than the header) is read exactly as pandas reads it, line breaks
    inside quoted cells included. Only a file shown to be damaged is read record by record
    (:func:`_damaged_delimited_rows`): every row that can be read is kept, every damaged
    region is a report row naming its lines.
    """
    text, encoding, error = decode_bytes(path.read_bytes())
    if error:
        raise ValueError(error)
    first_line = text.split("\n", 1)[0]
    # Excel's "Unicode text" export is tab-separated, and is often renamed .csv.
    sep = "\t" if suffix == ".tsv" or ("\t" in first_line and "," not in first_line) else ","
    header = _header_record(text, sep)[0]
    damage = _delimited_damage(text, sep)
    if damage is None:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
        # Numbered as a spreadsheet shows the file: the header is row 1, the first article row 2.
        headers = [str(c) for c in frame.columns]
        rows: Iterable[tuple[int, dict | RowError]] = enumerate(frame.to_dict("records"), start=2)
        notes: dict[int, str] = {}
    else:
        headers, rows, notes = _damaged_delimited_rows(text, sep, path, damage)
    rows = ((n, row if isinstance(row, RowError) else _checked_row(row, n, path, max_bytes, "row"))
            for n, row in rows)
    return _Table(path, path.name, stem, f"{path}#", headers, rows, encoding, notes=notes,
                  file_headers=header)


def _field_pattern(sep: str) -> re.Pattern:
    """One RFC 4180 field and what must follow it (the separator, a line end or the end):
    ``"..."`` with ``""`` inside (group 1), or text without quotes (group 2)."""
    s = re.escape(sep)
    return re.compile(rf'"([^"]*(?:""[^"]*)*)"(?={s}|\n|\Z)|([^"{s}\n]*)(?={s}|\n|\Z)')


def _parse_record(text: str, pos: int, sep: str, pattern: re.Pattern) -> tuple[list[str], int] | None:
    """The fields of the well-formed record starting at ``pos`` and where the next starts;
    ``None`` if it is not well-formed (a stray or unclosed quote)."""
    fields: list[str] = []
    while True:
        match = pattern.match(text, pos)
        if match is None:
            return None
        quoted, plain = match.groups()
        fields.append(plain if quoted is None else quoted.replace('""', '"'))
        pos = match.end()
        if pos >= len(text) or text[pos] == "\n":
            return fields, pos + 1
        pos += 1  # the separator


def _header_record(text: str, sep: str) -> tuple[list[str], int]:
    """The header cells of a delimited text and where its first row starts (a damaged
    header line: split with quotes as text)."""
    parsed = _parse_record(text, 0, sep, _field_pattern(sep))
    if parsed is not None:
        return parsed
    end = text.find("\n") + 1 or len(text)
    return _quotes_as_text(text[:end].rstrip("\n"), sep), end


def _delimited_damage(text: str, sep: str) -> str | None:
    """What shows a delimited text damaged (its first place), or ``None`` if it is
    well-formed: every quote around a whole field, no row longer than the header."""
    pattern = _field_pattern(sep)
    pos, n_columns = 0, None
    while pos < len(text):
        parsed = _parse_record(text, pos, sep, pattern)
        if parsed is None:
            line = text.count("\n", 0, pos) + 1
            return f'line {line}: an unbalanced quote " (never closed, or not around a whole field)'
        if n_columns is None:
            n_columns = len(parsed[0])
        elif len(parsed[0]) > n_columns:
            line = text.count("\n", 0, pos) + 1
            return f"line {line}: {len(parsed[0])} fields, the header has {n_columns}"
        pos = parsed[1]
    return None


def _quotes_as_text(line: str, sep: str) -> list[str]:
    """One line split at every separator, quotes as plain characters, except that a field
    wholly in quotes loses them (``"甲"`` → ``甲``)."""
    fields = next(csv.reader([line], delimiter=sep, quoting=csv.QUOTE_NONE), [])
    return [f[1:-1].replace('""', '"') if len(f) >= 2 and f[0] == f[-1] == '"' else f for f in fields]


def _damaged_delimited_rows(text: str, sep: str, path: Path, damage: str
                            ) -> tuple[list[str], list[tuple[int, dict | RowError]], dict[int, str]]:
    """The rows of a damaged delimited text, record by record.

    A record that is well-formed with the header's number of fields is a row, as a CSV
    reader reads it. At a record that is not, one line is taken at a time: a line that
    splits into the header's fields with quotes as text is a row (``落实"双碳"目标``, a
    quote opened and never closed); consecutive lines that do not are one damaged
    region, one report row naming its lines. Reading resumes at the next line that starts
    a good record, so one missing quote costs its own record at most. Rows and report
    rows are numbered in file order from 2 (the header is row 1); a row read with quotes
    as text has a note (for its ``encoding``) naming its line.
    """
    pattern = _field_pattern(sep)
    header, pos = _header_record(text, sep)
    headers = _header_names(header)
    n_columns = len(headers)
    rows: list[tuple[int, dict | RowError]] = []
    as_text: list[int] = []
    notes: dict[int, str] = {}
    region: list[tuple[int, int]] = []  # (line, fields) of the damaged lines not yet reported

    def report_region() -> None:
        if not region:
            return
        (first, n_fields), last = region[0], region[-1][0]
        where = (f"line {first} of {path.name} has {n_fields} fields, not {n_columns}" if first == last
                 else f"lines {first}-{last} of {path.name} do not split into its {n_columns} columns")
        rows.append((len(rows) + 2, RowError(
            f"{where} (a damaged quote \" or separator); fix and read the file again")))
        region.clear()

    line = text.count("\n", 0, pos) + 1
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if not text[pos:end].strip():
            pos, line = end + 1, line + 1
            continue
        parsed = _parse_record(text, pos, sep, pattern)
        if parsed is not None and len(parsed[0]) == n_columns:
            report_region()
            rows.append((len(rows) + 2, dict(zip(headers, parsed[0]))))
            line += text.count("\n", pos, parsed[1])
            pos = parsed[1]
            continue
        fields = _quotes_as_text(text[pos:end], sep)
        if len(fields) == n_columns:
            report_region()
            rows.append((len(rows) + 2, dict(zip(headers, fields))))
            notes[len(rows) + 1] = f"line {line} read with quotes as text (an unbalanced quote)"
            as_text.append(line)
        else:
            region.append((line, len(fields)))
        pos, line = end + 1, line + 1
    report_region()
    reported = [row.message.split(" of ")[0] for _, row in rows if isinstance(row, RowError)]
    log.warning("%s is damaged (%s); read record by record: %d rows, %s; %s", path.name, damage,
                len(rows) - len(reported),
                f"line(s) {', '.join(map(str, as_text))} read with quotes as text" if as_text else
                "none read with quotes as text",
                f"damaged and reported: {'; '.join(reported)}" if reported else "nothing left out")
    return headers, rows, notes


def _parquet_table(path: Path, stem: str, suffix: str, max_bytes: int) -> _Table:
    """A Parquet file: its columns, its rows numbered from 1.

    Cells of any Arrow type are read as text by :func:`_cell_text` (bytes decoded, a list's
    items one per line, a struct by its name field); a cell over the size limit makes its row
    a report row.
    """
    frame = pd.read_parquet(path)
    records = frame.rename(columns=str).to_dict("records")
    rows = ((number, _checked_row(row, number, path, max_bytes, "row")) for number, row in
            enumerate(records, start=1))
    return _Table(path, path.name, stem, f"{path}#", [str(c) for c in frame.columns], rows, "utf-8")


def _checked_row(row: dict, number: int, path: Path, max_bytes: int, word: str) -> dict | RowError:
    """``row``, or a :class:`RowError` if one of its cells holds more than ``max_bytes``."""
    for header, value in row.items():
        size = oversize(value, max_bytes)
        if size is not None:
            return RowError(too_large(size, max_bytes, f"{word} {number} of {path.name}, column {header!r},"))
    return row


def _jsonl_table(path: Path, stem: str, suffix: str, max_bytes: int) -> _Table:
    """A JSON-lines file (``.jsonl``, ``.ndjson``, either gzip-compressed), streamed; each
    line stands alone.

    Its columns are the keys of its first :data:`JSONL_HEADER_OBJECTS` objects, so a first
    object without the text leaves the others their text column (it is a report row of its
    own). A line with an invalid UTF-8 byte keeps its other characters (the bad one becomes
    U+FFFD, noted in that document's ``encoding``); a line that is not a JSON object, or is
    longer than ``max_bytes`` (``[corpus] max_document_mb``), is a report row naming its line.
    """
    notes: dict[int, str] = {}
    rows = _iter_jsonl(path, gz=suffix.endswith(".gz"), notes=notes, max_bytes=max_bytes)
    seen = list(islice(rows, JSONL_HEADER_OBJECTS))
    if not seen:
        raise ValueError("no JSON line in it (an empty file)")
    keys = (key for _, row in seen if not isinstance(row, RowError) for key in row)
    headers = [str(key) for key in dict.fromkeys(keys)]
    return _Table(path, path.name, stem, f"{path}#", headers, chain(seen, rows), "utf-8",
                  notes=notes, row_word="line")


#: Keys of a JSON object that hold its list of articles (``{"data": [...]}``), besides a
#: single key whose value is a list of objects.
JSON_LIST_KEYS = ("data", "articles", "items", "records", "rows", "documents", "docs", "results")


def _json_table(path: Path, stem: str, suffix: str, max_bytes: int) -> _Table:
    """A ``.json`` file: an array of articles (numbered from 1), one article (an object with
    a text field), or an object holding the array (``{"data": [...]}``: :data:`JSON_LIST_KEYS`,
    or its only list of objects). A file of one object per line is read as JSON lines.
    """
    data = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    if not data.strip():
        raise ValueError("empty file")
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start}); JSON files are UTF-8: save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and data.lstrip().startswith(b"{"):
            return _jsonl_table(path, stem, ".jsonl", max_bytes)  # one object a line, named .json
        raise ValueError(f"not valid JSON: {exc}") from None
    label = "item"
    if isinstance(value, dict):
        lists = {key: item for key, item in value.items()
                 if isinstance(item, list) and item and all(isinstance(x, dict) for x in item)}
        key = next((k for k in value if _header_key(k) in JSON_LIST_KEYS and k in lists), None)
        if key is None and len(lists) == 1 and find_columns([str(k) for k in value]).text is None:
            key = next(iter(lists))
        if key is not None:
            log.info("%s: the articles are the list under %r", path.name, key)
            value, label = value[key], f"item of {key!r}"
        else:
            value = [value]
    if not isinstance(value, list):
        raise ValueError(f"a JSON {type(value).__name__}, not an array or object of articles")
    rows = [(n, _checked_row(item, n, path, max_bytes, label) if isinstance(item, dict)
             else RowError(f"{label} {n} of {path.name} is not an object"))
            for n, item in enumerate(value, start=1)]
    if not rows:
        raise ValueError("an empty array: no articles")
    keys = (key for _, row in rows if not isinstance(row, RowError) for key in row)
    return _Table(path, path.name, stem, f"{path}#", [str(k) for k in dict.fromkeys(keys)], rows,
                  "utf-8", row_word=label)


#: The reader of each one-table suffix: ``reader(path, stem, suffix)`` gives the table. A new
#: table format is a reader here, its suffix in :data:`SINGLE_TABLE_SUFFIXES`, and a test.
TABLE_READERS = {".csv": _delimited_table, ".tsv": _delimited_table, ".jsonl": _jsonl_table,
                 ".jsonl.gz": _jsonl_table, ".ndjson": _jsonl_table, ".ndjson.gz": _jsonl_table,
                 ".json": _json_table, ".parquet": _parquet_table}


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


def _uses_1904_dates(path: Path) -> bool:
    """Whether an ``.xlsx``/``.xlsm`` workbook counts dates from 1904 (``date1904`` in its
    ``xl/workbook.xml``). The reader converts date cells itself; this is for numbers that
    are serial days. An old ``.xls`` is taken to count from 1900."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            return bool(_DATE1904_RE.search(book.read("xl/workbook.xml")))
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


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
                 columns: CorpusConfig, date1904: bool = False,
                 max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> _Table | None:
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
    file_headers = [_cell_text(cell) or "" for cell in grid[header_at]]
    rows = ((i + 1, _checked_row(dict(zip(headers, grid[i])), i + 1, path, max_bytes, f"[{sheet}] row"))
            for i in filled if i > header_at)
    return _Table(path, f"{path.name} [{sheet}]", f"{stem}:{sheet}", f"{path}#{sheet}!", headers,
                  rows, path.suffix.lower().lstrip("."), excel=True, date1904=date1904,
                  file_headers=file_headers)


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
        if not isinstance(row, RowError) and all(_cell_text(v) is None for v in row.values()):
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
            and all(_header_key(_cell_text(value) or "") == _header_key(str(header).split(".")[0])
                    for header, value in row.items()))


def _repeated_column(table: _Table, mapping: ColumnMap) -> str | None:
    """Why the table cannot be read if a header taken for a field is in it more than once
    (two 正文 columns: which holds the text is unclear), else ``None``. Headers that match
    alike (``正文``, ``正文：``) count as the same; repeats of an unused header are fine."""
    written = table.file_headers or table.headers
    for name in fields(mapping):
        header = getattr(mapping, name.name)
        if header is None or header not in table.headers:
            continue
        key = _header_key(written[table.headers.index(header)])
        same = [i for i, other in enumerate(written, start=1) if _header_key(other) == key]
        if len(same) > 1:
            names = ", ".join(repr(n) for n in dict.fromkeys(written[i - 1] for i in same))
            return (f"{table.label} has {len(same)} columns named {names} (columns "
                    f"{', '.join(map(str, same))}), taken for the {name.name}: which one to read is "
                    "unclear; rename or remove the others and read the file again")
    return None


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


def _row_to_document(row: dict | RowError, index: int, table: _Table, mapping: ColumnMap,
                     encoding: str) -> RawDocument:
    if isinstance(row, RowError):
        return RawDocument(f"{table.id_prefix}:{index}", f"{table.source_prefix}{index}", "",
                           error=row.message)

    def value(header: str | None, joined: str = "\n") -> str | None:
        return None if header is None else _cell_text(row.get(header), joined)

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


def _cell_text(value: object, joined: str = "\n") -> str | None:
    """A table cell as stripped text; ``None`` when empty (``NaN``, ``NaT``, ``""``).

    Whole numbers lose the ``.0`` a spreadsheet gives them (编号 ``12.0`` → ``"12"``).
    Cells of Parquet and JSON types are text too: bytes are decoded (:func:`decode_bytes`),
    a list's items are joined by ``joined`` (paragraphs by line breaks), a struct gives its
    name (:data:`STRUCT_NAME_KEYS`, else its only text), and true/false is no text.

    >>> _cell_text("浙江".encode("utf-8")), _cell_text(["甲", "乙"], " ")
    ('浙江', '甲 乙')
    >>> _cell_text({"name": "浙江省", "code": 33}), _cell_text(True)
    ('浙江省', None)
    """
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        value = _bytes_text(bytes(value))
    elif isinstance(value, dict):
        value = _struct_text(value)
    elif isinstance(value, list | tuple | np.ndarray):
        parts = (_cell_text(item, joined) for item in value)
        value = joined.join(part for part in parts if part is not None)
    if value is None or (not isinstance(value, str) and _is_missing(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


#: Fields of a struct cell that name it (``{"name": "浙江省", "code": 33}`` → ``浙江省``).
STRUCT_NAME_KEYS = ("name", "名称", "text", "value", "title", "label")


def _struct_text(value: dict) -> str | None:
    """A struct cell's name: its :data:`STRUCT_NAME_KEYS` field, else its only text field,
    else the whole struct as JSON (shown, never guessed)."""
    by_key = {str(key).casefold(): item for key, item in value.items()}
    for key in STRUCT_NAME_KEYS:
        if key in by_key:
            return _cell_text(by_key[key])
    texts = [item for item in value.values() if isinstance(item, str) and item.strip()]
    if len(texts) == 1:
        return texts[0]
    return json.dumps(value, ensure_ascii=False, default=str)


def _bytes_text(data: bytes) -> str | None:
    """A bytes cell as text: UTF-8, else the encoding :func:`decode_bytes` finds; ``None``
    if it is no text."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text, _, error = decode_bytes(data)
        return None if error else text


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array in a cell
        return False


def date_text(value: object, *, excel: bool = False, date1904: bool = False) -> str | None:
    """A date column's cell as text for :func:`policytopics.text.metadata.parse_date_value`.

    Text is passed on as it is (``2024-03-05``, ``2024/3/5``, ``2024.03.05``,
    ``20240305``, ``2024年3月5日``, ``2024年3月``, ``2024`` all parse there; anything
    else is reported there as not a date). Date and datetime cells become ``YYYY-MM-DD``.
    In an Excel sheet a number is a year (``2024``), a compact date (``20240305``) or a
    serial day number in the workbook's date system (1900: ``45356`` → ``2024-03-05``, what a
    date cell shows once its date format is lost; 1904: ``43894`` → ``2024-03-05``); any other
    number is left marked as a number, so it is reported rather than guessed (``2024.1``
    may be January or October).

    Parameters
    ----------
    value
        The cell as the table reader gives it.
    excel
        Whether the cell comes from an Excel sheet (numbers may be serial days).
    date1904
        Whether that workbook uses the 1904 date system (Excel for Mac before 2011).

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
    >>> date_text(43894, excel=True, date1904=True)
    '2024-03-05'
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
        epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
        shift = (_EXCEL_EPOCH_1904 - _EXCEL_EPOCH).days if date1904 else 0  # 1462 days
        if _EXCEL_SERIALS[0] - shift <= number < _EXCEL_SERIALS[1] - shift:
            return (epoch + dt.timedelta(days=int(number))).isoformat()
        return f"number {_cell_text(value)}"
    return _cell_text(value)


__all__ = ["COLUMN_ALIASES", "COMPOUND_SUFFIXES", "EXCEL_SUFFIXES", "JSON_LIST_KEYS", "SINGLE_TABLE_SUFFIXES",
           "STRUCT_NAME_KEYS", "TABLE_READERS", "TABLE_SUFFIXES", "ColumnMap", "date_text", "find_columns",
           "oversize", "read_settings_table", "read_table", "too_large"]
