"""Shared fixtures: the bundled samples, a study run into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from policytopics import Study, load_study

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
CORPORA = REPO.parent / "shared" / "corpora"

# A tiny corpus of three clear themes for model tests.
TOPIC_TEXTS = [
    ["制造业", "产业链", "创新", "制造业", "集群"],
    ["数字经济", "数据", "算力", "数字经济", "平台"],
    ["绿色低碳", "碳达峰", "能源", "绿色低碳", "减排"],
    ["制造业", "集群", "产业链", "技术", "创新"],
    ["数据", "平台", "数字经济", "算力", "应用"],
    ["能源", "减排", "碳达峰", "绿色低碳", "光伏"],
] * 3


def pytest_collection_modifyitems(items):
    """A test that asks for the ``corpora`` fixture carries the ``corpora`` marker.

    So ``-m "not corpora"`` leaves out every test that reads ../shared/corpora, even one
    whose author forgot the marker (tests that open the corpora by path mark themselves).
    """
    for item in items:
        if "corpora" in getattr(item, "fixturenames", ()) and item.get_closest_marker("corpora") is None:
            item.add_marker(pytest.mark.corpora)


@pytest.fixture(autouse=True)
def _run_outside_the_repository(tmp_path_factory, monkeypatch):
    """Every test runs in an empty working folder of its own.

    Relative defaults (the study file found from the working folder, ``.cache/``,
    ``outputs/``, ``figures/``) then never reach the repository's own folders; a test that
    wants the repository's study file names it.
    """
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


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
