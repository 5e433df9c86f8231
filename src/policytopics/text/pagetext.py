"""Page text as copied out of a web page: every widget on its own line, read as blocks.

Text copied from a government site or a newspaper database puts each page element on a
line of its own: ``下载`` / ``打印`` / ``全屏`` / ``【字号：`` / ``加大`` / ``还原`` / ``】``,
breadcrumbs (``首页`` / ``>`` / ``政府信息公开``), and labels whose value stands on the next
line (``发表时间：`` / ``2026-02-01 09:20``). One line at a time these look like words of the
article. :func:`join_label_values` first puts each label back with its value (so the
metadata rules read ``时间：2026-02-02 09:20`` whole), then :func:`mark_page_furniture` marks
widget lines, breadcrumb runs and app banners so that the cleaner drops them and the title
is never a widget. Used by :func:`policytopics.text.clean.clean_text` before its line rules.
"""

from __future__ import annotations

import html
import re

#: A label whose value may stand on the next line.
_LABEL_ONLY = re.compile(
    r"^(发表时间|发布时间|发布日期|时间|日期|来源|信息来源|文章来源|发文机关|发布机构|成文日期|"
    r"索引号|主题分类|作者|编辑|责任编辑|阅读量|阅读次数|浏览次数|点击数|字号)\s*[:：]\s*$")
#: Lines that are only a page widget (after stripping spaces and a trailing colon).
WIDGET_WORDS = frozenset([
    "下载", "打印", "全屏", "收藏", "分享", "分享到", "加大", "还原", "减小", "默认", "关闭", "关闭窗口",
    "返回顶部", "返回", "打印本页", "我要纠错", "【字号", "【字体", "字号", "字体", "【", "】", "小", "中",
    "大", "首页", "当前位置", "您的位置", "你的位置", "您现在的位置", "所在位置", "扫一扫在手机打开当前页",
    "扫一扫", "手机扫一扫", "微信", "微博", "QQ空间", "复制链接", "打开", "打开APP", "打开App",
    "下载APP", "下载App", "下载客户端", "打开客户端", "点击分享", "朋友圈", "微信好友", "QQ好友",
    "上一版", "下一版", "上一篇", "下一篇", "T", "|",
])
#: A widget group on one line: ``【字号：大 中 小】``, ``分享到：微信 微博 QQ空间``, ``打印 关闭``.
_WIDGET_SPLIT = re.compile(r"[\s【】\[\]|｜:：]+")
_BREADCRUMB_SEPARATOR = re.compile(r"^[>»›/]+$")
#: A newspaper's or site's app banner at the very top (宁夏日报客户端, 学习强国APP).
_APP_BANNER = re.compile(r"^.{1,12}(客户端|APP|App|app)$")
_SENTENCE_END = re.compile(r"[。！？!?；;]$")
#: A page's label line with a short value (joined or as copied): the page's metadata, read by
#: the date rules (``header``) and kept out of the article text.
_LABELS = (r"发表时间|发布时间|发布日期|时间|日期|成文日期|来源|信息来源|文章来源|发文机关|发布机构|索引号|"
           r"主题分类|阅读量|阅读次数|浏览次数|点击数|发文字号|文号|主题词|有效性|公文种类|体裁分类|服务对象")
_LABELLED_VALUE = re.compile(rf"^({_LABELS})\s*[:：]\s*[^。！？；]{{0,40}}$")
#: A government site's metadata table copied as text: ``标题：…`` (a long value), or several
#: ``label：value`` cells on one line (``发文机关：…\t成文日期：…``).
_TITLE_LABEL = re.compile(r"^(标题|名称|文件名称)\s*[:：]\s*\S.{0,120}$")
_LABEL_CELL = re.compile(rf"(^|\s)({_LABELS}|标题)\s*[:：]")


