"""The study, a facade: one call per result of its declared stages; nothing here computes.

``documents → tokens → corpus → model → weights → tables, figures, explorer``: the stages are
declared in :mod:`~policytopics.study.stages` and served by :mod:`~policytopics.study.catalog`;
what is derived from them is in :mod:`~policytopics.study.results` and
:mod:`~policytopics.study.frames`; the run in :mod:`~policytopics.study.run`, its record in
:mod:`~policytopics.study.record`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from policytopics.model.fit_settings import fit_settings, settings_dict
from policytopics.model.topic_model import TopicModel
from policytopics.report import figure_files
from policytopics.settings.config import StudyConfig, load_study
from policytopics.store.cache import StageCache
from policytopics.study import frames, record, run
from policytopics.study.catalog import Catalog
from policytopics.study.record import QUICK_FIGURES
from policytopics.study.results import Results

__all__ = ["QUICK_FIGURES", "Study"]


def _of_catalog(method: Callable) -> Callable:
    """The :class:`Study` method that is ``method`` of the study's :class:`Catalog` (same
    name, signature and docstring)."""
    @functools.wraps(method)
    def facade(study: Study, *args, **kwargs):
        return method(study.catalog, *args, **kwargs)

    facade.__qualname__ = f"Study.{method.__name__}"
    return facade


def _of_results(method: Callable) -> Callable:
    """The :class:`Study` method that is ``method`` of the study's :class:`Results`."""
    @functools.wraps(method)
    def facade(study: Study, *args, **kwargs):
        return method(study.results, *args, **kwargs)

    facade.__qualname__ = f"Study.{method.__name__}"
    return facade


