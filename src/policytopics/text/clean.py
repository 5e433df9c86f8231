"""Clean crawled article text: pinyin annotations, script, mojibake, web furniture, spam.

Every rule is a small function that can be tested on its own, and every removal is
counted under the rule's name, so the ingest report can say what was taken out and why.

Order matters and is fixed: control characters are deleted, a web page's markup left in a
text field (editor ``<div>``s, ``<style>``, ``<script>``, ``&nbsp;``) is stripped to its text
(:func:`policytopics.text.pagetext.strip_markup`), pinyin annotations are
stripped (``當(dāng)前位置`` must become ``當前位置`` before any rule can recognise it),
mojibake runs are repaired or removed (on the text as crawled: NFKC and t2s would change
the bytes the repair re-reads), then Unicode NFKC and traditional→simplified conversion,
then line rules, and finally spam spliced into the kept lines is cut and, when a study asks
for it (``[clean] report_ritual``), the ritual of Government Work Reports
(:mod:`policytopics.text.ritual`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from policytopics.common.chinese import CJK_RANGE, cjk_count, literal_union, to_simplified
from policytopics.settings.config import CleanConfig
from policytopics.text.mojibake import TONED, repair_mojibake
from policytopics.text.pagetext import is_signature, join_label_values, mark_page_furniture, strip_markup
from policytopics.text.ritual import cut_report_ritual

# --- pinyin annotations --------------------------------------------------------------

_TONED = TONED
_PINYIN_ANNOTATION = re.compile(
    rf"(?<=[{CJK_RANGE}])[(（]([a-z{_TONED}]{{1,7}})[)）]"
)
_PINYIN_SYLLABLE = re.compile(
    r"^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(iong|uang|iang|ueng|ang|eng|ing|ong|uan|van|ian|iao|uai|ai|ei|ao|ou|an|en|in|un|vn"
    r"|ia|ie|iu|ua|uo|ue|ve|ui|er|a|o|e|i|u|v)$"
)


def _plain_syllable(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.replace("ü", "v").replace("u\u0308", "v")


def is_pinyin_syllable(token: str) -> bool:
    """True if ``token`` is one pinyin syllable, with or without tone marks."""
    return bool(_PINYIN_SYLLABLE.match(_plain_syllable(token.lower())))


def strip_pinyin_annotations(text: str) -> tuple[str, int]:
    """Remove pinyin glued after characters: ``調(diào)研`` → ``調研``.

    Only a single pinyin syllable in ASCII or full-width parentheses directly after a
    Chinese character is removed; ``(记者 鄔政)``, ``（1）`` and ``(ICT)`` stay.
    """
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        if is_pinyin_syllable(match.group(1)):
            count += 1
            return ""
        return match.group(0)

    return _PINYIN_ANNOTATION.sub(replace, text), count


# --- script normalisation ------------------------------------------------------------

def normalise(text: str, *, simplified: bool = True) -> str:
    """NFKC (full-width digits and letters to ASCII), optional t2s, tidy spaces."""
    text = unicodedata.normalize("NFKC", text)
    if simplified:
        text = to_simplified(text)
    text = _SPACES.sub(" ", text.replace("\u3000", " ").replace("\xa0", " "))
    # One scan of the whole text (a run of spaces never spans lines), then each line stripped.
    return "\n".join(line.strip() for line in text.split("\n"))


_SPACES = re.compile(r"[ \t]+")


# --- line rules ----------------------------------------------------------------------

_DATE_ONLY = re.compile(
    r"^\s*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*$"
)
_DATE_LEAD = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s")
_NAV = re.compile(r"^(当前位置|您的位置|你的位置|您现在的位置|所在位置|位置)\s*[:：]|首页\s*[>»/]")
_NAV_SEPARATORS = re.compile(r"[>»›]")
_WIDGET = re.compile(
    r"^(打印|分享|关闭|关闭窗口|返回顶部|收藏|评论|点赞|广告|分享到|扫一扫|我要纠错|打印本页|我的订阅"
    r"|字号\s*[:：]?.*|【?\s*(大|中|小)\s*】?(\s*【?\s*(大|中|小)\s*】?)+"
    r"|(\d+\s*(赞|人气|阅读|评论|浏览|收藏|次浏览|人浏览|人阅读)\s*)+"
    r"|(浏览|点击|阅读|访问)(次数|量|数)\s*[:：]\s*\d*)$"
)
# A headline with its counter: "国米逆转米兰… 946赞", "…保级而战 853人气".
_COUNTER_TAIL = re.compile(r"\s\d+\s*(赞|人气|阅读|浏览|评论|次浏览|次阅读)$")
_PREV_NEXT = re.compile(
    r"^(上一篇|下一篇|上一条|下一条|前一篇|后一篇|上一页|下一页|上一文章|下一文章|上一个|下一个)\s*[:：\s]"
)
_HEADER = re.compile(
    r"(来源|发布时间|发布日期|发布者|编辑|责任编辑|作者|浏览次数|阅读次数|点击数|类别|信息来源)\s*[:：]"
)
_BYLINE = re.compile(
    # a credit in brackets: (视频编辑:张三 文字编辑:李四), (记者 王五)
    r"^[(（【\[]\s*(视频编辑|文字编辑|责任编辑|编辑|作者|记者|摄影|通讯员|来源|出处|校对|审核)\s*[:：]?"
    r"[^。！？!?;；()（）]{0,60}[)）】\]]$"
    # or a bare editor credit of a few names: 责任编辑:张三
    r"|^(视频编辑|文字编辑|责任编辑|编辑|摄影|校对|审核)\s*[:：]\s*[^\s,，。!?！？]{1,12}(\s+[^\s,，。!?！？]{1,12}){0,3}$"
)
_SEO_META = re.compile(
    r"^[【\[]?(本文名称|本文链接|本文地址|本文访问地址|本文标题|原文地址|信息原文地址|原文链接|本文关键词"
    r"|本文摘要|文章摘要|简要描述|简要说明|所属分类|网页网址|关键词|关键字|相关标签|话题标签|热门城市|标签"
    r"|tags?|快照生成时间|本文转自|转载请注明)[】\]]?\s*[:：]"
    r"|以上内容为.{0,10}快照|信息快照|资讯信息快照",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^(版权声明|免责声明|声明)\s*[:：]|^(版权所有|copyright|©)"
    r"|本(站|网站|网)(发布|所有|内容|文章|资源|信息|部分|转载|不|仅)|不代表本.{0,6}(立场|观点)|未经.{0,8}(许可|允许|授权).{0,12}转载"
    r"|如有侵权|侵权请|请.{0,6}联系.{0,8}删除|all rights reserved|ICP备",
    re.IGNORECASE,
)
# Licence notices that mirrors (Wikisource and the like) append after the document.
_LICENCE_START = re.compile(
    r"^(本作品|本条目|本文本|此作品|注[:：].{0,10}(维基|wiki)|public domain|this work)", re.IGNORECASE
)
_LICENCE_MARK = re.compile(
    r"维基|wiki|文库|著作权法|公有领域|public domain|知识共享|creative commons|许可协议|授权条款",
    re.IGNORECASE,
)
_CONTACT_LABEL = re.compile(
    r"^(电话|联系电话|手机|传真|邮箱|电子邮箱|e-?mail|网址|网页网址|地址|新闻爆料|商务合作|客服|qq)\s*[:：]|^联系我们",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<!\d)(0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|400-?\d{3}-?\d{4})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_URL = re.compile(r"(https?://|www\.)\S+|\b[\w-]+\.(com|cn|net|org|cc)(/\S*)?\b", re.IGNORECASE)
_RELATED_HEADING = re.compile(
    r"^(相关阅读|相关新闻|相关报道|相关文章|相关链接|推荐新闻|推荐阅读|推荐文章|热点推荐|热门推荐|延伸阅读"
    r"|猜你喜欢|更多.{0,12}(资讯|新闻|内容|文章)|热门文章|最新文章|精彩推荐|为您推荐|大家都在看)\s*[:：]?\s*$"
)
# After NFKC "…" is "...": a single ellipsis (3 dots) or a crawler's run of 7+ dots marks a
# cut teaser; the news-style "……" (6 dots) stays.
_TEASER = re.compile(r"^\.{3}(?!\.)|(?<!\.)(\.{3}|\.{7,})$")
_SENTENCE_END = re.compile(r"[。！？!?；;”\"」』)）]$")
_BULLET = re.compile(r"^[•·●◆■▪►>\-*]\s*")
# Gambling brands: a name, a casino word, a call to action (欧宝体育app, 威尼斯人现金网网址).
_SPAM_BRAND = re.compile(
    rf"[{CJK_RANGE}a-z0-9]{{1,8}}(体育|娱乐|国际|贵宾会|棋牌|彩票|电竞|真人|现金网)"
    r"(官网|官方网站|app|下载|登录|登入|网址|手机版|开户|入口|中文版|线路)[:：]?"
    # a two-character name + 贵宾会 (美狮贵宾会), a site code + casino (js333金沙线路)
    rf"|[{CJK_RANGE}]{{2}}贵宾会[:：]?"
    r"|[a-z]{1,6}\d{2,5}(金沙|威尼斯人|葡京|永利|银河)(线路|网站|娱乐|官网|app)?[:：]?",
    re.IGNORECASE,
)
# Every brand shape above holds one of these words: a line without any needs no scan.
_SPAM_BRAND_WORDS = ("体育", "娱乐", "国际", "贵宾会", "棋牌", "彩票", "电竞", "真人", "现金网",
                     "金沙", "威尼斯人", "葡京", "永利", "银河")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTACT_ZONE = 0.2  # share of a page's lines at each end where contact lines are furniture


@lru_cache(maxsize=8)
def load_spam_phrases(path: str | None) -> tuple[str, ...]:
    """Read a spam phrase list (one per line, ``#`` comments), lower-cased, longest first."""
    if not path:
        return ()
    text = Path(path).read_text(encoding="utf-8-sig")
    phrases = {
        line.strip().lower() for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    return tuple(sorted(phrases, key=len, reverse=True))


def spam_hits(line: str, phrases: tuple[str, ...]) -> list[str]:
    """Spam phrases found in ``line`` (case-insensitive)."""
    lowered = line.lower()
    if not phrases or not _any_phrase(phrases).search(lowered):
        return []  # most lines: one regex scan instead of one substring test per phrase
    return [p for p in phrases if p in lowered]


@lru_cache(maxsize=8)
def _any_phrase(phrases: tuple[str, ...]) -> re.Pattern:
    return literal_union(phrases)


def is_joined_titles(line: str) -> bool:
    """SEO title farms: three or more titles joined by ``_`` with no sentence punctuation."""
    parts = [p for p in line.split("_") if p.strip()]
    return len(parts) >= 3 and not re.search(r"[。，,；;！？]", line)


def _may_hold_brand(line: str) -> bool:
    """Whether ``line`` holds a word every brand shape needs (a cheap test before the regex)."""
    return any(word in line for word in _SPAM_BRAND_WORDS)


def spam_brands(line: str) -> list[str]:
    """Gambling-brand shapes in ``line`` (``欧宝体育app``, ``王者威尼斯人现金网网址：``)."""
    if not _may_hold_brand(line):
        return []
    return [m.group(0) for m in _SPAM_BRAND.finditer(line)]


def has_contact(line: str) -> bool:
    """The line names a phone number, e-mail or web address, or starts with a contact label."""
    return bool(_CONTACT_LABEL.match(line) or _PHONE.search(line) or _EMAIL.search(line)
                or _URL.search(line))


def _contact_share(line: str) -> float:
    spans = [m.span() for pattern in (_CONTACT_LABEL, _PHONE, _EMAIL, _URL) for m in pattern.finditer(line)]
    return sum(end - start for start, end in spans) / max(1, len(line))


def classify_line(line: str, phrases: tuple[str, ...] = ()) -> str | None:
    """Name of the rule that marks ``line`` as not article text, or ``None`` to keep it.

    Lines are expected after :func:`normalise` (NFKC, simplified script). Rules that
    depend on where a line stands on the page (contact lines at the head or tail, the
    licence tail, related lists) are applied by :func:`clean_text`.
    """
    stripped = _BULLET.sub("", line).strip()
    length = len(stripped)
    if not stripped:
        return None
    if _NAV.search(stripped) or (length <= 60 and len(_NAV_SEPARATORS.findall(stripped)) >= 2):
        return "navigation"
    if _WIDGET.match(stripped) or (length <= 80 and _COUNTER_TAIL.search(stripped)):
        return "widget"
    if _PREV_NEXT.match(stripped):
        return "prev_next"
    if _SEO_META.search(stripped):
        return "seo_meta"
    if length <= 120 and _HEADER.search(stripped) and not _SENTENCE_END.search(stripped):
        return "header"
    if _BYLINE.match(stripped) and length <= 80:
        return "byline"
    if length <= 40 and _DATE_LEAD.match(stripped) and not _DATE_ONLY.match(stripped):
        return "header"
    if length <= 150 and _FOOTER.search(stripped):
        return "footer"
    if length <= 40 and has_contact(stripped) and not _SENTENCE_END.search(stripped):
        return "contact"
    if length <= 150 and _TEASER.search(stripped):
        return "teaser"
    if _RELATED_HEADING.match(stripped) or _DATE_ONLY.match(stripped):
        return "related_list"
    if is_joined_titles(stripped):
        return "spam_line"
    hits = spam_hits(stripped, phrases)
    if hits and (len(hits) >= 2 or length <= 80):
        return "spam_line"
    brands = spam_brands(stripped)
    if brands and (len(brands) >= 2 or sum(map(len, brands)) >= 0.5 * length):
        return "spam_line"
    if _BULLET.match(line) and length <= 15:
        return "navigation"
    return None


#: Everything cleaning removes is counted under one of these names (``documents.csv`` has a
#: ``removed_<name>`` column for each): characters and runs cut from the text, spam cut from a
#: line, and the lines each line rule took out (``above_title``: the short lines above a title
#: found further down, counted by :mod:`policytopics.text.documents`).
REMOVAL_RULES = (
    "control_char", "markup", "pinyin_annotation", "mojibake_repaired", "mojibake_removed", "spam_phrase",
    "spam_brand", "navigation", "widget", "prev_next", "seo_meta", "header", "byline", "footer",
    "licence_footer", "contact", "teaser", "related_list", "spam_line", "above_title",
    "report_problems", "report_thanks", "report_closing",
)


@dataclass
class CleanedText:
    """Result of cleaning one document."""

    text: str
    lines: list[tuple[str, str | None]] = field(default_factory=list)  # (line, rule or None)
    removed: Counter = field(default_factory=Counter)

    @property
    def kept_lines(self) -> list[str]:
        return [line for line, rule in self.lines if rule is None and line]


def clean_text(text: str, config: CleanConfig | None = None) -> CleanedText:
    """Clean one article; see the module docstring for the order of the rules.

    Examples
    --------
    >>> clean_text("調(diào)研制造業(yè)发展的情况。").text
    '调研制造业发展的情况。'
    """
    config = config or CleanConfig()
    removed: Counter = Counter()
    text, n = _CONTROL.subn("", text)
    removed["control_char"] += n
    text, n = strip_markup(text)  # a page's HTML left in a table's text column
    removed["markup"] += n
    text, n = strip_pinyin_annotations(text)
    removed["pinyin_annotation"] += n
    # Mojibake is repaired on the bytes as crawled: NFKC and t2s would change them.
    text, repaired, dropped = repair_mojibake(text)
    removed["mojibake_repaired"] += repaired
    removed["mojibake_removed"] += dropped
    text = normalise(text, simplified=config.traditional_to_simplified)

    phrases = load_spam_phrases(str(config.spam_phrases) if config.spam_phrases else None)
    raw_lines = text.split("\n")
    if config.drop_boilerplate:
        raw_lines = join_label_values(raw_lines)  # 时间： / 2026-02-02 → one line (pagetext)
    rules: list[str | None] = [
        classify_line(line, phrases) if config.drop_boilerplate else None for line in raw_lines
    ]
    if config.drop_boilerplate:
        mark_page_furniture(raw_lines, rules)
        _mark_related_blocks(raw_lines, rules)
        _mark_licence_tail(raw_lines, rules)
        _mark_contact_edges(raw_lines, rules)
    lines: list[tuple[str, str | None]] = []
    total, before = max(sum(map(len, raw_lines)), 1), 0
    for line, rule in zip(raw_lines, rules):
        position, before = before / total, before + len(line)
        if rule is None and config.drop_boilerplate:
            line, cut = cut_spam(line, phrases)
            removed += cut
            if line.strip() and cjk_count(line) < 4 and sum(cut.values()):
                rule = "spam_line"  # little but the spam was left
        if rule is not None:
            removed[rule] += 1
        elif config.report_ritual and line.strip():
            left, cut = cut_report_ritual(line, config.report_ritual, position=position)
            removed += cut  # one count per cut, however many lines it empties
            if not left:  # all of it ritual: the line keeps its text, marked by the first rule that cut
                rule = next(iter(cut))
            else:
                line = left
        lines.append((line, rule))
    kept = [line for line, rule in lines if rule is None and line.strip()]
    return CleanedText(text="\n".join(kept), lines=lines, removed=+removed)


def cut_spam(line: str, phrases: tuple[str, ...] = ()) -> tuple[str, Counter]:
    """Cut spam spliced into a sentence: listed phrases, then gambling-brand shapes.

    ``美狮贵宾会四名挂职干部`` → ``四名挂职干部``. A colon right after the spam goes with it.
    Returns the line and the counts under ``spam_phrase`` and ``spam_brand``.
    """
    cut: Counter = Counter()
    # Brand shapes first: they take the whole name (美狮贵宾会), a listed 贵宾会 only a part.
    if _may_hold_brand(line):
        line, n = _SPAM_BRAND.subn("", line)
        cut["spam_brand"] += n
    for phrase in spam_hits(line, phrases):
        line, n = re.subn(re.escape(phrase) + "[:：]?", "", line, flags=re.IGNORECASE)
        cut["spam_phrase"] += n
    return line, +cut


def _mark_licence_tail(lines: list[str], rules: list[str | None], max_chars: int = 1000) -> None:
    """A licence notice closing the page (Wikisource's 本作品…著作权法…公有领域) and all after it.

    The notice starts at the earliest licence-like line in the last ``max_chars``
    characters, and the tail must name at least two licence marks (维基, 著作权法…).
    """
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    tail_chars = 0
    start = None
    for pos in range(len(nonempty) - 1, -1, -1):
        tail_chars += len(lines[nonempty[pos]])
        if tail_chars > max_chars:
            break
        if _LICENCE_START.match(lines[nonempty[pos]].strip()):
            start = pos
    if start is None:
        return
    tail = "\n".join(lines[i] for i in nonempty[start:])
    if len({m.group(0).lower() for m in _LICENCE_MARK.finditer(tail)}) >= 2:
        for i in nonempty[start:]:
            rules[i] = "licence_footer"


def _mark_contact_edges(lines: list[str], rules: list[str | None], max_chars: int = 120) -> None:
    """Contact lines at the head or the tail of a page; inside the article, news quotes hotlines."""
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    zone = max(2, round(len(nonempty) * _CONTACT_ZONE))
    for pos, index in enumerate(nonempty):
        if rules[index] is not None or zone <= pos < len(nonempty) - zone:
            continue
        stripped = lines[index].strip()
        if (len(stripped) <= max_chars and not _SENTENCE_END.search(stripped)
                and has_contact(stripped) and _contact_share(stripped) >= 0.3):
            rules[index] = "contact"


_LIST_RULES = ("related_list", "teaser")


def _headline_and_date(lines: list[str], rules: list[str | None], nonempty: list[int]) -> None:
    """A page's own headline with its date under it is not a one-item related list.

    Above the article's first paragraph, a run of list lines holding one bare date at most
    (``2026年山东省政府工作报告`` / ``2026-01-29 09:20``, with a photo caption above or a source
    line between: three lines and one date at most) is the
    page's headline and publication date, when it is the only such run up there: the
    headline goes back to the text and the date becomes a ``header`` line the date rules
    read. A related list has two items or more, and a page of links many runs.
    """
    first_paragraph = next((i for i in nonempty if rules[i] is None and len(lines[i].strip()) >= 15
                            and _SENTENCE_END.search(lines[i].strip())), None)
    top = [i for i in nonempty if first_paragraph is None or i < first_paragraph]
    runs: list[tuple[list[int], bool]] = []  # (lines, under a "相关新闻" heading)
    run: list[int] = []
    after_heading = False
    for index in [*top, None]:
        heading = index is not None and bool(_RELATED_HEADING.match(lines[index].strip()))
        if index is not None and rules[index] == "related_list" and not heading:
            run.append(index)
            continue
        if run:
            runs.append((run, after_heading))
        run, after_heading = [], heading
    # Only a lone run: a page of links (one link and its date after another) is a list.
    if len(runs) != 1 or runs[0][1]:
        return
    run = runs[0][0]
    dates = [i for i in run if _DATE_ONLY.match(lines[i].strip())]
    if len(dates) <= 1 and len(run) - len(dates) <= 3:
        for i in run:
            rules[i] = "header" if i in dates else None


def _mark_related_blocks(lines: list[str], rules: list[str | None]) -> None:
    """Related-article lists: a title line followed by a teaser or a date line is a link.

    Also everything after a "related" heading that is not a full paragraph.
    """
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    # A document's signature (its office, its date) is no link with its date.
    signed = {i for pos, i in enumerate(nonempty[:-1]) if is_signature(lines[i], lines[nonempty[pos + 1]])}
    for index in list(signed):
        signed.add(nonempty[nonempty.index(index) + 1])
    for index in signed:
        if rules[index] == "related_list":  # a bare date line is a list's date only elsewhere
            rules[index] = None
    for pos, index in enumerate(nonempty):
        if rules[index] is not None or index in signed:
            continue
        nxt = nonempty[pos + 1] if pos + 1 < len(nonempty) else None
        stripped = lines[index].strip()
        if nxt is None or rules[nxt] not in _LIST_RULES or _SENTENCE_END.search(stripped):
            continue
        # A truncated paragraph (no closing punctuation) right above a bare date is a teaser.
        if len(stripped) <= 80 or _DATE_ONLY.match(lines[nxt].strip()):
            rules[index] = "related_list"
    # Walk backwards so chains (title, teaser, date) are all caught.
    for pos in range(len(nonempty) - 2, -1, -1):
        index, nxt = nonempty[pos], nonempty[pos + 1]
        stripped = lines[index].strip()
        if (rules[index] is None and rules[nxt] in _LIST_RULES and len(stripped) <= 80
                and not _SENTENCE_END.search(stripped) and index not in signed):
            rules[index] = "related_list"
    _headline_and_date(lines, rules, nonempty)
    in_block = False
    for index in nonempty:
        if rules[index] == "related_list" and _RELATED_HEADING.match(lines[index].strip()):
            in_block = True
            continue
        if in_block and rules[index] not in (None, *_LIST_RULES):
            # Page furniture (a breadcrumb, a widget, a label) starts another part of the page.
            in_block = False
        if in_block and rules[index] is None:
            if len(lines[index]) > 150 and _SENTENCE_END.search(lines[index].strip()):
                in_block = False
            else:
                rules[index] = "related_list"
