"""Segment cleaned Chinese text into tokens with a dedicated jieba tokenizer.

A :class:`Segmenter` is built from a :class:`~policytopics.settings.config.SegmentConfig`: its own
tokenizer instance (never a library's shared global one) with the policy user dictionary,
plus stopword lists, token filters and an optional part-of-speech filter.
:meth:`Segmenter.tokenize_many` segments a corpus in-process or over worker processes,
and :func:`apply_phrases` joins frequent bigrams (``数字_经济``) learned over the whole
corpus.

Place names and administrative self-reference
---------------------------------------------
With ``drop_place_names = true`` (the default) the words that only say *where* or *by
whom* are filtered out like stopwords, after segmentation: Chinese provinces, prefecture
cities, counties and districts in full and short forms
(:func:`policytopics.text.place_words.place_name_words`: 浙江省, 浙江, 宁波市, 宁波, 竹山县, 竹山 …;
short forms that are ordinary words stay, 和平, 新华, 长安, 合作), and the administrative
self-reference of ``admin_words`` (全省, 我市, 自治区, 省委, 省级 …, a documented list shipped
as ``policytopics/data/admin_words.txt``). Full place names and multi-word admin entries
are added to the tokenizer's dictionary when it would split them, so that ``宁波市`` is one
token and dropped whole rather than cut into ``宁波`` ``市``. Otherwise a topic of
provincial reports is ``海南·全省·广东``: it restates the region the document is already
labelled with. Region extraction (:func:`policytopics.text.places.extract_region`) reads the
cleaned text, not these tokens, and is unaffected.

Foreign places (美国, 日本, 欧盟, 俄罗斯 …) stay in the vocabulary: foreign affairs is a
theme of news and of the reports (中美关系, 对外开放), not the region of a document, which is
always a Chinese province. 香港, 澳门 and 台湾 are province-level units of the gazetteer and
go like the others; the words of those themes that are not place names (港澳, 两岸, 一国两制,
同胞) stay.

Extra words (``Segmenter(config, extra_words=...)``: a study's seed words) are added to the
tokenizer's dictionary so they survive segmentation, and are kept by every filter except the
stopword lists: a seed word is dropped only if it is a stopword.

Backends
--------
``backend = "rjieba"`` (default)
    ``rjieba.Jieba``, the Python binding of jieba-rs (compiled, same dictionary and HMM
    as jieba). About 20 times faster than jieba in one process.
``backend = "jieba"``
    A dedicated ``jieba.Tokenizer``: the reference implementation.

What is the same and what is not (measured on 10,000 xwlb stories and the samples, with
the policy user dictionary loaded into both):

- Chinese tokens are identical, with the HMM on or off, and every user-dictionary entry
  survives in both.
- Non-Chinese runs differ only with the HMM on: jieba splits a hyphenated Latin or digit
  run (``TD-LTE`` → ``TD`` ``-`` ``LTE``, ``1-5`` → ``1`` ``-`` ``5``), jieba-rs keeps it
  whole. With the default filters (``keep_latin = false``, ``keep_digits = false``) these
  runs are dropped either way, so the filtered tokens are identical; with ``keep_latin``
  or ``keep_digits`` on, rjieba keeps ``TD-LTE`` as one token where jieba keeps ``TD``
  and ``LTE``.
- ``hmm = true`` is the default for both: the HMM finds words missing from the dictionary
  (names, new compounds), which matters for news and policy text; the user dictionary was
  verified with the HMM on and off.
- Part-of-speech tags (``pos_filter``): jieba's ``posseg`` re-segments unknown words with
  its own POS-HMM, while ``rjieba.Jieba.tag`` tags the ordinary segmentation. The two
  backends can therefore give slightly different tokens *when a POS filter is on*; without
  one they agree. User-dictionary terms always pass the POS filter (they are curated
  policy terms, and an entry without a tag would otherwise be dropped as unknown).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol, get_args, runtime_checkable

from policytopics.common.chinese import CJK_RE, jieba_tokenizer
from policytopics.common.workers import text_scheduler
from policytopics.settings.config import Backend, ComputeConfig, SegmentConfig, check_word_lists
from policytopics.text.place_words import is_place_token, place_name_words

# Numbers, also written in Chinese numerals (一九五八年, 十四五 stays: it is in the user dictionary).
_DIGITS = re.compile(r"^([\d.,%％]+|[〇零一二三四五六七八九十百千万亿]{2,}[年月日号]?)$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9.+\-]*$")

#: The segmenters of ``[segment] backend`` (config's ``Backend`` type), the first the default.
BACKENDS = get_args(Backend)
#: Below this many documents ``workers = 0`` (auto) segments in-process: a spawned worker
#: needs ~2 s to import the package and build its tokenizer, while rjieba segments
#: ~20,000 xwlb stories (9 M characters) in one process in about that time.
PARALLEL_MIN_DOCS = 20_000
_FILTER_MEMO_SIZE = 1_000_000


def read_word_list(path: str | Path) -> list[str]:
    """Lines of a word-list file, without ``#`` comments, blank lines, BOM or CRLF."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def read_user_dictionary(path: str | Path) -> list[tuple[str, int | None, str | None]]:
    """Entries ``(word, freq, tag)`` of a jieba user dictionary (``word [freq] [tag]``)."""
    entries = []
    for line in read_word_list(path):
        parts = line.split()
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else (parts[1] if len(parts) == 2 and freq is None else None)
        entries.append((word, freq, tag))
    return entries


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


