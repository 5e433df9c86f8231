"""The corpus stage: the pruned dictionary and the bag-of-words corpus of the tokens.

Kept as gensim files in a folder (:func:`policytopics.model.corpus.save_corpus`) and served
from them, so the model stage streams the corpus from disk.
"""

from __future__ import annotations

from pathlib import Path

from policytopics.model.corpus import build_dictionary, load_corpus, save_corpus
from policytopics.settings.config import ModelConfig
from policytopics.store.cache import StoredTable


def corpus(tokens: StoredTable, model: ModelConfig):
    """``(dictionary, token lists, every word seen before pruning)``, as :func:`save_corpus`
    keeps them: the token lists read from the tokens table a part at a time, once for the
    dictionary and once for the corpus file (never all of them in memory)."""
    token_lists = TokenLists(tokens)
    dictionary, seen = build_dictionary(token_lists, model, return_unpruned=True)
    return dictionary, token_lists, seen


class TokenLists:
    """The token lists of a stored tokens table, in order, read a part at a time each time
    they are iterated (a list of words each)."""

    def __init__(self, tokens: StoredTable, rows: int = 10_000):
        self.tokens, self.rows = tokens, rows

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self):
        for part in self.tokens.batches(["tokens"], rows=self.rows):
            for token_list in part["tokens"]:
                yield list(token_list)


def corpus_key(model: ModelConfig) -> tuple:
    """What the corpus depends on besides the tokens: the pruning settings."""
    return ({"no_below": model.no_below, "no_above": model.no_above, "keep_n": model.keep_n},)


def load(path: Path):
    """``(dictionary, corpus)`` of a corpus folder; the corpus streams from disk."""
    return load_corpus(path)


def save(built, folder: Path) -> None:
    save_corpus(folder, *built)


__all__ = ["TokenLists", "corpus", "corpus_key", "load", "save"]
