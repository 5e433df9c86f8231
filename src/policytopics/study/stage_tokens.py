"""The tokens stage: the kept documents cut into units of analysis and segmented into words.

A pure stage function of the kept documents and the corpus, segment, compute and model
settings (the seeded themes' words are kept whole by the segmenter).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sized
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pyarrow as pa

from policytopics.common.workers import text_scheduler
from policytopics.model.theme_file import load_themes
from policytopics.settings.config import ComputeConfig, CorpusConfig, ModelConfig, SegmentConfig
from policytopics.study.stage_documents import UNIT_SETTINGS, missing_columns
from policytopics.text.passages import document_units
from policytopics.text.segment import Segmenter, tokenize_units


def seed_words(model: ModelConfig) -> tuple[str, ...]:
    """The seed words of ``[model] themes``, in the file's order (none without a themes file)."""
    return tuple(w for theme in (load_themes(model.themes) if model.themes else []) for w in theme.words)


def tokens(kept_document_chunks: Iterable[pd.DataFrame], corpus: CorpusConfig, segment: SegmentConfig,
           compute: ComputeConfig, model: ModelConfig, *,
           progress: bool = False) -> Iterator[pa.Table | pd.DataFrame]:
    """Tokens per unit of analysis (``doc_id``, ``passage``, ``n_chars``, ``tokens``), a part
    at a time (Arrow tables; a DataFrame with ``[segment] phrases``): the kept documents (with
    their texts) come in parts, are cut into units and segmented by the workers while the next
    are read, and each part's tokens are given (and written) as soon as the workers send them
    back. The whole corpus's texts or tokens are never in memory, except with ``[segment]
    phrases``: bigrams are learned over every unit."""
    extra_words = seed_words(model)
    if segment.phrases:
        units = pd.concat([document_units(part, corpus) for part in kept_document_chunks], ignore_index=True)
        yield tokenize_units(units, segment, compute, extra_words=extra_words, progress=progress)
        return
    waiting: deque[pd.DataFrame] = deque()  # the parts whose texts went to the workers, in order

    def texts() -> Iterator[str]:
        for part in kept_document_chunks:
            units = document_units(part, corpus)
            waiting.append(units.drop(columns="text"))
            yield from units["text"]

    # The bar's total is known when a unit is a document (a part's length: its documents).
    sized = isinstance(kept_document_chunks, Sized)
    total = len(kept_document_chunks) if corpus.unit == "document" and sized else None
    stream = Segmenter(segment, extra_words=extra_words).tokenize_arrays(
        texts(), workers=compute.workers, chunk_size=compute.chunk_size,
        scheduler=text_scheduler(compute.scheduler), progress=progress, total=total)
    # The tokens come back as Arrow arrays, a chunk of units each, and go out as a table of a
    # part's units: no Python string is made of a word here (segment.Segmenter.tokenize_arrays).
    done: list = []
    given = False
    for tokens in stream:
        done.append(tokens)
        while waiting and sum(map(len, done)) >= len(waiting[0]):
            units = waiting.popleft()
            joined = pa.concat_arrays(done) if len(done) > 1 else done[0]
            done = [joined[len(units):]]
            if len(units):
                yield pa.Table.from_pandas(units, preserve_index=False).append_column(
                    "tokens", joined[:len(units)])
                given = True
    if not given:  # no unit at all: the table's columns
        yield pd.DataFrame({"doc_id": [], "passage": [], "n_chars": [], "tokens": []})


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
