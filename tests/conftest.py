"""Shared fixtures: the bundled samples, a study run into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from policytopics import Study, load_study

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
CORPORA = REPO.parent / "shared" / "corpora"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not beside the repository")
    return CORPORA


@pytest.fixture(scope="session")
def sample_study(tmp_path_factory) -> Study:
    """The sample study, run once per session into a temporary folder."""
    out = tmp_path_factory.mktemp("sample_study")
    config = load_study(REPO / "study.toml", out=out, output__cache_dir=out / "cache")
    study = Study(config, progress=False)
    study.outputs_ = study.run()
    return study
