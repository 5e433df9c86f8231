"""Reading a study: the study file (``study.toml``) and the overrides of the CLI or a notebook.

:func:`load_study` reads a study file, resolves its relative paths against the file's folder,
applies the overrides (relative to where the user is), reads every value into its setting's
type and checks the study (:mod:`policytopics.settings.validate`).

Example
-------
>>> from policytopics.settings.load import load_study
>>> study = load_study(None, n_topics=12, seed=7)   # None: the nearest study.toml, or defaults
>>> study.model.n_topics, study.model.seed
(12, 7)
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

from policytopics.settings.schema import STUDY_FILE_NAME, StudyConfigError
from policytopics.settings.sections import SECTIONS, StudyConfig
from policytopics.settings.validate import coerce, specs, validate_study


def find_study_file(start: str | Path | None = None) -> Path | None:
    """Return the nearest ``study.toml`` in ``start`` (default: cwd) or its parents."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / STUDY_FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def load_study(path: str | Path | None = None, **overrides: Any) -> StudyConfig:
    """Read a study file and apply overrides.

    Parameters
    ----------
    path
        A ``study.toml``. ``None`` looks for one in the current folder and its parents,
        and falls back to the built-in defaults (relative to the current folder).
    **overrides
        ``section__key=value`` or ``"section.key"`` via a dict, or a shortcut:
        ``corpus`` (path or list of paths), ``limit``, ``n_topics``/``topics``, ``seed``,
        ``period``, ``language``, ``workers``, ``scheduler`` (each setting's ``aliases``
        in :mod:`policytopics.settings.sections`), ``out`` (one folder for tables and
        figures). ``None`` values are ignored, so unset CLI flags and notebook parameters
        leave the study file in charge.
    """
    study_path = Path(path) if path is not None else find_study_file()
    raw: dict[str, Any] = {}
    root = Path.cwd()
    if study_path is not None:
        if not study_path.is_file():
            raise StudyConfigError(f"study file not found: {study_path}")
        try:
            raw = tomllib.loads(_study_text(study_path))
        except tomllib.TOMLDecodeError as exc:
            raise StudyConfigError(f"{study_path} is not valid TOML: {exc}") from exc
        root = study_path.resolve().parent

    flat = _flatten_overrides(overrides)
    for dotted, value in flat.items():
        section, key = dotted.split(".", 1)
        raw.setdefault(section, {})[key] = value
    return _build(raw, root=root, cwd_paths=set(flat))


def _study_text(path: Path) -> str:
    """The text of a study file: UTF-8, with or without the BOM Notepad writes; any other
    encoding (GBK, UTF-16) is an error naming the file, the encoding and the fix (TOML
    files are UTF-8)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from policytopics.common.encoding import decode_bytes

    _, encoding, _ = decode_bytes(data)
    seen = f"saved as {encoding.upper()}" if encoding else "not UTF-8"
    raise StudyConfigError(f"{path} is {seen}; a study file must be UTF-8: open it in an editor and "
                           "save it as UTF-8 (Notepad: File > Save as, Encoding: UTF-8)")


@functools.cache
def shortcuts() -> dict[str, str]:
    """The short names of overrides (``topics``) and their settings (``model.n_topics``)."""
    return {alias: f"{name}.{s.name}" for name, cls in SECTIONS.items() for s in specs(cls)
            for alias in s.aliases}


def _flatten_overrides(overrides: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in overrides.items():
        if value is None:
            continue
        if name == "out":
            out = Path(value)
            flat["output.tables_dir"] = out
            flat["output.figures_dir"] = out / "figures"
            continue
        dotted = shortcuts().get(name, name.replace("__", "."))
        if "." not in dotted:
            raise StudyConfigError(f"unknown setting: {name!r}")
        flat[dotted] = value
    return flat


def _build(raw: dict[str, Any], *, root: Path, cwd_paths: set[str]) -> StudyConfig:
    unknown_sections = set(raw) - set(SECTIONS)
    if unknown_sections:
        raise StudyConfigError(
            f"unknown section(s) {sorted(unknown_sections)}; expected {sorted(SECTIONS)}"
        )
    built = {}
    for name, cls in SECTIONS.items():
        values = raw.get(name, {})
        if not isinstance(values, dict):
            raise StudyConfigError(f"{name} must be a section of settings ([{name}] and its keys "
                                   f"below it), got {name} = {values!r}")
        values = dict(values)
        known = {s.name: s for s in specs(cls)}
        bad = set(values) - set(known)
        if bad:
            raise StudyConfigError(
                f"unknown key(s) {sorted(bad)} in [{name}]; expected one of {sorted(known)}"
            )
        for key, value in values.items():
            # Values given on the command line are relative to where the user is,
            # values in the study file to the study file.
            base = Path.cwd() if f"{name}.{key}" in cwd_paths else root
            values[key] = coerce(known[key], value, base)
        built[name] = cls(**values)
    config = StudyConfig(**built, root=root)
    validate_study(config)
    return config


__all__ = ["find_study_file", "load_study", "shortcuts"]
