"""The one validator of a study's settings: every rule of the schema, checked here.

The rules are declared with each setting (:func:`policytopics.settings.schema.setting`);
this module reads them and applies them:

- :func:`check_section` when a section is made, in code or from a study file: its choices
  (``Literal`` types) and its ``"made"`` rules;
- :func:`coerce` when a study file's or an override's value is read: into the setting's type,
  or one :class:`~policytopics.settings.schema.StudyConfigError` line naming it;
- :func:`validate_study` once a study is read: its ``"read"`` rules, and the checks that join
  settings (``keep_n`` and K, the word-list files);
- :func:`check_themes_fit`: the seeded themes fit in the topics.

Example
-------
>>> from policytopics.settings.sections import ModelConfig
>>> from policytopics.settings.validate import specs
>>> [rule.check("[model] n_topics", " (--topics)", 1) for rule in specs(ModelConfig)[0].rules][0]
'[model] n_topics must be at least 2 (--topics), got 1'
"""

from __future__ import annotations

import dataclasses
import functools
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from policytopics.settings.schema import (
    JIEBA_TAGS,
    PACKAGE_DATA_PREFIX,
    PRIOR_WORDS,
    Flag,
    Rule,
    StudyConfigError,
    either,
    package_data,
)


@dataclass(frozen=True)
class Spec:
    """What the schema says of one setting: read once per section class from its field."""

    section: str
    name: str
    kind: str
    choices: tuple = ()
    rules: tuple[Rule, ...] = ()
    flag: Flag | None = None
    hint: str = ""
    aliases: tuple[str, ...] = ()
    what: str = ""
    unknown: str = ""
    as_tuple: bool = False
    field: dataclasses.Field | None = None

    @functools.cached_property
    def label(self) -> str:
        """``[section] key``, as every error names the setting."""
        return f"[{self.section}] {self.name}"

    @functools.cached_property
    def note(self) -> str:
        """`` (--flag; hint)``, said after the setting's name in a bound's error, or ``""``."""
        parts = [part for part in ((self.flag.name if self.flag else ""), self.hint) if part]
        return f" ({'; '.join(parts)})" if parts else ""

    @property
    def default(self) -> Any:
        """The default value (made anew for a setting whose default is made at run time)."""
        if self.field.default is not dataclasses.MISSING:
            return self.field.default
        return self.field.default_factory()


def _kind(hint: Any) -> tuple[str, tuple]:
    """How a value of type ``hint`` is read, and its allowed values if it is a choice."""
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        return "text", args
    if origin is tuple:
        item = args[0]
        if item is Path:
            return "paths", ()
        return "list", (get_args(item) if get_origin(item) is Literal else ())
    if origin in (types.UnionType, Union):
        return ("file" if Path in args else "prior"), ()
    return {bool: "bool", int: "whole", float: "number", str: "text", Path: "file"}[hint], ()


@functools.cache
def specs(cls) -> tuple[Spec, ...]:
    """The settings of a section class, in their order (read once per class: a section is
    made for every cleaned text, and resolving type hints is slow)."""
    hints = get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        kind, allowed = _kind(hints[f.name])
        meta = dict(f.metadata)
        out.append(Spec(section=cls.SECTION, name=f.name, kind=meta.pop("kind", None) or kind,
                        choices=allowed, field=f, **meta))
    return tuple(out)


# --- When a section is made -------------------------------------------------------------

def check_section(section) -> None:
    """A section's lists kept as tuples, its choices and its ``"made"`` rules checked;
    one :class:`StudyConfigError` line for the first wrong setting."""
    tupled, chosen, made = _made_checks(type(section))
    for s in tupled:  # a TOML array arrives as a list; keep the frozen config hashable
        value = getattr(section, s.name)
        object.__setattr__(section, s.name, (value,) if isinstance(value, str) else tuple(value))
    for s in chosen:
        _check_choice(s, getattr(section, s.name))
    for s, rule in made:
        value = getattr(section, s.name)
        if rule.broken(value):
            raise StudyConfigError(rule.check(s.label, s.note, value))


@functools.cache
def _made_checks(cls) -> tuple[tuple[Spec, ...], tuple[Spec, ...], tuple[tuple[Spec, Rule], ...]]:
    """A section class's lists kept as tuples, its choices and its ``"made"`` rules in their
    order (read once per class: a section is made for every cleaned text)."""
    own = specs(cls)
    made = sorted(((rule.rank, i, s, rule) for i, s in enumerate(own) for rule in s.rules
                   if rule.when == "made"), key=lambda item: item[:2])
    return (tuple(s for s in own if s.as_tuple), tuple(s for s in own if s.choices),
            tuple((s, rule) for *_, s, rule in made))


def _check_choice(s: Spec, value: Any) -> None:
    if s.kind != "list":
        if value not in s.choices:
            raise StudyConfigError(f"{s.label} must be {either(s.choices)}, got {value!r}")
        return
    bad = [item for item in value if item not in s.choices]
    if bad:
        raise StudyConfigError(f"{s.label}: " + s.unknown.format(bad=bad, allowed=either(s.choices)))


