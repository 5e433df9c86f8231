"""Exact and near-duplicate documents (MinHash over character 5-shingles).

Duplicates are judged on whole cleaned documents, never on passages: a report cut into
passages is one document.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SHINGLE_SKIP = re.compile(r"[\s\W_]+")


def _shingle_hashes(text: str, size: int = 5):
    """32-bit hashes of the character ``size``-grams of ``text``, repeats included.

    Spaces and punctuation are removed first. The hashes are computed with numpy over
    the code points (a polynomial hash, the same in every process and on every run),
    which is what makes MinHash affordable on a hundred thousand documents. Repeated
    shingles are left in: a MinHash is a minimum, which repeats do not change, and
    removing them (``np.unique``) was a quarter of the signature's time.
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
    return (hashes ^ (hashes >> np.uint64(32))) & np.uint64(0xFFFFFFFF)


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
    values = _permuted_minimum(shingles, template)
    if values is not None:
        return values
    # The shingles are hashed already: the hash function passes them through.
    signature = MinHash(num_perm=num_perm, seed=seed, hashfunc=int, scheme=template.scheme,
                        permutations=template.permutations)
    signature.update_batch(shingles.tolist())
    return signature.hashvalues


#: Shingles per block of :func:`_permuted_minimum` (a block is shingles × permutations).
_BLOCK = 4096


def _permuted_minimum(shingles, template):
    """The values ``MinHash.update_batch`` computes for ``shingles``, without its Python loop.

    datasketch's ``update_batch`` calls the hash function once per shingle in Python (a
    third of the document stage's signature time); the shingles are hashed already, so the
    same arithmetic is done here on the whole array: the scheme's pre-mix, the affine
    permutations (wrapping like datasketch's numpy arrays), the minimum per permutation.
    Returns ``None`` when this datasketch has no such scheme (then ``update_batch`` runs).
    """
    import numpy as np

    try:
        from datasketch.minhash import _SCHEME_DTYPES, _SCHEME_WIDTHS, _fmix
    except ImportError:
        return None
    scheme = template.scheme
    if scheme not in _SCHEME_WIDTHS:  # the legacy scheme: no pre-mix, another modulus
        return None
    a, b = template.permutations
    values = template.hashvalues.copy()
    hashed = _fmix(shingles.astype(_SCHEME_DTYPES[scheme]).reshape(-1, 1), _SCHEME_WIDTHS[scheme])
    for start in range(0, len(hashed), _BLOCK):
        values = np.minimum(values, (hashed[start:start + _BLOCK] * a + b).min(axis=0))
    return values


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
    index = NearDuplicateIndex(threshold, num_perm, seed)
    if signatures is None:
        signatures = (minhash_signature(text, num_perm, seed) for text in texts)
    duplicates: dict[str, str] = {}
    for doc_id, values in zip(doc_ids, signatures):
        first = index.add(doc_id, values)
        if first is not None:
            duplicates[doc_id] = first
    return duplicates


