"""Mojibake: runs of GBK bytes decoded as another encoding, repaired or removed.

A crawled page whose bytes were decoded with the wrong codec shows runs of rare
characters (``?jié)摿Φ氖袌鰞``); :func:`repair_mojibake` re-reads such a run as GBK
where the result is ordinary Chinese, and :func:`remove_mojibake` drops what cannot be
repaired. Used by :mod:`policytopics.text.clean` on the text as crawled.
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache

from policytopics.common.chinese import CJK_RE, is_cjk, jieba_tokenizer, to_simplified

#: Tone-marked vowels of pinyin (also used by the pinyin-annotation rule in clean.py).
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê"
_TONED = TONED

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
    simple = to_simplified(char) if is_cjk(char) else char
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
    if is_cjk(char):
        return not is_common_char(char)
    return bool(_HARD_SIGNAL.match(char)) or char == "？"


@lru_cache(maxsize=1)
def _tokenizer():
    """A dedicated jieba tokenizer: its word frequencies stand in for "common Chinese"."""
    return jieba_tokenizer()


def _common_share(text: str) -> float:
    hanzi = [c for c in text if is_cjk(c)]
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
        if len(char) == 1 and is_cjk(char):
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
    if text.isascii() or _odd_occurrences(text) < 2:
        return text, 0, 0  # every run needs two odd characters or more: most texts have fewer
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


def _odd_occurrences(text: str) -> int:
    """How many characters of ``text`` are odd (:func:`_is_odd`), repeats counted."""
    return sum(text.count(c) for c in set(text) - _level_one() if _is_odd(c))


def _mojibake_candidates(text: str):
    """``(start, end, lost_head, cut_end)`` of runs that may be mojibake, in order.

    ``lost_head`` is true when a lost-byte ``?`` stands just before ``start``; ``cut_end``
    also takes in a ``?`` right after the run. A stretch of non-ASCII text qualifies as a
    whole, or, in a long sentence, through a dense cluster of odd characters inside it.
    """
    for match in _MOJIBAKE_RUN.finditer(text):
        before, core, after = match.group(1), match.group(2), match.group(4)
        start = match.start(2)  # the run ends at match.end(), an ASCII trail byte included
        if _odd_count(core) >= 0.6 * len(core) and CJK_RE.search(core):
            if len(core) >= 3 or before or after:
                yield start, match.end(), bool(before), match.end() + len(after)
            continue
        for lo, hi in _dense_clusters(core):
            yield start + lo, start + hi, False, start + hi


def _dense_clusters(core: str, min_odd: int = 4, max_gap: int = 2):
    """Spans inside ``core`` where odd characters stand at most ``max_gap`` apart."""
    if len(core) < 8:
        return
    common = _level_one()
    positions = [i for i, c in enumerate(core) if c not in common and _is_odd(c)]
    if len(positions) < min_odd:
        return
    group = [positions[0]]
    for pos in positions[1:] + [None]:
        if pos is not None and pos - group[-1] <= max_gap + 1:
            group.append(pos)
            continue
        lo, hi = group[0], group[-1] + 1
        if len(group) >= min_odd and len(group) >= 0.6 * (hi - lo) and CJK_RE.search(core[lo:hi]):
            yield lo, hi
        if pos is not None:
            group = [pos]


def remove_mojibake(text: str) -> tuple[str, int]:
    """:func:`repair_mojibake`, counting repaired and removed runs together."""
    text, repaired, removed = repair_mojibake(text)
    return text, repaired + removed
