"""Clean crawled article text: pinyin annotations, script, mojibake, web furniture, spam.

Every rule is a small function that can be tested on its own, and every removal is
counted under the rule's name, so the ingest report can say what was taken out and why.

Order matters and is fixed: pinyin annotations are stripped first (``當(dāng)前位置``
must become ``當前位置`` before any rule can recognise it), then Unicode NFKC and
traditional→simplified conversion, then mojibake runs, then line rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .config import CleanConfig

_CJK = "\u4e00-\u9fff"
_CJK_RE = re.compile(f"[{_CJK}]")

# --- pinyin annotations --------------------------------------------------------------

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê"
_PINYIN_ANNOTATION = re.compile(
    rf"(?<=[{_CJK}])[(（]([a-z{_TONED}]{{1,7}})[)）]"
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

@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified with OpenCC (``制造業`` → ``制造业``)."""
    return _t2s().convert(text)


def normalise(text: str, *, simplified: bool = True) -> str:
    """NFKC (full-width digits and letters to ASCII), optional t2s, tidy spaces."""
    text = unicodedata.normalize("NFKC", text)
    if simplified:
        text = to_simplified(text)
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))


# --- mojibake --------------------------------------------------------------------------

_BROKEN_ANNOTATION = re.compile(rf"\?[a-z{_TONED}]{{1,7}}\)")


def _is_suspicious(char: str) -> bool:
    if char in "?\ufffd":
        return True
    code = ord(char)
    if 0x0370 <= code <= 0x04FF or 0xE000 <= code <= 0xF8FF:  # Greek, Cyrillic, private use
        return True
    if "\u4e00" <= char <= "\u9fff":
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            return True
    return False


def remove_mojibake(text: str) -> tuple[str, int]:
    """Remove runs of characters decoded out of step (GBK bytes read one byte off).

    A run is a stretch where suspicious characters (``?``, U+FFFD, Greek/Cyrillic or
    private-use letters amid Chinese, characters outside GB2312 after simplification,
    broken pinyin annotations like ``?jié)``) stand at most two characters apart; it is
    removed when it holds at least three of them. Returns the text and the number of runs.
    """
    marked = _BROKEN_ANNOTATION.sub(lambda m: "\ufffd" * len(m.group(0)), text)
    flags = [_is_suspicious(c) for c in marked]
    runs: list[tuple[int, int]] = []
    start = last = None
    hits = 0
    for index, flag in enumerate(flags):
        if not flag:
            continue
        if last is not None and index - last <= 3:
            last = index
            hits += 1
            continue
        if start is not None and hits >= 3:
            runs.append((start, last + 1))
        start = last = index
        hits = 1
    if start is not None and hits >= 3:
        runs.append((start, last + 1))
    for begin, end in reversed(runs):
        text = text[:begin] + text[end:]
    return text, len(runs)


# --- line rules ----------------------------------------------------------------------

_DATE_ONLY = re.compile(
    r"^\s*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*$"
)
_DATE_LEAD = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s")
_NAV = re.compile(r"^(当前位置|您的位置|你的位置|您现在的位置|所在位置|位置)\s*[:：]|首页\s*[>»/]")
_NAV_SEPARATORS = re.compile(r"[>»›]")
_WIDGET = re.compile(
    r"^(打印|分享|关闭|关闭窗口|返回顶部|收藏|评论|点赞|广告|分享到|扫一扫|我要纠错|打印本页"
    r"|字号\s*[:：]?.*|【?\s*(大|中|小)\s*】?(\s*【?\s*(大|中|小)\s*】?)+|\d+\s*(赞|人气|阅读|评论))$"
)
_HEADER = re.compile(
    r"(来源|发布时间|发布日期|发布者|编辑|责任编辑|作者|浏览次数|阅读次数|点击数|类别|信息来源)\s*[:：]"
)
_CRAWLER_META = re.compile(
    r"^(本文名称|本文链接|本文地址|本文标题|原文地址|信息原文地址|原文链接|本文关键词|本文摘要"
    r"|关键词|标签|tags?|上一篇|下一篇|上一条|下一条|快照生成时间|本文转自|转载请注明)\s*[:：]?"
    r"|以上内容为.{0,10}快照|信息快照|资讯信息快照",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^(版权声明|免责声明|声明|版权所有|copyright|©)"
    r"|本站|本网站|本网(?!络)|不代表.{0,6}立场|未经.{0,8}(许可|允许|授权).{0,12}转载"
    r"|如有侵权|侵权请|请.{0,6}联系.{0,8}删除|all rights reserved|ICP备",
    re.IGNORECASE,
)
_CONTACT_LABEL = re.compile(
    r"^(电话|联系电话|手机|传真|邮箱|电子邮箱|e-?mail|网址|网页网址|地址|新闻爆料|商务合作|联系我们|客服)\s*[:：]?",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<!\d)(0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|400-?\d{3}-?\d{4})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_URL = re.compile(r"(https?://|www\.)\S+|\b[\w-]+\.(com|cn|net|org|cc)(/\S*)?\b", re.IGNORECASE)
