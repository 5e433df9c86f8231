"""Clean crawled article text: pinyin annotations, script, mojibake, web furniture, spam.

Every rule is a small function that can be tested on its own, and every removal is
counted under the rule's name, so the ingest report can say what was taken out and why.

Order matters and is fixed: control characters are deleted, pinyin annotations are
stripped (``當(dāng)前位置`` must become ``當前位置`` before any rule can recognise it),
mojibake runs are repaired or removed (on the text as crawled: NFKC and t2s would change
the bytes the repair re-reads), then Unicode NFKC and traditional→simplified conversion,
then line rules, and finally spam spliced into the kept lines is cut.
"""

from __future__ import annotations

import contextlib
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
# A stretch of non-ASCII text, with the lost-byte ``?`` on either side and an ASCII
# GBK trail byte (0x40-0x7E) at the end: the byte that puts the decoder back in step.
_MOJIBAKE_RUN = re.compile(
    r"(\?*)([^\x00-\x7f\s，。、：；！？“”‘’（）《》【】—…·]{2,})([@-z](?![A-Za-z0-9]))?(?=(\?*))"
)
_HARD_SIGNAL = re.compile("[?\ufffd\ue000-\uf8ff\u0370-\u04ff\u2500-\u25ff\x00-\x08\x0b\x0c\x0e-\x1f]")


@lru_cache(maxsize=4096)
def is_common_char(char: str) -> bool:
    """True for the 3,755 most frequent characters (GB2312 level 1), after t2s."""
    simple = to_simplified(char) if "\u4e00" <= char <= "\u9fff" else char
    try:
        code = simple.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0 <= code[0] <= 0xD7


@lru_cache(maxsize=1)
def _level_one() -> frozenset[str]:
    """GB2312 level-1 characters, decoded from their byte range (B0A1-D7FE)."""
    chars = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # D7FA-D7FE are unassigned
                chars.add(bytes((lead, trail)).decode("gb2312"))
    return frozenset(chars)


def _odd_count(core: str) -> int:
    common = _level_one()
    # Most characters are level-1 already; only the rest need the t2s look-up.
    return sum(_is_odd(c) for c in core if c not in common)


def _is_odd(char: str) -> bool:
    if "\u4e00" <= char <= "\u9fff":
        return not is_common_char(char)
    return bool(_HARD_SIGNAL.match(char)) or char == "？"


