"""A study folder of one's own: `policytopics init`, `python -m policytopics`, the built wheel."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

from policytopics.cli import main
from policytopics.settings.config import StudyConfig

REPO = Path(__file__).resolve().parents[1]
PACKAGE_DATA = REPO / "src" / "policytopics" / "data"


def test_init_writes_a_study_folder_that_runs(samples, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "mystudy"]) == 0
    folder = tmp_path / "mystudy"
    for name in ("study.toml", "labels.csv", "themes/manufacturing_policy.toml",
                 "notebooks/01_corpus.ipynb", "notebooks/02_topics.ipynb", "notebooks/03_themes.ipynb"):
        assert (folder / name).is_file(), name
    assert (folder / "articles").is_dir()
    assert "next:" in capsys.readouterr().out
    assert main(["init", "mystudy"]) == 2  # files there already: refused without --force
    for sample in samples.glob("*.txt"):
        (folder / "articles" / sample.name).write_bytes(sample.read_bytes())
    monkeypatch.chdir(folder)
    assert main(["run", "--topics", "3", "--no-progress", "-q"]) == 0
    record = json.loads((folder / "outputs" / "run.json").read_text(encoding="utf-8"))
    assert record["documents"] == {"kept": 5}
    assert (folder / "figures" / "theme_weights_by_region.png").is_file()


def test_the_template_is_the_repository_study_file_and_notebooks():
    template = (PACKAGE_DATA / "study.toml").read_text(encoding="utf-8").splitlines()
    repo = (REPO / "study.toml").read_text(encoding="utf-8").splitlines()
    differing = [(a, b) for a, b in zip(repo, template) if a != b]
    assert len(repo) == len(template) and differing == [('paths = ["data/samples"]', 'paths = ["articles"]')]
    # The repository's notebooks read the national example; the copies a study folder gets
    # read its own study.toml. Nothing else differs.
    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        shipped = (PACKAGE_DATA / "notebooks" / notebook.name).read_text(encoding="utf-8").splitlines()
        repo = notebook.read_text(encoding="utf-8").splitlines()
        differing = [(a.strip(), b.strip()) for a, b in zip(repo, shipped) if a != b]
        comment = r'# the study; None: the nearest study.toml\n",'
        assert len(repo) == len(shipped) and differing == [
            (r'"study_file = \"../data/examples/national.toml\"  ' + comment,
             r'"study_file = None   ' + comment)], notebook.name
    assert (PACKAGE_DATA / "manufacturing_policy.toml").read_bytes() == \
        (REPO / "data" / "themes" / "manufacturing_policy.toml").read_bytes()


def test_every_setting_is_documented_in_the_study_file():
    with open(REPO / "study.toml", "rb") as fh:
        study = tomllib.load(fh)
    for section in dataclasses.fields(StudyConfig):
        if section.name == "root":
            continue
        keys = {f.name for f in dataclasses.fields(section.default_factory)}
        assert keys == set(study[section.name]), section.name


def test_python_dash_m_is_the_console_script(tmp_path):
    result = subprocess.run([sys.executable, "-m", "policytopics", "--help"], capture_output=True,
                            text=True, cwd=tmp_path, check=True)
    assert "init" in result.stdout and "run" in result.stdout


@pytest.mark.slow
def test_built_wheel_installs_and_runs_from_an_empty_folder(samples, tmp_path):
    """Build the wheel, install it into a new virtual environment and start a study there.

    The new environment sees the test environment's dependencies through a path entry (no
    download), but not its editable install of policytopics: the package comes from the wheel.
    """
    import shutil

    # Built from a copy of the sources, so the build leaves nothing in the repository.
    source = tmp_path / "source"
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels),
                    str(source)], check=True, capture_output=True)
    wheel = next(wheels.glob("policytopics-*.whl"))
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "test_dependencies.pth").write_text("\n".join(deps) + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def policytopics(*args, cwd=work):
        done = subprocess.run([str(python), "-m", "policytopics", *args], cwd=cwd, env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done

    where = subprocess.run([str(python), "-c", "import policytopics; print(policytopics.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout
    assert Path(where.strip()).is_relative_to(env_dir)
    policytopics("init", "study")
    for sample in samples.glob("*.txt"):
        (work / "study" / "articles" / sample.name).write_bytes(sample.read_bytes())
    policytopics("run", "--topics", "3", "--no-progress", "-q", cwd=work / "study")
    assert (work / "study" / "outputs" / "topics.csv").is_file()
    assert (work / "study" / "figures" / "top_words.png").is_file()
