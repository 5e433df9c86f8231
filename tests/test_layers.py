"""The package's layers: a lower subpackage never imports a higher one, and no modules import
each other in a circle (docs/architecture.md draws the layers)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

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
    """Every ``policytopics`` module ``path`` imports, at the top or inside a function."""
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.removeprefix("policytopics.") for alias in node.names
                      if alias.name.startswith("policytopics.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1] if node.level > 1 else package
                module = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and (node.module == "policytopics" or node.module.startswith("policytopics.")):
                module = node.module.removeprefix("policytopics").lstrip(".")
            else:
                continue
            targets = [module] if module else []
            # ``from policytopics.report import figures``: the submodule is what is imported.
            targets += [f"{module}.{alias.name}".lstrip(".") for alias in node.names
                        if _is_module(f"{module}.{alias.name}".lstrip("."))]
            found |= {target or "__init__" for target in targets} if targets else {"__init__"}
    found.discard(name)
    return found


def _is_module(name: str) -> bool:
    place = PACKAGE.joinpath(*name.split("."))
    return place.with_suffix(".py").is_file() or (place / "__init__.py").is_file()


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
