"""The schema of a study's settings: typed choices, the rules a value keeps, and ``setting()``.

Each setting is declared once, as a field of its section's dataclass
(:mod:`policytopics.settings.sections`) made by :func:`setting`: its default, the rules its
value keeps (:class:`AtLeast`, :class:`AtMost`, :class:`Above`, :class:`Between`, ...), its
command-line flag (:class:`Flag`) and its short names for overrides. A setting with a fixed
set of values has a ``Literal`` type below; its allowed values are read from that type by the
validator (:mod:`policytopics.settings.validate`) and by the command line
(:func:`policytopics.settings.sections.choices`). In the manner of scikit-learn's
``_parameter_constraints``: declared beside the parameter, checked by one validator.

Example
-------
>>> from policytopics.settings.schema import AtLeast
>>> AtLeast(2).check("[model] n_topics", " (--topics)", 1)
'[model] n_topics must be at least 2 (--topics), got 1'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

STUDY_FILE_NAME = "study.toml"

# The choice settings: their allowed values are these types, checked in one place
# (:func:`policytopics.settings.validate.check_section`) and offered by the command line.
Unit = Literal["auto", "document", "passage"]
Backend = Literal["rjieba", "jieba"]
Engine = Literal["tomotopy", "gensim", "keyatm"]
LabelWords = Literal["relevance", "frex", "probability"]
RegionLevel = Literal["province", "city"]
WeightBy = Literal["", "n_chars"]
Period = Literal["year", "quarter", "month"]
Uncertainty = Literal["global", "bootstrap", "none"]
Language = Literal["zh", "en"]
#: The set pieces of a Government Work Report that ``[clean] report_ritual`` may cut
#: (:mod:`policytopics.text.ritual`).
RitualPart = Literal["problems", "thanks", "closing"]
FollowLinks = Literal["inside", "all", "none"]
#: The formats a figure is written in (``[output] figure_formats``, ``--formats``).
FigureFormat = Literal["png", "svg", "pdf"]
#: Prefix of a word list that ships inside the package: ``policytopics:policy_terms.txt``.
PACKAGE_DATA_PREFIX = "policytopics:"

#: The most topics a study may ask for. The topic correlations' intervals hold draws × K × K
#: numbers (500 × 1,000 × 1,000 is 4 GB, whatever the corpus; K = 10,000 failed already at a
#: K × K table; K = 200 took 4 minutes and 0.9 GB on the five sample articles), and no reader
#: tells hundreds of topics apart.
MAX_TOPICS = 200
#: The largest seed: gensim and numpy take seeds below 2**32 (``numpy.random.RandomState``).
MAX_SEED = 2**32 - 1
#: A page, PDF or Word file holds markup, fonts and images beside its text: it may be, or
#: unpack to, this many times ``[corpus] max_document_mb`` (100 MB at the default 5).
FILE_BYTES_PER_TEXT_BYTE = 20
#: The words a prior may be instead of a number (gensim's; tomotopy's equivalents in
#: :func:`policytopics.model.engines.base.numeric_prior`).
PRIOR_WORDS = {"alpha": ("symmetric", "asymmetric", "auto"), "eta": ("symmetric", "auto")}

#: The part-of-speech tags jieba gives (its dictionary's and its POS-HMM's; ``eng`` for Latin
#: words, ``x`` for what is not a word). A tag a user dictionary gives its words counts too.
JIEBA_TAGS = frozenset({
    "a", "ad", "ag", "an", "b", "bg", "c", "d", "df", "dg", "e", "eng", "f", "g", "h", "i", "in", "j", "jn",
    "k", "l", "ln", "m", "mg", "mq", "n", "ng", "nr", "nrfg", "nrt", "ns", "nt", "nz", "o", "p", "q", "qe",
    "qg", "r", "rg", "rr", "rz", "s", "t", "tg", "u", "ud", "ug", "uj", "ul", "uv", "uz", "v", "vd", "vg",
    "vi", "vn", "vq", "x", "y", "yg", "z", "zg"})


class StudyConfigError(ValueError):
    """A study file or override has an unknown key or an invalid value."""


def package_data(name: str) -> Path:
    """Path of a data file shipped in the package (``policytopics/data/NAME``).

    >>> package_data("policy_terms.txt").name
    'policy_terms.txt'
    """
    from importlib.resources import files

    path = Path(str(files("policytopics") / "data" / name))
    if not path.is_file():
        raise StudyConfigError(f"no built-in data file {name!r} in the policytopics package")
    return path


def either(values: tuple) -> str:
    """``'a', 'b' or 'c'``: the allowed values of a choice, as its error names them."""
    quoted = [repr(v) for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


# --- Rules ------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Rule:
    """A rule a setting's value keeps.

    Parameters
    ----------
    message
        The error (default: the rule's :attr:`TEMPLATE`), formatted with ``name``
        (``[section] key``), ``note`` (`` (--flag; hint)`` or ``""``), ``value`` and the
        rule's own fields.
    when
        ``"made"``: checked whenever its section is made (in code too); ``"read"``: when a
        study is read (:func:`policytopics.settings.load.load_study`).
    order
        Where the rule comes among the others of its ``when`` (lower first, then the
        settings' own order; default: the rule's :attr:`ORDER`): which error is said when
        several settings are wrong.
    """

    TEMPLATE: ClassVar[str] = ""
    ORDER: ClassVar[int] = 1

    message: str = ""
    when: Literal["made", "read"] = "read"
    order: int | None = None

    @property
    def rank(self) -> int:
        """:attr:`order`, or the rule's :attr:`ORDER`."""
        return self.ORDER if self.order is None else self.order

    def broken(self, value: Any) -> bool:
        """Whether ``value`` breaks the rule (a rule that says more overrides :meth:`check`)."""
        return self.check("", "", value) is not None

    def check(self, name: str, note: str, value: Any) -> str | None:
        """The error for ``value`` of the setting ``name``, or ``None`` when the rule holds."""
        if not self.broken(value):
            return None
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return (self.message or self.TEMPLATE).format(**fields, name=name, note=note, value=value)


@dataclass(frozen=True)
class AtLeast(Rule):
    """A number no smaller than ``low``."""

    low: float = 0
    TEMPLATE: ClassVar[str] = "{name} must be at least {low}{note}, got {value}"

    def broken(self, value: Any) -> bool:
        return value < self.low


@dataclass(frozen=True)
class AtMost(Rule):
    """A number no larger than ``high``."""

    high: float = 0
    TEMPLATE: ClassVar[str] = "{name}{note} must be at most {high}, got {value}"
    ORDER: ClassVar[int] = 2

    def broken(self, value: Any) -> bool:
        return value > self.high


@dataclass(frozen=True)
class Above(Rule):
    """A number larger than ``low``."""

    low: float = 0
    TEMPLATE: ClassVar[str] = "{name} must be above {low}, got {value}"

    def broken(self, value: Any) -> bool:
        return not value > self.low


@dataclass(frozen=True)
class Between(Rule):
    """A number from ``low`` to ``high``, both included (``open``: both left out)."""

    low: float = 0
    high: float = 1
    open: bool = False
    TEMPLATE: ClassVar[str] = "{name} must be {span}, got {value}"
    ORDER: ClassVar[int] = 3

    def broken(self, value: Any) -> bool:
        return not (self.low < value < self.high if self.open else self.low <= value <= self.high)

    @property
    def span(self) -> str:
        return f"from {self.low} to {self.high}" if self.high < float("inf") else f"{self.low} or more"

    def check(self, name: str, note: str, value: Any) -> str | None:
        if not self.broken(value):
            return None
        return (self.message or self.TEMPLATE).format(name=name, note=note, value=value, span=self.span)


@dataclass(frozen=True)
class Count(Rule):
    """A list of one of the ``allowed`` lengths."""

    allowed: tuple[int, ...] = ()
    TEMPLATE: ClassVar[str] = "{name} has {value}"

    def broken(self, value: Any) -> bool:
        return len(value) not in self.allowed

    def check(self, name: str, note: str, value: Any) -> str | None:
        return super().check(name, note, list(value))


_DATE_BOUND = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def real_date(bound: str) -> bool:
    """Whether a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` bound is on the calendar (2020-02-30 is not)."""
    import datetime as dt

    parts = [int(part) for part in bound.split("-")]
    try:
        dt.date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class DateBound(Rule):
    """``""`` or a date written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` that is on the calendar."""

    TEMPLATE: ClassVar[str] = "{name} must be a date written YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}"

    def broken(self, value: Any) -> bool:
        return bool(value) and not (_DATE_BOUND.fullmatch(str(value)) and real_date(str(value)))

    def check(self, name: str, note: str, value: Any) -> str | None:
        error = super().check(name, note, value)
        if error is not None and _DATE_BOUND.fullmatch(str(value)):
            error += ": no such day on the calendar"
        return error


@dataclass(frozen=True)
class Formula(Rule):
    """An ``[effects]`` formula made of the covariates and the listed functions only: parsed
    before any document is read (a formula that is not never reaches formulaic, which runs
    Python)."""

    TEMPLATE: ClassVar[str] = "{name}: {value}"
    ORDER: ClassVar[int] = 6

    def check(self, name: str, note: str, value: Any) -> str | None:
        if not value:
            return None
        from policytopics.settings.formula import EffectFormulaError, formula_covariates

        try:
            formula_covariates(value)
        except EffectFormulaError as exc:
            return (self.message or self.TEMPLATE).format(name=name, value=exc)
        return None


# --- The declaration of a setting ---------------------------------------------------------

@dataclass(frozen=True)
class Flag:
    """A setting's command-line flag: its name, its help and how its value is written."""

    name: str
    help: str
    metavar: str | None = None
    nargs: str | None = None


#: The ways a study file's value is read into a setting's type
#: (:func:`policytopics.settings.validate.coerce`); ``None``: from the setting's type.
#: ``"raw"``: kept as written, checked where it is used; ``"sample_size"``: ``"auto"`` or a
#: whole number of 0 or more.
Kind = Literal["paths", "word_lists", "levels", "formula", "raw", "sample_size"]


def setting(default: Any = dataclasses.MISSING, *rules: Rule, factory: Callable | None = None,
            flag: Flag | None = None, hint: str = "", aliases: tuple[str, ...] = (),
            what: str = "", unknown: str = "", kind: Kind | None = None,
            as_tuple: bool = False) -> Any:
    """A section's field with everything known about the setting, in one place.

    Parameters
    ----------
    default, factory
        The default value, or a function making it (for values made at run time).
    *rules
        The rules its value keeps (:class:`Rule`).
    flag
        Its command-line flag, if it has one.
    hint
        Said after the flag in a bound's error: ``(--limit; 0 = all documents)``.
    aliases
        Its short names as an override of :func:`policytopics.settings.load.load_study`
        (``n_topics=12``), besides ``section__key``.
    what
        For a list setting, what it holds, as its error names it (``a list of formats``).
    unknown
        For a list of choices, the error naming the items not allowed (``unknown format(s) {bad}``).
    kind
        How a study file's value is read, where the type does not say (:data:`Kind`).
    as_tuple
        A list given in code is kept as a tuple when the section is made (hashable).
    """
    metadata = {"rules": rules, "flag": flag, "hint": hint, "aliases": aliases, "what": what,
                "unknown": unknown, "kind": kind, "as_tuple": as_tuple}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


__all__ = ["FILE_BYTES_PER_TEXT_BYTE", "JIEBA_TAGS", "MAX_SEED", "MAX_TOPICS", "PACKAGE_DATA_PREFIX",
           "PRIOR_WORDS", "STUDY_FILE_NAME", "Above", "AtLeast", "AtMost", "Backend", "Between", "Count",
           "DateBound", "Engine", "FigureFormat", "Flag", "FollowLinks", "Formula", "LabelWords",
           "Language", "Period", "RegionLevel", "RitualPart", "Rule", "StudyConfigError", "Uncertainty",
           "Unit", "WeightBy", "either", "package_data", "real_date", "setting"]