@lru_cache(maxsize=8)
def load_admin_words(path: str | Path | None) -> frozenset[str]:
    """Administrative self-reference words (全省, 我市, 自治区 …) of a word-list file."""
    return frozenset(read_word_list(path)) if path else frozenset()


@lru_cache(maxsize=8)
def place_words(admin_words: str | Path | None) -> frozenset[str]:
    """Everything ``drop_place_names`` drops: the gazetteer's place names
    (:func:`policytopics.text.place_words.place_name_words`) and the admin words of a file."""
    return place_name_words() | load_admin_words(admin_words)


# --- backends --------------------------------------------------------------------------

@runtime_checkable
class SegmenterBackend(Protocol):
    """What :class:`Segmenter` needs of a segmentation library: one dedicated dictionary
    per study (``add_word``), words (``cut``) and words with their part of speech (``tag``).
    A new backend is one class here, its name in :data:`SEGMENTER_BACKENDS` and in config's
    ``Backend`` type."""

    def __init__(self, hmm: bool) -> None: ...
    def add_word(self, word: str, freq: int | None, tag: str | None) -> None: ...
    def cut(self, text: str) -> list[str]: ...
    def tag(self, text: str) -> list[tuple[str, str]]: ...


class _RjiebaBackend:
    """A dedicated ``rjieba.Jieba`` (its constructor takes no dictionary: words are added)."""

    def __init__(self, hmm: bool):
        import rjieba

        self.hmm = hmm
        self.tokenizer = rjieba.Jieba()

    def add_word(self, word: str, freq: int | None, tag: str | None) -> None:
        self.tokenizer.add_word(word, freq, tag)  # all three positional; None allowed

    def cut(self, text: str) -> list[str]:
        return self.tokenizer.cut(text, hmm=self.hmm)

    def tag(self, text: str) -> list[tuple[str, str]]:
        return self.tokenizer.tag(text, hmm=self.hmm)


class _JiebaBackend:
    """A dedicated ``jieba.Tokenizer`` and, on demand, a ``POSTokenizer`` over it."""

    def __init__(self, hmm: bool):
        self.hmm = hmm
        self.tokenizer = jieba_tokenizer()
        self._pos_tokenizer = None

    def add_word(self, word: str, freq: int | None, tag: str | None) -> None:
        self.tokenizer.add_word(word, freq, tag)

    def cut(self, text: str) -> list[str]:
        return self.tokenizer.lcut(text, HMM=self.hmm)

    def tag(self, text: str) -> list[tuple[str, str]]:
        if self._pos_tokenizer is None:
            from jieba.posseg import POSTokenizer

            self._pos_tokenizer = POSTokenizer(self.tokenizer)
        return [(pair.word, pair.flag) for pair in self._pos_tokenizer.lcut(text, HMM=self.hmm)]


#: The backend class of each name of ``[segment] backend`` (config's ``Backend`` type).
SEGMENTER_BACKENDS: dict[str, type[SegmenterBackend]] = {"rjieba": _RjiebaBackend, "jieba": _JiebaBackend}


def _make_backend(name: str, hmm: bool) -> SegmenterBackend:
    if name not in SEGMENTER_BACKENDS:
        raise ValueError(f"unknown segmentation backend {name!r}; expected one of {BACKENDS}")
    return SEGMENTER_BACKENDS[name](hmm)


# --- the segmenter ---------------------------------------------------------------------

