"""The tokens stage's pure function, key and check."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pyarrow as pa

from policytopics import load_study
from policytopics.study import stage_tokens


def test_tokens_segment_the_kept_documents(sample_study):
    config = sample_study.config
    kept = sample_study.kept_documents()
    parts = [kept.iloc[:2], kept.iloc[2:2], kept.iloc[2:]]  # an empty part among them
    # Arrow tables, a part's units each: no Python string of a word is made for them.
    made = list(stage_tokens.tokens(parts, config.corpus, config.segment, config.compute, config.model))
    assert len(made) == 2 and all(isinstance(part, pa.Table) for part in made)
    table = pd.concat([part.to_pandas() for part in made], ignore_index=True)
    assert stage_tokens.check_tokens(table) is None
    assert [list(t) for t in table["tokens"]] == [list(t) for t in sample_study.tokens()["tokens"]]


def test_the_key_holds_the_seed_words_and_the_word_lists_by_content(repo, tmp_path):
    config = load_study(repo / "study.toml")
    before = stage_tokens.tokens_key(config.corpus, config.segment, config.model)
    assert stage_tokens.tokens_key(config.corpus, config.segment, config.model) == before
    themes = tmp_path / "themes.toml"
    themes.write_text('["产业"]\nwords = ["产业链"]\n', encoding="utf-8")
    seeded = replace(config.model, themes=themes)
    assert stage_tokens.seed_words(seeded) == ("产业链",)
    assert stage_tokens.tokens_key(config.corpus, config.segment, seeded) != before
    # The rest of [model] does not re-segment.
    assert stage_tokens.tokens_key(config.corpus, config.segment, replace(config.model, n_topics=9)) == before


def test_a_tokens_table_without_its_columns_does_not_fit():
    assert "'tokens'" in stage_tokens.check_tokens(pd.DataFrame({"doc_id": [], "passage": [], "n_chars": []}))
