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
    import hashlib

    found: dict[int, tuple[int, str]] = {}
    first_with: dict[str, int] = {}
    for position, text in texts.items():
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if digest in first_with:
            found[position] = (first_with[digest], "same cleaned text")
        else:
            first_with[digest] = position
    if threshold:
        rest = [p for p in texts if p not in found]
        near = find_near_duplicates(rest, [texts[p] for p in rest], threshold=threshold,
                                    signatures=[signatures.get(p) for p in rest] if signatures else None)
        reason = f"near-duplicate text (MinHash Jaccard >= {threshold})"
        found.update({position: (first, reason) for position, first in near.items()})
    return found
