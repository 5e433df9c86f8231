"""One file, one document: what the readers of text files, web pages, PDF and Word files share.

A whole-file reader (:mod:`policytopics.read.webpage`, :mod:`~policytopics.read.pdf`,
:mod:`~policytopics.read.word`) gives the :class:`~policytopics.read.records.RawDocument` of one
file; :func:`whole_file` frames it for :data:`policytopics.read.readers.READERS`: a file the
reader fails on is one report row, never a crash, its text is held to ``[corpus]
max_document_mb`` as a table cell's is, and its id is its name below the corpus folder without
its suffix (:func:`document_id`). :func:`file_title` judges a PDF's or Word file's title property.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from policytopics.common.chinese import cjk_count
from policytopics.read.limits import oversize, too_large
from policytopics.read.records import RawDocument
from policytopics.settings.config import CorpusConfig


def document_id(path: Path, name: str) -> str:
    """The id of a one-document file: its name below the corpus folder without its suffix
    (``2024/report.pdf`` → ``2024/report``)."""
    folder, _, file_name = name.rpartition("/")
    folder = folder + "/" if folder else ""
    return folder + (file_name[: -len(path.suffix)] if path.suffix else file_name)


def whole_file(read: Callable[[Path, int], RawDocument], path: Path, name: str,
               columns: CorpusConfig) -> tuple[RawDocument]:
    """The one document of a file, read by ``read(path, max_file_bytes)``.

    ``columns.max_file_bytes`` bounds what the file may be, or inflate to (a Word file's
    XML); an error the reader raises (a damaged file) becomes the document's ``error``; a
    text over ``[corpus] max_document_mb`` is a report row, as a table cell's is.
    """
    try:
        doc = read(path, columns.max_file_bytes)
    except Exception as exc:  # the readers raise their own error types on damaged files
        doc = RawDocument(path.stem, str(path), "",
                          error=f"unreadable {path.suffix.lower().lstrip('.')} file: "
                                f"{type(exc).__name__}: {exc}".rstrip(": "))
    # The file was bounded at 20 times the setting; its text, as a cell's, at the setting.
    size = oversize(doc.text, columns.max_document_bytes) if doc.error is None else None
    if size is not None:
        doc = replace(doc, text="", error=too_large(size, columns.max_document_bytes, "the file"))
    return (replace(doc, doc_id=document_id(path, name)),)


#: A title in a file's properties that is no title: the tool's or the file's name.
_NOT_A_FILE_TITLE = re.compile(r"^(Microsoft\s*(Word|PowerPoint|Excel)\s*-|WPS|untitled|无标题|标题$"
                               r"|文档\d*$)|\.(docx?|wps|pdf|txt|rtf)$", re.I)


def file_title(value: str) -> str | None:
    """A PDF's or Word file's title property when it is the document's title: Word and PDF
    printers fill it with the file's name (``Microsoft Word - 附件1.doc``) or the template's
    (``标题``), and a Chinese document's title has Chinese in it; otherwise None, and the
    title is taken from the text.

    >>> file_title("关于推进新型工业化的意见"), file_title("Microsoft Word - 附件1.doc"), file_title("标题")
    ('关于推进新型工业化的意见', None, None)
    """
    value = " ".join(value.split())
    if not value or not cjk_count(value) or _NOT_A_FILE_TITLE.search(value):
        return None
    return value


__all__ = ["document_id", "file_title", "whole_file"]
