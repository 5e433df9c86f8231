"""Cache keys: what a cached result depends on, hashed.

A stage's cache key is :func:`stable_hash` of exactly what the stage depends on: the keys of
the stages it takes its inputs from, its own settings, the contents of its input files (never
their paths: a study folder moved elsewhere keeps its cache) and :func:`code_version_of` its
function: the package version and the sources of the function's module and of every
``policytopics`` module that module imports, directly or through others, at its top or inside
a function (:func:`import_closure`). Changing a figure's code never re-segments; changing a
cleaning rule always re-cleans.

>>> "text.clean" in import_closure("text.documents")
True
>>> any(module.startswith("report.") for module in import_closure("text.documents"))
False
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from policytopics._version import __version__
from policytopics.store.checksums import file_digest

_PACKAGE = Path(__file__).parents[1]


def _key_value(value):
    """How :func:`stable_hash` writes what JSON cannot: a file by its content, anything else as text."""
    if isinstance(value, Path) and value.is_file():
        return {"file content": _content_hash(*_stat(value))}
    return str(value)


def stable_hash(*parts) -> str:
    """A short hex digest of ``parts``: JSON-able values, or paths (hashed by content).

    A path anywhere in ``parts`` (a setting inside a dict) that names a file is hashed by the
    file's content, not its name: the same file elsewhere gives the same digest.

    >>> stable_hash("model", {"n_topics": 4}) == stable_hash("model", {"n_topics": 4})
    True
    """
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            digest.update(part.read_bytes() if part.is_file() else str(part).encode())
        else:
            digest.update(json.dumps(part, sort_keys=True, default=_key_value, ensure_ascii=False).encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:20]


def _source(module: str) -> Path:
    """The file of a ``policytopics`` module (``"text.clean"``; ``"model.engines"``: its
    ``__init__.py``; ``"__init__"``: the package's)."""
    place = _PACKAGE.joinpath(*module.split("."))
    return place / "__init__.py" if place.is_dir() else place.with_suffix(".py")


@functools.lru_cache(maxsize=256)
def source_digest(module: str) -> str:
    """Hash of one module's source (``"text.clean"`` → ``policytopics/text/clean.py``; a
    subpackage such as ``"model.engines"``: its ``__init__.py``)."""
    return hashlib.sha256(_source(module).read_bytes()).hexdigest()[:12]


def _is_module(name: str) -> bool:
    place = _PACKAGE.joinpath(*name.split("."))
    return place.with_suffix(".py").is_file() or (place / "__init__.py").is_file()


@functools.lru_cache(maxsize=256)
def module_imports(module: str) -> frozenset[str]:
    """Every ``policytopics`` module that ``module`` imports, at its top or inside a function
    (read from its source, not run; the reading of ``tests/test_layers.py``)."""
    path = _source(module)
    own_package = path.name == "__init__.py" and module != "__init__"
    package = module.split(".") if own_package else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.removeprefix("policytopics.") for alias in node.names
                      if alias.name.startswith("policytopics.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1] if node.level > 1 else package
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and (node.module == "policytopics" or node.module.startswith("policytopics.")):
                target = node.module.removeprefix("policytopics").lstrip(".")
            else:
                continue
            targets = [target or "__init__"]
            # ``from policytopics.report import figures``: the submodule is imported too.
            targets += [name for alias in node.names
                        if _is_module(name := f"{target}.{alias.name}".lstrip("."))]
            found |= set(targets)
    found.discard(module)
    return frozenset(found)


@functools.lru_cache(maxsize=256)
def import_closure(module: str) -> tuple[str, ...]:
    """``module`` and every ``policytopics`` module it imports, directly or through others
    (sorted): the code that runs when its functions run."""
    seen, todo = {module}, [module]
    while todo:
        for imported in module_imports(todo.pop()):
            if imported not in seen:
                seen.add(imported)
                todo.append(imported)
    return tuple(sorted(seen))


def code_version(*modules: str) -> str:
    """Package version plus the source hashes of ``modules``: the code a stage runs.

    With no modules, every module of the package (what ``run.json`` records).

    >>> code_version("text.clean") != code_version("report.figures.themes")
    True
    """
    names = modules or tuple(sorted(".".join(path.relative_to(_PACKAGE).with_suffix("").parts)
                                    for path in _PACKAGE.rglob("*.py")))
    return __version__ + "+" + stable_hash([source_digest(name) for name in names])[:12]


def code_version_of(function: Callable) -> str:
    """:func:`code_version` of ``function``'s module and its :func:`import_closure`: the
    package version and the sources of every module whose code the function can run."""
    return code_version(*import_closure(function.__module__.removeprefix("policytopics.")))


def file_fingerprint(files: Sequence[tuple[Path, str]]) -> list:
    """Content hash of every input file with its name (``(path, name)`` pairs, as
    :func:`policytopics.read.files.input_files` gives them), so edits, renames and moves
    invalidate the cache."""
    return [[name, _content_hash(*_stat(file))] for file, name in files]


def _stat(file: Path) -> tuple[str, int, int]:
    stat = file.stat()
    return str(file.resolve()), stat.st_size, stat.st_mtime_ns


@functools.lru_cache(maxsize=4096)
def _content_hash(path: str, size: int, mtime_ns: int) -> str:
    """SHA-256 of a file, computed once per path, size and modification time."""
    return file_digest(path)


__all__ = ["code_version", "code_version_of", "file_fingerprint", "import_closure", "module_imports",
           "source_digest", "stable_hash"]