_RELATED_HEADING = re.compile(
    r"^(相关阅读|相关新闻|相关文章|相关链接|推荐新闻|推荐阅读|推荐文章|热点推荐|热门推荐|延伸阅读"
    r"|猜你喜欢|更多.{0,12}(资讯|新闻|内容|文章)|热门文章|最新文章|精彩推荐)\s*[:：]?\s*$"
)
_TEASER = re.compile(r"^(\.{3}|…{1})(?!…)|(?<![.…])(\.{3}|…)$")
_SENTENCE_END = re.compile(r"[。！？!?；;”\"」』)）]$")
_BULLET = re.compile(r"^[•·●◆■▪►>\-*]\s*")

RULES = (
    "pinyin_annotation", "mojibake", "navigation", "widget", "header", "crawler_meta",
    "footer", "contact", "related_list", "spam_line", "spam_phrase", "short_fragment",
)


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
    return [p for p in phrases if p in lowered]


def is_joined_titles(line: str) -> bool:
    """SEO title farms: three or more titles joined by ``_`` with no sentence punctuation."""
    parts = [p for p in line.split("_") if p.strip()]
    return len(parts) >= 3 and not re.search(r"[。，,；;！？]", line)


def classify_line(line: str, phrases: tuple[str, ...] = ()) -> str | None:
    """Name of the rule that marks ``line`` as not article text, or ``None`` to keep it.

    Lines are expected after :func:`normalise` (NFKC and simplified script).
    """
    stripped = _BULLET.sub("", line).strip()
    length = len(stripped)
    if not stripped:
        return None
    if _NAV.search(stripped) or (length <= 60 and len(_NAV_SEPARATORS.findall(stripped)) >= 2):
        return "navigation"
    if _WIDGET.match(stripped):
        return "widget"
    if _CRAWLER_META.search(stripped):
        return "crawler_meta"
    if length <= 120 and _HEADER.search(stripped) and not _SENTENCE_END.search(stripped):
        return "header"
    if length <= 40 and _DATE_LEAD.match(stripped) and not _DATE_ONLY.match(stripped):
        return "header"
    if _FOOTER.search(stripped):
        return "footer"
    if _CONTACT_LABEL.match(stripped) or (
        length <= 80 and (_PHONE.search(stripped) or _EMAIL.search(stripped) or _URL.search(stripped))
    ):
        return "contact"
    if _RELATED_HEADING.match(stripped) or _DATE_ONLY.match(stripped) or _TEASER.search(stripped):
        return "related_list"
    if is_joined_titles(stripped):
        return "spam_line"
    hits = spam_hits(stripped, phrases)
    if hits and (len(hits) >= 2 or length <= 80):
        return "spam_line"
    if _BULLET.match(line) and length <= 15:
        return "navigation"
    return None


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
    text, n = strip_pinyin_annotations(text)
    removed["pinyin_annotation"] += n
    text = normalise(text, simplified=config.traditional_to_simplified)
    text, n = remove_mojibake(text)
    removed["mojibake"] += n

    phrases = load_spam_phrases(str(config.spam_phrases) if config.spam_phrases else None)
    raw_lines = text.split("\n")
    rules: list[str | None] = [
        classify_line(line, phrases) if config.drop_boilerplate else None for line in raw_lines
    ]
    if config.drop_boilerplate:
        _mark_related_blocks(raw_lines, rules)
    lines: list[tuple[str, str | None]] = []
    for line, rule in zip(raw_lines, rules):
        if rule is None and phrases:
            for phrase in spam_hits(line, phrases):
                line = re.sub(re.escape(phrase), "", line, flags=re.IGNORECASE)
                removed["spam_phrase"] += 1
        if rule is not None:
            removed[rule] += 1
        lines.append((line, rule))
    kept = [line for line, rule in lines if rule is None and line.strip()]
    return CleanedText(text="\n".join(kept), lines=lines, removed=+removed)


def _mark_related_blocks(lines: list[str], rules: list[str | None]) -> None:
    """Related-article lists: a title line followed by a teaser or a date line is a link.

    Also everything after a "related" heading that is not a full paragraph.
    """
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    for pos, index in enumerate(nonempty):
        if rules[index] is not None:
            continue
        nxt = nonempty[pos + 1] if pos + 1 < len(nonempty) else None
        stripped = lines[index].strip()
        if nxt is None or rules[nxt] != "related_list" or _SENTENCE_END.search(stripped):
            continue
        # A truncated paragraph (no closing punctuation) right above a bare date is a teaser.
        if len(stripped) <= 80 or _DATE_ONLY.match(lines[nxt].strip()):
            rules[index] = "related_list"
    # Walk backwards so chains (title, teaser, date) are all caught.
    for pos in range(len(nonempty) - 2, -1, -1):
        index, nxt = nonempty[pos], nonempty[pos + 1]
        stripped = lines[index].strip()
        if (rules[index] is None and rules[nxt] == "related_list" and len(stripped) <= 80
                and not _SENTENCE_END.search(stripped)):
            rules[index] = "related_list"
    in_block = False
    for index in nonempty:
        if rules[index] == "related_list" and _RELATED_HEADING.match(lines[index].strip()):
            in_block = True
            continue
        if in_block and rules[index] is None:
            if len(lines[index]) > 150 and _SENTENCE_END.search(lines[index].strip()):
                in_block = False
            else:
                rules[index] = "related_list"


def cjk_count(text: str) -> int:
    """Number of Chinese characters in ``text``."""
    return len(_CJK_RE.findall(text))


def cjk_ratio(text: str) -> float:
    """Share of Chinese characters among the non-space characters of ``text``."""
    visible = sum(1 for c in text if not c.isspace())
    return cjk_count(text) / visible if visible else 0.0
