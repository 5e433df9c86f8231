"""Whole-document files as researchers download them: saved web pages, PDF and Word files.

One file is one document; :data:`READERS` maps a file suffix to its reader, and
:mod:`policytopics.read.files` reads every suffix listed there. A file that cannot give text
is one report row whose reason says what to do, never a crash.

HTML (``.html``, ``.htm``, ``.shtml``)
    The main text by trafilatura (navigation, share buttons, footers and scripts left out),
    the encoding from the page's own ``charset`` or by detection (GBK pages are common);
    the title from the page's headline metadata (gov.cn's ``ArticleTitle``, ``og:title``,
    the ``<h1>``) before ``<title>`` (whose site suffix, ``_中国政府网``, is cut); the
    publication date of the page's metadata (gov.cn's ``PubDate``, ``firstpublishedtime``,
    then htmldate's reading without its whole-page search) and the page's header lines
    (its byline, its ``发布时间：`` line: :func:`page_header_lines`), read from the raw page
    before trafilatura drops them, with related lists, footers and sidebars removed first;
    :mod:`policytopics.text.metadata` weighs them against the dates of the text. The site's name
    (:func:`site_name`: its province, for a page whose text names none); the publisher from
    ``ContentSource``. A page with no main text (a list page, a page
    that is only scripts) is a report row.
PDF (``.pdf``)
    The text layer by pypdf, page by page, as paragraphs: page numbers and running headers
    dropped, lines wrapped at the page's edge joined again (:func:`pdf_paragraphs`). pypdf
    and pdfplumber kept every character in order on Word-made report PDFs; pypdf is
    faster (``benchmarks/bench_pdf.py``). A PDF without one (a scan) is a report row that
    says to OCR it first; a password-protected or broken file likewise.
Word (``.docx``)
    Paragraphs and tables in document order, read from the package's XML as Word shows it
    (tracked insertions, content controls, text boxes and smart tags included; a table row's
    cells joined by a tab). An old ``.doc`` or a WPS ``.wps`` file is a report row that says
    to save it as ``.docx``.

Every file may be, or inflate to (a Word file's XML), at most 20 times ``[corpus]
max_document_mb`` (the setting bounds a document's text; a file's markup, fonts and images
outweigh it): a larger one (a zip bomb) is a report row naming the setting.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from policytopics.common.chinese import cjk_count, display_width
from policytopics.common.encoding import decode_page
from policytopics.read.records import RawDocument
from policytopics.settings.config import DEFAULT_MAX_FILE_BYTES, FILE_BYTES_PER_TEXT_BYTE

log = logging.getLogger("policytopics")

MB = 1_000_000
#: A PDF whose text layer holds fewer visible characters than this is taken for a scan.
MIN_PDF_CHARS = 20
#: A page whose main text has fewer Chinese characters than this has none (a list of links).
MIN_PAGE_CHARS = 50
#: Meta tags of a page's headline, most trusted first (gov.cn and provincial sites, Open Graph).
TITLE_META = ("ArticleTitle", "og:title", "title")
#: Meta tags of a page's publication date, most trusted first.
DATE_META = ("PubDate", "firstpublishedtime", "publishdate", "pubdate", "article:published_time")
_META_RE = re.compile(r"<meta\s+[^>]*?(?:name|property)\s*=\s*[\"']([^\"']+)[\"'][^>]*?>", re.I)
_CONTENT_RE = re.compile(r"content\s*=\s*[\"']([^\"']*)[\"']", re.I)
_H1_RE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_TAG_RE = re.compile(r"<[^>]+>")
#: What a site appends to a page's <title>: "_中国政府网", " - 山东省人民政府", "|新华网".
_SITE_SUFFIX_RE = re.compile(r"\s*[_|｜\-—–]+\s*[^_|｜\-—–]{2,30}(?:网|政府|门户|官网|日报|新闻)\s*$")


def read_document_file(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES):
    """The :class:`policytopics.read.records.RawDocument` of one HTML, PDF or Word file.

    ``max_bytes`` (``[corpus] max_document_mb``) bounds what one file may be, or inflate to
    (a Word file's XML): a larger one is a report row that names the setting.
    """
    reader = READERS[path.suffix.lower()]
    try:
        return reader(path, max_bytes)
    except Exception as exc:  # the readers raise their own error types on damaged files
        return RawDocument(path.stem, str(path), "",
                           error=f"unreadable {path.suffix.lower().lstrip('.')} file: "
                                 f"{type(exc).__name__}: {exc}".rstrip(": "))


def _meta(html: str) -> dict[str, str]:
    """The page's ``<meta name=… content=…>`` values by lower-case name (first wins)."""
    found: dict[str, str] = {}
    for match in _META_RE.finditer(html):
        content = _CONTENT_RE.search(match.group(0))
        if content and content.group(1).strip():
            found.setdefault(match.group(1).strip().lower(), content.group(1).strip())
    return found


def _plain(fragment: str) -> str:
    import html as html_module

    return " ".join(html_module.unescape(_TAG_RE.sub(" ", fragment)).split())


#: A channel's name between a headline and the site's in a ``<title>``: ``X_政策_中国政府网``.
_CHANNEL_SUFFIX_RE = re.compile(r"\s*[_|｜]\s*[^_|｜]{1,6}\s*$")


def _without_site(title: str, channels: bool = False) -> str:
    """A title without the site's name appended (and, with ``channels``, the channel's)."""
    title = _SITE_SUFFIX_RE.sub("", title)
    while channels and len(_CHANNEL_SUFFIX_RE.sub("", title)) >= 8 and _CHANNEL_SUFFIX_RE.search(title):
        title = _CHANNEL_SUFFIX_RE.sub("", title)
    return title


def page_title(html: str, meta: dict[str, str] | None = None) -> str | None:
    """The headline a reader would give the page: its headline metadata, the ``<h1>``, or
    ``<title>`` without the site's and the channel's name.

    A site's logo in an ``<h1>`` (its name) is no headline: among several ``<h1>``, the one
    the ``<title>`` holds wins.

    >>> page_title('<title>关于推动制造业发展的意见_政策_中国政府网</title>')
    '关于推动制造业发展的意见'
    >>> page_title('<meta name="ArticleTitle" content="关于X的通知"><h1>首页</h1>')
    '关于X的通知'
    """
    meta = _meta(html) if meta is None else meta
    site = site_name(html, meta)
    for name in TITLE_META:
        value = _plain(meta.get(name.lower(), ""))
        if value and value != site:
            return _without_site(value)
    match = _TITLE_RE.search(html)
    title = _plain(match.group(1)) if match else ""
    headlines = [h for h in (_plain(h1) for h1 in _H1_RE.findall(html)) if h and h != site]
    if headlines:
        return next((h for h in headlines if len(h) >= 4 and h in title), headlines[0])
    return _without_site(title, channels=True) or None


def _file_too_large(path: Path, max_bytes: int) -> RawDocument | None:
    size = path.stat().st_size
    if size <= max_bytes:
        return None
    kind = path.suffix.lower().lstrip(".")
    return RawDocument(path.stem, str(path), "", encoding=kind, error=f"{kind} file too large: "
                       + _too_large(f"the file ({size / MB:,.0f} MB)", max_bytes))


def _main_text(page) -> dict:
    """trafilatura's main text and metadata of a page (its HTML, or a parsed tree)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                            include_tables=True)
    return extracted.as_dict() if hasattr(extracted, "as_dict") else (extracted or {})


def _huge_tree(html: str):
    """The page parsed without lxml's nesting limit of 256 levels, or None."""
    from lxml import etree
    from lxml.html import HTMLParser, fromstring

    parser = HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True,
                        remove_pis=True, huge_tree=True)
    try:
        try:
            return fromstring(html, parser=parser)
        except ValueError:  # a string that declares its encoding (<?xml … encoding=…?>)
            return fromstring(html.encode("utf-8"), parser=HTMLParser(
                collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True,
                huge_tree=True, encoding="utf-8"))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