class Segmenter:
    """Tokenizer for one study: jieba with the user dictionary, filters and stopwords.

    Parameters
    ----------
    config
        Segmentation settings (backend, HMM, filters, user dictionary, stopwords, place
        names and admin words).
    extra_words
        Words to add to the tokenizer's dictionary so that they survive segmentation
        (the seed words of a study's themes). They pass every filter but the stopword
        lists, the part-of-speech filter included.

    Attributes
    ----------
    user_terms_ : list of str
        Entries of the user dictionary, in file order.
    extra_words_ : tuple of str
        ``extra_words``, deduplicated, in the order given.
    stopwords_ : frozenset of str
    place_words_ : frozenset of str
        Words dropped because they name a Chinese place or the administration (empty
        with ``drop_place_names = false``); tokens that join them (浙江省委, 广西南宁)
        are dropped too (:func:`policytopics.text.place_words.is_place_token`).

    Notes
    -----
    A segmenter pickles as its settings (``config`` and ``extra_words``): a worker
    process rebuilds the same tokenizer from them.

    Examples
    --------
    >>> seg = Segmenter(SegmentConfig(user_dictionary=None, stopwords=()))  # doctest: +SKIP
    >>> seg.tokenize("推动制造业高质量发展")                                  # doctest: +SKIP
    ['推动', '制造业', '高质量', '发展']
    >>> seg.tokenize("浙江省宁波市推动制造业高质量发展")   # place names dropped  # doctest: +SKIP
    ['推动', '制造业', '高质量', '发展']
    >>> Segmenter(extra_words=("智改数转",)).tokenize("推进智改数转")         # doctest: +SKIP
    ['推进', '智改数转']
    >>> seg.tokenize_many(texts, workers=2)      # same tokens, in input order  # doctest: +SKIP
    """

    def __init__(self, config: SegmentConfig | None = None, extra_words: Iterable[str] = ()):
        self.config = config or SegmentConfig()
        check_word_lists(self.config)  # settings made in code: the same messages as a study file's
        self.extra_words_ = tuple(dict.fromkeys(w.strip() for w in extra_words if w.strip()))
        self.backend_ = _make_backend(self.config.backend, self.config.hmm)
        self.user_terms_: list[str] = []
        if self.config.user_dictionary:
            for word, freq, tag in read_user_dictionary(self.config.user_dictionary):
                self.backend_.add_word(word, freq, tag)
                self.user_terms_.append(word)
        self.stopwords_ = load_stopwords(tuple(self.config.stopwords))
        self.place_words_: frozenset[str] = frozenset()
        self._admin_words: frozenset[str] = frozenset()
        if self.config.drop_place_names:
            admin = self._admin_words = load_admin_words(self.config.admin_words)
            self.place_words_ = place_words(self.config.admin_words)
            # Names the dictionary would split are added, so they are cut and dropped
            # whole: 和平区 cut as 和平 区 would keep 和平, an ordinary word.
            for word in sorted(place_name_words(full_only=True) | {w for w in admin if len(w) >= 3}):
                if self.backend_.cut(word) != [word]:
                    self.backend_.add_word(word, None, None)
        for word in self.extra_words_:
            if self.backend_.cut(word) != [word]:
                self.backend_.add_word(word, None, None)
        self._kept_terms = frozenset(self.extra_words_) - self.stopwords_
        self._user_term_set = frozenset(self.user_terms_) | self._kept_terms
        self.pos_filter_ = frozenset(self.config.pos_filter)
        self._filter_memo: dict[str, str] = {}

    def __reduce__(self):
        # The tokenizer itself does not pickle (and need not): its settings rebuild it.
        return (Segmenter, (self.config, self.extra_words_))

    @property
    def tokenizer_(self):
        """The dedicated backend tokenizer (``rjieba.Jieba`` or ``jieba.Tokenizer``)."""
        return self.backend_.tokenizer

    def raw_tokens(self, text: str) -> list[str]:
        """All tokens of ``text``, before any filtering."""
        return self.backend_.cut(text)

    def tagged_tokens(self, text: str) -> list[tuple[str, str]]:
        """All ``(token, part-of-speech tag)`` pairs of ``text``, before any filtering."""
        return self.backend_.tag(text)

    def keep(self, token: str) -> bool:
        """Whether a token passes the stopword, place-name, length, digit and Latin filters
        (an extra word passes all but the stopwords)."""
        token = token.strip()
        if not token or token in self.stopwords_:
            return False
        if token in self._kept_terms:
            return True
        if self.place_words_ and (token in self.place_words_
                                  or is_place_token(token, self._admin_words)):
            return False
        if _DIGITS.match(token):
            return self.config.keep_digits
        if _LATIN.match(token):
            return self.config.keep_latin and len(token) >= self.config.min_token_length
        if not CJK_RE.search(token):
            return False
        return len(token) >= self.config.min_token_length

    def _filtered(self, token: str) -> str:
        """``token`` stripped if it passes :meth:`keep`, else ``""`` (memoised per token)."""
        # A corpus repeats a small vocabulary: filter each distinct token once. The
        # regex filters would otherwise cost more than the compiled segmentation.
        kept = self._filter_memo.get(token)
        if kept is None:
            if len(self._filter_memo) >= _FILTER_MEMO_SIZE:
                self._filter_memo.clear()
            kept = self._filter_memo[token] = token.strip() if self.keep(token) else ""
        return kept

    def tokenize(self, text: str) -> list[str]:
        """Filtered tokens of one document."""
        if self.pos_filter_:
            pos, terms = self.pos_filter_, self._user_term_set
            tokens = [t for t, tag in self.backend_.tag(text) if tag in pos or t in terms]
        else:
            tokens = self.backend_.cut(text)
        memo, filtered = self._filter_memo, self._filtered
        # A dropped token is memoised as "" too: looked up, not filtered again (``memo.get(t)
        # or filtered(t)`` called the filter for every stopword and punctuation mark met).
        return [kept for kept in (memo[t] if t in memo else filtered(t) for t in tokens) if kept]

    def tokenize_many(self, texts: Iterable[str], *, workers: int = 0, chunk_size: int = 500,
                      scheduler: str | None = None, progress: bool = True,
                      total: int | None = None) -> list[list[str]]:
        """Tokens of many documents, in input order, with a progress bar (documents/s).

        Parameters
        ----------
        texts
            Documents; any iterable (it is read once, in chunks).
        workers
            Processes to use. ``0`` means auto: one (in-process) below
            :data:`PARALLEL_MIN_DOCS` documents, else one per available CPU. ``1`` always
            segments in this process (unless a ``scheduler`` is given).
        chunk_size
            Documents sent to a worker at a time.
        scheduler
            ``None``: local processes. A Dask scheduler address, or ``"local"`` for a
            Dask ``LocalCluster`` (see :func:`policytopics.common.workers.map_chunks`).
        progress
            Show a ``tqdm.auto`` progress bar.
        total
            Number of documents, for the progress bar when ``texts`` has no ``len``.

        Notes
        -----
        Local workers are started with the ``spawn`` method (safe with threads, in
        notebooks and on every OS); each builds its own :class:`Segmenter` once from this
        segmenter's config and extra words. A script that calls this with ``workers > 1`` needs the usual
        ``if __name__ == "__main__":`` guard. The tokens are identical to ``workers=1``.
        """
        # Each chunk comes back with its own copy of every word it holds; one object per
        # distinct word keeps the corpus's tokens at the size of references (on 72,855 news
        # stories the tokens stage peaked 0.4 GB lower).
        canonical: dict[str, str] = {}
        return [[canonical.setdefault(t, t) for t in tokens]
                for tokens in self.tokenize_stream(texts, workers=workers, chunk_size=chunk_size,
                                                   scheduler=scheduler, progress=progress, total=total)]

    def tokenize_stream(self, texts: Iterable[str], *, workers: int = 0, chunk_size: int = 500,
                        scheduler: str | None = None, progress: bool = True,
                        total: int | None = None) -> Iterator[list[str]]:
        """:meth:`tokenize_many`, a document's tokens at a time, as the workers send them back:
        ``texts`` read as they are needed, nothing kept."""
        for chunk in self._chunk_tokens(texts, False, workers, chunk_size, scheduler, progress, total):
            yield from chunk

    def tokenize_arrays(self, texts: Iterable[str], *, workers: int = 0, chunk_size: int = 500,
                        scheduler: str | None = None, progress: bool = True,
                        total: int | None = None) -> Iterator[object]:
        """:meth:`tokenize_stream`, a chunk of documents at a time, as one Arrow array (a list of
        words a document) made where they were segmented: the process that gathers a national
        archive's tokens (into a file, as they come) makes no Python string of a word. Millions
        of them, freed among objects that live on, left memory the process could not give
        back: the tokens stage grew by 5 kB a document without this (100,000 articles)."""
        yield from self._chunk_tokens(texts, True, workers, chunk_size, scheduler, progress, total)

    def _chunk_tokens(self, texts: Iterable[str], arrow: bool, workers: int, chunk_size: int,
                      scheduler: str | None, progress: bool, total: int | None) -> Iterator:
        """The tokens of ``texts`` a chunk at a time (:func:`_tokenize_chunk`), in order."""
        from tqdm.auto import tqdm

        from policytopics.common.workers import chunks_of, map_chunks, plan_workers

        if total is None and hasattr(texts, "__len__"):
            total = len(texts)
        workers, documents = plan_workers(workers, texts, PARALLEL_MIN_DOCS, total=total)
        args = (self.config, self.extra_words_, arrow)
        with tqdm(total=total, desc="segment", unit="doc", disable=not progress, leave=False) as bar:
            if workers == 1 and not scheduler:
                chunks = (_tokenize_chunk(chunk, *args, segmenter=self)
                          for chunk in chunks_of(documents, chunk_size))
            else:
                chunks = map_chunks(_tokenize_chunk, documents, args, workers=workers, chunk_size=chunk_size,
                                    scheduler=scheduler)
            for chunk in chunks:
                yield chunk
                bar.update(len(chunk))


