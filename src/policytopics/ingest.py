"""Read articles from files, folders and tables into raw documents, in a stable order.

Accepted inputs, mixed freely: folders (searched recursively), ``.txt`` files (one
article per file, any common encoding: :mod:`policytopics.decode`), saved web pages, PDF
and Word files (:mod:`policytopics.formats`), and tables of articles, one per row
(``.csv``, ``.tsv``, Excel workbooks, ``.jsonl``, ``.jsonl.gz``, ``.parquet``:
:mod:`policytopics.tables`). A file that cannot be read is not fatal: it becomes a
:class:`RawDocument` with ``error`` set, so the report accounts for it, and a warning is
logged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from .config import CorpusConfig
from .decode import decode_bytes
from .formats import DOCUMENT_SUFFIXES, read_document_file
from .records import RawDocument
from .tables import TABLE_SUFFIXES, read_table

TEXT_SUFFIXES = (".txt",)


def iter_documents(paths: Sequence[str | Path], columns: CorpusConfig | None = None,
                   limit: int = 0) -> Iterator[RawDocument]:
    """Yield raw documents from files, folders and tables, in a stable order.

    Parameters
    ----------
    paths
        Files or folders. Folders are searched recursively for accepted files.
    columns
        Column settings for tables (text, title, date, region, id); a setting wins when
        the table has that column, else the usual headers are found (:func:`find_columns`).
    limit
        Stop after this many documents (0 = all).

    Yields
    ------
    RawDocument
        One per article; an unreadable file, or a table without a text column, is one
        document with ``error`` set.
    """
    columns = columns or CorpusConfig()
    count = 0
    for path in _expand(paths):
        for doc in _read_path(path, columns):
            yield doc
            count += 1
            if limit and count >= limit:
                return


def _expand(paths: Sequence[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise FileNotFoundError(f"corpus path not found: {path}")
        if path.is_dir():
            # "~$book.xlsx" is the lock file Excel keeps beside a workbook while it is open.
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and _suffix(p) in TEXT_SUFFIXES + TABLE_SUFFIXES + DOCUMENT_SUFFIXES
                and not p.name.startswith((".", "~$")) and p.name != "metadata.csv"
            )
            yield from found
        else:
            yield path


def input_holding(path: str | Path, paths: Sequence[str | Path]) -> Path | None:
    """The input of ``paths`` that ``path`` is, or the input folder it lies in; else ``None``.

    An output written there would overwrite an input, or be read as one next time.

    >>> input_holding("corpus/report.csv", ["corpus", "other.csv"])  # doctest: +SKIP
    PosixPath('corpus')
    """
    target = Path(path).resolve()
    for raw in paths:
        source = Path(raw).resolve()
        if target == source or (source.is_dir() and target.is_relative_to(source)):
            return Path(raw)
    return None


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else path.suffix.lower()


def _read_path(path: Path, columns: CorpusConfig) -> Iterator[RawDocument]:
    suffix = _suffix(path)
    if suffix in TABLE_SUFFIXES:
        yield from read_table(path, suffix, columns)
    elif suffix in DOCUMENT_SUFFIXES:
        yield read_document_file(path)
    else:
        yield _read_text_file(path)


def _read_text_file(path: Path) -> RawDocument:
    doc_id = path.stem
    try:
        data = path.read_bytes()
    except OSError as exc:
        return RawDocument(doc_id, str(path), "", error=f"unreadable: {exc.strerror}")
    text, encoding, error = decode_bytes(data)
    return RawDocument(doc_id, str(path), text, encoding=encoding, error=error)


__all__ = ["TEXT_SUFFIXES", "input_holding", "iter_documents"]
