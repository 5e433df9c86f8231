"""The sections of a study file, as frozen dataclasses: every setting, its default and its rules.

Each field is made by :func:`policytopics.settings.schema.setting`, which holds the setting's
default, the rules its value keeps, its command-line flag and its short names: the one place
where a setting is declared. A section checks its choices and its ``"made"`` rules when it is
made (:func:`policytopics.settings.validate.check_section`), in code as from a study file.

Example
-------
>>> from policytopics.settings.sections import ModelConfig
>>> ModelConfig(n_topics=8).n_topics
8
>>> ModelConfig(engine="lda")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
policytopics.settings.schema.StudyConfigError: [model] engine must be 'tomotopy', 'gensim' or ...
"""

# setting() returns a dataclasses.field (ruff knows field(), not functions that make one).
# ruff: noqa: RUF009

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, get_args

from policytopics.common.chinese import date_span
from policytopics.settings.schema import (
    FILE_BYTES_PER_TEXT_BYTE,
    MAX_SEED,
    MAX_TOPICS,
    Above,
    AtLeast,
    AtMost,
    Backend,
    Between,
    Count,
    DateBound,
    Engine,
    FigureFormat,
    Flag,
    FollowLinks,
    Formula,
    LabelWords,
    Language,
    Period,
    RegionLevel,
    RitualPart,
    StudyConfigError,
    Uncertainty,
    Unit,
    WeightBy,
    package_data,
    setting,
)
from policytopics.settings.validate import Spec, check_section, specs

#: What ``--corpus`` reads, as the command line's help says it.
INPUT_FORMATS = (".txt files (one article each, any common encoding), or .csv/.tsv (any common encoding), "
                 ".xlsx/.xls (every sheet), .jsonl/.ndjson (± .gz), .json, .parquet tables; columns such as "
                 "标题/正文/发布时间/省份 or title/text/date/region are found by their headers")

#: The seed's bound, as its error says it.
_SEED_RANGE = AtMost(MAX_SEED, message="{name}{note} must be from 0 to {high} (2**32 - 1), got {value}: "
                                       "choose a smaller seed")


def _column(name: str) -> Any:
    """``[corpus] NAME_column`` and its flag ``--NAME-column``."""
    return setting(name, flag=Flag(f"--{name}-column", metavar="NAME",
                                   help=f"{name} column of tables (default: found by its usual headers, "
                                        f"or [corpus] {name}_column)"))


class _Section:
    """A section of the study file: its choices and ``"made"`` rules checked on creation."""

    SECTION: ClassVar[str] = ""

    def __post_init__(self):
        check_section(self)


@dataclass(frozen=True)
class CorpusConfig(_Section):
    """Where the articles are and how table columns map to fields."""

    SECTION: ClassVar[str] = "corpus"

    paths: tuple[Path, ...] = setting(
        (Path("data/samples"),), aliases=("corpus",), what="a path or a list of paths",
        flag=Flag("--corpus", f"input files or folders: {INPUT_FORMATS} (default from the study file)",
                  metavar="PATH", nargs="+"))
    text_column: str = _column("text")
    title_column: str = _column("title")
    date_column: str = _column("date")
    region_column: str = _column("region")
    id_column: str = _column("id")
    limit: int = setting(  # 0 = all documents
        0, AtLeast(0), hint="0 = all documents", aliases=("limit",),
        flag=Flag("--limit", "use only the first N documents (0 = all; default from the study file)",
                  metavar="N"))
    # Unit the model sees: "document", "passage", or "auto" (passages for documents longer
    # than passage_above characters, whole documents otherwise). Metadata stays per document.
    unit: Unit = setting("auto", flag=Flag("--unit", "unit the model sees: whole documents, passages of "
                                                     "long ones (auto), or always passages (default from "
                                                     "the study file)"))
    # target passage length in Chinese characters
    passage_chars: int = setting(400, AtLeast(50, when="made"))
    passage_above: int = setting(3000, AtLeast(0))  # auto: documents longer than this are cut into passages
    # The study's dates, "YYYY", "YYYY-MM" or "YYYY-MM-DD", both ends included ("" = open): a
    # document dated outside them is a report row "dropped" with its date in the reason; an
    # undated one is kept.
    date_from: str = setting("", DateBound(when="made"))
    date_to: str = setting("", DateBound(when="made"))
    # Symbolic links met in a corpus folder: "inside" reads those whose target lies in a
    # corpus path (others are report rows naming the target), "all" reads every link, "none"
    # none. A path named in `paths` is always read.
    follow_links: FollowLinks = "inside"
    # The most megabytes (of UTF-8 text) one document, table cell or JSON line may hold; a
    # larger one is a report row, never read whole (a decompression bomb, a runaway export).
    max_document_mb: float = setting(5.0, Above(0, when="made", order=0))
    # A table's date column wins over the date a document's own header states (a report's
    # delivery date, a 成文日期); where they disagree at the column's precision (a year column
    # 2009, a header 2010-01-26) the run warns and lists them. true: the header's date wins.
    text_date_wins: bool = False

    def __post_init__(self):
        super().__post_init__()
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


