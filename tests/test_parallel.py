"""Worker processes: which main modules a spawned worker may import again."""

import sys
import types

import pytest

from policytopics.parallel import spawn_safe


@pytest.mark.parametrize(("file", "spec", "safe"), [
    (None, None, True),  # a notebook or the REPL: no main file to run again
    ("/venv/bin/policytopics", None, True),  # the command line's guarded entry point
    ("/venv/lib/pytest/__main__.py", "pytest.__main__", True),
    ("/home/me/analysis.py", None, False),  # a script of one's own may run its study again
    ("/home/me/pkg/run.py", "pkg.run", False),
])
def test_spawned_workers_only_from_a_main_module_that_guards_its_entry_point(monkeypatch, file, spec, safe):
    main = types.ModuleType("__main__")
    if file is not None:
        main.__file__ = file
    main.__spec__ = types.SimpleNamespace(name=spec) if spec else None
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert spawn_safe() is safe


def test_figure_workers_auto_draws_a_large_corpus_here_and_an_explicit_count_wins(sample_study, monkeypatch):
    from policytopics import outputs
    from policytopics.config import replace

    monkeypatch.setattr("policytopics.parallel.available_cpus", lambda: 2)
    monkeypatch.setattr("policytopics.parallel.spawn_safe", lambda: True)
    auto = sample_study.config
    two = replace(auto, compute=replace(auto.compute, workers=2))
    assert outputs.figure_workers(auto, 100) == 2
    assert outputs.figure_workers(auto, outputs.FIGURE_WORKERS_MAX_DOCS + 1) == 1
    assert outputs.figure_workers(two, outputs.FIGURE_WORKERS_MAX_DOCS + 1) == 2
    no_figures = replace(two, output=replace(two.output, figure_formats=()))
    assert outputs.figure_workers(no_figures, 100) == 1
    monkeypatch.setattr("policytopics.parallel.spawn_safe", lambda: False)
    assert outputs.figure_workers(two, 100) == 1
