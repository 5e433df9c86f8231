"""The [model] settings that change a fit: the model's cache key and its load check read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from policytopics.model.fit_settings import (
    DISPLAY_SETTINGS,
    config_from_settings,
    fit_settings,
    settings_dict,
)
from policytopics.settings.config import ModelConfig

COMMON = ["n_topics", "seed", "no_below", "no_above", "keep_n", "alpha", "eta", "engine"]


@pytest.mark.parametrize(("settings", "keys"), [
    ({}, [*COMMON, "gibbs_iterations", "posterior_samples", "workers", "themes", "seed_strength",
          "fit_sample"]),
    ({"engine": "keyatm"}, [*COMMON, "gibbs_iterations", "posterior_samples", "themes", "seed_strength",
                            "anchor_keywords", "switch_prior", "keyword_prior", "fit_sample"]),
    ({"engine": "gensim"}, ["n_topics", "seed", "passes", "iterations", "no_below", "no_above", "keep_n",
                            "alpha", "eta", "chunksize", "engine", "multicore", "themes", "seed_strength",
                            "fit_sample"]),
])
def test_each_engine_fits_on_its_own_settings_in_the_order_of_the_settings(settings, keys):
    """The keys, in order, that the model's cache key has always been made of."""
    assert list(fit_settings(settings_dict(ModelConfig(**settings)))) == keys


def test_display_settings_never_change_the_fit():
    fit = fit_settings(settings_dict(ModelConfig(top_n_words=30, label_words="frex", eval_every=3)))
    assert not DISPLAY_SETTINGS & set(fit)
    assert fit == fit_settings(settings_dict(ModelConfig()))


def test_a_setting_saved_before_it_existed_takes_todays_default():
    saved = settings_dict(ModelConfig())
    del saved["posterior_samples"]
    assert fit_settings(saved) == fit_settings(settings_dict(ModelConfig()))


def test_saved_settings_give_back_the_config(tmp_path):
    config = ModelConfig(n_topics=7, engine="gensim", themes=tmp_path / "themes.toml", alpha=0.1)
    saved = settings_dict(config)
    assert saved["themes"] == str(tmp_path / "themes.toml")
    again = config_from_settings(saved | {"retired_setting": 1})
    assert again == config and isinstance(again.themes, Path)
