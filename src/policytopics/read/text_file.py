"""Read plain-text files (``.txt``): one article a file, in any common encoding.

Decoded by :func:`policytopics.common.encoding.decode_bytes` (UTF-8 ± BOM, GB18030/GBK, Big5,
UTF-16, two encodings joined, a file damaged in a few places). A file over ``[corpus]
max_document_mb`` is a report row. This is also the reader of a file named directly whose
suffix no reader takes (``notes.md``, a download without a suffix).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from policytopics.common.encoding import decode_bytes
from policytopics.read.limits import too_large
from policytopics.read.records import RawDocument
from policytopics.read.whole_file import document_id
from policytopics.settings.config import DEFAULT_MAX_DOCUMENT_BYTES, CorpusConfig


def read_text_file(path: Path, name: str, columns: CorpusConfig) -> tuple[RawDocument]:
    """A text file as one document, its id its ``name`` without the suffix (the reader of
    ``.txt`` in :data:`policytopics.read.readers.READERS`)."""
    doc = text_document(path, columns.max_document_bytes)
    return (replace(doc, doc_id=document_id(path, name)),)


def text_document(path: Path, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> RawDocument:
    """The document of a text file, decoded; a file over ``max_bytes`` or unreadable is one
    with ``error``."""
    doc_id = path.stem
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return RawDocument(doc_id, str(path), "", error=too_large(size, max_bytes, path.name))
        data = path.read_bytes()
    except OSError as exc:
        return RawDocument(doc_id, str(path), "", error=f"unreadable: {exc.strerror}")
    text, encoding, error = decode_bytes(data)
    return RawDocument(doc_id, str(path), text, encoding=encoding, error=error)


__all__ = ["read_text_file", "text_document"]
