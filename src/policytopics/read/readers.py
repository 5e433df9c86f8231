"""Which reader reads which file: the one table of file suffixes and their readers.

A reader is a function ``read(path, name, columns)`` giving the documents
(:class:`~policytopics.read.records.RawDocument`) of one file: ``path`` is the file,
``name`` its name below the corpus folder (the documents' ids start from it), ``columns`` the
``[corpus]`` settings (column names, size limits). A file that cannot be read is a document
with ``error`` set, never an exception. :mod:`policytopics.read.files` dispatches every file
through :data:`READERS`, and walks folders for exactly its suffixes (:data:`READ_SUFFIXES`).

Adding an input format is one module with its reader (``read/rtf.py``: for a one-document
format, ``read_rtf_file(path, name, columns)`` returning
``whole_file(read_rtf, path, name, columns)``, :func:`policytopics.read.whole_file.whole_file`;
for a table, ``read_single_table(load, path, name, columns)``,
:func:`policytopics.read.tables.read_single_table`), one line here
(``".rtf": Reader(read_rtf_file, "document"),``) and its test (``tests/read/test_rtf.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal, NamedTuple

from policytopics.read.delimited import read_csv, read_tsv
from policytopics.read.excel import read_workbook
from policytopics.read.json_file import read_json
from policytopics.read.jsonl import read_jsonl, read_jsonl_gz
from policytopics.read.parquet import read_parquet
from policytopics.read.pdf import read_pdf_file
from policytopics.read.records import RawDocument
from policytopics.read.text_file import read_text_file
from policytopics.read.webpage import read_html_file
from policytopics.read.word import read_docx_file, read_old_word_file
from policytopics.settings.config import CorpusConfig


class Reader(NamedTuple):
    """A file format's reader and what its files hold.

    ``holds`` is ``"text"`` (a plain-text file, one document), ``"table"`` (a table of
    articles, one per row) or ``"document"`` (a whole document: a web page, a PDF, a Word file).
    """

    read: Callable[[Path, str, CorpusConfig], Iterable[RawDocument]]
    holds: Literal["text", "table", "document"]


#: File suffix → its reader, in the order the messages list them (``read are .txt .csv …``).
READERS: dict[str, Reader] = {
    ".txt": Reader(read_text_file, "text"),
    ".csv": Reader(read_csv, "table"),
    ".tsv": Reader(read_tsv, "table"),
    ".jsonl": Reader(read_jsonl, "table"),
    ".jsonl.gz": Reader(read_jsonl_gz, "table"),
    ".ndjson": Reader(read_jsonl, "table"),
    ".ndjson.gz": Reader(read_jsonl_gz, "table"),
    ".json": Reader(read_json, "table"),
    ".parquet": Reader(read_parquet, "table"),
    ".xlsx": Reader(read_workbook, "table"),
    ".xlsm": Reader(read_workbook, "table"),
    ".xls": Reader(read_workbook, "table"),
    ".html": Reader(read_html_file, "document"),
    ".htm": Reader(read_html_file, "document"),
    ".shtml": Reader(read_html_file, "document"),
    ".pdf": Reader(read_pdf_file, "document"),
    ".docx": Reader(read_docx_file, "document"),
    ".doc": Reader(read_old_word_file, "document"),
    ".wps": Reader(read_old_word_file, "document"),
}

#: Every suffix a reader takes (texts, tables, whole documents).
READ_SUFFIXES = tuple(READERS)
#: Plain-text files, one article each.
TEXT_SUFFIXES = tuple(suffix for suffix, reader in READERS.items() if reader.holds == "text")
#: Tables of articles, one per row.
TABLE_SUFFIXES = tuple(suffix for suffix, reader in READERS.items() if reader.holds == "table")
#: Whole-document files (web pages, PDF, Word).
DOCUMENT_SUFFIXES = tuple(suffix for suffix, reader in READERS.items() if reader.holds == "document")
#: Suffixes of two parts (``.jsonl.gz``), found before the last part alone.
COMPOUND_SUFFIXES = tuple(suffix for suffix in READERS if suffix.count(".") > 1)

__all__ = ["COMPOUND_SUFFIXES", "DOCUMENT_SUFFIXES", "READERS", "READ_SUFFIXES", "TABLE_SUFFIXES",
           "TEXT_SUFFIXES", "Reader"]