# --- When a value is read ---------------------------------------------------------------

def coerce(s: Spec, value: Any, base: Path) -> Any:
    """A study file's or an override's value in its setting's type, relative paths resolved
    against ``base``; or one :class:`StudyConfigError` line naming it."""
    if s.kind in ("paths", "word_lists", "levels", "list"):
        items = [value] if isinstance(value, (str, Path)) else value
        # The levels to compare may be numbers (period = 2020); every other list holds text.
        kinds = (str, int, float) if s.kind == "levels" else (str, Path)
        if not isinstance(items, (list, tuple)) or not all(isinstance(i, kinds) and not isinstance(i, bool)
                                                            for i in items):
            raise StudyConfigError(f"{s.label} must be {s.what}, got {value!r}")
        value = list(items)
    return _READERS[s.kind](s, value, base)


def _paths(s: Spec, value: list, base: Path) -> tuple[Path, ...]:
    if any(str(item).strip() == "" for item in value):
        # Path("") is the folder itself: the study's notebooks, word lists and outputs read as articles.
        raise StudyConfigError(f"{s.label}{s.note} holds an empty path \"\", which would read the whole "
                               f"folder {base} as articles; name the articles' folder (e.g. paths = "
                               "[\"articles\"]), or \".\" if that folder really is the corpus")
    return tuple(resolve_path(item, base) for item in value)


def _word_lists(s: Spec, value: list, base: Path) -> tuple[str, ...]:
    return tuple(item if str(item).startswith("stopwordsiso:") else str(resolve_path(item, base))
                 for item in value)


def _file(s: Spec, value: Any, base: Path) -> Path | None:
    if not isinstance(value, (str, Path)):
        raise StudyConfigError(f"{s.label} must be a path (or \"\" for none), got {value!r}")
    return resolve_path(value, base) if value not in ("", None) else None


def _bool(s: Spec, value: Any, base: Path) -> bool:
    if not isinstance(value, bool):
        raise StudyConfigError(f"{s.label} must be true or false, got {value!r}")
    return value


def _whole(s: Spec, value: Any, base: Path) -> int:
    # 4.7 topics is no whole number: refused, never cut to 4.
    whole = ((isinstance(value, int) and not isinstance(value, bool))
             or (isinstance(value, float) and value.is_integer())
             or (isinstance(value, str) and value.strip().lstrip("+-").isdigit()))
    if not whole:
        raise StudyConfigError(f"{s.label} must be a whole number, got {value!r}")
    return int(value)


def _prior(s: Spec, value: Any, base: Path) -> str | float:
    words = PRIOR_WORDS[s.name]
    if isinstance(value, str) and value not in words:
        try:
            value = float(value)
        except ValueError:
            raise StudyConfigError(f"{s.label} must be a number above 0 or {either(words)}, "
                                   f"got {value!r}") from None
    if not isinstance(value, str):
        value = number(s.label, value)
        if not value > 0:  # tomotopy aborts in C++ on a prior of 0 or less
            raise StudyConfigError(f"{s.label} must be above 0 (a Dirichlet prior), got {value!r}")
    return value


def _sample_size(s: Spec, value: Any, base: Path) -> int | str:
    if isinstance(value, str) and value.strip() == "auto":
        return "auto"
    if isinstance(value, str) and not value.strip().isdigit():
        raise StudyConfigError(f"{s.label}{s.note} must be \"auto\" or a whole number of units (0 = every "
                               f"unit), got {value!r}")
    size = _whole(s, value, base)
    if size < 0:
        raise StudyConfigError(f"{s.label}{s.note} must be \"auto\" or 0 or more, got {value!r}")
    return size


def _text(s: Spec, value: Any, base: Path) -> Any:
    if not isinstance(value, str):
        raise StudyConfigError(f"{s.label} must be text, got {value!r}")
    return value


def _formula(s: Spec, value: Any, base: Path) -> str:
    if not isinstance(value, str):
        raise StudyConfigError(f"{s.label} must be text such as \"region + period\", got {value!r}")
    return value.strip()


def number(name: str, value: Any) -> float:
    """A number setting's value; one line naming it otherwise (``true`` is no number)."""
    if isinstance(value, bool):
        raise StudyConfigError(f"{name} must be a number, got {value!r}")
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise StudyConfigError(f"{name} must be a number, got {value!r}") from None
    if result != result or result in (float("inf"), float("-inf")):
        raise StudyConfigError(f"{name} must be a finite number, got {value!r}")
    return result


#: How a value is read, by the setting's kind.
_READERS = {
    "paths": _paths, "word_lists": _word_lists, "file": _file, "bool": _bool, "whole": _whole,
    "prior": _prior, "text": _text, "formula": _formula, "sample_size": _sample_size,
    "levels": lambda s, value, base: tuple(str(item) for item in value),
    "list": lambda s, value, base: tuple(value),
    "raw": lambda s, value, base: value,
    "number": lambda s, value, base: number(s.label, value),
}


