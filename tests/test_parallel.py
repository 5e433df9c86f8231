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
