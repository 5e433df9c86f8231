"""The registry of engines: one name per choice of ``[model] engine``, each an
:class:`LDAEngine` that declares its settings, thread rule and prior form, and the fit's
settings taken from those declarations."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from typing import get_args

import pytest

from policytopics.model.engines import (
    ENGINE_CLASSES,
    ENGINES,
    LDAEngine,
    engine_class,
    settings_of_other_engines,
)
from policytopics.model.engines.base import SeedPriorForm
from policytopics.model.fit_settings import fit_settings, settings_dict
from policytopics.settings.config import Engine, ModelConfig, choices


def test_the_registry_names_the_settings_choices_in_their_order():
    """settings may not import the model: the two lists are kept equal by this test."""
    assert ENGINES == get_args(Engine) == tuple(choices("model.engine"))
    assert ENGINES[0] == ModelConfig().engine  # the first is the default


def test_every_engine_declares_what_the_package_needs_to_know():
    fields = {field.name for field in dataclasses.fields(ModelConfig)}
    files = set()
    for name, cls in ENGINE_CLASSES.items():
        assert engine_class(name) is cls and cls.name == name and issubclass(cls, LDAEngine)
        assert cls.settings <= fields, name
        assert isinstance(cls.seed_prior, SeedPriorForm), name
        assert isinstance(cls.workers_change_fit(settings_dict(ModelConfig(engine=name))), bool)
        files.add(cls.model_file)
    assert len(files) == len(ENGINE_CLASSES)  # no engine reads another's file
    with pytest.raises(ValueError, match="unknown LDA engine"):
        engine_class("mallet")


def test_the_fit_settings_come_from_the_engines_declarations(monkeypatch):
    """A new engine is one class and one registry line: its settings leave the others' fits,
    and its thread rule decides whether workers is part of its own."""

    class Mallet(ENGINE_CLASSES["tomotopy"]):
        name = "mallet"
        settings = frozenset({"chunksize"})
        workers_change_fit = classmethod(lambda cls, settings: False)

    assert "chunksize" in fit_settings(settings_dict(ModelConfig(engine="gensim")))
    monkeypatch.setitem(ENGINE_CLASSES, "mallet", Mallet)
    mallet = fit_settings(settings_dict(ModelConfig()) | {"engine": "mallet"})
    assert "chunksize" in mallet and "workers" not in mallet and "passes" not in mallet
    assert "gibbs_iterations" not in mallet  # its class's declaration, not its parent's
    assert settings_of_other_engines("tomotopy") >= {"chunksize", "passes"}
    assert "chunksize" not in fit_settings(settings_dict(ModelConfig()))  # tomotopy's fit


def test_an_unknown_engine_in_saved_settings_still_gives_its_fit_settings():
    """A model saved by an engine this version lacks: its check then names the engine."""
    fit = fit_settings(settings_dict(ModelConfig()) | {"engine": "lda-c"})
    assert fit["engine"] == "lda-c" and "workers" in fit and "passes" not in fit


def test_importing_the_registry_loads_no_engine_library():
    code = ("import sys; import policytopics.model.engines; "
            "print(sorted(m for m in ('gensim', 'tomotopy', 'numba') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            timeout=120).stdout.strip()
    assert loaded == "[]"