class Study:
    """One study: configuration plus cached stages.

    Examples
    --------
    >>> study = Study.from_file("study.toml", n_topics=6)   # doctest: +SKIP
    >>> study.documents()          # cleaning report (cached)  # doctest: +SKIP
    >>> study.model()              # fitted TopicModel (cached)  # doctest: +SKIP
    >>> study.run()                # tables and figures  # doctest: +SKIP
    """

    def __init__(self, config: StudyConfig, *, progress: bool = True):
        self.config = config
        self.progress = progress
        self.stages = StageCache(config.output.cache_dir)
        self.timings = self.stages.timings  # each stage's own seconds, and the outputs'
        self.cache_hits = self.stages.hits  # stage -> read from the cache (True) or built
        self.quick = False  # a quick run's view of the study (quick_view)
        self.configured = config  # the settings run.json records

    @classmethod
    def from_file(cls, path: str | Path | None = None, *, progress: bool = True,
                  notebook: str | None = None, **overrides) -> Study:
        """Load a study file (``None``: nearest ``study.toml``) with overrides.

        ``notebook`` names a notebook that writes tables or figures: unless ``out`` is given,
        they go to ``<tables_dir>/notebooks/<notebook>/`` (:func:`policytopics.study.run.notebook_config`).
        """
        config = load_study(path, **overrides)
        return cls(run.notebook_config(config, notebook) if overrides.get("out") is None else config,
                   progress=progress)

    @property
    def catalog(self) -> Catalog:
        """The declared stages of this study's settings, served from its cache."""
        return Catalog(self.config, self.stages, progress=self.progress)

    @property
    def results(self) -> Results:
        """What this study derives from its stages (a quick view's: point estimates)."""
        return Results(self.catalog, quick=self.quick)

    @property
    def cache_dir(self) -> Path:
        return self.config.output.cache_dir

    # The cached stages (:mod:`policytopics.study.stages`, served by the catalog) ------------
    key = _of_catalog(Catalog.key)
    stage = _of_catalog(Catalog.stage)
    documents = _of_catalog(Catalog.documents)
    kept_documents = _of_catalog(Catalog.kept_documents)
    document_chunks = _of_catalog(Catalog.document_chunks)
    units = _of_catalog(Catalog.units)
    unit_ids = _of_catalog(Catalog.unit_ids)
    fit_units = _of_catalog(Catalog.fit_units)
    seen_words = _of_catalog(Catalog.seen_words)
    themes = _of_results(Results.themes)

    def tokens(self) -> pd.DataFrame:
        """Tokens per unit of analysis (``doc_id``, ``passage``, ``n_chars``, ``tokens``).

        A unit is a whole document, or a passage of a long one (``[corpus] unit``). Read whole
        from the cache: for a national archive, read a part at a time with
        ``study.catalog.stage("tokens").batches()`` (a
        :class:`~policytopics.store.cache.StoredTable`).
        """
        return self.catalog.stage("tokens").read()

    def corpus(self):
        """``(dictionary, corpus)``: the pruned dictionary and the bag-of-words corpus, a gensim
        ``MmCorpus`` that streams from the cache, so the model's memory does not grow with it."""
        return self.catalog.stage("corpus")

    def model_settings(self) -> dict:
        """The ``[model]`` settings that change the fit
        (:func:`policytopics.model.fit_settings.fit_settings`)."""
        return fit_settings(settings_dict(self.config.model))

    def model(self) -> TopicModel:
        """The fitted topic model (cached files; trusted local cache only)."""
        return self.catalog.stage("model")

    # Topics, labels, proportions, estimates (:mod:`policytopics.study.results`) -------------
    topic_words = _of_results(Results.topic_words)
    ranked_words = _of_results(Results.ranked_words)
    label_words = _of_results(Results.label_words)
    themes_held = _of_results(Results.themes_held)
    human_labels = _of_results(Results.human_labels)
    theme_seeds = _of_results(Results.theme_seeds)
    theme_labels = _of_results(Results.theme_labels)
    topic_labels = _of_results(Results.topic_labels)
    labels_template = _of_results(Results.labels_template)
    topics = _of_results(Results.topics)
    document_topic_matrix = _of_results(Results.document_topic_matrix)
    passage_topics = _of_results(Results.passage_topics)
    doc_topics = _of_results(Results.doc_topics)
    coverage = _of_results(Results.coverage)
    posterior = _of_results(Results.posterior)
    estimates = _of_results(Results.estimates)
    effect_model = _of_results(Results.effect_model)
    topic_correlations = _of_results(Results.topic_correlations)
    effects = _of_results(Results.effects)
    validation_items = _of_results(Results.validation_items)

    def theme_weights_by_region(self) -> pd.DataFrame:
        return self.results.weights("region")

    def theme_weights_by_period(self) -> pd.DataFrame:
        return self.results.weights("period")

    def theme_weights_by_region_period(self) -> pd.DataFrame:
        return self.results.weights("region_period")

    def theme_emphasis_by_region(self) -> pd.DataFrame:
        """Each region's theme weight minus the mean over regions (percentage points)."""
        return self.results.emphasis("region")

    def theme_emphasis_by_period(self) -> pd.DataFrame:
        """Each period's theme weight minus the mean over periods (percentage points)."""
        return self.results.emphasis("period")

    # Outputs and the run (:mod:`policytopics.study.frames`, ``run`` and ``record``) --------
    def tables(self, documents: bool = True) -> dict[str, pd.DataFrame]:
        """Every output table, by file name (``documents=False``: all but the ingest report,
        which :meth:`document_chunks` gives a few thousand documents at a time)."""
        return frames.output_tables(self.results, documents=documents)

    def figure_frames(self) -> dict[str, object]:
        """The tables the study's figures draw, by the names :mod:`policytopics.report.figure_files` uses."""
        return frames.figure_frames(self.results)

    def skipped_figures(self) -> dict[str, str]:
        """The figures this study cannot show (one region, one period ...), with the reason."""
        return figure_files.skipped_figures(self.figure_frames())

    def write_figures(self) -> list[Path]:
        """The study's figures in ``figures_dir``, under stable names."""
        return figure_files.write_figures(self.figure_frames(), self.config, only=self.figure_names())

    write_tables = run.write_tables
    write_explorer = run.write_explorer
    figure_names = run.figure_names
    quick_view = run.quick_view
    sweep = run.sweep
    check_outputs = run.check_outputs
    run = run.run
    run_record = record.run_record
    figures_left_out = record.figures_left_out
