"""Settings of a study: frozen dataclasses filled from one TOML study file.

Every knob of the study lives here with its default. :func:`load_study` reads a study
file (``study.toml``), resolves its relative paths against the file's folder, and applies
overrides from the CLI or notebook parameters.

Example
-------
>>> from policytopics.settings.config import load_study
>>> study = load_study(None, n_topics=12, seed=7)   # None: the nearest study.toml, or defaults
>>> study.model.n_topics, study.model.seed
(12, 7)
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, ClassVar, Literal, get_args, get_origin, get_type_hints

from policytopics.common.chinese import date_span

STUDY_FILE_NAME = "study.toml"

# The choice settings: their allowed values are these types, checked in one place
# (:class:`_Section`) and offered by the command line (:func:`choices`).
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
#: Prefix of a word list that ships inside the package: ``policytopics:policy_terms.txt``.
PACKAGE_DATA_PREFIX = "policytopics:"


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


def _either(values: tuple) -> str:
    """``'a', 'b' or 'c'``."""
    quoted = [repr(v) for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


class _Section:
    """A section of the study file: its choice settings (``Literal`` types) checked on creation."""

    SECTION: ClassVar[str] = ""

    def __post_init__(self):
        for name, allowed in _choice_fields(type(self)).items():
            value = getattr(self, name)
            if value not in allowed:
                raise StudyConfigError(f"[{self.SECTION}] {name} must be {_either(allowed)}, got {value!r}")


@functools.cache
def _choice_fields(cls) -> dict[str, tuple]:
    """The choice settings of a section and their allowed values (read once per class: a
    section is made for every cleaned text, and resolving type hints is slow)."""
    hints = get_type_hints(cls, globalns=globals())
    return {f.name: get_args(hints[f.name]) for f in fields(cls) if get_origin(hints[f.name]) is Literal}


def choices(setting: str) -> tuple:
    """The allowed values of a choice setting, ``"section.key"`` (for the command line).

    >>> choices("weights.period")
    ('year', 'quarter', 'month')
    """
    section, key = setting.split(".", 1)
    return _choice_fields(_SECTIONS[section])[key]


@dataclass(frozen=True)
class CorpusConfig(_Section):
    """Where the articles are and how table columns map to fields."""

    SECTION: ClassVar[str] = "corpus"

    paths: tuple[Path, ...] = (Path("data/samples"),)
    text_column: str = "text"
    title_column: str = "title"
    date_column: str = "date"
    region_column: str = "region"
    id_column: str = "id"
    limit: int = 0  # 0 = all documents
    # Unit the model sees: "document", "passage", or "auto" (passages for documents longer
    # than passage_above characters, whole documents otherwise). Metadata stays per document.
    unit: Unit = "auto"
    passage_chars: int = 400  # target passage length in Chinese characters
    passage_above: int = 3000  # auto: documents longer than this are cut into passages
    # The study's dates, "YYYY", "YYYY-MM" or "YYYY-MM-DD", both ends included ("" = open): a
    # document dated outside them is a report row "dropped" with its date in the reason; an
    # undated one is kept.
    date_from: str = ""
    date_to: str = ""
    # Symbolic links met in a corpus folder: "inside" reads those whose target lies in a
    # corpus path (others are report rows naming the target), "all" reads every link, "none"
    # none. A path named in `paths` is always read.
    follow_links: FollowLinks = "inside"
    # The most megabytes (of UTF-8 text) one document, table cell or JSON line may hold; a
    # larger one is a report row, never read whole (a decompression bomb, a runaway export).
    max_document_mb: float = 5.0
    # A table's date column wins over the date a document's own header states (a report's
    # delivery date, a 成文日期); where they disagree at the column's precision (a year column
    # 2009, a header 2010-01-26) the run warns and lists them. true: the header's date wins.
    text_date_wins: bool = False

    def __post_init__(self):
        super().__post_init__()
        if not self.max_document_mb > 0:
            raise StudyConfigError(f"[corpus] max_document_mb must be above 0, got {self.max_document_mb}")
        if self.passage_chars < 50:
            raise StudyConfigError(f"[corpus] passage_chars must be at least 50, got {self.passage_chars}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value and not (_DATE_BOUND.fullmatch(str(value)) and _real_date(str(value))):
                raise StudyConfigError(f"[corpus] {name} must be a date written YYYY, YYYY-MM or "
                                       f"YYYY-MM-DD, got {value!r}"
                                       + ("" if not _DATE_BOUND.fullmatch(str(value)) else
                                          ": no such day on the calendar"))
        if self.date_from and self.date_to and date_span(self.date_from)[0] > date_span(self.date_to)[1]:
            raise StudyConfigError(f"[corpus] date_from {self.date_from!r} is after date_to {self.date_to!r}")

    @property
    def max_document_bytes(self) -> int:
        """:attr:`max_document_mb` in bytes: the most text one document, cell or line may hold."""
        return int(self.max_document_mb * 1_000_000)

    @property
    def max_file_bytes(self) -> int:
        """What one page, PDF or Word file may be, or unpack to: :data:`FILE_BYTES_PER_TEXT_BYTE`
        times :attr:`max_document_bytes` (their markup, fonts and images outweigh their text)."""
        return FILE_BYTES_PER_TEXT_BYTE * self.max_document_bytes


#: A page, PDF or Word file holds markup, fonts and images beside its text: it may be, or
#: unpack to, this many times ``[corpus] max_document_mb`` (100 MB at the default 5).
FILE_BYTES_PER_TEXT_BYTE = 20

#: ``[corpus] max_document_mb``'s defaults in bytes, for readers called without a study.
DEFAULT_MAX_DOCUMENT_BYTES = int(CorpusConfig.max_document_mb * 1_000_000)
DEFAULT_MAX_FILE_BYTES = FILE_BYTES_PER_TEXT_BYTE * DEFAULT_MAX_DOCUMENT_BYTES

_DATE_BOUND = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _real_date(bound: str) -> bool:
    """Whether a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` bound is on the calendar (2020-02-30 is not)."""
    import datetime as dt

    parts = [int(part) for part in bound.split("-")]
    try:
        dt.date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError:
        return False
    return True



@dataclass(frozen=True)
class CleanConfig(_Section):
    """Cleaning rules: script normalisation, boilerplate and spam removal, filters."""

    SECTION: ClassVar[str] = "clean"

    traditional_to_simplified: bool = True
    drop_boilerplate: bool = True
    spam_phrases: Path | None = field(default_factory=lambda: package_data("spam_phrases.txt"))
    min_chars: int = 50
    min_cjk_ratio: float = 0.3
    near_duplicate_threshold: float = 0.8  # MinHash Jaccard; 0 = off
    # The ritual of Government Work Reports to cut from the text (policytopics.text.ritual), any of
    # "problems" (the problems paragraph after the review), "thanks" (向……表示衷心的感谢) and
    # "closing" (让我们……而努力奋斗！); each cut is counted in documents.csv. () = none.
    report_ritual: tuple[RitualPart, ...] = ()

    def __post_init__(self):
        # A TOML array arrives as a list; keep the frozen config hashable.
        parts = (self.report_ritual,) if isinstance(self.report_ritual, str) else self.report_ritual
        object.__setattr__(self, "report_ritual", tuple(parts))
        super().__post_init__()
        allowed = get_args(RitualPart)
        bad = [part for part in self.report_ritual if part not in allowed]
        if bad:
            raise StudyConfigError(f"[clean] report_ritual: unknown part(s) {bad}; choose from "
                                   f"{_either(allowed)}")


@dataclass(frozen=True)
class SegmentConfig(_Section):
    """Tokenizer settings (a dedicated rjieba or jieba tokenizer is built from these)."""

    SECTION: ClassVar[str] = "segment"

    backend: Backend = "rjieba"  # rjieba (compiled jieba-rs) | jieba (reference)
    hmm: bool = True  # jieba's HMM for words missing from the dictionary
    min_token_length: int = 2
    keep_digits: bool = False
    keep_latin: bool = False
    pos_filter: tuple[str, ...] = ()  # e.g. ("n", "nz", "vn", "v"); empty = no POS filter
    user_dictionary: Path | None = field(default_factory=lambda: package_data("policy_terms.txt"))
    stopwords: tuple[str, ...] = field(
        default_factory=lambda: ("stopwordsiso:zh", str(package_data("policy_stopwords.txt"))))
    # Keep Chinese place names (provinces, cities, counties, districts; full and short forms)
    # and administrative self-reference (全省, 我市, 自治区 ...) out of the vocabulary, so that
    # topics do not restate the region. Region extraction is unaffected.
    drop_place_names: bool = True
    admin_words: Path | None = field(default_factory=lambda: package_data("admin_words.txt"))
    phrases: bool = False  # join frequent bigrams (数字_经济) learned over the corpus
    phrases_min_count: int = 5
    phrases_threshold: float = 10.0

    def __post_init__(self):
        # A TOML array arrives as a list; keep the frozen config hashable.
        pos = (self.pos_filter,) if isinstance(self.pos_filter, str) else self.pos_filter
        object.__setattr__(self, "pos_filter", tuple(pos))
        super().__post_init__()
        if self.phrases_min_count < 1:
            raise StudyConfigError("[segment] phrases_min_count must be at least 1")


@dataclass(frozen=True)
class ComputeConfig(_Section):
    """Where ingest, cleaning and segmentation run. These change speed, never results."""

    SECTION: ClassVar[str] = "compute"

    workers: int = 0  # processes; 0 = auto: one per CPU for corpora large enough to gain
    chunk_size: int = 500  # documents per task sent to a worker
    # "" = local processes; "local" = a Dask LocalCluster here; "tcp://host:8786" = a
    # running Dask scheduler (pip install 'policytopics[dask]' on every machine).
    scheduler: str = ""

    def __post_init__(self):
        super().__post_init__()
        if self.workers < 0:
            raise StudyConfigError(f"[compute] workers must be 0 (auto) or more, got {self.workers}")
        if self.chunk_size < 1:
            raise StudyConfigError(f"[compute] chunk_size must be at least 1, got {self.chunk_size}")


@dataclass(frozen=True)
class ModelConfig(_Section):
    """LDA settings (gensim or tomotopy). ``seed`` makes a run reproducible (one process or
    worker; tomotopy: on the same machine)."""

    SECTION: ClassVar[str] = "model"

    n_topics: int = 4
    seed: int = 42
    passes: int = 5
    iterations: int = 50
    no_below: int = 0  # 0 = auto: 0.2 % of the documents, from 1 up to 20 (corpus.pruning)
    no_above: float = 0.0  # 0 = auto: 0.3 from 1,000 documents, 0.5 from 100, else 0.9
    keep_n: int = 50000
    alpha: str | float = "symmetric"
    eta: str | float = "symmetric"
    top_n_words: int = 10
    # Words that name a topic in labels (T3 w1·w2·w3): "probability", "frex" (stm) or
    # "relevance" (LDAvis, λ = 0.6); all three are in topic_words.csv and topics.csv.
    label_words: LabelWords = "relevance"
    chunksize: int = 2000
    eval_every: int = 0  # 0: no perplexity logging during training (it costs time)
    # "tomotopy" (collapsed Gibbs sampling in C++; the default, by measurement) or "gensim"
    # (LdaModel, online variational Bayes). Both give the same outputs (policytopics.model.engines.base);
    # passes, iterations, chunksize and eval_every are gensim's, gibbs_iterations tomotopy's.
    # "keyatm": keyATM's base model (policytopics.model.engines.keyatm), seeded themes as keyword topics;
    # it reads gibbs_iterations and posterior_samples too.
    engine: Engine = "tomotopy"
    gibbs_iterations: int = 200  # tomotopy: Gibbs sweeps over the corpus (measured)
    # tomotopy: the sampler's states kept from the last sweeps, one every 10, as samples of
    # the documents' topic shares for the intervals (policytopics.estimate.uncertainty; measured).
    posterior_samples: int = 5
    multicore: bool = False  # gensim only: LdaMulticore, faster, NOT reproducible
    # tomotopy: sampling threads (PARTITION scheme; the same seed and workers give the same
    # topics; 0 = all CPUs, machine-dependent); gensim: LdaMulticore processes with multicore.
    workers: int = 2
    labels: Path | None = None  # CSV with columns topic,label (human-edited topic names)
    # Seeded themes: a TOML file with one table per theme (["数字化转型"] words = [...]).
    themes: Path | None = None
    seed_strength: float = 0.0  # eta prior of a theme's seed words in its topic (0 = measured default)

    def __post_init__(self):
        super().__post_init__()
        if self.gibbs_iterations < 1:
            raise StudyConfigError(
                f"[model] gibbs_iterations must be at least 1, got {self.gibbs_iterations}")
        if self.posterior_samples < 1:
            raise StudyConfigError(
                f"[model] posterior_samples must be at least 1, got {self.posterior_samples}")
        if self.workers < 0:
            raise StudyConfigError(f"[model] workers must be 0 or more, got {self.workers}")


@dataclass(frozen=True)
class WeightsConfig(_Section):
    """How theme weights are grouped."""

    SECTION: ClassVar[str] = "weights"

    period: Period = "year"  # month | quarter | year
    min_docs: int = 2
    region_level: RegionLevel = "province"  # province | city: the groups of the "by region" outputs
    weight_by: WeightBy = ""  # "" = each document counts once; "n_chars" = by cleaned text length
    # Group name for documents whose source table states no region (national documents);
    # "" keeps them out of regional groups like documents whose region is unknown.
    national_label: str = "全国"
    # Intervals (policytopics.estimate.uncertainty): "global" draws the topic proportions from the
    # model's posterior and resamples documents on every draw (the method of composition);
    # "bootstrap" resamples documents only; "none" shows no interval.
    uncertainty: Uncertainty = "global"
    draws: int = 500
    ci: float = 0.95
    seed: int = 0


@dataclass(frozen=True)
class EffectsConfig(_Section):
    """Effects of document covariates on topic prevalence (policytopics.estimate.effects)."""

    SECTION: ClassVar[str] = "effects"

    # A formula of the covariates region, period, year, area: "region + period",
    # "region + spline(year, 4)", "area * year" ...; "" leaves the effects out.
    formula: str = "region + period"
    # Two levels of one categorical covariate to compare in the difference figure
    # (e.g. ["浙江省", "山东省"]); empty: the two levels with the most documents.
    compare: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutputConfig(_Section):
    """Where outputs and the cache go, and the language of figure labels."""

    SECTION: ClassVar[str] = "output"

    tables_dir: Path = Path("outputs")
    figures_dir: Path = Path("figures")
    cache_dir: Path = Path(".cache")
    language: Language = "zh"  # zh | en
    figure_formats: tuple[str, ...] = ("png", "svg", "pdf")
    # Tables also written as CSV into figures_dir, beside the figures drawn from them (e.g.
    # ["theme_emphasis_by_region"]): the numbers to keep with the figures. Numbers and labels
    # only; "documents", "doc_topics" and "passage_topics" (the corpus's text and ids) are refused.
    figure_tables: tuple[str, ...] = ()

    def folders(self) -> tuple[Path, ...]:
        """The study's own folders (tables, figures, cache): never read as articles."""
        return (self.tables_dir, self.figures_dir, self.cache_dir)


@dataclass(frozen=True)
class StudyConfig:
    """All settings of one study."""

    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    compute: ComputeConfig = field(default_factory=ComputeConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    weights: WeightsConfig = field(default_factory=WeightsConfig)
    effects: EffectsConfig = field(default_factory=EffectsConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    root: Path = Path(".")  # folder the relative paths were resolved against

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dict of every setting (paths as strings)."""
        return _jsonable(dataclasses.asdict(self))


_SECTIONS = {
    "corpus": CorpusConfig,
    "clean": CleanConfig,
    "segment": SegmentConfig,
    "compute": ComputeConfig,
    "model": ModelConfig,
    "weights": WeightsConfig,
    "effects": EffectsConfig,
    "output": OutputConfig,
}

# Short names used by the CLI and notebook parameters.
_SHORTCUTS = {
    "corpus": "corpus.paths",
    "limit": "corpus.limit",
    "n_topics": "model.n_topics",
    "topics": "model.n_topics",
    "seed": "model.seed",
    "period": "weights.period",
    "language": "output.language",
    "workers": "compute.workers",
    "scheduler": "compute.scheduler",
}


class StudyConfigError(ValueError):
    """A study file or override has an unknown key or an invalid value."""


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
        ``period``, ``language``, ``out`` (one folder for tables and figures).
        ``None`` values are ignored, so unset CLI flags and notebook parameters
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
        dotted = _SHORTCUTS.get(name, name.replace("__", "."))
        if "." not in dotted:
            raise StudyConfigError(f"unknown setting: {name!r}")
        if dotted == "corpus.paths" and isinstance(value, (str, Path)):
            value = [value]
        flat[dotted] = value
    return flat


def _build(raw: dict[str, Any], *, root: Path, cwd_paths: set[str]) -> StudyConfig:
    unknown_sections = set(raw) - set(_SECTIONS)
    if unknown_sections:
        raise StudyConfigError(
            f"unknown section(s) {sorted(unknown_sections)}; expected {sorted(_SECTIONS)}"
        )
    built = {}
    for name, cls in _SECTIONS.items():
        values = raw.get(name, {})
        if not isinstance(values, dict):
            raise StudyConfigError(f"{name} must be a section of settings ([{name}] and its keys "
                                   f"below it), got {name} = {values!r}")
        values = dict(values)
        known = {f.name: f for f in fields(cls)}
        bad = set(values) - set(known)
        if bad:
            raise StudyConfigError(
                f"unknown key(s) {sorted(bad)} in [{name}]; expected one of {sorted(known)}"
            )
        for key, value in values.items():
            # Values given on the command line are relative to where the user is,
            # values in the study file to the study file.
            base = Path.cwd() if f"{name}.{key}" in cwd_paths else root
            values[key] = _coerce(name, key, value, known[key], base)
        built[name] = cls(**values)
    config = StudyConfig(**built, root=root)
    _validate(config)
    return config


#: The settings that are lists (a single value is a list of one).
_LIST_SETTINGS = {"paths": "a path or a list of paths", "figure_formats": "a list of formats",
                  "compare": "a list of two levels", "stopwords": "a list of word lists",
                  "pos_filter": "a list of part-of-speech tags",
                  "report_ritual": "a list of parts of a report (\"problems\", \"thanks\", \"closing\")"}
#: The settings that are files (``""``: none).
_PATH_SETTINGS = {"spam_phrases", "user_dictionary", "labels", "admin_words", "themes"}
#: The words a prior may be instead of a number (gensim's; tomotopy's equivalents in
#: :func:`policytopics.model.engines.base.tomotopy_prior`).
PRIOR_WORDS = {"alpha": ("symmetric", "asymmetric", "auto"), "eta": ("symmetric", "auto")}


def _coerce(section: str, key: str, value: Any, spec: dataclasses.Field, base: Path) -> Any:
    """A setting's value in its type, or one :class:`StudyConfigError` line naming it."""
    default = spec.default if spec.default is not dataclasses.MISSING else None
    name = f"[{section}] {key}"
    if key in _LIST_SETTINGS:
        items = [value] if isinstance(value, (str, Path)) else value
        # The levels to compare may be numbers (period = 2020); every other list holds text.
        kinds = (str, int, float) if key == "compare" else (str, Path)
        if not isinstance(items, (list, tuple)) or not all(isinstance(i, kinds) and not isinstance(i, bool)
                                                            for i in items):
            raise StudyConfigError(f"{name} must be {_LIST_SETTINGS[key]}, got {value!r}")
        value = list(items)
    if key == "paths":
        if any(str(item).strip() == "" for item in value):
            # Path("") is the folder itself: the study's notebooks, word lists and outputs read as articles.
            raise StudyConfigError(f"{name} (--corpus) holds an empty path \"\", which would read the whole "
                                   f"folder {base} as articles; name the articles' folder (e.g. paths = "
                                   "[\"articles\"]), or \".\" if that folder really is the corpus")
        return tuple(_resolve(item, base) for item in value)
    if key == "figure_formats":
        bad = [f for f in value if f not in ("png", "svg", "pdf")]
        if bad:
            raise StudyConfigError(f"{name}: unknown format(s) {bad}")
        return tuple(value)
    if key == "formula":
        if not isinstance(value, str):
            raise StudyConfigError(f"{name} must be text such as \"region + period\", got {value!r}")
        return value.strip()
    if key == "compare":
        return tuple(str(item) for item in value)
    if key == "stopwords":
        return tuple(
            item if str(item).startswith("stopwordsiso:") else str(_resolve(item, base))
            for item in value
        )
    if key in _LIST_SETTINGS:
        return tuple(value)
    if isinstance(default, Path) or key in _PATH_SETTINGS:
        if not isinstance(value, (str, Path)):
            raise StudyConfigError(f"{name} must be a path (or \"\" for none), got {value!r}")
        return _resolve(value, base) if value not in ("", None) else None
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise StudyConfigError(f"{name} must be true or false, got {value!r}")
        return value
    if isinstance(default, int):
        # 4.7 topics is no whole number: refused, never cut to 4.
        whole = ((isinstance(value, int) and not isinstance(value, bool))
                 or (isinstance(value, float) and value.is_integer())
                 or (isinstance(value, str) and value.strip().lstrip("+-").isdigit()))
        if not whole:
            raise StudyConfigError(f"{name} must be a whole number, got {value!r}")
        return int(value)
    if isinstance(default, float):
        return _number(name, value)
    if key in PRIOR_WORDS:
        if isinstance(value, str) and value not in PRIOR_WORDS[key]:
            try:
                value = float(value)
            except ValueError:
                raise StudyConfigError(f"{name} must be a number above 0 or {_either(PRIOR_WORDS[key])}, "
                                       f"got {value!r}") from None
        if not isinstance(value, str):
            value = _number(name, value)
            if not value > 0:  # tomotopy aborts in C++ on a prior of 0 or less
                raise StudyConfigError(f"{name} must be above 0 (a Dirichlet prior), got {value!r}")
        return value
    if isinstance(default, str) and not isinstance(value, str):
        raise StudyConfigError(f"{name} must be text, got {value!r}")
    return value


def _number(name: str, value: Any) -> float:
    """A number setting's value; one line naming it otherwise (``true`` is no number)."""
    if isinstance(value, bool):
        raise StudyConfigError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise StudyConfigError(f"{name} must be a number, got {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise StudyConfigError(f"{name} must be a finite number, got {value!r}")
    return number


def _resolve(value: str | Path, base: Path) -> Path:
    if isinstance(value, str) and value.startswith(PACKAGE_DATA_PREFIX):
        return package_data(value.removeprefix(PACKAGE_DATA_PREFIX))
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path)


#: The most topics a study may ask for. The topic correlations' intervals hold draws × K × K
#: numbers (500 × 1,000 × 1,000 is 4 GB, whatever the corpus; K = 10,000 failed already at a
#: K × K table; K = 200 took 4 minutes and 0.9 GB on the five sample articles), and no reader
#: tells hundreds of topics apart.
MAX_TOPICS = 200

#: The least value of the whole-number settings that have one, and how each is set on the
#: command line (other bounds are checked by their section or below).
_AT_LEAST = {"corpus.limit": (0, "--limit; 0 = all documents"), "corpus.passage_above": (0, ""),
             "clean.min_chars": (0, ""), "segment.min_token_length": (1, ""),
             "model.n_topics": (2, "--topics"), "model.seed": (0, "--seed"), "model.passes": (1, ""),
             "model.iterations": (1, ""), "model.keep_n": (1, ""), "model.top_n_words": (1, ""),
             "model.chunksize": (1, ""), "model.eval_every": (0, "0 = off"),
             "weights.min_docs": (1, ""), "weights.draws": (2, ""), "weights.seed": (0, "")}
#: The largest seed: gensim and numpy take seeds below 2**32 (``numpy.random.RandomState``).
MAX_SEED = 2**32 - 1
#: The most of the whole-number settings that have one.
_AT_MOST = {"model.seed": (MAX_SEED, "--seed"), "weights.seed": (MAX_SEED, "")}

#: The part-of-speech tags jieba gives (its dictionary's and its POS-HMM's; ``eng`` for Latin
#: words, ``x`` for what is not a word). A tag a user dictionary gives its words counts too.
JIEBA_TAGS = frozenset({
    "a", "ad", "ag", "an", "b", "bg", "c", "d", "df", "dg", "e", "eng", "f", "g", "h", "i", "in", "j", "jn",
    "k", "l", "ln", "m", "mg", "mq", "n", "ng", "nr", "nrfg", "nrt", "ns", "nt", "nz", "o", "p", "q", "qe",
    "qg", "r", "rg", "rr", "rz", "s", "t", "tg", "u", "ud", "ug", "uj", "ul", "uv", "uz", "v", "vd", "vg",
    "vi", "vn", "vq", "x", "y", "yg", "z", "zg"})

#: The number settings that lie between two values (both included).
_BETWEEN = {"clean.min_cjk_ratio": (0, 1), "clean.near_duplicate_threshold": (0, 1),
            "model.no_above": (0, 1), "segment.phrases_threshold": (0, float("inf")),
            "model.seed_strength": (0, float("inf"))}


def _validate(config: StudyConfig) -> None:
    for dotted, (least, note) in _AT_LEAST.items():
        section, key = dotted.split(".")
        value = getattr(getattr(config, section), key)
        if value < least:
            raise StudyConfigError(f"[{section}] {key} must be at least {least}"
                                   f"{f' ({note})' if note else ''}, got {value}")
    for dotted, (most, note) in _AT_MOST.items():
        section, key = dotted.split(".")
        value = getattr(getattr(config, section), key)
        if value > most:
            raise StudyConfigError(f"[{section}] {key}{f' ({note})' if note else ''} must be from 0 to "
                                   f"{most} (2**32 - 1), got {value}: choose a smaller seed")
    for dotted, (low, high) in _BETWEEN.items():
        section, key = dotted.split(".")
        value = getattr(getattr(config, section), key)
        if not low <= value <= high:
            span = f"from {low} to {high}" if high < float("inf") else f"{low} or more"
            raise StudyConfigError(f"[{section}] {key} must be {span}, got {value}")
    if config.model.n_topics > MAX_TOPICS:
        raise StudyConfigError(f"[model] n_topics (--topics) must be at most {MAX_TOPICS}, got "
                               f"{config.model.n_topics}: the intervals of the topic correlations grow "
                               "with the square of K, and no reader tells that many topics apart")
    if not 0 < config.weights.ci < 1:
        raise StudyConfigError("[weights] ci must be between 0 and 1 (0.95 for 95 %), got "
                               f"{config.weights.ci}")
    if config.effects.formula:
        from policytopics.settings.formula import EffectFormulaError, formula_covariates

        # Parsed here, before any document is read: a formula that is not made of the
        # covariates and the listed functions never reaches formulaic (which runs Python).
        try:
            formula_covariates(config.effects.formula)
        except EffectFormulaError as exc:
            raise StudyConfigError(f"[effects] formula: {exc}") from None
    if len(config.effects.compare) not in (0, 2):
        raise StudyConfigError("[effects] compare must name two levels (or none), got "
                               f"{list(config.effects.compare)}")
    if config.model.no_below < 0:
        raise StudyConfigError("no_below must be 0 (auto) or more")
    model = config.model
    if model.keep_n < model.n_topics * model.top_n_words:
        # K topics, each shown by its top_n_words words, from fewer words than that: topics
        # share their words and cannot be told apart (keep_n = 1 fitted K topics on one word).
        raise StudyConfigError(
            f"[model] keep_n must be at least n_topics × top_n_words = {model.n_topics} × "
            f"{model.top_n_words} = {model.n_topics * model.top_n_words}, got {model.keep_n}: with fewer "
            "words than that, topics share their top words; raise keep_n (default 50000)")
    check_word_lists(config.segment, config.clean)


def check_word_lists(segment: SegmentConfig, clean: CleanConfig | None = None) -> None:
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


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


__all__ = [
    "CleanConfig",
    "ComputeConfig",
    "CorpusConfig",
    "EffectsConfig",
    "ModelConfig",
    "OutputConfig",
    "SegmentConfig",
    "StudyConfig",
    "StudyConfigError",
    "WeightsConfig",
    "check_word_lists",
    "find_study_file",
    "load_study",
    "replace",
]
