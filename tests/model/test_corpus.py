"""The bag-of-words corpus: pruning, the dictionary, and the corpus folder on disk."""

from __future__ import annotations

import numpy as np
from conftest import TOPIC_TEXTS as TEXTS

from policytopics.model.corpus import (
    build_dictionary,
    load_corpus,
    pruning,
    save_corpus,
    seen_words,
    unit_lengths,
)
from policytopics.settings.config import ModelConfig


def test_build_dictionary_can_also_return_the_words_seen_before_pruning():
    config = ModelConfig(n_topics=3, no_below=4, no_above=0.9)
    dictionary = build_dictionary(TEXTS, config)
    again, unpruned = build_dictionary(TEXTS, config, return_unpruned=True)
    assert again.token2id == dictionary.token2id
    assert unpruned == {word for text in TEXTS for word in text}
    assert set(dictionary.token2id) < unpruned


def test_pruning_set_by_hand_is_used_as_given():
    assert pruning(ModelConfig(no_below=3, no_above=0.4), 50_000) == (3, 0.4)


def test_a_corpus_folder_streams_back_what_was_written(tmp_path):
    assert load_corpus(tmp_path) is None and seen_words(tmp_path) == frozenset()
    config = ModelConfig(no_below=2, no_above=0.9)
    dictionary, unpruned = build_dictionary(TEXTS, config, return_unpruned=True)
    token_lists = [*TEXTS, []]
    save_corpus(tmp_path, dictionary, token_lists, unpruned)
    loaded, corpus = load_corpus(tmp_path)
    assert loaded.token2id == dictionary.token2id and len(corpus) == len(token_lists)
    assert [sorted(bow) for bow in corpus] == [sorted(dictionary.doc2bow(t)) for t in token_lists]
    lengths = [sum(count for _, count in dictionary.doc2bow(t)) for t in token_lists]
    np.testing.assert_array_equal(unit_lengths(tmp_path, len(token_lists)), lengths)
    assert seen_words(tmp_path) == unpruned


def test_unit_lengths_read_in_chunks_sum_as_whole(tmp_path, monkeypatch):
    from policytopics.model import corpus as corpus_module

    dictionary = build_dictionary(TEXTS, ModelConfig(no_below=1, no_above=1.0))
    token_lists = [*TEXTS, [], *TEXTS]
    save_corpus(tmp_path, dictionary, token_lists)
    whole = unit_lengths(tmp_path, len(token_lists))
    monkeypatch.setattr(corpus_module, "UNIT_LENGTH_CHUNK", 1)  # one entry at a time
    np.testing.assert_array_equal(unit_lengths(tmp_path, len(token_lists)), whole)
    assert whole.tolist() == [sum(count for _, count in dictionary.doc2bow(t)) for t in token_lists]
