"""The size limits of reading, measured and worded (``[corpus] max_document_mb``).

A document's text, a table's cell or a JSON line over the limit is a report row
(:func:`too_large` words its reason, :func:`oversize` measures a cell); a whole file (a web
page, a PDF, a Word file's XML) may be ``FILE_BYTES_PER_TEXT_BYTE`` times larger
(:func:`file_too_large`, :func:`file_limit_reason`): its markup, fonts and images outweigh
its text.
"""

from __future__ import annotations

from pathlib import Path

from policytopics.read.records import RawDocument
from policytopics.settings.config import FILE_BYTES_PER_TEXT_BYTE

MB = 1_000_000


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


def file_too_large(path: Path, max_bytes: int) -> RawDocument | None:
    size = path.stat().st_size
    if size <= max_bytes:
        return None
    kind = path.suffix.lower().lstrip(".")
    return RawDocument(path.stem, str(path), "", encoding=kind, error=f"{kind} file too large: "
                       + file_limit_reason(f"the file ({size / MB:,.0f} MB)", max_bytes))


def file_limit_reason(what: str, limit: int) -> str:
    return (f"{what} is larger than the limit of {limit / MB:g} MB per file "
            f"({FILE_BYTES_PER_TEXT_BYTE} times [corpus] max_document_mb: a damaged file or a zip "
            "bomb); if it is a real document, raise "
            "[corpus] max_document_mb in study.toml")


__all__ = ["MB", "file_limit_reason", "file_too_large", "oversize", "too_large"]
