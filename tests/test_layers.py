"""The package's layers: a lower subpackage never imports a higher one, and no modules import
each other in a circle (docs/architecture.md draws the layers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policytopics.store.keys import module_imports

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "policytopics"

#: From the bottom up; a module may import from its own layer and those below it.
LAYERS = (
    ("_version", "common", "settings"),
    ("store",),
    ("read",),
    ("text",),
    ("model",),
    ("estimate",),
    ("report",),
    ("study",),
    ("cli", "__main__", "__init__", "_legacy"),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "__init__"


def _imports(path: Path) -> set[str]:
    """Every ``policytopics`` module ``path`` imports, at the top or inside a function: the
    reading the stages' code keys use (:func:`policytopics.store.keys.module_imports`)."""
    return set(module_imports(_module_name(path)))


def _layer(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, tops in enumerate(LAYERS) if top in tops)


MODULES = {_module_name(path): _imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_is_in_a_layer():
    assert all(_layer(module) is not None for module in MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_higher_layer(module):
    upward = sorted(target for target in MODULES[module]
                    if target.split(".")[0] != "__init__" and _layer(target) > _layer(module))
    assert not upward, f"{module} (layer {_layer(module)}) imports {upward}"


def test_only_the_front_door_imports_the_package_face():
    """``import policytopics`` runs ``__init__``, which loads the study: the layers below take
    nothing from it (the version is in ``_version``)."""
    takers = sorted(module for module, targets in MODULES.items()
                    if "__init__" in targets and _layer(module) < len(LAYERS) - 1)
    assert not takers


def _cycles() -> list[list[str]]:
    graph = {m: {t for t in targets if t in MODULES} for m, targets in MODULES.items()}
    # A package's __init__ re-exporting its modules is not a circle with them.
    graph = {m: {t for t in targets if not t.startswith(m + ".")} for m, targets in graph.items()}
    cycles, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


#: Circles being taken apart in this redesign; the list must end empty.
KNOWN_CYCLES: list[list[str]] = []


def test_no_import_cycle():
    assert _cycles() == KNOWN_CYCLES


def test_the_checks_see_an_upward_import_and_a_cycle(tmp_path, monkeypatch):
    """The checks themselves can fail: a model module importing the study is caught."""
    assert _layer("model.themes") < _layer("study.study")
    graph_with_cycle = {"a": {"b"}, "b": {"a"}}
    monkeypatch.setitem(globals(), "MODULES", graph_with_cycle)
    assert _cycles() == [["a", "b", "a"]]
