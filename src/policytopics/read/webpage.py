"""Read saved web pages (``.html``, ``.htm``, ``.shtml``): one page, one document.

The main text by trafilatura (navigation, share buttons, footers and scripts left out), the
encoding from the page's own ``charset`` or by detection (GBK pages are common:
:func:`policytopics.common.encoding.decode_page`); the title from the page's headline metadata
(gov.cn's ``ArticleTitle``, ``og:title``, the ``<h1>``) before ``<title>`` (whose site suffix,
``_中国政府网``, is cut: :func:`page_title`); the publication date of the page's metadata
(gov.cn's ``PubDate``, ``firstpublishedtime``, then htmldate's reading without its whole-page
search) and the page's header lines (its byline, its ``发布时间：`` line:
:func:`page_header_lines`), read from the raw page before trafilatura drops them, with related
lists, footers and sidebars removed first; :mod:`policytopics.text.metadata` weighs them
against the dates of the text. The site's name (:func:`site_name`: its province, for a page
whose text names none); the publisher from ``ContentSource``. A page with no main text (a list
page, a page that is only scripts) is a report row, and so is a page over 20 times ``[corpus]
max_document_mb``.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from policytopics.common.chinese import cjk_count
from policytopics.common.encoding import decode_page
from policytopics.read.limits import file_too_large
from policytopics.read.records import RawDocument
from policytopics.read.whole_file import whole_file
from policytopics.settings.config import DEFAULT_MAX_FILE_BYTES, CorpusConfig

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


def read_html_file(path: Path, name: str, columns: CorpusConfig) -> tuple[RawDocument]:
    """A saved web page as one document (the reader of ``.html``, ``.htm`` and ``.shtml`` in
    :data:`policytopics.read.readers.READERS`)."""
    return whole_file(read_html, path, name, columns)


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
    too_large = file_too_large(path, max_bytes)
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


__all__ = ["page_header_lines", "page_title", "read_html", "read_html_file", "site_name"]
