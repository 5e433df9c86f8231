"""The corpus stage's pure function, key and folder."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from policytopics.settings.config import ModelConfig
from policytopics.store.cache import StoredTable
from policytopics.study import stage_corpus


def test_corpus_is_kept_and_read_back_as_a_streamed_bag_of_words(tmp_path):
    tokens = pd.DataFrame({"tokens": [["产业", "制造"], ["产业", "创新"], ["创新"]]})
    tokens.to_parquet(tmp_path / "t.parquet")
    built = stage_corpus.corpus(StoredTable(tmp_path / "t.parquet"), ModelConfig())
    dictionary, token_lists, _ = built
    assert set(dictionary.token2id) <= {"产业", "制造", "创新"} and len(token_lists) == 3
    (tmp_path / "corpus").mkdir()
    stage_corpus.save(built, tmp_path / "corpus")
    dictionary, bags = stage_corpus.load(tmp_path / "corpus")
    assert len(list(bags)) == 3


def test_the_token_lists_are_read_a_part_at_a_time_each_time(tmp_path):
    lists = [[f"词{i}", "产业"] for i in range(7)]
    pd.DataFrame({"tokens": lists}).to_parquet(tmp_path / "t.parquet", row_group_size=3)
    token_lists = stage_corpus.TokenLists(StoredTable(tmp_path / "t.parquet"), rows=2)
    assert list(token_lists) == lists and list(token_lists) == lists  # iterable again, in order


def test_the_key_is_the_pruning_settings_only():
    model = ModelConfig()
    assert stage_corpus.corpus_key(replace(model, n_topics=9)) == stage_corpus.corpus_key(model)
    assert stage_corpus.corpus_key(replace(model, keep_n=10)) != stage_corpus.corpus_key(model)