#: ``[corpus] max_document_mb``'s defaults in bytes, for readers called without a study.
DEFAULT_MAX_DOCUMENT_BYTES = int(CorpusConfig.max_document_mb * 1_000_000)
DEFAULT_MAX_FILE_BYTES = FILE_BYTES_PER_TEXT_BYTE * DEFAULT_MAX_DOCUMENT_BYTES


@dataclass(frozen=True)
class CleanConfig(_Section):
    """Cleaning rules: script normalisation, boilerplate and spam removal, filters."""

    SECTION: ClassVar[str] = "clean"

    traditional_to_simplified: bool = True
    drop_boilerplate: bool = True
    spam_phrases: Path | None = setting(factory=lambda: package_data("spam_phrases.txt"))
    min_chars: int = setting(50, AtLeast(0))
    min_cjk_ratio: float = setting(0.3, Between(0, 1))
    near_duplicate_threshold: float = setting(0.8, Between(0, 1))  # MinHash Jaccard; 0 = off
    # The ritual of Government Work Reports to cut from the text (policytopics.text.ritual), any of
    # "problems" (the problems paragraph after the review), "thanks" (向……表示衷心的感谢) and
    # "closing" (让我们……而努力奋斗！); each cut is counted in documents.csv. () = none.
    report_ritual: tuple[RitualPart, ...] = setting(
        (), as_tuple=True, unknown="unknown part(s) {bad}; choose from {allowed}",
        what=f"a list of parts of a report ({', '.join(map(repr, get_args(RitualPart)))})".replace("'", '"'))


@dataclass(frozen=True)
class SegmentConfig(_Section):
    """Tokenizer settings (a dedicated rjieba or jieba tokenizer is built from these)."""

    SECTION: ClassVar[str] = "segment"

    backend: Backend = "rjieba"  # rjieba (compiled jieba-rs) | jieba (reference)
    hmm: bool = True  # jieba's HMM for words missing from the dictionary
    min_token_length: int = setting(2, AtLeast(1))
    keep_digits: bool = False
    keep_latin: bool = False
    # e.g. ("n", "nz", "vn", "v"); empty = no POS filter
    pos_filter: tuple[str, ...] = setting((), as_tuple=True, what="a list of part-of-speech tags")
    user_dictionary: Path | None = setting(factory=lambda: package_data("policy_terms.txt"))
    stopwords: tuple[str, ...] = setting(
        factory=lambda: ("stopwordsiso:zh", str(package_data("policy_stopwords.txt"))),
        kind="word_lists", what="a list of word lists")
    # Keep Chinese place names (provinces, cities, counties, districts; full and short forms)
    # and administrative self-reference (全省, 我市, 自治区 ...) out of the vocabulary, so that
    # topics do not restate the region. Region extraction is unaffected.
    drop_place_names: bool = True
    admin_words: Path | None = setting(factory=lambda: package_data("admin_words.txt"))
    phrases: bool = False  # join frequent bigrams (数字_经济) learned over the corpus
    phrases_min_count: int = setting(5, AtLeast(1, when="made", message="{name} must be at least {low}"))
    phrases_threshold: float = setting(10.0, Between(0, float("inf")))


@dataclass(frozen=True)
class ComputeConfig(_Section):
    """Where ingest, cleaning and segmentation run. These change speed, never results."""

    SECTION: ClassVar[str] = "compute"

    # processes; 0 = auto: one per CPU for corpora large enough to gain
    workers: int = setting(
        0, AtLeast(0, when="made", message="{name} must be 0 (auto) or more, got {value}"),
        aliases=("workers",),
        flag=Flag("--workers", "worker processes for ingest and segmentation (0 = one per CPU on large "
                               "inputs; default from the study file's [compute])", metavar="N"))
    chunk_size: int = setting(500, AtLeast(1, when="made"))  # documents per task sent to a worker
    # "" = local processes; "local" = a Dask LocalCluster here; "tcp://host:8786" = a
    # running Dask scheduler (pip install 'policytopics[dask]' on every machine): ingest,
    # segmentation and a sample fit's inference ([model] fit_sample) run there.
    scheduler: str = setting(
        "", aliases=("scheduler",),
        flag=Flag("--scheduler", "run ingest, segmentation and a sample fit's inference ([model] fit_sample) "
                                 "on a Dask cluster: 'local' for a LocalCluster "
                                 "on this machine, or a scheduler address such as tcp://10.0.0.5:8786 (needs "
                                 "pip install 'policytopics[dask]')", metavar="ADDRESS"))


