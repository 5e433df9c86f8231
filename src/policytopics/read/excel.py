"""Read Excel workbooks of articles (``.xlsx``, ``.xlsm``, ``.xls``): one input table a sheet.

A title line above the header row and merged title cells are understood, an empty sheet is
skipped, and numbers in a date column may be Excel serial days, counted in the workbook's own
date system (1900, or 1904 for Excel for Mac before 2011).
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from policytopics.read.cells import cell_text
from policytopics.read.records import RawDocument
from policytopics.read.tables import (
    Table,
    checked_row,
    find_columns,
    header_names,
    table_documents,
    table_id,
    unreadable,
)
from policytopics.settings.config import DEFAULT_MAX_DOCUMENT_BYTES, CorpusConfig

log = logging.getLogger("policytopics")

#: Rows searched for the header row of a sheet (a title line often sits above it).
HEADER_SEARCH_ROWS = 10

_DATE1904_RE = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*[\"'](?:1|true)[\"']", re.I)


def read_workbook(path: Path, name: str, columns: CorpusConfig) -> Iterator[RawDocument]:
    """The articles of every sheet of a workbook (its reader in
    :data:`policytopics.read.readers.READERS`); an unreadable workbook, or one whose every sheet
    is empty, is one document with ``error``.

    ``name`` (the file's name below the corpus folder) starts every document's id
    (``name:Sheet1:3``, :func:`policytopics.read.tables.table_id`).
    """
    stem = table_id(name)
    max_bytes = columns.max_document_bytes
    sheets, reason = _load_workbook(path)
    if reason:
        yield unreadable(path, reason, stem)
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
        yield unreadable(path, "every sheet is empty", stem)
    for table in tables:
        yield from table_documents(table, columns)


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
                 max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Table | None:
    """One sheet as a table, its header row found; ``None`` for an empty sheet.

    The header row is the first of the top :data:`HEADER_SEARCH_ROWS` non-empty rows in
    which a text column is found (a title line above the headers is common), else the
    first non-empty row. Rows are numbered as Excel numbers them.
    """
    filled = [i for i, cells in enumerate(grid) if any(cell_text(c) is not None for c in cells)]
    if not filled:
        return None
    header_at = next((i for i in filled[:HEADER_SEARCH_ROWS]
                      if find_columns(header_names(grid[i]), columns).text is not None), filled[0])
    if header_at != filled[0]:
        log.info("%s [%s]: headers in row %d", path.name, sheet, header_at + 1)
    headers = header_names(grid[header_at])
    file_headers = [cell_text(cell) or "" for cell in grid[header_at]]
    rows = ((i + 1, checked_row(dict(zip(headers, grid[i])), i + 1, path, max_bytes, f"[{sheet}] row"))
            for i in filled if i > header_at)
    return Table(path, f"{path.name} [{sheet}]", f"{stem}:{sheet}", f"{path}#{sheet}!", headers,
                  rows, path.suffix.lower().lstrip("."), excel=True, date1904=date1904,
                  file_headers=file_headers)


__all__ = ["HEADER_SEARCH_ROWS", "read_workbook"]
