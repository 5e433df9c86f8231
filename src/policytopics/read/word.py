"""Read Word files: a ``.docx`` as one document; an old ``.doc`` or a WPS ``.wps`` as a report row.

A ``.docx`` gives its paragraphs and tables in document order, read from the package's XML as
Word shows it (tracked insertions, content controls, text boxes and smart tags included; a
table row's cells joined by a tab). Its XML may inflate to at most 20 times ``[corpus]
max_document_mb`` (a zip bomb is a report row naming the setting). An old ``.doc`` or a WPS
``.wps`` file is a report row that says to save it as ``.docx``.
"""

from __future__ import annotations

from pathlib import Path

from policytopics.read.limits import MB, file_limit_reason
from policytopics.read.records import RawDocument
from policytopics.read.whole_file import file_title, whole_file
from policytopics.settings.config import DEFAULT_MAX_FILE_BYTES, CorpusConfig

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: Word elements whose text is not the document's: deleted and moved-away runs, field codes,
#: and the old-Word copy (``mc:Fallback``) of a drawing whose ``mc:Choice`` is read.
_DOCX_SKIP = {_W + "del", _W + "moveFrom", _W + "instrText", _W + "delInstrText", _MC + "Fallback"}
#: Word elements that hold paragraphs and tables: content controls, custom XML, tracked
#: insertions and moves at block level.
_DOCX_CONTAINERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo",
                    _W + "smartTag", _W + "txbxContent"}


def read_docx_file(path: Path, name: str, columns: CorpusConfig) -> tuple[RawDocument]:
    """A ``.docx`` file as one document (its reader in :data:`policytopics.read.readers.READERS`)."""
    return whole_file(read_docx, path, name, columns)


def read_old_word_file(path: Path, name: str, columns: CorpusConfig) -> tuple[RawDocument]:
    """An old ``.doc`` or a WPS ``.wps`` file: one report row saying to save it as ``.docx``."""
    return whole_file(read_old_word, path, name, columns)


def _docx_blocks(parent) -> list[str]:
    """The lines of a Word body (or cell, or text box): paragraphs and table rows in order."""
    lines: list[str] = []
    for child in parent:
        if child.tag == _W + "p":
            boxes: list[str] = []
            lines.append(_docx_paragraph(child, boxes))
            lines.extend(boxes)
        elif child.tag == _W + "tbl":
            for row in _docx_children(child, _W + "tr"):
                cells = [" ".join(line for line in _docx_blocks(cell) if line.strip()).strip()
                         for cell in _docx_children(row, _W + "tc")]
                lines.append("\t".join(cells))
        elif child.tag in _DOCX_CONTAINERS:
            lines.extend(_docx_blocks(child))
    return lines


def _docx_children(parent, tag: str):
    """The ``tag`` children of a table or row, also inside content controls around them."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _DOCX_CONTAINERS:
            yield from _docx_children(child, tag)


def _docx_paragraph(paragraph, boxes: list[str]) -> str:
    """A paragraph's text: its runs, inside tracked insertions, inline content controls,
    smart tags, hyperlinks and fields too; the paragraphs of its text boxes go to ``boxes``."""
    parts: list[str] = []

    def walk(element):
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _DOCX_SKIP:
                continue
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag == _W + "tab":
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                parts.append("\n")
            elif tag == _W + "txbxContent":
                boxes.extend(_docx_blocks(child))
            else:
                walk(child)

    walk(paragraph)
    return "".join(parts)


class DocumentTooLarge(ValueError):
    """A file that unpacks to more than ``[corpus] max_document_mb`` (a zip bomb or a damaged file)."""


def _zip_part(archive, name: str, limit: int) -> bytes:
    """One part of a zip package, inflated up to ``limit`` bytes (its declared size is not
    trusted: the inflated bytes are counted)."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise DocumentTooLarge(file_limit_reason(f"{name} (declared {info.file_size / MB:,.0f} MB unpacked)",
                                                 limit))
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise DocumentTooLarge(file_limit_reason(f"{name} (unpacked)", limit))
    return data


def read_docx(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES):
    """Paragraphs and tables of a Word ``.docx`` file, in document order.

    Read from the package's XML, as Word shows the document: text inside tracked insertions
    (``w:ins``, kept; ``w:del`` left out), content controls (``w:sdt``, block and inline),
    smart tags, custom XML, hyperlinks and text boxes (``w:txbxContent``, their paragraphs
    after the paragraph that anchors them; the old-Word copy in ``mc:Fallback`` skipped).
    A table row's cells are joined by a tab. ``word/document.xml`` is inflated at most to
    ``max_bytes`` (``[corpus] max_document_mb``): a zip bomb is a report row, not a crash.
    """
    import zipfile

    from lxml import etree

    def unreadable(reason) -> RawDocument:
        return RawDocument(path.stem, str(path), "", encoding="docx",
                           error=f"not a readable Word file ({reason}); open it in Word or WPS and "
                                 "save it as .docx")

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                return unreadable("no word/document.xml in the package")
            body_xml = _zip_part(archive, "word/document.xml", max_bytes)
            core_xml = (_zip_part(archive, "docProps/core.xml", max_bytes)
                        if "docProps/core.xml" in names else b"")
    except DocumentTooLarge as exc:
        return RawDocument(path.stem, str(path), "", encoding="docx", error=f"Word file too large: {exc}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        return unreadable(exc)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(body_xml, parser)
    except etree.XMLSyntaxError as exc:
        return unreadable(f"word/document.xml: {exc}")
    body = root.find(_W + "body")
    lines = _docx_blocks(body if body is not None else root)
    title = None
    if core_xml:
        try:
            found = etree.fromstring(core_xml, parser).find("{http://purl.org/dc/elements/1.1/}title")
            title = file_title(found.text or "") if found is not None else None
        except etree.XMLSyntaxError:
            title = None
    return RawDocument(path.stem, str(path), "\n".join(lines).strip(), encoding="docx", title=title)


def read_old_word(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES):
    """An old binary ``.doc`` or a WPS ``.wps`` file: a report row saying to save it as .docx."""
    kind = "WPS" if path.suffix.lower() == ".wps" else "old Word"
    return RawDocument(path.stem, str(path), "", error=f"{kind} format: open it in Word or WPS and "
                                                        "save it as .docx, then read it again")


__all__ = ["DocumentTooLarge", "read_docx", "read_docx_file", "read_old_word", "read_old_word_file"]
