"""Read delimited input tables: ``.csv`` and ``.tsv`` files of articles, one per row, and
the researcher's own small CSV files (:func:`read_settings_table`).

Decoded like a ``.txt`` file (:func:`policytopics.common.encoding.decode_bytes`: UTF-8 ± BOM,
GB18030/GBK, Big5, UTF-16, two encodings joined); a tab-separated file named ``.csv``
(Excel's "Unicode text") is read as one. A well-formed file is read exactly as pandas reads
it; a damaged one (an unbalanced quote, a ragged line) record by record, every damaged
region one report row naming its lines (:func:`_damaged_delimited_rows`).
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from policytopics.common.encoding import decode_bytes
from policytopics.read.records import RawDocument, RowError
from policytopics.read.tables import Table, checked_row, header_names, read_single_table
from policytopics.settings.config import CorpusConfig

log = logging.getLogger("policytopics")


def read_csv(path: Path, name: str, columns: CorpusConfig) -> Iterator[RawDocument]:
    """The articles of a ``.csv`` file, one per row (its reader in
    :data:`policytopics.read.readers.READERS`)."""
    return read_single_table(_delimited_table, path, name, columns)


def read_tsv(path: Path, name: str, columns: CorpusConfig) -> Iterator[RawDocument]:
    """The articles of a tab-separated ``.tsv`` file, one per row."""
    return read_single_table(_delimited_table, path, name, columns, tab=True)


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


def _delimited_table(path: Path, stem: str, max_bytes: int, *, tab: bool = False) -> Table:
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
    sep = "\t" if tab or ("\t" in first_line and "," not in first_line) else ","
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
    rows = ((n, row if isinstance(row, RowError) else checked_row(row, n, path, max_bytes, "row"))
            for n, row in rows)
    return Table(path, path.name, stem, f"{path}#", headers, rows, encoding, notes=notes,
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
    headers = header_names(header)
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
    _log_damage(path, damage, rows, as_text)
    return headers, rows, notes


def _log_damage(path: Path, damage: str, rows: list[tuple[int, dict | RowError]], as_text: list[int]) -> None:
    """One warning for a damaged delimited file: what showed it damaged, the rows read, the
    lines read with quotes as text, the damaged regions reported."""
    reported = [row.message.split(" of ")[0] for _, row in rows if isinstance(row, RowError)]
    log.warning("%s is damaged (%s); read record by record: %d rows, %s; %s", path.name, damage,
                len(rows) - len(reported),
                f"line(s) {', '.join(map(str, as_text))} read with quotes as text" if as_text else
                "none read with quotes as text",
                f"damaged and reported: {'; '.join(reported)}" if reported else "nothing left out")


__all__ = ["read_csv", "read_settings_table", "read_tsv"]