class NearDuplicateIndex:
    """The near-duplicate search of :func:`find_near_duplicates`, one document at a time, in
    input order: :meth:`add` says which earlier kept document a document repeats (or
    ``None``, and it is kept and indexed).

    datasketch's banding (its ``MinHashLSH`` at ``threshold``, weighted towards recall: 95 %
    of pairs at the threshold are found), held compactly: the kept signatures in one array,
    and per band a dictionary from the band's hash to the documents with that band. A
    candidate is a kept document with a band equal to the document's (checked on the values,
    so a hash collision proposes nothing), confirmed by the MinHash Jaccard estimate, as
    datasketch computes it. ``MinHashLSH`` itself kept a lean MinHash, sixteen band keys and
    sixteen sets per document: 6.2 kB each against 1.8 kB here (tracemalloc, 4,000 documents),
    over 400 MB of the documents stage's main process on the 74,542 xwlb stories.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, seed: int = 1):
        from datasketch import MinHashLSH

        # The index only proposes candidates; each is checked against ``threshold`` below.
        # Its default balance misses 60 % of pairs exactly at the threshold, so weight it
        # towards recall: 95 % of pairs at the threshold are found, at the price of checking
        # a few more candidates. Only its choice of bands is taken.
        self.bands = list(MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.05, 0.95)).hashranges)
        self.threshold, self.num_perm, self.seed = threshold, num_perm, seed
        self.buckets: list[dict[int, int | list[int]]] = [{} for _ in self.bands]
        self.values = None  # the kept signatures, one row each, in the order kept
        self.keys: list = []  # the key of each row
        self.taken: set = set()

    def add(self, doc_id, values):
        """The earliest kept document that ``doc_id`` (MinHash ``values``, from
        :func:`minhash_signature`; ``None``: no shingles, never a duplicate) repeats, else
        ``None``."""
        import numpy as np

        if values is None:
            return None
        if len(values) != self.num_perm:
            raise ValueError(f"expecting a MinHash of {self.num_perm} values, got {len(values)}")
        data = values.tobytes()
        width = values.itemsize
        hashes = [hash(data[start * width:end * width]) for start, end in self.bands]
        candidates = self._candidates(values, hashes)
        if candidates:
            # float / float, as datasketch's MinHash.jaccard; the earliest kept document wins.
            same = np.count_nonzero(self.values[candidates] == values, axis=1)
            matches = [row for row, n in zip(candidates, same.tolist()) if float(n) / float(self.num_perm)
                       >= self.threshold]
            if matches:
                return self.keys[min(matches)]
        if doc_id not in self.taken:  # a repeated id: the first document with that id stands
            self._insert(doc_id, values, hashes)
        return None

    def _candidates(self, values, hashes: list[int]) -> list[int]:
        """The kept rows with a band equal to one of ``values``'s (of band hash ``hashes``)."""
        found: set[int] = set()
        for (start, end), bucket, key in zip(self.bands, self.buckets, hashes):
            rows = bucket.get(key)
            if rows is None:
                continue
            for row in (rows,) if isinstance(rows, int) else rows:
                if row not in found and (self.values[row, start:end] == values[start:end]).all():
                    found.add(row)
        return sorted(found)

    def _insert(self, doc_id, values, hashes: list[int]) -> None:
        import numpy as np

        row = len(self.keys)
        if self.values is None or row == len(self.values):  # room for twice as many
            grown = np.empty((max(64, 2 * row), self.num_perm), dtype=values.dtype)
            if self.values is not None:
                grown[:row] = self.values
            self.values = grown
        self.values[row] = values
        self.keys.append(doc_id)
        self.taken.add(doc_id)
        for bucket, key in zip(self.buckets, hashes):
            rows = bucket.get(key)
            if rows is None:
                bucket[key] = row  # most bands are a document's own: one number, no list
            elif isinstance(rows, int):
                bucket[key] = [rows, row]
            else:
                rows.append(row)


def find_duplicates(texts: dict[int, str], signatures: dict[int, object],
                    threshold: float) -> dict[int, tuple[int, str]]:
    """Repeated documents among kept ones: ``{position: (first_position, reason)}``.

    ``texts`` and ``signatures`` map report positions (in input order) to the cleaned
    texts and :func:`minhash_signature` values of the kept documents. Exact repeats of a
    cleaned text are found first, then near-duplicates at MinHash Jaccard ``threshold``
    (0 turns that off) among the rest; the first occurrence is the one kept.

    >>> find_duplicates({0: "甲乙丙丁戊", 1: "其他文字内容", 2: "甲乙丙丁戊"}, {}, 0)
    {2: (0, 'same cleaned text')}
    """
    found: dict[int, tuple[int, str]] = {}
    if threshold and not signatures:
        signatures = {p: minhash_signature(text) for p, text in texts.items()}
    finder = DuplicateFinder(threshold)
    for position, text in texts.items():
        repeated = finder.add(position, text, signatures.get(position) if signatures else None)
        if repeated is not None:
            found[position] = repeated
    return found


def text_digest(text: str) -> bytes:
    """The SHA-1 digest of a cleaned text: equal texts, equal digests (the exact repeats)."""
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).digest()


class DuplicateFinder:
    """:func:`find_duplicates` as the kept documents arrive, in input order: the documents
    stage asks about each while the worker processes clean the next ones, instead of going
    over every kept text again once all are read (a tenth of the stage's time on 72,855
    stories, py-spy, one core idle meanwhile). The answers are the same: an exact repeat of any earlier
    kept text first, else a near-duplicate of an earlier document that repeats nothing."""

    def __init__(self, threshold: float):
        self.threshold = threshold
        self.first_with: dict[bytes, int] = {}
        self.near = NearDuplicateIndex(threshold) if threshold else None
        self.reason = f"near-duplicate text (MinHash Jaccard >= {threshold})"

    def add(self, position: int, text: str, signature) -> tuple[int, str] | None:
        """``(first_position, reason)`` when the kept document at ``position`` (its cleaned
        ``text`` and :func:`minhash_signature` values) repeats an earlier one, else ``None``."""
        return self.add_digest(position, text_digest(text), signature)

    def add_digest(self, position: int, digest: bytes, signature) -> tuple[int, str] | None:
        """:meth:`add` with the text's :func:`text_digest` in place of the text (the worker that
        cleaned it computes both: the text need not come back as a Python string)."""
        if digest in self.first_with:
            return self.first_with[digest], "same cleaned text"
        self.first_with[digest] = position
        if self.near is not None:
            first = self.near.add(position, signature)
            if first is not None:
                return first, self.reason
        return None