@dataclass(frozen=True)
class ModelConfig(_Section):
    """LDA settings (gensim or tomotopy). ``seed`` makes a run reproducible (one process or
    worker; tomotopy: on the same machine)."""

    SECTION: ClassVar[str] = "model"

    n_topics: int = setting(
        4, AtLeast(2),
        AtMost(MAX_TOPICS, order=4, message="{name}{note} must be at most {high}, got {value}: "
                              "the intervals of the topic correlations grow with the square of K, and no "
                              "reader tells that many topics apart"),
        aliases=("n_topics", "topics"),
        flag=Flag("--topics", "number of topics (default from the study file)", metavar="K"))
    seed: int = setting(42, AtLeast(0), _SEED_RANGE, aliases=("seed",),
                        flag=Flag("--seed", "random seed of the topic model (same seed, same topics)",
                                  metavar="N"))
    passes: int = setting(5, AtLeast(1))
    iterations: int = setting(50, AtLeast(1))
    # 0 = auto: 0.2 % of the documents, from 1 up to 20 (corpus.pruning)
    no_below: int = setting(0, AtLeast(0, order=8, message="no_below must be 0 (auto) or more"))
    # 0 = auto: 0.3 from 1,000 documents, 0.5 from 100, else 0.9
    no_above: float = setting(0.0, Between(0, 1))
    keep_n: int = setting(50000, AtLeast(1))
    alpha: str | float = "symmetric"
    eta: str | float = "symmetric"
    top_n_words: int = setting(10, AtLeast(1))
    # Words that name a topic in labels (T3 w1·w2·w3): "probability", "frex" (stm) or
    # "relevance" (LDAvis, λ = 0.6); all three are in topic_words.csv and topics.csv.
    label_words: LabelWords = "relevance"
    chunksize: int = setting(2000, AtLeast(1))
    # 0: no perplexity logging during training (it costs time)
    eval_every: int = setting(0, AtLeast(0), hint="0 = off")
    # "tomotopy" (collapsed Gibbs sampling in C++; the default, by measurement) or "gensim"
    # (LdaModel, online variational Bayes). Both give the same outputs (policytopics.model.engines.base);
    # passes, iterations, chunksize and eval_every are gensim's, gibbs_iterations tomotopy's.
    # "keyatm": keyATM's base model (policytopics.model.engines.keyatm), seeded themes as keyword topics;
    # it reads gibbs_iterations and posterior_samples too.
    engine: Engine = "tomotopy"
    # tomotopy: Gibbs sweeps over the corpus (measured)
    gibbs_iterations: int = setting(200, AtLeast(1, when="made"))
    # tomotopy: the sampler's states kept from the last sweeps, one every 10, as samples of
    # the documents' topic shares for the intervals (policytopics.estimate.uncertainty; measured).
    posterior_samples: int = setting(5, AtLeast(1, when="made"))
    multicore: bool = False  # gensim only: LdaMulticore, faster, NOT reproducible
    # tomotopy: sampling threads (PARTITION scheme; the same seed and workers give the same
    # topics; 0 = all CPUs, machine-dependent); gensim: LdaMulticore processes with multicore.
    workers: int = setting(2, AtLeast(0, when="made", message="{name} must be 0 or more, got {value}"))
    labels: Path | None = None  # CSV with columns topic,label (human-edited topic names)
    # Seeded themes: a TOML file with one table per theme (["数字化转型"] words = [...]).
    themes: Path | None = setting(
        None, flag=Flag("--themes", "seeded themes: a TOML file with one table per theme (e.g. "
                                    "data/themes/manufacturing_policy.toml); default from the study file",
                        metavar="FILE"))
    # eta prior of a theme's seed words in its topic (0 = measured default)
    seed_strength: float = setting(0.0, Between(0, float("inf")))
    # keyatm only (policytopics.model.engines.keyatm; benchmarks/results.md, section keyatm):
    # true keeps a keyword's tokens in its own topic(s) (false: keyATM as published).
    anchor_keywords: bool = True
    # keyatm: the switch's Beta prior as strong as this share of an average topic, holding a
    # keyword topic's draws from its keywords near 1/2 (0: keyATM's Beta(1, 1)).
    switch_prior: float = setting(0.075, AtLeast(0))
    # keyatm: Dirichlet prior of a keyword topic's distribution over its keywords (keyATM's 0.1;
    # a number for eta sets the regular distributions' prior, keyATM's 0.01).
    keyword_prior: float = setting(0.1, Above(0))
    # Units the model is fitted on (policytopics.model.sample): 0 = every unit; N = a sample of
    # N units stratified by region x period (every cell of the panel in it, drawn with seed),
    # every unit's topic shares then inferred in chunks ([compute] workers or scheduler);
    # "auto" = every unit up to 200,000 units, a sample of 100,000 above.
    fit_sample: int | str = setting(
        "auto", kind="sample_size",
        flag=Flag("--fit-sample", "units the model is fitted on: 0 = all, N = a sample of N stratified "
                                  "by region x period, the rest inferred; auto = a sample of 100,000 above "
                                  "200,000 units (default from the study file)", metavar="N"))


