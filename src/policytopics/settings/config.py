"""Settings of a study, by the names the rest of the package imports them with.

A study's settings are frozen dataclasses filled from one TOML study file. Where each part
lives:

- :mod:`policytopics.settings.schema`: the typed choices (``Literal``), the rules a value
  keeps, the limits (:data:`MAX_TOPICS`, :data:`MAX_SEED`) and ``setting()``, which declares
  a setting's default, rules, flag and short names in one place;
- :mod:`policytopics.settings.sections`: the sections (:class:`CorpusConfig` ...
  :class:`OutputConfig`), :class:`StudyConfig`, and :func:`choices` for the CLI;
- :mod:`policytopics.settings.validate`: the one validator;
- :mod:`policytopics.settings.load`: :func:`load_study`, reading the study file and overrides.

This module re-exports them: ``from policytopics.settings.config import X`` keeps working.

Example
-------
>>> from policytopics.settings.config import load_study
>>> study = load_study(None, n_topics=12, seed=7)   # None: the nearest study.toml, or defaults
>>> study.model.n_topics, study.model.seed
(12, 7)
"""

from __future__ import annotations

from dataclasses import replace

from policytopics.settings.load import find_study_file, load_study
from policytopics.settings.schema import (
    FILE_BYTES_PER_TEXT_BYTE,
    JIEBA_TAGS,
    MAX_SEED,
    MAX_TOPICS,
    PACKAGE_DATA_PREFIX,
    PRIOR_WORDS,
    STUDY_FILE_NAME,
    Backend,
    Engine,
    FigureFormat,
    FollowLinks,
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
)
from policytopics.settings.sections import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    DEFAULT_MAX_FILE_BYTES,
    SECTIONS,
    CleanConfig,
    ComputeConfig,
    CorpusConfig,
    EffectsConfig,
    ModelConfig,
    OutputConfig,
    SegmentConfig,
    StudyConfig,
    WeightsConfig,
    choices,
)
from policytopics.settings.validate import check_themes_fit, check_word_lists

#: The sections by name (kept under its former name).
_SECTIONS = SECTIONS

__all__ = [
    "DEFAULT_MAX_DOCUMENT_BYTES",
    "DEFAULT_MAX_FILE_BYTES",
    "FILE_BYTES_PER_TEXT_BYTE",
    "JIEBA_TAGS",
    "MAX_SEED",
    "MAX_TOPICS",
    "PACKAGE_DATA_PREFIX",
    "PRIOR_WORDS",
    "SECTIONS",
    "STUDY_FILE_NAME",
    "Backend",
    "CleanConfig",
    "ComputeConfig",
    "CorpusConfig",
    "EffectsConfig",
    "Engine",
    "FigureFormat",
    "FollowLinks",
    "LabelWords",
    "Language",
    "ModelConfig",
    "OutputConfig",
    "Period",
    "RegionLevel",
    "RitualPart",
    "SegmentConfig",
    "StudyConfig",
    "StudyConfigError",
    "Uncertainty",
    "Unit",
    "WeightBy",
    "WeightsConfig",
    "check_themes_fit",
    "check_word_lists",
    "choices",
    "find_study_file",
    "load_study",
    "package_data",
    "replace",
]