@lru_cache(maxsize=1)
def _tokenizer():
    """A dedicated jieba tokenizer: its word frequencies stand in for "common Chinese"."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _common_share(text: str) -> float:
    hanzi = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return sum(map(is_common_char, hanzi)) / len(hanzi) if hanzi else 0.0


def _word_share(text: str, start: int, end: int) -> float:
    """Share of ``text[start:end]`` covered by dictionary words of two or more characters."""
    covered = 0
    position = 0
    for word in _tokenizer().cut(to_simplified(text), HMM=False):
        lo, hi = max(position, start), min(position + len(word), end)
        if len(word) >= 2 and hi > lo:
            covered += hi - lo
        position += len(word)
    return covered / max(1, end - start)


def _route_score(text: str) -> float:
    """Log-probability of the best jieba segmentation of ``text`` (higher reads better)."""
    tokenizer = _tokenizer()
    sentence = to_simplified(text)
    route: dict = {}
    tokenizer.calc(sentence, tokenizer.get_DAG(sentence), route)
    return route[0][0]


def _best_fill(left: str, right: str, candidates: list[str]) -> str:
    """The lost character that makes ``left + char + right`` read best, or ``""``.

    A guess is kept only if the character then belongs to a dictionary word; an
    unattached character would be invented text.
    """
    if not candidates:
        return ""
    left, right = left[-3:], right[:3]
    best = max(candidates, key=lambda c: _route_score(left + c + right))
    return best if _word_share(left + best + right, len(left), len(left) + 1) == 1 else ""


def _gbk_chars(pairs) -> list[str]:
    out = []
    for pair in pairs:
        try:
            char = bytes(pair).decode("gbk")
        except UnicodeDecodeError:
            continue
        if len(char) == 1 and "\u4e00" <= char <= "\u9fff":
            out.append(char)
    return out


def repair_run(run: str, left: str = "", right: str = "") -> str | None:
    """Undo one run decoded out of step, or return ``None`` if no repair reads as Chinese.

    Two decodings are tried: UTF-8 bytes read as GBK, and a GBK stream read one byte out
    of phase (``摿Φ氖袌鰞`` → ``潛力的市場優``). In the second, the characters cut in two at
    either end are rebuilt from the surviving byte: the candidate that gives the most
    probable jieba segmentation with the neighbours, kept only if it then forms a word.
    A repair is accepted only when the run itself reads as rare characters outside words
    and the repair as common characters inside dictionary words (jieba's dictionary).
    """
    try:
        data = run.encode("gbk")
    except UnicodeEncodeError:
        return None
    tries = []
    utf8 = data.decode("utf-8", "replace")
    if utf8.count("\ufffd") <= len(utf8) // 4:
        tries.append(utf8.replace("\ufffd", ""))
    # Out of step, the first byte is the trail of a character whose lead was lost, and an
    # odd byte left at the end is the lead of one whose trail was lost.
    inner = data[1:]
    head = _gbk_chars((lead, data[0]) for lead in range(0x81, 0xFF))
    tail: list[str] = []
    if len(inner) % 2:
        tail = _gbk_chars((inner[-1], trail) for trail in range(0x40, 0xFF) if trail != 0x7F)
        inner = inner[:-1]
    try:
        middle = inner.decode("gbk")
    except UnicodeDecodeError:
        middle = None
    if middle is not None:
        fixed = _best_fill(left, middle, head) + middle
        if tail:
            fixed += _best_fill(left + fixed, right, tail)
        tries.append(fixed)
    if not tries:
        return None
    best = max(tries, key=_common_share)
    context_left, context_right = left[-3:], right[:3]
    span = (len(context_left), len(context_left) + len(best))
    accepted = (_common_share(best) >= 0.8 and _common_share(best) > _common_share(run) + 0.3
                and _word_share(context_left + best + context_right, *span) >= 0.6
                and _word_share(context_left + run + context_right,
                                len(context_left), len(context_left) + len(run)) <= 0.3)
    return best if accepted else None


def repair_mojibake(text: str) -> tuple[str, int, int]:
    """Repair runs of characters decoded out of step; remove those that cannot be repaired.

    Runs on the text as crawled (before NFKC and t2s, which would change the bytes).
    A run is two or more non-ASCII characters of which at least 60 % are odd (outside
    the 3,755 common characters, ``?``/``？``, U+FFFD, private-use, Greek, Cyrillic, box
    drawing), holding at least one Chinese character. Without a hard signal (a lost-byte
    ``?`` beside it, often left as a broken pinyin annotation like ``?jié)``, or U+FFFD,
    private-use, Greek, Cyrillic, box drawing inside) it must be five characters or
    longer: rare-character names like 屠呦呦 are real text. A run whose repair is not
    accepted is removed only when it carries a hard signal.

    Returns ``(text, repaired, removed)``.

    Examples
    --------
    >>> repair_mojibake("最具發展?jié)摿Φ氖袌鰞?yōu)勢")[0]
    '最具發展潛力的市場優勢'
    """
    if text.isascii():
        return text, 0, 0
    marked = _BROKEN_ANNOTATION.sub("?", text)
    pieces: list[str] = []
    last = 0
    repaired = removed = 0
    for start, end, lost_head, cut_end in _mojibake_candidates(marked):
        run = marked[start:end]
        hard = lost_head or cut_end > end or bool(_HARD_SIGNAL.search(run))
        if len(run) < 5 and not hard:
            continue
        fixed = repair_run(run, marked[:start], marked[cut_end:])
        if fixed is None and not hard:
            continue
        pieces.append(marked[last:start - lost_head])
        if fixed is not None:
            pieces.append(fixed)
            repaired += 1
        else:
            removed += 1
        last = cut_end
    if not repaired and not removed:
        return text, 0, 0
    pieces.append(marked[last:])
    return "".join(pieces), repaired, removed


def _mojibake_candidates(text: str):
    """``(start, end, lost_head, cut_end)`` of runs that may be mojibake, in order.

    ``lost_head`` is true when a lost-byte ``?`` stands just before ``start``; ``cut_end``
    also takes in a ``?`` right after the run. A stretch of non-ASCII text qualifies as a
    whole, or, in a long sentence, through a dense cluster of odd characters inside it.
    """
    for match in _MOJIBAKE_RUN.finditer(text):
        before, core, after = match.group(1), match.group(2), match.group(4)
        start = match.start(2)  # the run ends at match.end(), an ASCII trail byte included
        if _odd_count(core) >= 0.6 * len(core) and _CJK_RE.search(core):
            if len(core) >= 3 or before or after:
                yield start, match.end(), bool(before), match.end() + len(after)
            continue
        for lo, hi in _dense_clusters(core):
            yield start + lo, start + hi, False, start + hi


def _dense_clusters(core: str, min_odd: int = 4, max_gap: int = 2):
    """Spans inside ``core`` where odd characters stand at most ``max_gap`` apart."""
    if len(core) < 8:
        return
    positions = [i for i, c in enumerate(core) if c not in _level_one() and _is_odd(c)]
    if len(positions) < min_odd:
        return
    group = [positions[0]]
    for pos in positions[1:] + [None]:
        if pos is not None and pos - group[-1] <= max_gap + 1:
            group.append(pos)
            continue
        lo, hi = group[0], group[-1] + 1
        if len(group) >= min_odd and len(group) >= 0.6 * (hi - lo) and _CJK_RE.search(core[lo:hi]):
            yield lo, hi
        if pos is not None:
            group = [pos]


def remove_mojibake(text: str) -> tuple[str, int]:
    """:func:`repair_mojibake`, counting repaired and removed runs together."""
    text, repaired, removed = repair_mojibake(text)
    return text, repaired + removed


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
    r"^(相关阅读|相关新闻|相关文章|相关链接|推荐新闻|推荐阅读|推荐文章|热点推荐|热门推荐|延伸阅读"
    r"|猜你喜欢|更多.{0,12}(资讯|新闻|内容|文章)|热门文章|最新文章|精彩推荐|为您推荐|大家都在看)\s*[:：]?\s*$"
)
# After NFKC "…" is "...": a single ellipsis (3 dots) or a crawler's run of 7+ dots marks a
# cut teaser; the news-style "……" (6 dots) stays.
_TEASER = re.compile(r"^\.{3}(?!\.)|(?<!\.)(\.{3}|\.{7,})$")
_SENTENCE_END = re.compile(r"[。！？!?；;”\"」』)）]$")
_BULLET = re.compile(r"^[•·●◆■▪►>\-*]\s*")
# Gambling brands: a name, a casino word, a call to action (欧宝体育app, 威尼斯人现金网网址).
_SPAM_BRAND = re.compile(
    r"[\u4e00-\u9fffa-z0-9]{1,8}(体育|娱乐|国际|贵宾会|棋牌|彩票|电竞|真人|现金网)"
    r"(官网|官方网站|app|下载|登录|登入|网址|手机版|开户|入口|中文版|线路)[:：]?"
    # a two-character name + 贵宾会 (美狮贵宾会), a site code + casino (js333金沙线路)
    r"|[\u4e00-\u9fff]{2}贵宾会[:：]?"
    r"|[a-z]{1,6}\d{2,5}(金沙|威尼斯人|葡京|永利|银河)(线路|网站|娱乐|官网|app)?[:：]?",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTACT_ZONE = 0.2  # share of a page's lines at each end where contact lines are furniture

RULES = (
    "control_char", "pinyin_annotation", "mojibake_repaired", "mojibake_removed",
    "navigation", "widget", "prev_next", "seo_meta", "header", "byline", "licence_footer",
    "footer", "contact", "teaser", "related_list", "spam_line", "spam_phrase", "spam_brand",
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


def literal_union(words) -> re.Pattern:
    """One regex matching any of ``words``, the longest where several start at a place.

    Built as a trie (``北京(?:市)?`` rather than ``北京市|北京``): Python's regex engine
    tries the branches of a plain alternation one by one at every position, which is
    slow with a gazetteer's thousands of names.

    >>> literal_union(["北京", "北京市", "北海"]).findall("北京市和北海")
    ['北京市', '北海']
    """
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return re.compile(r"(?!)")  # matches nothing

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word may end here: try the longer ones first (greedy ?)
            return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return re.compile(emit(trie))


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


def spam_brands(line: str) -> list[str]:
    """Gambling-brand shapes in ``line`` (``欧宝体育app``, ``王者威尼斯人现金网网址：``)."""
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
    text, n = strip_pinyin_annotations(text)
    removed["pinyin_annotation"] += n
    # Mojibake is repaired on the bytes as crawled: NFKC and t2s would change them.
    text, repaired, dropped = repair_mojibake(text)
    removed["mojibake_repaired"] += repaired
    removed["mojibake_removed"] += dropped
    text = normalise(text, simplified=config.traditional_to_simplified)

    phrases = load_spam_phrases(str(config.spam_phrases) if config.spam_phrases else None)
    raw_lines = text.split("\n")
    rules: list[str | None] = [
        classify_line(line, phrases) if config.drop_boilerplate else None for line in raw_lines
    ]
    if config.drop_boilerplate:
        _mark_related_blocks(raw_lines, rules)
        _mark_licence_tail(raw_lines, rules)
        _mark_contact_edges(raw_lines, rules)
    lines: list[tuple[str, str | None]] = []
    for line, rule in zip(raw_lines, rules):
        if rule is None and config.drop_boilerplate:
            line, cut = cut_spam(line, phrases)
            removed += cut
            if line.strip() and cjk_count(line) < 4 and sum(cut.values()):
                rule = "spam_line"  # little but the spam was left
        if rule is not None:
            removed[rule] += 1
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
    visible = len("".join(text.split()))  # characters that are not whitespace
    return cjk_count(text) / visible if visible else 0.0


# --- near-duplicates -------------------------------------------------------------------

_SHINGLE_SKIP = re.compile(r"[\s\W_]+")


def _shingle_hashes(text: str, size: int = 5):
    """32-bit hashes of the distinct character ``size``-grams of ``text``.

    Spaces and punctuation are removed first. The hashes are computed with numpy over
    the code points (a polynomial hash, the same in every process and on every run),
    which is what makes MinHash affordable on a hundred thousand documents.
    """
    import numpy as np

    compact = _SHINGLE_SKIP.sub("", text)
    if not compact:
        return np.empty(0, dtype=np.uint64)
    codes = np.frombuffer(compact.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    width = min(size, len(codes))
    n = len(codes) - width + 1
    hashes = np.zeros(n, dtype=np.uint64)
    for offset in range(width):
        hashes = hashes * np.uint64(1_000_003) + codes[offset:offset + n]  # wraps mod 2**64
    return np.unique((hashes ^ (hashes >> np.uint64(32))) & np.uint64(0xFFFFFFFF))


@lru_cache(maxsize=4)
def _minhash_template(num_perm: int, seed: int):
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed)  # drawing the permutations is costly: once


def minhash_signature(text: str, num_perm: int = 128, seed: int = 1):
    """MinHash hash values of ``text``'s character 5-shingles, or ``None`` if it has none.

    Computed where the text is cleaned (worker processes), so that
    :func:`find_near_duplicates` only has to index them.
    """
    from datasketch import MinHash

    shingles = _shingle_hashes(text)
    if not len(shingles):
        return None
    template = _minhash_template(num_perm, seed)
    # The shingles are hashed already: the hash function passes them through.
    signature = MinHash(num_perm=num_perm, seed=seed, hashfunc=int, scheme=template.scheme,
                        permutations=template.permutations)
    signature.update_batch(shingles.tolist())
    return signature.hashvalues


def find_near_duplicates(doc_ids, texts, threshold: float = 0.8, num_perm: int = 128,
                         seed: int = 1, signatures=None) -> dict[str, str]:
    """Map each near-duplicate document to the first document it repeats.

    MinHash over character 5-shingles (spaces and punctuation ignored) with an LSH
    index at Jaccard ``threshold``; candidates from the index are confirmed by their
    MinHash Jaccard estimate. Documents are taken in the given order and the first
    occurrence is kept, so the result is deterministic for a given order and ``seed``.

    Parameters
    ----------
    doc_ids, texts
        Parallel iterables; ``texts`` are cleaned texts (furniture already removed).
    signatures
        Optional parallel iterable of :func:`minhash_signature` values (with the same
        ``num_perm`` and ``seed``) computed beforehand; ``texts`` are then not read.

    Returns
    -------
    dict
        ``{duplicate_doc_id: kept_doc_id}``; documents that repeat nothing are absent.

    Examples
    --------
    >>> text = "推动制造业高质量发展，加快建设现代化产业体系。" * 3
    >>> find_near_duplicates(["a", "b", "c"], [text, "相关阅读\\n" + text, "另一篇完全不同的文章内容。"])
    {'b': 'a'}
    """
    from datasketch import LeanMinHash, MinHashLSH

    # The index only proposes candidates; each is checked against ``threshold`` below.
    # Its default balance misses 60 % of pairs exactly at the threshold, so weight it
    # towards recall: 95 % of pairs at the threshold are found, at the price of checking
    # a few more candidates.
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.05, 0.95))
    kept: dict[str, LeanMinHash] = {}
    order: dict[str, int] = {}
    duplicates: dict[str, str] = {}
    scheme = _minhash_template(num_perm, seed).scheme
    if signatures is None:
        signatures = (minhash_signature(text, num_perm, seed) for text in texts)
    for doc_id, values in zip(doc_ids, signatures):
        if values is None:
            continue
        # A lean MinHash from the values: no permutations to draw.
        signature = LeanMinHash(seed=seed, hashvalues=values, scheme=scheme)
        matches = [m for m in lsh.query(signature) if kept[m].jaccard(signature) >= threshold]
        if matches:
            # The earliest kept document, whatever order the index returns them in.
            duplicates[doc_id] = min(matches, key=order.__getitem__)
            continue
        if doc_id in kept:
            continue  # a repeated id: the first document with that id stands
        lsh.insert(doc_id, signature)
        kept[doc_id] = signature
        order[doc_id] = len(order)
    return duplicates

