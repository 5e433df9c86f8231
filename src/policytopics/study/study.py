"""The study's stages, wired: which feeds which, with which settings, cached where.

``documents → units and tokens → corpus → model → weights → tables, figures, explorer``.
Each long stage stores its result under ``cache_dir/<stage>/<key>``; the key holds exactly
what that stage depends on (the stages are declared in :mod:`policytopics.study.stages`:
upstream, code, settings, build, storage), so a rerun with a new topic count reuses the
cleaned documents and tokens, a changed figure setting rebuilds no stage, and a changed
cleaning rule rebuilds all that follows it. The work of each stage is in its own module;
nothing here computes.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from policytopics.common.workers import available_cpus, prepare_figure_workers, study_threads
from policytopics.estimate.weights import coverage, doc_topics_table, doc_topics_wide
from policytopics.model import labels as topic_naming
from policytopics.model.corpus import seen_words
from policytopics.model.topic_model import TopicModel
from policytopics.report import outputs
from policytopics.settings.config import StudyConfig, load_study, replace
from policytopics.store.cache import StageCache, code_version, stable_hash, trim_memory
from policytopics.study.stages import STAGES
from policytopics.text.documents import DocStatus, disagreeing_dates, kept_documents

log = logging.getLogger("policytopics")

#: The figures a quick run draws (``policytopics run --quick``): the topics, and the themes'
#: emphasis by region and weights over time: what a researcher trying another K looks at
#: first. The others, the intervals and the explorer page come with a full run.
QUICK_FIGURES = ("top_words", "theme_emphasis_by_region", "theme_emphasis_over_time",
                 "theme_panels_over_time", "theme_weights_over_time")


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
        self.configured = config

    @classmethod
    def from_file(cls, path: str | Path | None = None, *, progress: bool = True,
                  notebook: str | None = None, **overrides) -> Study:
        """Load a study file (``None``: nearest ``study.toml``) with overrides.

        ``notebook`` names a notebook that writes tables or figures: unless ``out`` is
        given, they go to a folder of its own, ``<tables_dir>/notebooks/<notebook>/`` (figures
        in its ``figures/``), never over the outputs of ``policytopics run``, which may be of
        another K or another themes file. The cached stages are shared all the same.
        """
        config = load_study(path, **overrides)
        if notebook and overrides.get("out") is None:
            folder = config.output.tables_dir / "notebooks" / notebook
            config = replace(config, output=replace(config.output, tables_dir=folder,
                                                    figures_dir=folder / "figures"))
        return cls(config, progress=progress)

    def coverage(self) -> pd.DataFrame:
        """How many documents have a province, are national, have no region, have a period
        (``coverage.csv``; the run summary counts the same)."""
        return coverage(self.doc_topics(), self.config.weights.national_label)

    @property
    def cache_dir(self) -> Path:
        return self.config.output.cache_dir

    # The cached stages (declared in :mod:`policytopics.study.stages`) ---------------------------
    def key(self, name: str) -> str:
        """A stage's cache key: its name, its code's version, its upstream stage's key and
        its own settings and input files (:data:`policytopics.study.stages.STAGES`)."""
        stage = STAGES[name]
        upstream = (self.key(stage.upstream),) if stage.upstream else ()
        return stable_hash(name, code_version(*stage.code), *upstream, *stage.key_parts(self))

    def stage(self, name: str):
        """A stage's result: from memory, from the cache, or built (and then cached)."""
        stage = STAGES[name]

        def build():
            return stage.build(self)

        serve = None if stage.serve is None else (lambda result: stage.serve(self, result))
        check = None if stage.check is None else (lambda result: stage.check(self, result))
        if stage.load is None:
            result = self.stages.frame(name, self.key(name), build, serve=serve, check=check)
        else:
            result = self.stages.folder(name, self.key(name), build, load=lambda path: stage.load(self, path),
                                        save=stage.save, serve_written=stage.serve_written, serve=serve,
                                        check=check)
        if any([self.stages.release(upstream) for upstream in stage.releases]):
            trim_memory()
        return result

    def documents(self) -> pd.DataFrame:
        """The ingest report: one row per input document (kept, dropped, duplicate).

        Documents whose date column their own header contradicts are named in one warning per
        study, built or read from the cache (:func:`policytopics.text.documents.warn_disagreeing_dates`).
        """
        from policytopics.text.documents import warn_disagreeing_dates

        report = self.stage("documents")
        self.stages.memoised(f"date_warning:{id(report)}",
                             lambda: warn_disagreeing_dates(report, self.config.corpus))
        return report

    def kept_documents(self) -> pd.DataFrame:
        return kept_documents(self.documents())

    def themes(self):
        """The seeded themes of ``[model] themes`` (empty without a themes file)."""
        from policytopics.model.themes import load_themes

        path = self.config.model.themes
        return self.stages.memoised(f"themes:{path}", lambda: load_themes(path) if path else [])

    def tokens(self) -> pd.DataFrame:
        """Tokens per unit of analysis (``doc_id``, ``passage``, ``n_chars``, ``tokens``).

        A unit is a whole document, or a passage of a long one (``[corpus] unit``).
        """
        return self.stage("tokens")

    def corpus(self):
        """The pruned dictionary and the bag-of-words corpus, as gensim files in the cache.

        Returns ``(dictionary, corpus)``; ``corpus`` is a gensim ``MmCorpus`` that streams
        from disk, so the model stage's memory does not grow with the corpus.
        """
        return self.stage("corpus")

    def seen_words(self) -> frozenset[str]:
        """Every word of the tokens before the vocabulary was pruned."""
        self.corpus()
        return seen_words(self.stages.path("corpus", self.key("corpus")))

    def units(self) -> pd.DataFrame:
        """The units of analysis without their tokens: ``doc_id``, ``passage``, ``n_chars``.

        Read from the cached tokens table's own columns, so a new K does not load the tokens.
        """
        columns, key = ["doc_id", "passage", "n_chars"], self.key("tokens")

        def read():
            units = self.stages.columns("tokens", key, columns)
            return self.tokens()[columns] if units is None else units

        return self.stages.memoised(f"units:{key}", read)

    def unit_ids(self) -> list[str]:
        """One id per unit, in the model's row order: ``doc_id`` or ``doc_id#passage``."""
        units = self.units()
        whole = units.groupby("doc_id")["passage"].transform("size") == 1
        return [d if one else f"{d}#{p}" for d, p, one in zip(units["doc_id"], units["passage"], whole)]

    def model_settings(self) -> dict:
        """The ``[model]`` settings that change the fit (:func:`policytopics.model.topic_model.fit_settings`:
        the one rule the model's cache key and :meth:`TopicModel.load`'s check share)."""
        from policytopics.model.fit_settings import fit_settings, settings_dict

        return fit_settings(settings_dict(self.config.model))

    def model(self) -> TopicModel:
        """The fitted topic model (cached gensim or tomotopy files; trusted local cache only)."""
        return self.stage("model")

    # Stage 5: topics, labels, weights -----------------------------------------------
    def topic_words(self) -> pd.DataFrame:
        """Each topic's top words by probability: ``topic, rank, word, weight``."""
        return self.model().topic_words(self.config.model.top_n_words)

    def ranked_words(self) -> pd.DataFrame:
        """Each topic's top words by every ranking (probability, FREX, relevance): the
        ``topic_words`` table, ``topic, ranking, rank, word, weight, score``."""
        return self.model().word_table(self.config.model.top_n_words)

    def label_words(self) -> pd.DataFrame:
        """The words that name topics in labels (``[model] label_words`` ranking)."""
        return self.model().ranked_words(self.config.model.top_n_words, self.config.model.label_words)

    def themes_held(self) -> pd.DataFrame:
        """Whether each seeded topic holds its theme (:func:`policytopics.model.themes.themes_held`);
        a theme that does not is logged as a warning. Empty without themes."""
        from policytopics.model.themes_held import themes_held, warn_unheld

        return self.stages.memoised(f"themes_held:{self.key('model')}", lambda: warn_unheld(
            themes_held(self.topic_words(), self.theme_labels(), self.theme_seeds())))

    def _labels_key(self) -> str:
        """The model's key and the labels file's content: what the topics' labels depend on."""
        labels = self.config.model.labels
        return f"{self.key('model')}:{stable_hash(Path(labels)) if labels and Path(labels).is_file() else ''}"

    def human_labels(self) -> dict[int, str]:
        """Topic labels from the ``labels`` CSV, matched to this run's topics; read once per
        model and file content (its warnings were printed four times a run)."""
        return dict(self.stages.memoised(f"human_labels:{self._labels_key()}", lambda: (
            topic_naming.read_human_labels(self.config.model.labels, self.topic_words(),
                                           self.config.model.top_n_words))))

    def theme_seeds(self) -> pd.DataFrame:
        """Each seeded theme's seed words: in the vocabulary (and which words they seeded),
        pruned, or never seen, with the theme's topic number. Empty without a themes file."""
        from policytopics.model.themes import REPORT_COLUMNS, number_seed_report, theme_prior

        if not self.themes():
            return pd.DataFrame(columns=list(REPORT_COLUMNS))
        dictionary, _ = self.corpus()
        report = theme_prior(self.themes(), dictionary, self.config.model, unpruned=self.seen_words())[1]
        return number_seed_report(report, self.theme_labels())  # T5 is 5, as in every table

    def theme_labels(self) -> dict[int, str]:
        """``{topic: theme name}`` for the seeded topics."""
        return dict(self.model().theme_names_)

    def topic_labels(self, n_words: int = 3) -> dict[int, str]:
        """Label per topic: ``T1 数字化转型`` (seeded), ``T1 产业链创新`` (labels file) or
        ``T1 产业链·创新·制造业`` (top words)."""
        held = self.themes_held()
        return dict(self.stages.memoised(f"topic_labels:{self._labels_key()}:{n_words}", lambda: (
            topic_naming.topic_labels(self.label_words(), human=self.human_labels(),
                                      themes=self.theme_labels(), n_words=n_words,
                                      held=dict(zip(held["topic"], held["held"]))))))

    def labels_template(self) -> pd.DataFrame:
        known = self.human_labels() | self.theme_labels()
        return topic_naming.labels_template(self.topic_words(), known, self.config.model.top_n_words)

    def topics(self, n_docs: int = 3) -> pd.DataFrame:
        """One row per topic: label, prevalence, top words by probability and by
        relevance (λ = 0.6), and the titles of its most representative documents."""
        table = topic_naming.topic_table(self.model(), self.kept_documents(), self.document_topic_matrix(),
                                         labels=self.topic_labels(), n_words=self.config.model.top_n_words,
                                         n_docs=n_docs)
        if self.themes():
            held = self.themes_held().set_index("topic")
            table["theme_held"] = table["topic"].map(held["held"]).astype("boolean")
        return table

    def document_topic_matrix(self):
        """Topic proportions per kept document (rows in kept order): the n_chars-weighted
        mean of its passages' proportions, or the document's own row when it is one unit."""
        from policytopics.text.passages import document_topics

        def build():
            doc_ids, matrix = document_topics(self.model().doc_topic_, self.units())
            order = pd.Index(doc_ids).get_indexer(self.kept_documents()["doc_id"])
            return matrix[order]

        return self.stages.memoised(f"document_topics:{self.key('model')}", build)

    def passage_topics(self) -> pd.DataFrame:
        """One row per unit: ``doc_id``, ``passage``, ``n_chars`` and ``T1`` … ``TK``."""
        from policytopics.text.passages import passage_topics_table

        return passage_topics_table(self.units(), self.model().doc_topic_)

    def doc_topics(self) -> pd.DataFrame:
        """Long table: document × topic weights with date, period and region.

        Built once per model and labels file; tables and figures share it.
        """
        labels = self.config.model.labels
        key = f"doc_topics:{self.key('model')}:{stable_hash(Path(labels)) if labels else ''}"
        return self.stages.memoised(key, lambda: doc_topics_table(
            self.kept_documents(), self.document_topic_matrix(), self.topic_labels(),
            period=self.config.weights.period, national_label=self.config.weights.national_label))

    def _grouped_doc_topics(self) -> pd.DataFrame:
        doc_topics = self.doc_topics()
        if self.config.weights.region_level == "city":
            # The "region" groups are cities; a document with no dominant city has none.
            doc_topics = doc_topics.assign(region=doc_topics["city"])
        return doc_topics

    def posterior(self):
        """The approximate posterior of every document's topic proportions
        (:class:`policytopics.estimate.uncertainty.ProportionPosterior`), rows in ``doc_topics`` order."""
        from policytopics.estimate.uncertainty import ProportionPosterior
        from policytopics.model.corpus import unit_lengths

        def build():
            model, units = self.model(), self.units()
            tokens = unit_lengths(self.stages.path("corpus", self.key("corpus")), len(units))
            samples = getattr(model, "doc_topic_samples_", None)
            # The documents in doc_topics' order (by doc_id), as the estimates' rows are.
            doc_ids = pd.unique(self.doc_topics()["doc_id"])
            return ProportionPosterior(model.doc_topic_ if samples is None else samples, tokens, model.alpha_,
                                       units["doc_id"], units["n_chars"], doc_ids)

        return self.stages.memoised(f"posterior:{self.key('model')}", build)

    def estimates(self):
        """Weights, emphases, effects and correlations with their intervals, from one pass
        of draws (:class:`policytopics.estimate.estimates.Estimates`), once per model and labels."""
        from policytopics.estimate.estimates import Estimates

        # The quick view (:meth:`quick_view`) shares this memory with point estimates only.
        key = f"estimates:{id(self.doc_topics())}:{self.config.weights.uncertainty}"
        return self.stages.memoised(key, lambda: Estimates(
            self._grouped_doc_topics(), self.config.weights, self.config.effects, posterior=self.posterior,
            topic_labels=self.topic_labels(), progress=self.progress,
            workers=self.config.compute.workers or available_cpus()))

    def effect_model(self):
        """The ``[effects] formula``'s regression, or ``None`` without a formula."""
        return self.estimates().effect_model

    def _of_this_run(self, table: pd.DataFrame) -> pd.DataFrame:
        """A weights or emphasis table; in a quick run its ``interval`` is ``quick`` (no interval
        drawn, because of the run, not the study's settings: the figures' notes say which)."""
        return table.assign(interval="quick") if self.quick and "interval" in table else table

    def theme_weights_by_region(self) -> pd.DataFrame:
        return self._of_this_run(self.estimates().weights("region"))

    def theme_weights_by_period(self) -> pd.DataFrame:
        return self._of_this_run(self.estimates().weights("period"))

    def theme_weights_by_region_period(self) -> pd.DataFrame:
        return self._of_this_run(self.estimates().weights("region_period"))

    def theme_emphasis_by_region(self) -> pd.DataFrame:
        """Each region's theme weight minus the mean over regions (percentage points)."""
        return self._of_this_run(self.estimates().emphasis("region"))

    def theme_emphasis_by_period(self) -> pd.DataFrame:
        """Each period's theme weight minus the mean over periods (percentage points)."""
        return self._of_this_run(self.estimates().emphasis("period"))

    def topic_correlations(self) -> pd.DataFrame:
        """Correlations of the documents' topic proportions, with intervals (stm's ``topicCorr``)."""
        return self.estimates().correlations

    def effects(self) -> dict[str, pd.DataFrame]:
        """The ``[effects] formula``'s tables: ``coefficients``, ``levels``, ``difference``,
        ``curves`` (:func:`policytopics.estimate.effects.effect_tables`); empty when not estimated."""
        return self.estimates().effects

    # Outputs ----------------------------------------------------------------------------
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every output table, by file name."""
        doc_topics = self.doc_topics()
        return {
            "documents": self.documents(),
            "doc_topics": doc_topics_wide(doc_topics),
            "passage_topics": self.passage_topics(),
            "topic_words": self.ranked_words(),
            "topics": self.topics(),
            "theme_weights_by_region": self.theme_weights_by_region(),
            "theme_weights_by_period": self.theme_weights_by_period(),
            "theme_weights_by_region_period": self.theme_weights_by_region_period(),
            "theme_emphasis_by_region": self.theme_emphasis_by_region(),
            "theme_emphasis_by_period": self.theme_emphasis_by_period(),
            "theme_effects": self.effects()["coefficients"],
            "effect_levels": self.effects()["levels"],
            "effect_difference": self.effects()["difference"],
            "effect_curves": self.effects()["curves"],
            "topic_correlations": self.topic_correlations(),
            "coverage": self.coverage(),
            "labels_template": self.labels_template(),
            **({"theme_seeds": self.theme_seeds()} if self.themes() else {}),
        }

    def write_tables(self, folder: Path | None = None, figures: Path | None = None) -> dict[str, Path]:
        """CSV (UTF-8 with BOM, opens in Excel) and Parquet tables in ``folder`` (``tables_dir``),
        and the ``[output] figure_tables`` as CSV beside the figures (``figures``, else
        ``figures_dir``; returned as ``figures/NAME``)."""
        tables = self.tables()
        written = outputs.write_tables(tables, folder or self.config.output.tables_dir)
        beside = outputs.write_figure_tables(tables, self.config.output, figures)
        return written | {f"figures/{name}": path for name, path in beside.items()}

    def figure_frames(self) -> dict[str, object]:
        """The tables the study's figures draw, by the names :mod:`policytopics.report.outputs` uses."""
        return {
            "by_region": self.theme_weights_by_region(),
            "by_period": self.theme_weights_by_period(),
            "by_region_period": self.theme_weights_by_region_period(),
            "emphasis_by_region": self.theme_emphasis_by_region(),
            "emphasis_by_period": self.theme_emphasis_by_period(),
            # Every ranking: the figure draws its one (plots.topics.TOP_WORDS_RANKING).
            "topic_words": self.ranked_words(),
            "topic_labels": self.topic_labels(),
            "theme_topics": sorted(self.theme_labels()),
            "doc_topics": self.doc_topics(),
            # The documents' own columns only: the coverage figures do not change with the model.
            "documents": self.doc_topics().drop_duplicates("doc_id")[["doc_id", "region", "period"]],
            "topic_correlations": self.topic_correlations(),
            **{f"effect_{name}": frame for name, frame in self.effects().items() if name != "coefficients"},
            "effects_formula": self.config.effects.formula,
            "effects_reason": getattr(self.effect_model(), "reason", ""),
        }

    def skipped_figures(self) -> dict[str, str]:
        """The figures this study cannot show (one region, one period ...), with the reason."""
        return outputs.skipped_figures(self.figure_frames())

    def figure_names(self) -> tuple[str, ...] | None:
        """The figures this study draws: every one it can (``None``), or a quick run's."""
        return QUICK_FIGURES if self.quick else None

    def write_figures(self) -> list[Path]:
        """The study's figures in ``figures_dir``, under stable names."""
        return outputs.write_figures(self.figure_frames(), self.config, only=self.figure_names())

    def quick_view(self) -> Study:
        """This study as a quick run draws it (:meth:`run` with ``quick=True``): point
        estimates without intervals (``[weights] uncertainty = "none"``), PNG only, the
        figures of :data:`QUICK_FIGURES`, no explorer page. It shares this study's stages and
        memory: the fit, documents and tokens are not read again."""
        view = copy.copy(self)
        output = self.config.output
        view.config = replace(self.config, weights=replace(self.config.weights, uncertainty="none"),
                              output=replace(output, figure_formats=["png"] if output.figure_formats else []))
        view.quick = True
        view.configured = self.config  # what run.json records as the study's settings
        return view

    def write_explorer(self, folder: Path | None = None) -> Path:
        """The interactive topic explorer, one offline HTML file: ``topic_explorer.html`` in
        ``folder`` (``tables_dir``)."""
        folder = folder or self.config.output.tables_dir
        return outputs.write_explorer(self.model(), folder / "topic_explorer.html",
                                      topic_labels=self.topic_labels(), language=self.config.output.language,
                                      cache=(self.cache_dir / "explorer", self.key("model")))

    def sweep(self, ks: Sequence[int], seeds: Sequence[int] | int = 3, *, workers: int = 2,
              write: bool = True) -> dict[str, object]:
        """Fit a grid of topic counts × seeds on the cached tokens and score each K.

        Writes ``k_selection.csv`` (one row per K), ``k_selection_runs.csv`` (one row per
        fit) and the ``k_selection`` figure; returns them with the suggested K and why.
        """
        from policytopics.model.choose_k import suggest_k, sweep

        self.check_outputs(write=write, themes=False)  # the grid of K decides, not the study's K
        if isinstance(seeds, int):
            if seeds < 1:
                raise ValueError(f"seeds per K (--seeds) must be 1 or more, got {seeds}")
            seeds = [self.config.model.seed + i for i in range(seeds)]
        token_lists = [list(t) for t in self.tokens()["tokens"]]
        started = time.perf_counter()
        runs, by_k = sweep(token_lists, ks, seeds, self.config.model, workers=workers,
                           top_n=self.config.model.top_n_words, progress=self.progress)
        k, reason = suggest_k(by_k)
        result: dict[str, object] = {"by_k": by_k, "runs": runs, "suggested_k": k, "reason": reason,
                                     "seconds": round(time.perf_counter() - started, 1)}
        if write:
            result["figures"] = outputs.write_sweep(result, self.config)
        return result

    def run_record(self) -> dict:
        """What produced these outputs: versions, settings, corpus hash, sizes, timings."""
        model = self.model()
        return {
            **outputs.software_versions(model.engine_),
            # The study's settings as given; a quick run's own changes are under "quick_settings".
            "settings": self.configured.to_dict(),
            "corpus_key": self.key("documents"),
            "stage_keys": {name: self.key(name) for name in STAGES},
            "documents": self.documents()["status"].value_counts().to_dict(),
            # Documents whose date column their own header contradicts (documents.csv: date_disagrees).
            "dates_header_contradicts": disagreeing_dates(self.documents()).drop(columns="status")
            .to_dict("records"),
            "units": len(self.units()),
            "dictionary_size": len(model.dictionary_),
            "figures_skipped": self.skipped_figures(),
            # A quick run (run --quick): point estimates, these figures left out, no explorer.
            "quick": self.quick,
            **({"quick_settings": {"weights.uncertainty": self.config.weights.uncertainty,
                                   "output.figure_formats": list(self.config.output.figure_formats),
                                   "figures": list(QUICK_FIGURES), "explorer": False},
                "figures_left_out": self.figures_left_out()} if self.quick else {}),
            "cache_hits": self.cache_hits,
            "timings_seconds": self.timings,
        }

    def validation_items(self, n_documents: int = 20, seed: int = 0) -> dict[str, list[dict]]:
        """Word- and topic-intrusion items of this study's model (:mod:`policytopics.report.raters`):
        a topic-intrusion item shows one of the model's units (a passage of a long document)
        with that unit's proportions."""
        from policytopics.report.raters import make_items
        from policytopics.text.passages import document_units

        model, units = self.model(), self.units()
        vocabulary = [model.dictionary_[i] for i in range(len(model.dictionary_))]
        # The units' texts, cut again from the kept documents: the same text and settings give
        # the same passages (the tokens table keeps no text).
        texts = document_units(self.kept_documents(), self.config.corpus)
        if not (texts["doc_id"].tolist() == units["doc_id"].tolist()
                and texts["passage"].tolist() == units["passage"].tolist()):
            raise ValueError("the passages cut again differ from the model's units; clear the cache "
                             f"({self.cache_dir}) and run again")
        return make_items(model.topic_word(), vocabulary, model.doc_topic_, texts["text"].tolist(),
                          unit_documents=units["doc_id"].tolist(), unit_passages=units["passage"].tolist(),
                          n_documents=n_documents, seed=seed)

    def check_outputs(self, *, write: bool = True, themes: bool = True) -> None:
        """Every check that needs no data, before any work: the output (``write``) and cache
        folders can be written, and the themes fit in K (``themes``). Each failure is one
        ``ValueError`` line."""
        outputs.check_folders(self.config.output, write=write)
        outputs.check_apart_from_corpus(self.config)
        n_themes, k = len(self.themes()), self.config.model.n_topics
        if themes and n_themes > k:
            raise ValueError(f"{n_themes} seeded themes in {self.config.model.themes} need at least "
                             f"{n_themes} topics; n_topics is {k} (--topics)")

    def run(self, *, quick: bool = False,
            on_fitted: Callable[[Study], object] | None = None) -> dict[str, object]:
        """Run every stage, write tables, figures and ``run.json``; return their paths.

        Each stage is read from the cache when its inputs and settings are unchanged; a
        rerun with a new topic count reads the cleaned documents and the bag-of-words
        corpus and fits only the model. ``run.json`` records each stage's own time and
        whether it came from the cache. The output folders are written whole, then swapped in
        (:func:`policytopics.report.outputs.staged_outputs`): a failed run leaves the earlier one.

        ``on_fitted(study)`` is called as soon as the model is fitted (or read from the
        cache), before the intervals, tables and figures: the command line prints the
        topics then. ``quick``: the tables with point estimates, the figures of
        :data:`QUICK_FIGURES` in PNG and no explorer page (:meth:`quick_view`): a new K's
        answer in little more than its fit's time; a full run with the same settings adds
        the rest from the same cached fit.
        """
        if quick and not self.quick:
            return self.quick_view().run(on_fitted=on_fitted)
        with study_threads(self.config.compute.workers or available_cpus()):
            return self._run(on_fitted)

    def _run(self, on_fitted: Callable[[Study], object] | None) -> dict[str, object]:
        started = time.perf_counter()
        self.check_outputs()
        n_kept = int((self.documents()["status"] == DocStatus.KEPT).sum())
        if outputs.figure_workers(self.config, n_kept) > 1:
            prepare_figure_workers()  # in the background, while the other stages run
        self.model()  # builds the tokens and the corpus first, if they are not cached
        if on_fitted is not None:
            on_fitted(self)
        t0 = time.perf_counter()
        frames = self.figure_frames()  # every estimate, from one pass of draws
        estimated = time.perf_counter() - t0
        with outputs.staged_outputs(self.config.output) as staged:
            tables = staged.output.tables_dir
            written, seconds = outputs.write_outputs(
                frames, replace(self.config, output=staged.output),
                lambda: self.write_tables(tables, staged.output.figures_dir),
                (lambda: None) if self.quick else (lambda: self.write_explorer(tables)),
                only=self.figure_names())
            self.timings.update(seconds, weights=round(estimated + seconds["weights"], 3))
            self.timings["total"] = round(time.perf_counter() - started, 3)
            record = outputs.write_run_record(self.run_record(), tables / "run.json")
        return staged.final({**written, "run_record": record})

    def figures_left_out(self) -> list[str]:
        """The figures a full run would draw that this quick run did not (none in a full run)."""
        if not self.quick:
            return []
        return [name for name in outputs.drawable_figures(self.figure_frames()) if name not in QUICK_FIGURES]


__all__ = ["Study"]