def join_label_values(lines: list[str]) -> list[str]:
    """Each label standing alone on a line joined with the value on the next one.

    The joined line replaces the label and the value's line becomes empty, so the number
    of lines (and every later rule's view of the page) stays the same.

    >>> join_label_values(["时间：", "2026-02-02 09:20", "正文。"])
    ['时间：2026-02-02 09:20', '', '正文。']
    """
    out = list(lines)
    for i, line in enumerate(out[:-1]):
        if _LABEL_ONLY.match(line.strip()):
            j = next((k for k in range(i + 1, min(i + 3, len(out))) if out[k].strip()), None)
            if j is not None and len(out[j].strip()) <= 40 and not _SENTENCE_END.search(out[j].strip()) \
                    and not _LABEL_ONLY.match(out[j].strip()):
                out[i] = line.strip() + out[j].strip()
                out[j] = ""
    return out


def is_widget(line: str) -> bool:
    """Whether a line is only a page widget (``下载``, ``【字号：``, ``】``, ``分享:``).

    >>> [is_widget(x) for x in ("下载", "【字号：", "分享:", "大", "加快建设制造强国")]
    [True, True, True, True, False]
    >>> [is_widget(x) for x in ("【字号：大 中 小】", "分享到：微信 微博", "上一版　下一版", "大中小企业")]
    [True, True, True, False]
    """
    stripped = line.strip().rstrip(":：").strip()
    if not stripped:
        return False
    if stripped in WIDGET_WORDS or _BREADCRUMB_SEPARATOR.match(stripped) is not None:
        return True
    # A group of widgets on one line: every word of it a widget word.
    if len(stripped) > 40:
        return False
    words = [w for w in _WIDGET_SPLIT.split(stripped) if w]
    return len(words) >= 2 and all(w in WIDGET_WORDS for w in words)


#: A document's signature: the issuing office on a line, the date alone on the next
#: (``山东省人民政府办公厅`` / ``2025年9月26日``): the issue date of a 通知 without 成文日期.
_ISSUER = re.compile(r"^\S{2,30}(人民政府|办公厅|办公室|委员会|厅|局|部|署|院)$")
_DATE_LINE = re.compile(r"^(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九]{4}年"
                        r"[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$")


def is_signature(line: str, following: str) -> bool:
    """Whether two lines are a document's signature: its issuing office, then its date.

    >>> is_signature("山东省人民政府办公厅", "2025年9月26日"), is_signature("相关新闻标题", "2025年9月26日")
    (True, False)
    """
    return bool(_ISSUER.match(line.strip()) and _DATE_LINE.match(following.strip()))


def mark_page_furniture(lines: list[str], rules: list[str | None]) -> None:
    """Mark widget lines (``widget``), label/value lines (``header``: the metadata rules read
    them), breadcrumb runs (``navigation``) and an app banner at the top (``widget``) in
    ``rules``, in place; lines already marked keep their rule.

    A breadcrumb run is a separator line (``>``) with the short lines on both sides of it:
    ``首页`` / ``>`` / ``政府信息公开`` / ``>`` / ``政府工作报告``.
    """
    for i, line in enumerate(lines):
        if rules[i] is None and is_widget(line):
            rules[i] = "widget"
        elif rules[i] is None and (_LABELLED_VALUE.match(line.strip()) or _TITLE_LABEL.match(line.strip())
                                   or len(_LABEL_CELL.findall(line)) >= 2):
            rules[i] = "header"
    for i, line in enumerate(lines):
        if _BREADCRUMB_SEPARATOR.match(line.strip()):
            for j in (i - 1, i + 1):
                if 0 <= j < len(lines) and rules[j] in (None, "widget") and _short_item(lines[j]):
                    rules[j] = "navigation"
            rules[i] = "navigation"
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and rules[first] is None and _APP_BANNER.match(lines[first].strip()):
        rules[first] = "widget"


def _short_item(line: str) -> bool:
    stripped = line.strip()
    return 0 < len(stripped) <= 12 and not _SENTENCE_END.search(stripped)


# --- page markup left in a text field ---------------------------------------------------

