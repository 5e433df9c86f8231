"""The model stage's pure function, key, loader and check."""

from __future__ import annotations

import shutil
from dataclasses import replace

from policytopics.settings.config import WeightsConfig
from policytopics.store.keys import stable_hash
from policytopics.study import stage_model


def _key(model, weights=None):
    return stable_hash(*stage_model.model_key(model, weights or WeightsConfig()))


def test_the_key_holds_the_themes_file_by_content_not_by_place(sample_study, tmp_path):
    model = sample_study.config.model
    themes = tmp_path / "a" / "themes.toml"
    themes.parent.mkdir()
    themes.write_text('["产业"]\nwords = ["产业链"]\n', encoding="utf-8")
    elsewhere = tmp_path / "b" / "themes.toml"
    elsewhere.parent.mkdir()
    shutil.copy(themes, elsewhere)
    key = _key(replace(model, themes=themes))
    assert _key(replace(model, themes=elsewhere)) == key
    elsewhere.write_text('["产业"]\nwords = ["制造业"]\n', encoding="utf-8")
    assert _key(replace(model, themes=elsewhere)) != key
    assert _key(replace(model, top_n_words=3)) == _key(model)
    assert _key(replace(model, seed=7)) != _key(model)


def test_the_cached_model_loads_and_fits(sample_study, tmp_path):
    model, config = sample_study.model(), sample_study.config.model
    assert stage_model.check_model(model, config) is None
    assert "not 5 units x 9 topics" in stage_model.check_model(model, replace(config, n_topics=9))
    stage_model.save(model, tmp_path / "saved")
    loaded = stage_model.load(tmp_path / "saved", sample_study.unit_ids(), config)
    assert (loaded.doc_topic_ == model.doc_topic_).all() and loaded.config == config
    assert stage_model.load(tmp_path, sample_study.unit_ids(), config) is None  # an empty folder
