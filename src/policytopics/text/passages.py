"""Units of analysis: documents → passages, the unit the topic model sees.

A 20,000-character Government Work Report is many passages about many themes; as one bag
of words it gets one topic. :func:`split_passages` cuts a long cleaned text into
passages of about ``passage_chars`` Chinese characters, :func:`document_units` turns the
kept documents into the table of units the segmenter reads, and :func:`document_topics`
brings the model's passage rows back to one row per document.

Metadata belongs to the document. A passage carries only its ``doc_id`` (and its number
and length); date, region, city and title are taken from the document by a join, never
extracted again from the passage: a passage of a national report that names one province
is still a passage of a national report.

How a text is cut
-----------------
1. Paragraphs are the lines of the cleaned text (``\\n``-separated).
2. A paragraph longer than the target is split at sentence ends (``。！？；!?;`` and the
   closing quotes or brackets right after them) into the number of pieces whose mean
   length is nearest the target on a ratio scale (a 599-character paragraph at target 400
   gives two pieces of about 300, a 550-character one stays whole), each cut at the
   sentence end nearest its share of the length. A sentence alone more than twice the
   target is cut at commas (``，,、：:``) the same way, and a clause still more than twice
   the target into equal runs of characters (tables and lists without punctuation).
3. Paragraphs and pieces are merged in order while the passage stays within the target;
   a passage shorter than half the target also takes the next piece if the two stay
   within 1.5 times the target (so a heading goes with the paragraph it heads).
4. A trailing passage shorter than a quarter of the target is merged into the previous.

Lengths are counted in Chinese characters (:func:`policytopics.common.chinese.cjk_count`). The same
text and target always give the same passages.

The defaults, chosen by measurement
-----------------------------------
``benchmarks/bench_passages.py`` models ``gwr_national`` (52 reports, median 17,000
characters) and ``policy_central_shandong`` (211 policy documents, median 3,200) whole
and cut at 200–800 characters, fits gensim LDA (K = 10, seeds 42–46, the default
segmenter and auto pruning) and scores each: the mean of each document's largest topic
share (its proportions being the length-weighted mean of its passages'; goal ≤ 0.5),
empty topics (< 1 % of the weight; summed over the seeds), gensim ``c_npmi`` of the top
10 words, their diversity, and fit time. Mean ± SD over the five seeds::

    python benchmarks/bench_passages.py --seeds 42,43,44,45,46 --targets 200,300,350,400,600,800

    corpus    unit      units  largest share  empty  c_npmi          diversity      fit s
    gwr       document     52  0.889 ± 0.013     11  -0.002 ± 0.021  0.540 ± 0.087    2.8
    gwr       200       5,241  0.280 ± 0.048      0  +0.048 ± 0.016  0.728 ± 0.053    9.9
    gwr       300       3,590  0.303 ± 0.026      0  +0.047 ± 0.011  0.732 ± 0.028    7.1
    gwr       400       2,802  0.332 ± 0.039      0  +0.046 ± 0.019  0.742 ± 0.028    4.5
    gwr       600       1,904  0.326 ± 0.021      0  +0.049 ± 0.014  0.704 ± 0.021    3.3
    gwr       800       1,415  0.364 ± 0.030      0  +0.043 ± 0.011  0.664 ± 0.061    2.9
    shandong  document    211  0.828 ± 0.018      0  -0.015 ± 0.017  0.764 ± 0.026    0.8
    shandong  200       5,409  0.483 ± 0.028      0  +0.057 ± 0.019  0.758 ± 0.037    6.3
    shandong  300       3,733  0.526 ± 0.011      0  +0.056 ± 0.015  0.758 ± 0.025    5.1
    shandong  400       2,782  0.534 ± 0.017      0  +0.073 ± 0.010  0.796 ± 0.027    4.2
    shandong  600       1,840  0.601 ± 0.017      0  +0.031 ± 0.016  0.722 ± 0.030    3.1
    shandong  800       1,365  0.643 ± 0.016      0  +0.026 ± 0.006  0.740 ± 0.026    2.5

Whole reports put 0.89 of their weight on one topic and leave topics empty; every cut
fixes both. ``passage_chars = 400``: every seed's reports stay under the 0.5 goal (worst
0.39); coherence is level from 200 to 600 on the reports and highest at 400 on the policy
documents (by more than one SD), diversity highest at 400 on both, and the fit is faster
than at 200–300 (fewer units). Longer passages (600, 800) put the policy documents back
on one topic (0.60, 0.64) and lose coherence; shorter ones only lower the largest share
by averaging more passages.

``passage_above = 3000``: xwlb news stories must stay whole (one item each) and reports
be cut. Of the first 19,825 xwlb stories 0.1 % are longer than 3,000 characters (0.9 %
than 1,500; longest 4,174), every national report is longer than 4,700. On the policy
documents, ``unit = "auto"`` with 1,500 or 3,000 scores the same within one SD (largest
share 0.52 / 0.54, c_npmi 0.061 / 0.065, diversity 0.77 / 0.76), while 6,000 leaves the
middling documents whole and falls back (0.70, 0.022, 0.66). 3,000 is the value that
keeps the most stories whole at the same quality.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise

import numpy as np
import pandas as pd

from policytopics.common.chinese import cjk_count
from policytopics.settings.config import CorpusConfig

#: Sentence ends: a run of end punctuation and the closing quotes or brackets after it.
_SENTENCE = re.compile(r".*?(?:[。！？；!?;]+[”’」』）)\]】》〉\"']*|$)", re.S)
#: Clause ends inside an over-long sentence.
_CLAUSE = re.compile(r".*?(?:[，,、：:]+|$)", re.S)
#: A sentence or clause longer than this many targets is cut further.
_FAR_OVER = 2.0
#: A passage shorter than this share of the target may take the next piece up to
#: ``_MERGE_LIMIT`` targets (a heading goes with its paragraph).
_SHORT = 0.5
_MERGE_LIMIT = 1.5
#: A trailing passage shorter than this share of the target joins the previous one.
_TINY = 0.25

UNIT_COLUMNS = ["doc_id", "passage", "n_chars", "text"]


def _pieces(pattern: re.Pattern, text: str) -> list[str]:
    """Consecutive non-empty matches of ``pattern``: ``"".join(result) == text``."""
    return [m.group(0) for m in pattern.finditer(text) if m.group(0)]


def _n_parts(length: int, target: int) -> int:
    """Number of parts whose mean length is nearest ``target`` on a ratio scale."""
    if length <= target:
        return 1
    low = length // target
    # Between low and low + 1 the ratio-scale midpoint is the geometric mean.
    return low + 1 if length / target > math.sqrt(low * (low + 1)) else low


def _balanced(atoms: list[str], lengths: list[int], n: int) -> list[str]:
    """``atoms`` joined into ``n`` consecutive groups, each cut at the atom boundary
    nearest its share of the total length (no group left empty)."""
    if n <= 1 or len(atoms) <= 1:
        return ["".join(atoms)]
    n = min(n, len(atoms))
    bounds = np.cumsum(lengths)[:-1]  # length before each possible cut (after atom i)
    total = sum(lengths)
    cuts, previous = [], -1
    for k in range(1, n):
        # Leave room for the groups still to come: at least one atom each.
        low, high = previous + 1, len(atoms) - 1 - (n - k)
        window = bounds[low:high + 1]
        cut = low + int(np.argmin(np.abs(window - k * total / n)))
        cuts.append(cut)
        previous = cut
    edges = [0, *(c + 1 for c in cuts), len(atoms)]
    return ["".join(atoms[a:b]) for a, b in pairwise(edges)]


def _hard_cut(text: str, target: int) -> list[str]:
    """A run without punctuation, cut into equal runs of characters near the target."""
    n = _n_parts(cjk_count(text), target)
    size = math.ceil(len(text) / n)
    return [text[i:i + size] for i in range(0, len(text), size)]


def _split_long(text: str, target: int, levels: tuple[re.Pattern, ...]) -> list[str]:
    """Pieces near ``target`` of one over-long paragraph, sentence, or clause."""
    length = cjk_count(text)
    if length <= target:
        return [text]
    if not levels:
        return _hard_cut(text, target) if length > _FAR_OVER * target else [text]
    atoms = []
    for atom in _pieces(levels[0], text):
        if cjk_count(atom) > _FAR_OVER * target:
            atoms.extend(_split_long(atom, target, levels[1:]))
        else:
            atoms.append(atom)
    lengths = [cjk_count(a) for a in atoms]
    return _balanced(atoms, lengths, _n_parts(length, target))


def split_passages(text: str, target_chars: int = 400) -> list[str]:
    """Passages of about ``target_chars`` Chinese characters from a cleaned text.

    Parameters
    ----------
    text
        Cleaned text; its lines (``\\n``-separated) are the paragraphs.
    target_chars
        Target passage length in Chinese characters.

    Returns
    -------
    list of str
        Passages in text order; paragraphs merged into one passage are joined by
        ``\\n``. Blank lines are dropped; an empty text gives no passage.

    Examples
    --------
    >>> split_passages("一、总体要求\\n" + "推进改革。" * 40 + "\\n" + "扩大开放。" * 40, 100)[0][:11]
    '一、总体要求\\n推进改革'
    >>> [len(p) for p in split_passages("甲乙丙丁。" * 200, 300)]  # 800 characters, 3 parts
    [335, 330, 335]
    >>> split_passages("短文。", 400)
    ['短文。']
    """
    if target_chars < 1:
        raise ValueError(f"target_chars must be positive, got {target_chars}")
    pieces: list[tuple[str, int, bool]] = []  # (text, length, starts a paragraph)
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        for i, piece in enumerate(_split_long(paragraph, target_chars, (_SENTENCE, _CLAUSE))):
            pieces.append((piece, cjk_count(piece), i == 0))

    passages: list[list] = []  # [text, length, index of its first piece]
    for index, (piece, length, new_paragraph) in enumerate(pieces):
        if passages:
            current = passages[-1]
            merged = current[1] + length
            if merged <= target_chars or (current[1] < _SHORT * target_chars
                                          and merged <= _MERGE_LIMIT * target_chars):
                current[0] += ("\n" if new_paragraph else "") + piece
                current[1] = merged
                continue
        passages.append([piece, length, index])
    if len(passages) > 1 and passages[-1][1] < _TINY * target_chars:
        tail = passages.pop()
        passages[-1][0] += ("\n" if pieces[tail[2]][2] else "") + tail[0]
        passages[-1][1] += tail[1]
    return [p[0] for p in passages]


def _unit_text(title, text: str) -> str:
    """What the segmenter reads for a whole document: the title line, then the text."""
    return f"{title}\n{text}" if isinstance(title, str) else text


def document_units(documents: pd.DataFrame, config: CorpusConfig) -> pd.DataFrame:
    """The units of analysis of the kept documents: whole documents or passages.

    Parameters
    ----------
    documents
        Kept documents, with columns ``doc_id``, ``title``, ``text`` and (optionally)
        ``n_chars``, the Chinese characters of ``text``.
    config
        ``unit``: ``"document"`` (every document whole), ``"passage"`` (every document
        cut), or ``"auto"`` (documents longer than ``passage_above`` characters cut);
        ``passage_chars``: the target passage length.

    Returns
    -------
    DataFrame
        One row per unit, in document order: ``doc_id``, ``passage`` (0-based),
        ``n_chars`` (Chinese characters of the unit, title included) and ``text``.
        A whole document's text is ``title + "\\n" + text`` (``text`` alone without a
        title), exactly as the segmenter has always read it; a cut document's title
        goes with its passage 0. Nothing else is carried: date, region, city and title
        stay with the document, and a passage gets them by joining on ``doc_id``.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "title": ["标题", None],
    ...                      "text": ["推进改革。" * 300, "短讯。"]})
    >>> units = document_units(docs, CorpusConfig(unit="auto", passage_chars=400, passage_above=1000))
    >>> units.groupby("doc_id")["passage"].count().to_dict()
    {'a': 3, 'b': 1}
    >>> units.loc[0, "text"][:8], units.loc[3, "text"]
    ('标题\\n推进改革。', '短讯。')
    """
    titles = documents["title"] if "title" in documents else [None] * len(documents)
    n_chars = documents["n_chars"] if "n_chars" in documents else documents["text"].map(cjk_count)
    doc_ids, numbers, lengths, texts = [], [], [], []
    for doc_id, title, text, length in zip(documents["doc_id"], titles, documents["text"], n_chars):
        text = text if isinstance(text, str) else ""
        title = title if isinstance(title, str) else None
        cut = config.unit == "passage" or (config.unit == "auto" and length > config.passage_above)
        passages = split_passages(text, config.passage_chars) if cut else []
        if len(passages) <= 1:
            whole = _unit_text(title, text)
            title_chars = cjk_count(title) if title else 0
            doc_ids.append(doc_id)
            numbers.append(0)
            lengths.append(int(length) + title_chars if not pd.isna(length) else cjk_count(whole))
            texts.append(whole)
            continue
        for number, passage in enumerate(passages):
            if number == 0 and title:
                passage = _unit_text(title, passage)
            doc_ids.append(doc_id)
            numbers.append(number)
            lengths.append(cjk_count(passage))
            texts.append(passage)
    return pd.DataFrame({"doc_id": doc_ids, "passage": np.asarray(numbers, dtype="int64"),
                         "n_chars": np.asarray(lengths, dtype="int64"), "text": texts},
                        columns=UNIT_COLUMNS)


def document_topics(passage_topics: np.ndarray, units: pd.DataFrame) -> tuple[list, np.ndarray]:
    """Topic proportions per document: the length-weighted mean of its passages' rows.

    Parameters
    ----------
    passage_topics
        Topic proportions per unit, shape ``(n_units, n_topics)``, rows in the order of
        ``units``.
    units
        The units (:func:`document_units`, or the tokens table): ``doc_id`` and
        ``n_chars`` per row.

    Returns
    -------
    doc_ids : list
        Documents in order of first appearance in ``units``.
    ndarray, shape (n_documents, n_topics)
        Each document's proportions, weighted by its passages' ``n_chars`` (equal
        weights for a document whose passages hold no Chinese character); rows sum to 1.
        A document that is one unit keeps its row unchanged.

    Examples
    --------
    >>> units = pd.DataFrame({"doc_id": ["a", "a", "b"], "n_chars": [300, 100, 50]})
    >>> ids, matrix = document_topics(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]), units)
    >>> ids, matrix.tolist()
    (['a', 'b'], [[0.75, 0.25], [0.5, 0.5]])
    """
    passage_topics = np.asarray(passage_topics, dtype=float)
    if passage_topics.ndim != 2 or len(passage_topics) != len(units):
        raise ValueError(f"passage_topics has {len(passage_topics)} rows for {len(units)} units")
    codes, uniques = pd.factorize(units["doc_id"], sort=False)
    weights = np.asarray(units["n_chars"], dtype=float)
    # A document whose passages all weigh nothing counts its passages equally.
    totals = np.bincount(codes, weights=weights, minlength=len(uniques))
    weights = np.where(totals[codes] > 0, weights, 1.0)
    sums = np.zeros((len(uniques), passage_topics.shape[1]))
    np.add.at(sums, codes, passage_topics * weights[:, None])
    sums /= sums.sum(axis=1, keepdims=True)
    # A document that is one unit keeps its row bit for bit (no weighting round trip).
    single = np.bincount(codes, minlength=len(uniques)) == 1
    sums[codes[single[codes]]] = passage_topics[single[codes]]
    return list(uniques), sums


__all__ = ["UNIT_COLUMNS", "document_topics", "document_units", "split_passages"]


def passage_topics_table(units: pd.DataFrame, passage_topics: np.ndarray) -> pd.DataFrame:
    """One row per unit: ``doc_id``, ``passage``, ``n_chars`` and its shares ``T1`` … ``TK``.

    >>> passage_topics_table(pd.DataFrame({"doc_id": ["a"], "passage": [0], "n_chars": [9]}),
    ...                      np.array([[0.25, 0.75]])).columns.tolist()
    ['doc_id', 'passage', 'n_chars', 'T1', 'T2']
    """
    units = units[["doc_id", "passage", "n_chars"]].reset_index(drop=True)
    columns = [f"T{t}" for t in range(1, passage_topics.shape[1] + 1)]
    return units.join(pd.DataFrame(passage_topics, columns=columns))