def token_list_type():
    """The Arrow type of a column of token lists (as pandas writes a column of lists of words)."""
    import pyarrow as pa

    return pa.list_(pa.string())


def _tokenize_chunk(texts: list[str], config: SegmentConfig, extra_words: tuple[str, ...] = (),
                    arrow: bool = False, *, segmenter: Segmenter | None = None):
    """Worker side: tokens of a chunk (a list of words a text; with ``arrow``, one Arrow array
    of them), with one Segmenter per worker, configuration and extra words (or ``segmenter``,
    in this process)."""
    from policytopics.common.workers import worker_state

    segmenter = segmenter or worker_state(Segmenter, config, tuple(extra_words))
    tokens = [segmenter.tokenize(text) for text in texts]
    if arrow:
        import pyarrow as pa

        return pa.array(tokens, type=token_list_type())
    return tokens


def tokenize_units(units, config: SegmentConfig, compute: ComputeConfig, *, extra_words: Iterable[str] = (),
                   progress: bool = False):
    """The tokens stage: the units table (``text`` column) with its text replaced by token
    lists (``tokens``), segmented by a :class:`Segmenter` of ``config`` in ``compute``'s
    workers, with frequent bigrams joined when ``config.phrases`` is on."""
    segmenter = Segmenter(config, extra_words=tuple(extra_words))
    token_lists = segmenter.tokenize_many(units["text"], workers=compute.workers,
                                          chunk_size=compute.chunk_size,
                                          scheduler=text_scheduler(compute.scheduler), progress=progress,
                                          total=len(units))
    if config.phrases:
        token_lists = apply_phrases(token_lists, config.phrases_min_count, config.phrases_threshold)
    return units.drop(columns="text").assign(tokens=token_lists)


