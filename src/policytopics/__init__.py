"""policytopics: policy-theme topic modelling of Chinese news and government texts.

The study's stages, one module each, in the order the data travels:
:mod:`~policytopics.ingest` (read files and tables), :mod:`~policytopics.clean` (web
noise, script), :mod:`~policytopics.dedup`, :mod:`~policytopics.metadata` (date, region),
:mod:`~policytopics.documents` (one report row per input document),
:mod:`~policytopics.units` (passages of long documents), :mod:`~policytopics.segment`
(jieba), :mod:`~policytopics.themes` (seeded themes), :mod:`~policytopics.model`
(gensim LDA), :mod:`~policytopics.selection` (number of topics),
:mod:`~policytopics.weights`, :mod:`~policytopics.labels`, :mod:`~policytopics.plots`,
:mod:`~policytopics.outputs`; wired and cached by :mod:`~policytopics.pipeline`.
"""

__version__ = "0.1.0"

import os as _os

# pyarrow's allocator (mimalloc) reserves 1 GiB of address space at its first table; under an
# address-space limit (ulimit -v, a batch scheduler's) that was half of 2 GB, and the run failed
# with 0.45 GB in use. 64 MiB at a time instead: it takes effect when pyarrow is not loaded yet
# (the command line; a notebook that imports policytopics first), and a value set is kept.
_os.environ.setdefault("MIMALLOC_ARENA_RESERVE", "64MiB")

from .config import StudyConfig, load_study
from .documents import document_report, summarise_report
from .pipeline import Study

__all__ = ["Study", "StudyConfig", "__version__", "document_report", "load_study", "summarise_report"]