@dataclass(frozen=True)
class WeightsConfig(_Section):
    """How theme weights are grouped."""

    SECTION: ClassVar[str] = "weights"

    period: Period = setting("year", aliases=("period",),  # month | quarter | year
                             flag=Flag("--period", "period for theme weights over time"))
    min_docs: int = setting(2, AtLeast(1))
    region_level: RegionLevel = "province"  # province | city: the groups of the "by region" outputs
    weight_by: WeightBy = ""  # "" = each document counts once; "n_chars" = by cleaned text length
    # Group name for documents whose source table states no region (national documents);
    # "" keeps them out of regional groups like documents whose region is unknown.
    national_label: str = "全国"
    # Intervals (policytopics.estimate.uncertainty): "global" draws the topic proportions from the
    # model's posterior and resamples documents on every draw (the method of composition);
    # "bootstrap" resamples documents only; "none" shows no interval.
    uncertainty: Uncertainty = "global"
    draws: int = setting(500, AtLeast(2))
    ci: float = setting(0.95, Between(0, 1, open=True, order=5,
                                      message="{name} must be between 0 and 1 (0.95 for 95 %), got {value}"))
    seed: int = setting(0, AtLeast(0), _SEED_RANGE)


@dataclass(frozen=True)
class EffectsConfig(_Section):
    """Effects of document covariates on topic prevalence (policytopics.estimate.effects)."""

    SECTION: ClassVar[str] = "effects"

    # A formula of the covariates region, period, year, area: "region + period",
    # "region + spline(year, 4)", "area * year" ...; "" leaves the effects out.
    formula: str = setting("region + period", Formula(), kind="formula")
    # Two levels of one categorical covariate to compare in the difference figure
    # (e.g. ["浙江省", "山东省"]); empty: the two levels with the most documents.
    compare: tuple[str, ...] = setting(
        (), Count(allowed=(0, 2), order=7, message="{name} must name two levels (or none), got {value}"),
        kind="levels", what="a list of two levels")


@dataclass(frozen=True)
class OutputConfig(_Section):
    """Where outputs and the cache go, and the language of figure labels."""

    SECTION: ClassVar[str] = "output"

    tables_dir: Path = Path("outputs")
    figures_dir: Path = Path("figures")
    cache_dir: Path = setting(Path(".cache"), flag=Flag("--cache-dir", "stage cache folder (default from the "
                                                                      "study file: .cache)", metavar="DIR"))
    language: Language = setting("zh", aliases=("language",))  # zh | en
    figure_formats: tuple[FigureFormat, ...] = setting(
        get_args(FigureFormat), what="a list of formats", unknown="unknown format(s) {bad}",
        flag=Flag("--formats", "figure formats, comma-separated: "
                               f"{','.join(get_args(FigureFormat))}, or none for no figures (default from "
                               "the study file: all three). In a loop over K, --formats png draws a third of "
                               "the files", metavar="LIST"))
    # Tables also written as CSV into figures_dir, beside the figures drawn from them (e.g.
    # ["theme_emphasis_by_region"]): the numbers to keep with the figures. Numbers and labels
    # only; "documents", "doc_topics" and "passage_topics" (the corpus's text and ids) are refused.
    # Kept as written: report.outputs checks the names.
    figure_tables: tuple[str, ...] = setting((), kind="raw")

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


#: The sections of a study file, in its order.
SECTIONS: dict[str, type] = {
    "corpus": CorpusConfig,
    "clean": CleanConfig,
    "segment": SegmentConfig,
    "compute": ComputeConfig,
    "model": ModelConfig,
    "weights": WeightsConfig,
    "effects": EffectsConfig,
    "output": OutputConfig,
}


def spec(setting: str) -> Spec:
    """What the schema says of ``"section.key"``: its default, rules, flag ..."""
    section, key = setting.split(".", 1)
    return next(s for s in specs(SECTIONS[section]) if s.name == key)


def choices(setting: str) -> tuple:
    """The allowed values of a choice setting, ``"section.key"`` (for the command line).

    >>> choices("weights.period")
    ('year', 'quarter', 'month')
    """
    return spec(setting).choices


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


__all__ = ["DEFAULT_MAX_DOCUMENT_BYTES", "DEFAULT_MAX_FILE_BYTES", "INPUT_FORMATS", "SECTIONS", "CleanConfig",
           "ComputeConfig", "CorpusConfig", "EffectsConfig", "ModelConfig", "OutputConfig", "SegmentConfig",
           "StudyConfig", "WeightsConfig", "choices", "spec"]
