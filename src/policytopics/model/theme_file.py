"""A themes file: named policy themes and their seed words (TOML, one table per theme), read
into :class:`Theme` objects.

Reading the file is all the tokens stage needs of the themes (their seed words stay whole in
segmentation); how the themes enter a model as a prior is :mod:`policytopics.model.themes`, which
depends on the engines. Kept apart so that a change of an engine's code does not re-segment.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from policytopics.settings.config import StudyConfigError


@dataclass(frozen=True)
class Theme:
    """A named theme and its seed words.

    Parameters
    ----------
    name
        The theme's name, used as its topic's label (``"数字化转型与智能制造"``).
    words
        Seed words, in file order, without duplicates.
    """

    name: str
    words: tuple[str, ...]


def load_themes(path: str | Path) -> list[Theme]:
    """Themes of a TOML themes file, in file order.

    Parameters
    ----------
    path
        A TOML file with one table per theme: ``["数字化转型"]`` then ``words = [...]``.

    Returns
    -------
    list of Theme

    Raises
    ------
    StudyConfigError
        Naming the file (and the theme) when the file is missing or not TOML, a theme has
        no ``words``, an empty list or a non-text word, an unknown key, two themes share a
        name (also after stripping spaces) or a seed word.

    Examples
    --------
    >>> from policytopics.settings.config import package_data
    >>> themes = load_themes(package_data("manufacturing_policy.toml"))
    >>> themes[0].name, themes[0].words[:2]
    ('产业链供应链', ('产业链', '供应链'))
    """
    path = Path(path)
    if not path.is_file():
        raise StudyConfigError(f"themes file not found: {path}")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        # tomllib itself rejects a table declared twice ("Cannot declare ... twice").
        raise StudyConfigError(f"themes file {path} is not valid TOML: {exc}") from exc
    if not raw:
        raise StudyConfigError(f"themes file {path} defines no theme")
    themes: list[Theme] = []
    owner: dict[str, str] = {}  # seed word -> theme name
    for key, table in raw.items():
        name = key.strip()
        if not isinstance(table, dict):
            raise StudyConfigError(
                f"themes file {path}: {key!r} is not a theme table; write [\"{key}\"] and "
                "then words = [...]")
        if not name:
            raise StudyConfigError(f"themes file {path}: a theme has an empty name")
        where = f"themes file {path}, theme {name!r}"
        if any(theme.name == name for theme in themes):
            raise StudyConfigError(f"{where} is named twice")
        words = _seed_words_of(table, where)
        for word in words:
            if word in owner:
                raise StudyConfigError(
                    f"{where}: seed word {word!r} is also a seed of theme {owner[word]!r}; "
                    "a word can seed one theme only")
            owner[word] = name
        themes.append(Theme(name, tuple(words)))
    return themes


def _seed_words_of(table: dict, where: str) -> list[str]:
    """A theme table's seed words, stripped and once each, or the error saying ``where`` what
    is wrong with them."""
    unknown = set(table) - {"words"}
    if unknown:
        raise StudyConfigError(f"{where}: unknown key(s) {sorted(unknown)}; expected 'words'")
    if "words" not in table:
        raise StudyConfigError(f"{where} has no words = [...]")
    words = table["words"]
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise StudyConfigError(f"{where}: words must be a list of text, got {words!r}")
    words = list(dict.fromkeys(w.strip() for w in words))
    if "" in words:
        raise StudyConfigError(f"{where}: a seed word is empty")
    if not words:
        raise StudyConfigError(f"{where} has an empty word list")
    spaced = [w for w in words if len(w.split()) > 1]
    if spaced:
        raise StudyConfigError(f"{where}: seed words cannot contain spaces: {spaced}")
    return words


def seed_words(themes: Iterable[Theme]) -> list[str]:
    """Every seed word of ``themes``, once, in file order.

    Add them to the tokenizer's user dictionary so that segmentation keeps them whole.

    >>> seed_words([Theme("a", ("数据", "算力")), Theme("b", ("人才",))])
    ['数据', '算力', '人才']
    """
    return list(dict.fromkeys(word for theme in themes for word in theme.words))


__all__ = ["Theme", "load_themes", "seed_words"]
