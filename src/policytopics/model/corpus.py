"""The bag-of-words corpus: a pruned vocabulary and the documents as word counts, on disk.

The vocabulary is a gensim ``Dictionary`` pruned by ``no_below`` / ``no_above`` /
``keep_n`` (auto values resolved for the corpus's size, :func:`pruning`); the corpus is a
Matrix Market file that the model streams from disk, so its memory does not grow with the
number of documents.
"""

from __future__ import annotations

from pathlib import Path

from policytopics.settings.config import ModelConfig

#: ``no_below = 0`` (auto) keeps words in at least this share of documents, within the
#: bounds below: 20 documents at 10,000, where it was measured (benchmarks/README.md).
AUTO_NO_BELOW_SHARE = 0.002
AUTO_NO_BELOW_MAX = 20
#: ``no_above = 0`` (auto) drops words in more than this share of the documents, by corpus
#: size: 0.3 from 1,000 documents (measured at 10,000 news stories); 0.5 from 100 (read
#: on the 211 long policy documents, where 0.3 cut too much and 0.9 left generic topics);
#: 0.9 below 100, where a share is two or three documents and no evidence of boilerplate.
AUTO_NO_ABOVE = ((1_000, 0.3), (100, 0.5), (0, 0.9))


def pruning(config: ModelConfig, n_docs: int) -> tuple[int, float]:
    """``(no_below, no_above)`` in effect for a corpus of ``n_docs`` documents (auto resolved).

    >>> from policytopics.settings.config import ModelConfig
    >>> [pruning(ModelConfig(no_below=0, no_above=0), n) for n in (5, 221, 1_000, 10_000, 74_000)]
    [(1, 0.9), (1, 0.5), (2, 0.3), (20, 0.3), (20, 0.3)]
    """
    no_below = config.no_below or min(AUTO_NO_BELOW_MAX, max(1, round(AUTO_NO_BELOW_SHARE * n_docs)))
    no_above = config.no_above or next(share for size, share in AUTO_NO_ABOVE if n_docs >= size)
    return no_below, no_above


def build_dictionary(token_lists, config: ModelConfig, *, return_unpruned: bool = False):
    """The pruned gensim ``Dictionary`` of a corpus (``no_below``, ``no_above``, ``keep_n``).

    ``token_lists`` is read once, so it may be a stream. Auto pruning (``0``) is resolved
    for the corpus's number of documents (:func:`pruning`).

    Parameters
    ----------
    token_lists
        Tokens per document.
    config
        Pruning settings.
    return_unpruned
        Also return the words seen before pruning, which the seeded-themes report needs
        to tell a pruned seed word from one never seen
        (:func:`policytopics.model.themes.seed_prior`, ``unpruned=``).

    Returns
    -------
    dictionary : gensim.corpora.Dictionary
        Alone, or as ``(dictionary, unpruned)`` with ``unpruned`` a frozenset of words.

    Examples
    --------
    >>> from policytopics.settings.config import ModelConfig
    >>> texts = [["数据", "算力"], ["数据", "人才"], ["数据", "算力"]]
    >>> dictionary, seen = build_dictionary(texts, ModelConfig(no_below=2, no_above=1),
    ...                                     return_unpruned=True)
    >>> sorted(dictionary.token2id), sorted(seen)
    (['数据', '算力'], ['人才', '数据', '算力'])
    """
    from gensim.corpora import Dictionary

    dictionary = Dictionary(token_lists)
    unpruned = frozenset(dictionary.token2id) if return_unpruned else None
    no_below, no_above = pruning(config, dictionary.num_docs)
    dictionary.filter_extremes(no_below=no_below, no_above=no_above, keep_n=config.keep_n)
    return (dictionary, unpruned) if return_unpruned else dictionary



#: The corpus folder's list of the words seen before pruning (for the seeded themes' report).
SEEN_WORDS_FILE = "seen_words.txt"
#: The gensim Dictionary's file, in a corpus folder and in a saved model's folder.
DICTIONARY_FILE = "dictionary.gensim"


def save_corpus(folder: str | Path, dictionary, token_lists, seen_words=()) -> None:
    """Write a corpus folder: the gensim ``Dictionary``, the bag-of-words corpus as a
    Matrix Market file (:func:`load_corpus` streams it), and the words seen before pruning."""
    from gensim.corpora import MmCorpus

    folder = Path(folder)
    dictionary.save(str(folder / DICTIONARY_FILE))
    MmCorpus.serialize(str(folder / "corpus.mm"), (dictionary.doc2bow(list(t)) for t in token_lists),
                       id2word=dictionary, progress_cnt=10**9)
    (folder / SEEN_WORDS_FILE).write_text("\n".join(sorted(seen_words)), encoding="utf-8")


def load_corpus(folder: str | Path):
    """``(dictionary, corpus)`` of a folder written by :func:`save_corpus`, or ``None`` when
    it holds none; ``corpus`` is a gensim ``MmCorpus`` that streams from disk."""
    from gensim.corpora import Dictionary, MmCorpus

    folder = Path(folder)
    if not (folder / "corpus.mm.index").is_file():
        return None
    return Dictionary.load(str(folder / DICTIONARY_FILE)), MmCorpus(str(folder / "corpus.mm"))


#: Entries of the Matrix Market file read at once by :func:`unit_lengths`.
UNIT_LENGTH_CHUNK = 1_000_000


def unit_lengths(folder: str | Path, n_units: int):
    """Tokens per unit (document or passage) of a corpus folder: its rows' sums.

    Read from the Matrix Market file with pandas' C parser (the corpus streamed through
    gensim takes several times longer). A unit left empty by pruning has 0.
    """
    import numpy as np
    import pandas as pd

    lengths = np.zeros(n_units)
    # In chunks of a million entries: the whole file at once is ~0.5 GB at the peak for 74,500
    # news stories. The sums are of whole counts, exact in float64 in any order.
    with pd.read_csv(Path(folder) / "corpus.mm", sep=" ", header=None, skiprows=2, usecols=[0, 2],
                     names=["unit", "word", "count"], dtype={"unit": np.int64, "count": np.float64},
                     chunksize=UNIT_LENGTH_CHUNK) as chunks:
        for entries in chunks:
            lengths += np.bincount(entries["unit"].to_numpy() - 1, weights=entries["count"].to_numpy(),
                                   minlength=n_units)
    return lengths


def seen_words(folder: str | Path) -> frozenset[str]:
    """The words a corpus folder saw before pruning (empty if it has no list)."""
    path = Path(folder) / SEEN_WORDS_FILE
    return frozenset(path.read_text(encoding="utf-8").split("\n")) if path.is_file() else frozenset()