def resolve_path(value: str | Path, base: Path) -> Path:
    """``policytopics:NAME`` as the package's data file; a relative path under ``base``."""
    if isinstance(value, str) and value.startswith(PACKAGE_DATA_PREFIX):
        return package_data(value.removeprefix(PACKAGE_DATA_PREFIX))
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path)


# --- Once a study is read ---------------------------------------------------------------

def validate_study(config) -> None:
    """A read study's ``"read"`` rules, then the checks that join settings; one
    :class:`StudyConfigError` line for the first wrong one."""
    sections = [type(getattr(config, f.name)) for f in dataclasses.fields(config) if f.name != "root"]
    rules = [(rule.rank, n, i, s, rule) for n, cls in enumerate(sections)
             for i, s in enumerate(specs(cls)) for rule in s.rules if rule.when == "read"]
    for *_, s, rule in sorted(rules, key=lambda item: item[:3]):
        error = rule.check(s.label, s.note, getattr(getattr(config, s.section), s.name))
        if error is not None:
            raise StudyConfigError(error)
    model = config.model
    if model.keep_n < model.n_topics * model.top_n_words:
        # K topics, each shown by its top_n_words words, from fewer words than that: topics
        # share their words and cannot be told apart (keep_n = 1 fitted K topics on one word).
        raise StudyConfigError(
            f"[model] keep_n must be at least n_topics × top_n_words = {model.n_topics} × "
            f"{model.top_n_words} = {model.n_topics * model.top_n_words}, got {model.keep_n}: with fewer "
            "words than that, topics share their top words; raise keep_n (default 50000)")
    check_word_lists(config.segment, config.clean)


def check_word_lists(segment, clean=None) -> None:
    """The word-list files exist, and every ``pos_filter`` tag is one jieba or the user
    dictionary gives (an unknown tag kept almost nothing, silently); else one
    :class:`StudyConfigError` naming the setting. Called when a study is read, before any
    document, and by the segmenter for settings made in code."""
    files = [("segment", "stopwords", s) for s in segment.stopwords if not str(s).startswith("stopwordsiso:")]
    files += [("segment", "user_dictionary", segment.user_dictionary),
              ("segment", "admin_words", segment.admin_words)]
    files += [("clean", "spam_phrases", clean.spam_phrases)] if clean is not None else []
    for section, key, path in files:
        if path is not None and not Path(path).is_file():
            raise StudyConfigError(f"[{section}] {key}: file not found: {path}; correct the path (relative "
                                   "to the study file), or remove the setting to use the default")
    if not segment.pos_filter:
        return
    known = set(JIEBA_TAGS)
    if segment.user_dictionary is not None:
        for line in Path(segment.user_dictionary).read_text(encoding="utf-8-sig").splitlines():
            parts = line.split()
            if len(parts) >= 2 and not line.lstrip().startswith("#") and not parts[-1].isdigit():
                known.add(parts[-1])
    unknown = [tag for tag in segment.pos_filter if tag not in known]
    if unknown:
        raise StudyConfigError(f"[segment] pos_filter: unknown part-of-speech tag(s) {unknown}; jieba's "
                               f"tags are {', '.join(sorted(known))} "
                               '(e.g. pos_filter = ["n", "vn", "v"])')


def check_themes_fit(n_themes: int, n_topics: int, themes: str | Path | None = None, *,
                     sweep: bool = False) -> None:
    """The seeded themes fit in the topics: one topic each, at least; else one ``ValueError``.

    Parameters
    ----------
    n_themes, n_topics
        The seeded themes, and K (a sweep: its smallest K).
    themes
        The themes file, named in the error (``None``: the error names no file).
    sweep
        K is a sweep's smallest: the error says so, with a range of K that fits.

    >>> check_themes_fit(3, 2, "themes.toml")
    Traceback (most recent call last):
    ...
    ValueError: 3 seeded themes in themes.toml need at least 3 topics; n_topics is 2 (--topics)
    """
    if n_themes <= n_topics:
        return
    if sweep:
        raise ValueError(f"the sweep's smallest K, {n_topics}, is below the {n_themes} seeded themes of "
                         f"{themes}: every K must hold them and free topics beside "
                         f"(e.g. --topics {n_themes + 2}:{n_themes + 20}:2)")
    if themes is None:
        raise ValueError(f"{n_themes} seeded themes need at least as many topics; n_topics is {n_topics}")
    raise ValueError(f"{n_themes} seeded themes in {themes} need at least {n_themes} topics; "
                     f"n_topics is {n_topics} (--topics)")


__all__ = ["Spec", "check_section", "check_themes_fit", "check_word_lists", "coerce", "number",
           "resolve_path", "specs", "validate_study"]
