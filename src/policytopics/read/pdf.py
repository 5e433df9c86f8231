"""Read PDF files (``.pdf``): the text layer, page by page, as paragraphs; one file, one document.

The text layer by pypdf, page numbers and running headers dropped, lines wrapped at the page's
edge joined again (:func:`pdf_paragraphs`). pypdf and pdfplumber kept every character in order
on Word-made report PDFs; pypdf is faster (``benchmarks/bench_pdf.py``). A PDF without a text
layer (a scan) is a report row that says to OCR it first; a password-protected or broken file,
or one over 20 times ``[corpus] max_document_mb``, likewise. The title is the file's title
property when it is one (:func:`policytopics.read.whole_file.file_title`).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from policytopics.common.chinese import display_width
from policytopics.read.limits import file_too_large
from policytopics.read.records import RawDocument
from policytopics.read.whole_file import file_title, whole_file
from policytopics.settings.config import DEFAULT_MAX_FILE_BYTES, CorpusConfig

log = logging.getLogger("policytopics")

#: A PDF whose text layer holds fewer visible characters than this is taken for a scan.
MIN_PDF_CHARS = 20


def read_pdf_file(path: Path, name: str, columns: CorpusConfig) -> tuple[RawDocument]:
    """A PDF file as one document (the reader of ``.pdf`` in :data:`policytopics.read.readers.READERS`)."""
    return whole_file(read_pdf, path, name, columns)


#: A line that is only a page number: ``— 3 —``, ``- 3 -``, ``3``, ``第 3 页``, ``3/27``.
_PAGE_NUMBER = re.compile(r"^[—\-－–\s]*(第\s*)?\d{1,4}(\s*页)?(\s*/\s*\d{1,4})?(\s*页)?[\s—\-－–]*$")
#: A line ending a sentence or a heading (not wrapped): its paragraph ends here.
_PARAGRAPH_END = re.compile(r"[。！？；：…”」』）)!?;:]$")
#: A line starting a heading or a numbered item: a new paragraph even after a full line.
_NEW_ITEM = re.compile(r"^(第[一二三四五六七八九十百]+[章节条]|[一二三四五六七八九十]+、"
                       r"|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|附件)")
#: A wrapped line fills at least this share of the document's usual full line.
FULL_LINE = 0.85


def pdf_paragraphs(pages: list[str]) -> str:
    r"""The text of a PDF's pages as paragraphs, without its page furniture.

    A PDF's text layer has one line per printed line. Page numbers (``— 3 —``) and a running
    header or footer (the same line at the top or bottom of most pages) are dropped; a line
    as wide as a full line that ends no sentence is joined with the next, within a page and
    across a page break, unless the next starts a heading or a numbered item (``一、``,
    ``（二）``, ``第三条``). Without the joining, a word wrapped at a line end is two words to
    the segmenter, and a paragraph is many lines. ``benchmarks/bench_pdf.py`` measures it.

    >>> one = "政府工作报告\n一、推动制造业高质量发展加快建设现代化产\n业体系。\n— 1 —"
    >>> two = "政府工作报告\n二、扩大有效投资稳定经济增长提振消费信心\n— 2 —"
    >>> print(pdf_paragraphs([one, two]))
    一、推动制造业高质量发展加快建设现代化产业体系。
    二、扩大有效投资稳定经济增长提振消费信心
    """
    page_lines = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    edges: dict[str, int] = {}
    for lines in page_lines:
        for line in {*lines[:1], *lines[-1:]}:  # a running header or footer is a page's edge
            edges[line] = edges.get(line, 0) + 1
    running = {line for line, count in edges.items()
               if len(page_lines) >= 2 and count >= max(2, len(page_lines) / 2)}
    body = [[line for k, line in enumerate(lines)
             if not ((k < 2 or k >= len(lines) - 2) and (line in running or _PAGE_NUMBER.match(line)))]
            for lines in page_lines]  # a page number may stand inside a header line's neighbour
    widths = sorted(display_width(line) for lines in body for line in lines)
    full = widths[int(0.9 * (len(widths) - 1))] if widths else 0
    paragraphs: list[str] = []
    joining = False
    for line in (line for lines in body for line in lines):
        if joining and not _NEW_ITEM.match(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        joining = display_width(line) >= FULL_LINE * full and not _PARAGRAPH_END.search(line)
    return "\n".join(paragraphs)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _pypdf_messages(path: Path) -> Iterator[None]:
    """pypdf's own warnings while ``path`` is read, as one line of the package's log naming
    the file (``bad.pdf: pypdf: incorrect startxref pointer(1); ...``): without a handler
    of their own they reached the terminal bare, one line each, through Python's last resort."""
    logger = logging.getLogger("pypdf")
    collect, propagate = _Collect(), logger.propagate
    logger.addHandler(collect)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
        if collect.messages:
            log.warning("%s: pypdf: %s (the PDF's structure is damaged; what pypdf could read is kept)",
                        path.name, "; ".join(dict.fromkeys(m.strip() for m in collect.messages)))


def read_pdf(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES):
    """The text layer of a PDF, page by page; a scan, a password or a broken file is an
    error that says what to do. pypdf's warnings are one line naming the file."""
    too_large = file_too_large(path, max_bytes)
    if too_large:
        return too_large
    with _pypdf_messages(path):
        return _read_pdf(path)


def _read_pdf(path: Path):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            return RawDocument(path.stem, str(path), "", encoding="pdf",
                               error="password-protected PDF: save an unprotected copy first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        return RawDocument(path.stem, str(path), "", encoding="pdf",
                           error=f"not a readable PDF ({exc}); open and save it again, or export it anew")
    text = pdf_paragraphs(pages).strip()
    if len("".join(text.split())) < MIN_PDF_CHARS:
        return RawDocument(path.stem, str(path), "", encoding="pdf",
                           error=f"scanned PDF: no text layer ({len(pages)} pages), OCR it first")
    info = reader.metadata or {}
    title = file_title(str(info.get("/Title") or ""))
    return RawDocument(path.stem, str(path), text, encoding="pdf", title=title)


__all__ = ["pdf_paragraphs", "read_pdf", "read_pdf_file"]
