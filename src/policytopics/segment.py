"""Segment cleaned Chinese text into tokens with a dedicated jieba tokenizer.

A :class:`Segmenter` is built from a :class:`~policytopics.config.SegmentConfig`: its own
``jieba.Tokenizer`` (never jieba's shared global one) with the policy user dictionary,
plus stopword lists and token filters.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .config import SegmentConfig

_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
# Numbers, also written in Chinese numerals (一九五八年, 十四五 stays: it is in the user dictionary).
_DIGITS = re.compile(r"^([\d.,%％]+|[〇零一二三四五六七八九十百千万亿]{2,}[年月日号]?)$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9.+\-]*$")


def read_word_list(path: str | Path) -> list[str]:
    """Lines of a word-list file, without ``#`` comments, blank lines, BOM or CRLF."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=16)
def load_stopwords(sources: tuple[str, ...]) -> frozenset[str]:
    """Union of stopword lists: ``stopwordsiso:<lang>`` entries or word-list files."""
    words: set[str] = set()
    for source in sources:
        if source.startswith("stopwordsiso:"):
            import stopwordsiso

            words |= set(stopwordsiso.stopwords(source.split(":", 1)[1]))
        else:
            words |= set(read_word_list(source))
    return frozenset(words)


class Segmenter:
    """Tokenizer for one study: jieba with the user dictionary, filters and stopwords.

    Parameters
    ----------
    config
        Segmentation settings.

    Examples
    --------
    >>> seg = Segmenter(SegmentConfig(user_dictionary=None, stopwords=()))  # doctest: +SKIP
    >>> seg.tokenize("推动制造业高质量发展")                                  # doctest: +SKIP
    ['推动', '制造业', '高质量', '发展']
    """

    def __init__(self, config: SegmentConfig | None = None):
        import jieba

        # jieba sets its own logger to DEBUG on import; its start-up chatter is noise here.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self.config = config or SegmentConfig()
        self.tokenizer_ = jieba.Tokenizer()
        self.tokenizer_.initialize()
        self.user_terms_: list[str] = []
        if self.config.user_dictionary:
            for line in read_word_list(self.config.user_dictionary):
                parts = line.split()
                word = parts[0]
                freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                tag = parts[2] if len(parts) > 2 else (parts[1] if len(parts) == 2 and freq is None else None)
                self.tokenizer_.add_word(word, freq, tag)
                self.user_terms_.append(word)
        self.stopwords_ = load_stopwords(tuple(self.config.stopwords))

    def raw_tokens(self, text: str) -> list[str]:
        """All jieba tokens of ``text``, before any filtering."""
        return self.tokenizer_.lcut(text)

    def keep(self, token: str) -> bool:
        """Whether a token passes the length, digit, Latin and stopword filters."""
        token = token.strip()
        if not token or token in self.stopwords_:
            return False
        if _DIGITS.match(token):
            return self.config.keep_digits
        if _LATIN.match(token):
            return self.config.keep_latin and len(token) >= self.config.min_token_length
        if not _HAS_CJK.search(token):
            return False
        return len(token) >= self.config.min_token_length

    def tokenize(self, text: str) -> list[str]:
        """Filtered tokens of one document."""
        return [t.strip() for t in self.tokenizer_.lcut(text) if self.keep(t)]

    def tokenize_many(self, texts: Iterable[str], *, progress: bool = True,
                      total: int | None = None) -> list[list[str]]:
        """Tokens of many documents, with a progress bar (documents per second)."""
        from tqdm.auto import tqdm

        return [self.tokenize(text) for text in tqdm(
            texts, total=total, desc="segment", unit="doc", disable=not progress, leave=False)]
