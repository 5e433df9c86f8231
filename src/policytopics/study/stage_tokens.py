"""The tokens stage: the kept documents cut into units of analysis and segmented into words.

A pure stage function of the kept documents and the corpus, segment, compute and model
settings (the seeded themes' words are kept whole by the segmenter).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd

from policytopics.model.theme_file import load_themes
from policytopics.settings.config import ComputeConfig, CorpusConfig, ModelConfig, SegmentConfig
from policytopics.store.cache import trim_memory
from policytopics.study.stage_documents import UNIT_SETTINGS, missing_columns
from policytopics.text.passages import document_units
from policytopics.text.segment import tokenize_units


def seed_words(model: ModelConfig) -> tuple[str, ...]:
    """The seed words of ``[model] themes``, in the file's order (none without a themes file)."""
    return tuple(w for theme in (load_themes(model.themes) if model.themes else []) for w in theme.words)


def tokens(kept_documents: pd.DataFrame, corpus: CorpusConfig, segment: SegmentConfig, compute: ComputeConfig,
           model: ModelConfig, *, progress: bool = False) -> pd.DataFrame:
    """Tokens per unit of analysis (``doc_id``, ``passage``, ``n_chars``, ``tokens``)."""
    units = document_units(kept_documents, corpus)
    # Building the units leaves ~0.4 GB of freed text copies in the heap on 72,855 news
    # stories; hand it back before the workers start (the stage's peak).
    trim_memory()
    return tokenize_units(units, segment, compute, extra_words=seed_words(model), progress=progress)


def tokens_key(corpus: CorpusConfig, segment: SegmentConfig, model: ModelConfig) -> tuple:
    """What the tokens depend on: the unit settings, the segment settings, the seed words and
    the word lists by content."""
    word_lists = [Path(s) for s in segment.stopwords if not str(s).startswith("stopwordsiso:")]
    for extra in (segment.user_dictionary, segment.admin_words if segment.drop_place_names else None):
        if extra:
            word_lists.append(Path(extra))
    return ({k: getattr(corpus, k) for k in UNIT_SETTINGS}, asdict(segment), sorted(set(seed_words(model))),
            *word_lists)


def check_tokens(table: pd.DataFrame) -> str | None:
    """Why a cached tokens table does not fit (a column missing), or ``None``."""
    return missing_columns(table, ["doc_id", "passage", "n_chars", "tokens"])


__all__ = ["check_tokens", "seed_words", "tokens", "tokens_key"]