# --- phrases ---------------------------------------------------------------------------

def apply_phrases(token_lists: Sequence[list[str]], min_count: int = 5,
                  threshold: float = 10.0) -> list[list[str]]:
    """Join frequent bigrams into one token (``数字`` ``经济`` → ``数字_经济``).

    The bigrams are learned over the whole corpus with gensim ``Phrases`` (default
    scorer), so call this once on all documents after :meth:`Segmenter.tokenize_many`.
    Deterministic: the same token lists give the same phrases.

    Parameters
    ----------
    token_lists
        Tokens per document.
    min_count
        Ignore tokens and bigrams seen fewer times than this in the corpus.
    threshold
        Score a bigram must exceed to become a phrase; higher means fewer phrases.

    Examples
    --------
    >>> docs = [[f"地区{i}", "数字", "经济", f"项目{i}"] for i in range(30)]
    >>> apply_phrases(docs + [["数字", "政府"]], min_count=2, threshold=1.0)[0]
    ['地区0', '数字_经济', '项目0']
    """
    from gensim.models.phrases import Phrases

    token_lists = [list(tokens) for tokens in token_lists]
    if not any(token_lists):
        return token_lists
    model = Phrases(token_lists, min_count=min_count, threshold=threshold, delimiter="_")
    frozen = model.freeze()
    return [frozen[tokens] for tokens in token_lists]


__all__ = [
    "BACKENDS",
    "PARALLEL_MIN_DOCS",
    "SEGMENTER_BACKENDS",
    "Segmenter",
    "SegmenterBackend",
    "apply_phrases",
    "load_admin_words",
    "load_stopwords",
    "place_words",
    "read_user_dictionary",
    "read_word_list",
    "tokenize_units",
]