#: Elements that are no page's header: related-article lists, footers, sidebars, comments
#: (by their class or id), and what is never text. Their dates belong to other pages.
_NOT_HEADER = re.compile(r"(?<![a-z])(related|relate|xiangguan|xgxw|xgwz|xglj|recommend|tuijian|footer|"
                         r"foot|bottom|copyright|sidebar|side|hot|rank|comment|pinglun|list)", re.I)
#: A labelled date of a government page's metadata table (``成文日期：``, ``发布日期：``), which
#: may stand above the headline.
_TABLE_DATE_LABEL = re.compile(r"(成文日期|发布日期|发布时间)\s*[:：]\s*\d")
_NEVER_TEXT = ("script", "style", "noscript", "select", "option", "template", "iframe")
_BLOCK_TAGS = frozenset(["p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                         "ul", "ol", "table", "section", "article", "header", "footer", "dd", "dt", "center"])
#: How many lines above the main text a page's header (byline, 发布时间 line) is looked for.
HEADER_LINES = 12


def _without_lists_and_footers(tree):
    """A copy of a parsed page without scripts, related lists, footers and sidebars."""
    tree = copy.deepcopy(tree)
    for element in list(tree.iter(*_NEVER_TEXT)):
        element.drop_tree()
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if element.tag in ("footer", "aside", "nav") or _NOT_HEADER.search(
                f"{element.get('class', '')} {element.get('id', '')}"):
            element.drop_tree()
    return tree


def _htmldate(tree) -> str | None:
    """htmldate's publication date of a page (its metadata, ``<time>``, dated header elements),
    without its extensive search of the whole text, which reads related lists."""
    from htmldate import find_date

    try:
        return find_date(copy.deepcopy(tree), extensive_search=False, original_date=True)
    except Exception:  # htmldate is a best guess; a page it cannot read keeps its other dates
        return None


def _bare(line: str) -> str:
    """A line without spaces and table bars, as the page and trafilatura's text both hold it."""
    return re.sub(r"[\s|｜]+", "", line)


def page_header_lines(tree, text: str, title: str | None) -> tuple[str, ...]:
    """The lines of a page above its main text and below its headline: the byline, the
    ``发布时间：`` / ``来源：`` line that the main-text extractor leaves out (related lists,
    footers, sidebars and scripts removed first). :mod:`policytopics.text.metadata` reads the
    page's date there.
    """
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    body = tree.find(".//body")
    page_text = "".join((body if body is not None else tree).itertext())
    lines = [" ".join(line.split()) for line in page_text.split("\n") if line.strip()]
    plain_title = " ".join((title or "").split())
    first = next((_bare(line) for line in text.splitlines()
                  if len(line.strip()) >= 8 and _bare(line) != _bare(plain_title)), "")[:15]
    start = next((i for i, line in enumerate(lines) if first and first in _bare(line)), None)
    if start is None:
        return ()
    above = lines[max(0, start - HEADER_LINES):start]
    headline = next((i for i in range(len(above) - 1, -1, -1)
                     if plain_title and (above[i] == plain_title or plain_title in above[i])), None)
    # Without the headline found, the lines above may be a sidebar: none is the header, but
    # for a metadata table's labelled dates (gov.cn puts its table above the headline).
    labelled = [line for line in above[:headline] if _TABLE_DATE_LABEL.search(line)]
    return tuple(labelled + (above[headline + 1:] if headline is not None else []))


def site_name(html: str, meta: dict[str, str] | None = None) -> str | None:
    """The web site's name: its ``SiteName`` or ``og:site_name`` metadata, else the suffix of
    its ``<title>``.

    >>> site_name('<title>省发展改革委召开推进会 - 浙江省人民政府</title>')
    '浙江省人民政府'
    """
    meta = _meta(html) if meta is None else meta
    for name in ("sitename", "og:site_name"):
        if meta.get(name):
            return _plain(meta[name])
    match = _TITLE_RE.search(html)
    suffix = _SITE_SUFFIX_RE.search(_plain(match.group(1))) if match else None
    return suffix.group(0).strip(" _|｜-—–") or None if suffix else None


def read_html(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES):
    """A saved web page: main text, title, publication date (fallback), publisher."""
    too_large = _file_too_large(path, max_bytes)
    if too_large:
        return too_large
    html, encoding, error = decode_page(path.read_bytes())
    if error:
        return RawDocument(path.stem, str(path), "", encoding=encoding, error=error)
    meta = _meta(html)
    found = _main_text(html)
    text = (found.get("text") or "").strip()
    if cjk_count(text) < MIN_PAGE_CHARS:
        # lxml stops at 256 levels of nesting and trafilatura then finds no text: a page
        # nested deeper is parsed again without that limit (up to libxml2's own, 2,048).
        deep = _huge_tree(html)
        if deep is not None:
            deep = copy.deepcopy(deep)  # trafilatura prunes the tree it is given
            found = _main_text(deep)
            text = (found.get("text") or "").strip()
    if cjk_count(text) < MIN_PAGE_CHARS:
        return RawDocument(path.stem, str(path), "", encoding=encoding,
                           error="no main text in this page (a list or index page, or a page "
                                 "built by scripts): save the article page itself")
    tree = _huge_tree(html)
    furniture = _without_lists_and_footers(tree) if tree is not None else None
    date = next((meta[name.lower()] for name in DATE_META if meta.get(name.lower())), None)
    date_source = "page metadata" if date else None
    if not date and furniture is not None:
        date = _htmldate(furniture)
        date_source = "page metadata (htmldate)" if date else None
    title = page_title(html, meta) or found.get("title")
    header = page_header_lines(furniture, text, title) if furniture is not None else ()
    return RawDocument(path.stem, str(path), text, encoding=f"{encoding}; html", title=title,
                       fallback_date=date, fallback_date_source=date_source,
                       publisher=meta.get("contentsource"), page_header=header,
                       site=site_name(html, meta))


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
    too_large = _file_too_large(path, max_bytes)
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


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: Word elements whose text is not the document's: deleted and moved-away runs, field codes,
#: and the old-Word copy (``mc:Fallback``) of a drawing whose ``mc:Choice`` is read.
_DOCX_SKIP = {_W + "del", _W + "moveFrom", _W + "instrText", _W + "delInstrText", _MC + "Fallback"}
#: Word elements that hold paragraphs and tables: content controls, custom XML, tracked
#: insertions and moves at block level.
_DOCX_CONTAINERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo",
                    _W + "smartTag", _W + "txbxContent"}


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


def _too_large(what: str, limit: int) -> str:
    return (f"{what} is larger than the limit of {limit / MB:g} MB per file "
            f"({FILE_BYTES_PER_TEXT_BYTE} times [corpus] max_document_mb: a damaged file or a zip "
            "bomb); if it is a real document, raise "
            "[corpus] max_document_mb in study.toml")


def _zip_part(archive, name: str, limit: int) -> bytes:
    """One part of a zip package, inflated up to ``limit`` bytes (its declared size is not
    trusted: the inflated bytes are counted)."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise DocumentTooLarge(_too_large(f"{name} (declared {info.file_size / MB:,.0f} MB unpacked)", limit))
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise DocumentTooLarge(_too_large(f"{name} (unpacked)", limit))
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


#: File suffix → reader of one whole document.
READERS = {
    ".html": read_html,
    ".htm": read_html,
    ".shtml": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".doc": read_old_word,
    ".wps": read_old_word,
}
#: Suffixes of whole-document files.
DOCUMENT_SUFFIXES = tuple(READERS)

__all__ = ["DOCUMENT_SUFFIXES", "READERS", "page_title", "read_document_file"]
