"""policytopics: policy-theme topic modelling of Chinese news and government texts.

The subpackages follow the data, each layer importing only from those before it:
:mod:`~policytopics.common` (the Chinese script, decoding, workers) and
:mod:`~policytopics.settings` (the study file) below everything;
:mod:`~policytopics.store` (atomic files, the stage cache) →
:mod:`~policytopics.read` (files and tables into raw documents) →
:mod:`~policytopics.text` (cleaning, dates, places, passages, tokens) →
:mod:`~policytopics.model` (corpus, themes, the topic model and its engines, K, labels) →
:mod:`~policytopics.estimate` (weights, intervals, effects) →
:mod:`~policytopics.report` (tables, figures, explorer, rater pages) →
:mod:`~policytopics.study` (the stages, wired and cached, and :class:`Study`) →
:mod:`~policytopics.cli`. The map, with how to add a reader, a figure or an engine:
``docs/architecture.md``.
"""

import os as _os

from policytopics._version import __version__

# pyarrow's allocator (mimalloc) reserves 1 GiB of address space at its first table; under an
# address-space limit (ulimit -v, a batch scheduler's) that was half of 2 GB, and the run failed
# with 0.45 GB in use. 64 MiB at a time instead: it takes effect when pyarrow is not loaded yet
# (the command line; a notebook that imports policytopics first), and a value set is kept.
_os.environ.setdefault("MIMALLOC_ARENA_RESERVE", "64MiB")

from policytopics import _legacy
from policytopics.settings.config import StudyConfig, load_study
from policytopics.study.study import Study
from policytopics.text.documents import document_report, summarise_report

_legacy.install()

__all__ = ["Study", "StudyConfig", "__version__", "document_report", "load_study", "summarise_report"]
