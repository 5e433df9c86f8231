"""Read articles from files, folders and tables into raw documents, in a stable order.

Accepted inputs, mixed freely: folders (searched recursively), ``.txt`` files (one
article per file, any common encoding: :mod:`policytopics.decode`), saved web pages, PDF
and Word files (:mod:`policytopics.formats`), and tables of articles, one per row
(``.csv``, ``.tsv``, Excel workbooks, ``.jsonl``, ``.jsonl.gz``, ``.parquet``:
:mod:`policytopics.tables`). A file that cannot be read is not fatal: it becomes a
:class:`RawDocument` with ``error`` set, so the report accounts for it, and a warning is
logged.

Every document's ``doc_id`` is unique. A file's id is its path below the corpus folder
without its suffix (``report``, ``2024/report``; a file named directly: its name), a table
row's the table's path and the row's id or number (``2024/docs:17``), a file name that is
not UTF-8 (GBK from a Windows zip) decoded (:func:`policytopics.decode.file_name_text`).
An id that is still taken (``report.txt`` beside ``report.pdf``, an id repeated in a table,
a file named twice) gets ``~2``, ``~3`` … in input order, with one warning; the report's
``source`` says where each document came from.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from .config import CorpusConfig
from .decode import decode_bytes, file_name_text
from .formats import DOCUMENT_SUFFIXES, read_document_file
from .records import RawDocument
from .tables import TABLE_SUFFIXES, read_table

log = logging.getLogger("policytopics")

TEXT_SUFFIXES = (".txt",)
#: What a repeated ``doc_id`` gets: ``report~2``, ``docs:17~3``.
REPEAT_MARK = "~"


def iter_documents(paths: Sequence[str | Path], columns: CorpusConfig | None = None,
                   limit: int = 0, *, skip: Iterable[str | Path] = ()) -> Iterator[RawDocument]:
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
    skip
        Folders never read (the study's own outputs, figures and cache), see
        :func:`input_files`.

    Yields
    ------
    RawDocument
        One per article, with a unique ``doc_id`` (see the module's introduction); an
        unreadable file, or a table without a text column, is one document with ``error`` set.
    """
    columns = columns or CorpusConfig()
    count = 0
    taken: set[str] = set()
    repeated: list[tuple[str, str]] = []
    folders = [Path(path).resolve() for path in paths if Path(path).is_dir()]
    for folder in sorted({Path(folder).resolve() for folder in skip}):
        if folder.is_dir() and any(folder.is_relative_to(root) and folder != root for root in folders):
            log.info("%s: not read as articles (this study's own outputs or cache)",
                     file_name_text(str(folder)))
    try:
        for path, name in input_files(paths, skip=skip):
            for doc in _read_path(path, name, columns):
                doc_id = doc.doc_id
                if doc_id in taken:
                    doc_id = next(f"{doc.doc_id}{REPEAT_MARK}{n}" for n in range(2, len(taken) + 3)
                                  if f"{doc.doc_id}{REPEAT_MARK}{n}" not in taken)
                    repeated.append((doc.doc_id, doc.source))
                    doc = replace(doc, doc_id=doc_id)
                taken.add(doc_id)
                yield doc
                count += 1
                if limit and count >= limit:
                    return
    finally:
        if repeated:
            first, source = repeated[0]
            log.warning("%d document(s) repeat the id of an earlier one (first: %s, from %s): each is "
                        "kept with %s2, %s3 … after its id; the report's source says where it came from",
                        len(repeated), first, source, REPEAT_MARK, REPEAT_MARK)


def input_files(paths: Sequence[str | Path], *, skip: Iterable[str | Path] = ()) -> list[tuple[Path, str]]:
    """Every input file of the corpus paths, in a stable order, with the name its ids start from.

    A folder is searched recursively for the suffixes a reader takes; the name is the file's
    path below that folder (``2024/report.txt``, always with ``/``), a file named directly
    is named by its file name, and a name that is not UTF-8 is decoded
    (:func:`policytopics.decode.file_name_text`). Not inputs: hidden files and folders
    (``.cache``, ``.git``), Excel's lock files (``~$book.xlsx``), ``metadata.csv``, and the
    folders of ``skip`` below a corpus folder (the study's own outputs, figures and cache:
    ``policytopics run --corpus .`` in a study folder must not read its results back).
    """
    skipped = {Path(folder).resolve() for folder in skip}
    found: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise FileNotFoundError(f"corpus path not found: {path}")
        if not path.is_dir():
            found.append((path, file_name_text(path.name)))
            continue
        inside = []
        for folder, subfolders, files in os.walk(path):
            here = Path(folder)
            for sub in list(subfolders):
                if sub.startswith(".") or (here / sub).resolve() in skipped:
                    subfolders.remove(sub)
            # "~$book.xlsx" is the lock file Excel keeps beside a workbook while it is open.
            inside.extend(here / name for name in files
                          if _suffix(Path(name)) in TEXT_SUFFIXES + TABLE_SUFFIXES + DOCUMENT_SUFFIXES
                          and not name.startswith((".", "~$")) and name != "metadata.csv"
                          and (here / name).is_file())
        found.extend((file, "/".join(file_name_text(part) for part in file.relative_to(path).parts))
                     for file in sorted(inside))
    return found


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


def _read_path(path: Path, name: str, columns: CorpusConfig) -> Iterator[RawDocument]:
    """The documents of one input file, their ids made from ``name`` (:func:`input_files`)."""
    suffix = _suffix(path)
    folder, _, file_name = name.rpartition("/")
    folder = folder + "/" if folder else ""
    if suffix in TABLE_SUFFIXES:
        documents = read_table(path, suffix, columns, name=folder + file_name.split(".")[0])
    else:
        stem = file_name[: -len(path.suffix)] if path.suffix else file_name
        doc = (read_document_file(path, columns.max_document_bytes) if suffix in DOCUMENT_SUFFIXES
               else _read_text_file(path))
        documents = (replace(doc, doc_id=folder + stem),)
    shown = str(Path(*(file_name_text(part) for part in path.parts)))
    for doc in documents:
        yield doc if shown == str(path) else _shown(doc, path, shown)


def _shown(doc: RawDocument, path: Path, shown: str) -> RawDocument:
    """``doc`` with its file's path and name, in its source and error, as text: a name that
    is not UTF-8 would make the report unwritable."""
    def text(value: str | None) -> str | None:
        if value is None:
            return None
        value = value.replace(str(path), shown).replace(path.name, file_name_text(path.name))
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")

    return replace(doc, source=text(doc.source), error=text(doc.error))


def _read_text_file(path: Path) -> RawDocument:
    doc_id = path.stem
    try:
        data = path.read_bytes()
    except OSError as exc:
        return RawDocument(doc_id, str(path), "", error=f"unreadable: {exc.strerror}")
    text, encoding, error = decode_bytes(data)
    return RawDocument(doc_id, str(path), text, encoding=encoding, error=error)


__all__ = ["REPEAT_MARK", "TEXT_SUFFIXES", "input_files", "input_holding", "iter_documents"]
