"""The corpus stage: the pruned dictionary and the bag-of-words corpus of the tokens.

Kept as gensim files in a folder (:func:`policytopics.model.corpus.save_corpus`) and served
from them, so the model stage streams the corpus from disk.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from policytopics.model.corpus import build_dictionary, load_corpus, save_corpus
from policytopics.settings.config import ModelConfig


def corpus(tokens: pd.DataFrame, model: ModelConfig):
    """``(dictionary, token lists, every word seen before pruning)``, as :func:`save_corpus` keeps them."""
    token_lists = tokens["tokens"]
    dictionary, seen = build_dictionary((list(t) for t in token_lists), model, return_unpruned=True)
    return dictionary, token_lists, seen


def corpus_key(model: ModelConfig) -> tuple:
    """What the corpus depends on besides the tokens: the pruning settings."""
    return ({"no_below": model.no_below, "no_above": model.no_above, "keep_n": model.keep_n},)


def load(path: Path):
    """``(dictionary, corpus)`` of a corpus folder; the corpus streams from disk."""
    return load_corpus(path)


def save(built, folder: Path) -> None:
    save_corpus(folder, *built)


__all__ = ["corpus", "corpus_key", "load", "save"]
