"""policytopics: policy-theme topic modelling of Chinese news and government texts.

The study's stages, one module each: :mod:`~policytopics.ingest` (read),
:mod:`~policytopics.clean`, :mod:`~policytopics.metadata` (date, region),
:mod:`~policytopics.segment` (jieba), :mod:`~policytopics.model` (gensim LDA),
:mod:`~policytopics.selection` (number of topics),
:mod:`~policytopics.weights`, :mod:`~policytopics.plots`, chained by
:mod:`~policytopics.pipeline`.
"""

__version__ = "0.1.0"

from .config import StudyConfig, load_study
from .pipeline import Study, ingest, summarise_report

__all__ = ["Study", "StudyConfig", "__version__", "ingest", "load_study", "summarise_report"]
