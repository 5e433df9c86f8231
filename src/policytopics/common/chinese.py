"""Chinese-text helpers shared by several stages: what a Chinese character is, character
counts and widths, script conversion, word regexes, a quiet jieba tokenizer.

Cleaning, metadata extraction, reading files and passage splitting all need them; they
live here so that no stage imports another stage for a helper. The range of a Chinese
character is written once, here (:data:`CJK_FIRST`, :data:`CJK_LAST`, :data:`CJK_RANGE`);
every test for "a Chinese character" in the package reads it.

Examples
--------
>>> cjk_count("2026年政府工作报告"), is_cjk("报"), is_cjk("A")
(7, True, False)
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

#: First and last character of the CJK Unified Ideographs block (U+4E00 to U+9FFF): what
#: "a Chinese character" means in this package.
CJK_FIRST, CJK_LAST = "\u4e00", "\u9fff"
#: The same block as a regex character-class range (``f"[{CJK_RANGE}]"``).
CJK_RANGE = f"{CJK_FIRST}-{CJK_LAST}"
_NON_CJK_RE = re.compile(f"[^{CJK_RANGE}]+")
#: One Chinese character (``CJK_RE.search``: does a text hold one?).
CJK_RE = re.compile(f"[{CJK_RANGE}]")

#: Code points above this one (U+2E80, where the CJK radicals begin: ideographs, kana,
#: CJK and full-width punctuation, full-width forms, and everything beyond) are drawn one
#: Chinese character wide by :func:`display_width`. A width rule, not a script rule: it is
#: wider than :data:`CJK_RANGE` on purpose.
WIDE_CHARS_ABOVE = 0x2E80


def is_cjk(char: str) -> bool:
    """Whether one character is a Chinese character (:data:`CJK_RANGE`)."""
    return CJK_FIRST <= char <= CJK_LAST


def display_width(text: str, narrow: float = 0.5) -> float:
    """A text's width in Chinese characters: a character above U+2E80
    (:data:`WIDE_CHARS_ABOVE`: CJK, full-width punctuation) is one, any other ``narrow`` (a
    Latin letter or a digit, about half of one in the CJK fonts the package uses).

    >>> display_width("2026年报告")
    5.0
    """
    return sum(1.0 if ord(c) > WIDE_CHARS_ABOVE else narrow for c in text)


def cjk_count(text: str) -> int:
    """Number of Chinese characters in ``text``."""
    # What is left without the other characters: a third of the time of findall's list.
    return len(_NON_CJK_RE.sub("", text))


def cjk_ratio(text: str) -> float:
    """Share of Chinese characters among the non-space characters of ``text``."""
    visible = len("".join(text.split()))  # characters that are not whitespace
    return cjk_count(text) / visible if visible else 0.0


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified with OpenCC (``制造業`` → ``制造业``)."""
    return _t2s().convert(text)


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


def cut_label(label: str, limit: int) -> str:
    """``label`` cut to ``limit`` characters with an ellipsis (figure titles, legends).

    >>> cut_label("T1 产业链", 24), cut_label("T2 " + "很长的主题名" * 10, 12)
    ('T1 产业链', 'T2 很长的主题名很长…')
    """
    return label if len(label) <= limit else label[:limit - 1] + "…"


def jieba_tokenizer():
    """A new, initialised ``jieba.Tokenizer`` whose start-up lines stay quiet.

    jieba logs "Building prefix dict ..." through a handler of its own at DEBUG level,
    which interleaves with progress bars and fills notebooks. Its logger loses that
    handler and passes only warnings on, through the logging set-up of the caller (the
    command line's ``policytopics`` handler, or a notebook's own).
    """
    import jieba

    logger = logging.getLogger("jieba")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = True
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def date_span(date: str) -> tuple[str, str]:
    """First and last day a partial ISO date stands for, as comparable ISO strings (the last
    day of a month is written 31: it compares right).

    >>> date_span("2003")
    ('2003-01-01', '2003-12-31')
    """
    date = str(date)
    return date + "-01-01"[len(date) - 4:], date + "-12-31"[len(date) - 4:]