_HTML_TAGS = (r"html|head|body|title|meta|link|div|p|span|br|hr|a|img|font|strong|b|i|u|em|s|strike|"
              r"small|big|sup|sub|section|article|header|footer|nav|aside|main|h[1-6]|ul|ol|li|dl|dt|dd|"
              r"table|thead|tbody|tfoot|tr|td|th|caption|col|colgroup|center|blockquote|pre|code|"
              r"figure|figcaption|label|input|button|form|select|option|textarea|iframe|video|audio|"
              r"source|embed|object|param|o:p|st1:\w+|v:\w+|w:\w+|style|script|noscript")
#: A tag of HTML (or of Word's HTML export: ``<o:p>``), opening, closing or empty.
_MARKUP_TAG = re.compile(rf"</?(?:{_HTML_TAGS})(?=[\s/>])[^<>]*>", re.I)
_MARKUP_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,7}|#[xX][0-9a-fA-F]{2,6});")
#: Elements whose content is never text: styles, scripts, comments.
_MARKUP_HIDDEN = re.compile(r"<(style|script|noscript)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
#: Tags that end a block of text: a line break in the text.
_MARKUP_BLOCK = re.compile(r"^</?(p|div|br|hr|li|tr|h[1-6]|table|section|article|header|footer|ul|ol|dt|dd|"
                           r"blockquote|pre|center|figure|figcaption|title|nav|aside|main)\b", re.I)
_MARKUP_CELL = re.compile(r"^</?(td|th)\b", re.I)
#: A line that is only CSS rules (``.TRS_Editor P{margin-top:0px;…}``), left by a crawler that
#: dropped the ``<style>`` tags but not their content.
_CSS_LINE = re.compile(r"^\s*(?:[@.#\w][\w\s.#:,>*\-\[\]=\"'()]*\{[^{}]*\}\s*)+$")


def strip_markup(text: str) -> tuple[str, int]:
    r"""A text field without the web page's markup, and how many tags and entities went.

    Tables and crawler dumps often hold a page's body as HTML: an editor's ``<div>``s, a
    ``<style>`` or ``<script>`` block, ``&nbsp;`` indents. Styles, scripts and comments go
    whole; block tags (``<p>``, ``<div>``, ``<br>``) become line breaks, table cells tabs,
    other tags nothing; entities become their characters; lines of bare CSS rules go. A text
    with no HTML tag and no entity is returned unchanged (``a<b`` and ``《标题》`` are text).

    >>> strip_markup('<div class="TRS_Editor"><style>.TRS_Editor P{margin:0}</style>'
    ...              '<p>&nbsp;推进新型工业化。</p><p>扩大有效投资。</p></div>')
    ('\xa0推进新型工业化。\n扩大有效投资。', 8)
    """
    if "<" not in text and "&" not in text:
        return text, 0
    count = 0

    def hidden(match: re.Match) -> str:
        nonlocal count
        count += 1
        return "\n"

    def tag(match: re.Match) -> str:
        nonlocal count
        count += 1
        found = match.group(0)
        return "\n" if _MARKUP_BLOCK.match(found) else "\t" if _MARKUP_CELL.match(found) else ""

    if not _MARKUP_TAG.search(text):  # entities only (&ldquo; in a crawled report): lines stay
        count = len(_MARKUP_ENTITY.findall(text))
        return (html.unescape(text), count) if count else (text, 0)
    text = _MARKUP_HIDDEN.sub(hidden, text)
    text = _MARKUP_TAG.sub(tag, text)
    count += len(_MARKUP_ENTITY.findall(text))
    text = html.unescape(text)
    lines = [line for line in text.split("\n") if not _CSS_LINE.match(line)]
    count += text.count("\n") + 1 - len(lines)
    # Block tags leave empty lines and cells leave tabs at line ends: the text's own lines stay.
    lines = [line.strip("\t ") for line in lines]
    return "\n".join(line for line in lines if line), count


__all__ = ["WIDGET_WORDS", "is_signature", "is_widget", "join_label_values", "mark_page_furniture",
           "strip_markup"]
