"""What the study derives from its stages: topics, labels, proportions, weights and estimates.

:class:`Results` reads the stages through a :class:`~policytopics.study.catalog.Catalog` and
keeps each derived result once per key of the stages it comes from, the files it reads (the
labels file by content) and the settings it uses (:meth:`Catalog.memoised`, one memo). The
work is in :mod:`policytopics.model`, :mod:`policytopics.estimate` and :mod:`policytopics.text`;
nothing here computes.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from policytopics.common.workers import study_workers
from policytopics.estimate.weights import coverage, document_table, document_topics_wide, long_table
from policytopics.model import labels as topic_naming
from policytopics.model.topic_model import TopicModel
from policytopics.study.catalog import Catalog


class Results:
    """The derived results of one study's stages; ``quick``: those of a quick run (its
    weights tables say ``interval = "quick"``)."""

    def __init__(self, catalog: Catalog, *, quick: bool = False):
        self.catalog = catalog
        self.config = catalog.config
        self.quick = quick

    def _labels_file(self) -> tuple[Path, ...]:
        labels = self.config.model.labels
        return (Path(labels),) if labels and Path(labels).is_file() else ()

    def model(self) -> TopicModel:
        """The fitted topic model (cached; trusted local cache only)."""
        return self.catalog.stage("model")

    def themes(self) -> list:
        """The seeded themes of ``[model] themes`` (empty without a themes file)."""
        from policytopics.model.themes import load_themes

        path = self.config.model.themes
        return self.catalog.memoised("themes", lambda: load_themes(path) if path else [],
                                     files=(Path(path),) if path else ())

    # Topics and labels ------------------------------------------------------------------
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
        """Whether each seeded topic holds its theme (:func:`policytopics.model.themes_held.themes_held`:
        its share follows its seed words' rate across the documents, its seeds keep their mass); a
        theme that does not is logged as a warning. Empty without themes."""
        from policytopics.model.themes_held import COLUMNS, themes_held, warn_unheld

        if not self.theme_labels():
            return pd.DataFrame(columns=COLUMNS)

        def judge():
            tokens = self.catalog.stage("tokens")  # the units the model was fitted on, in its order
            return warn_unheld(themes_held(self.model(), self.themes(), tokens["tokens"], self.theme_seeds(),
                                           doc_ids=tokens["doc_id"]))

        return self.catalog.memoised("themes_held", judge, stages=("model",))

    def human_labels(self) -> dict[int, str]:
        """Topic labels from the ``labels`` CSV, matched to this run's topics; read once per
        model and file content (its warnings were printed four times a run)."""
        model = self.config.model
        return dict(self.catalog.memoised("human_labels", lambda: topic_naming.read_human_labels(
            model.labels, self.topic_words(), model.top_n_words),
            stages=("model",), files=self._labels_file(), settings=model.top_n_words))

    def theme_seeds(self) -> pd.DataFrame:
        """Each seeded theme's seed words: in the vocabulary (and which words they seeded),
        pruned, or never seen, with the theme's topic number. Empty without a themes file."""
        from policytopics.model.themes import REPORT_COLUMNS, number_seed_report, theme_prior

        if not self.themes():
            return pd.DataFrame(columns=list(REPORT_COLUMNS))
        dictionary, _ = self.catalog.stage("corpus")
        report = theme_prior(self.themes(), dictionary, self.config.model,
                             unpruned=self.catalog.seen_words())[1]
        return number_seed_report(report, self.theme_labels())  # T5 is 5, as in every table

    def theme_labels(self) -> dict[int, str]:
        """``{topic: theme name}`` for the seeded topics."""
        return dict(self.model().theme_names_)

    def topic_labels(self, n_words: int = 3) -> dict[int, str]:
        """Label per topic: ``T1 数字化转型`` (seeded), ``T1 产业链创新`` (labels file) or
        ``T1 产业链·创新·制造业`` (top words)."""
        held = self.themes_held()
        model = self.config.model
        return dict(self.catalog.memoised("topic_labels", lambda: topic_naming.topic_labels(
            self.label_words(), human=self.human_labels(), themes=self.theme_labels(), n_words=n_words,
            held=dict(zip(held["topic"], held["held"]))),
            stages=("model",), files=self._labels_file(),
            settings=(n_words, model.top_n_words, model.label_words)))

    def labels_template(self) -> pd.DataFrame:
        """A labels file to fill in: each topic's top words, with the labels known so far."""
        known = self.human_labels() | self.theme_labels()
        return topic_naming.labels_template(self.topic_words(), known, self.config.model.top_n_words)

    def topics(self, n_docs: int = 3) -> pd.DataFrame:
        """One row per topic: label, prevalence, top words by probability and by
        relevance (λ = 0.6), and the titles of its most representative documents; with
        themes, which top words are seed words and which the model learned, whether the topic
        held its theme and the rule's two measures (:meth:`themes_held`)."""
        seeds = topic_naming.seed_words_by_topic(self.theme_seeds()) if self.themes() else None
        table = topic_naming.topic_table(self.model(), self.catalog.kept_metadata(),
                                         self.document_topic_matrix(), labels=self.topic_labels(),
                                         n_words=self.config.model.top_n_words, n_docs=n_docs, seeds=seeds)
        if self.themes():
            held = self.themes_held().set_index("topic")
            table["theme_held"] = table["topic"].map(held["held"]).astype("boolean")
            table["theme_spearman"] = table["topic"].map(held["spearman"])
            table["theme_seed_mass"] = table["topic"].map(held["seed_mass"])
        return table

    # Proportions ------------------------------------------------------------------------
    def document_topic_matrix(self):
        """Topic proportions per kept document (rows in kept order): the n_chars-weighted
        mean of its passages' proportions, or the document's own row when it is one unit."""
        from policytopics.text.passages import document_topics

        def build():
            doc_ids, matrix = document_topics(self.model().doc_topic_, self.catalog.units())
            order = pd.Index(doc_ids).get_indexer(self.catalog.kept_metadata()["doc_id"])
            return matrix[order]

        return self.catalog.memoised("document_topics", build, stages=("model",))

    def passage_topics(self) -> pd.DataFrame:
        """One row per unit: ``doc_id``, ``passage``, ``n_chars`` and ``T1`` … ``TK``."""
        from policytopics.text.passages import passage_topics_table

        return passage_topics_table(self.catalog.units(), self.model().doc_topic_)

    def document_table(self) -> tuple[pd.DataFrame, np.ndarray]:
        """The kept documents with date, period and region, one row per document by ``doc_id``,
        and their topic proportions in that order
        (:func:`policytopics.estimate.weights.document_table`): what every estimate and table is
        made of. Built once per model and period settings."""
        weights = self.config.weights
        return self.catalog.memoised("document_table", lambda: document_table(
            self.catalog.kept_metadata(), self.document_topic_matrix(),
            period=weights.period, national_label=weights.national_label),
            stages=("model",), settings=(weights.period, weights.national_label))

    def doc_topics(self) -> pd.DataFrame:
        """Long table: document × topic weights with date, period and region
        (:func:`policytopics.estimate.weights.doc_topics_table`), for notebooks; the run's own
        tables and figures are made from :meth:`document_table`, never from it."""
        labels = self.topic_labels()
        meta, theta = self.document_table()
        return long_table(meta, theta, labels)

    def doc_topics_wide(self) -> pd.DataFrame:
        """One row per document: its metadata and ``T1`` … ``TK`` (``doc_topics.csv``)."""
        return self.catalog.memoised("doc_topics_wide", lambda: document_topics_wide(*self.document_table()),
                                     stages=("model",), settings=(self.config.weights.period,
                                                                  self.config.weights.national_label))

    def coverage(self) -> pd.DataFrame:
        """How many documents have a province, are national, have no region, have a period
        (``coverage.csv``; the run summary counts the same)."""
        return coverage(self.document_table()[0], self.config.weights.national_label)

    # Estimates --------------------------------------------------------------------------
    def _grouped_documents(self) -> tuple[pd.DataFrame, np.ndarray]:
        documents, theta = self.document_table()
        if self.config.weights.region_level == "city":
            # The "region" groups are cities; a document with no dominant city has none.
            documents = documents.assign(region=documents["city"])
        return documents, theta

    def posterior(self):
        """The approximate posterior of every document's topic proportions
        (:class:`policytopics.estimate.uncertainty.ProportionPosterior`), rows in ``doc_topics`` order."""
        from policytopics.estimate.uncertainty import ProportionPosterior
        from policytopics.model.corpus import unit_lengths

        def build():
            model, units = self.model(), self.catalog.units()
            tokens = unit_lengths(self.catalog.corpus_folder(), len(units))
            samples = getattr(model, "doc_topic_samples_", None)
            # The documents in the estimates' order (by doc_id).
            doc_ids = self.document_table()[0]["doc_id"]
            return ProportionPosterior(model.doc_topic_ if samples is None else samples, tokens, model.alpha_,
                                       units["doc_id"], units["n_chars"], doc_ids)

        return self.catalog.memoised("posterior", build, stages=("model",))

    def estimates(self):
        """Weights, emphases, effects and correlations with their intervals, from one pass
        of draws (:class:`policytopics.estimate.study_estimates.Estimates`), once per model, labels,
        weights and effects settings (a quick view's point estimates apart)."""
        from policytopics.estimate.study_estimates import Estimates

        config = self.config
        return self.catalog.memoised("estimates", lambda: Estimates(
            *self._grouped_documents(), config.weights, config.effects, posterior=self.posterior,
            topic_labels=self.topic_labels(), progress=self.catalog.progress,
            workers=study_workers(config.compute.workers)),
            stages=("model",), files=self._labels_file(),
            settings=(asdict(config.weights), asdict(config.effects), config.model.top_n_words,
                      config.model.label_words))

    def effect_model(self):
        """The ``[effects] formula``'s regression, or ``None`` without a formula."""
        return self.estimates().effect_model

    def topic_correlations(self) -> pd.DataFrame:
        """Correlations of the documents' topic proportions, with intervals (stm's ``topicCorr``)."""
        return self.estimates().correlations

    def effects(self) -> dict[str, pd.DataFrame]:
        """The ``[effects] formula``'s tables: ``coefficients``, ``levels``, ``difference``,
        ``curves`` (:func:`policytopics.estimate.effects.effect_tables`); empty when not estimated."""
        return self.estimates().effects

    def of_this_run(self, table: pd.DataFrame) -> pd.DataFrame:
        """A weights or emphasis table; in a quick run its ``interval`` is ``quick``."""
        return table.assign(interval="quick") if self.quick and "interval" in table else table

    def weights(self, by: str) -> pd.DataFrame:
        """``theme_weights_by_<by>`` (``region``, ``period``, ``region_period``)."""
        return self.of_this_run(self.estimates().weights(by))

    def emphasis(self, by: str) -> pd.DataFrame:
        """``theme_emphasis_by_<by>`` (``region``, ``period``)."""
        return self.of_this_run(self.estimates().emphasis(by))

    def validation_items(self, n_documents: int = 20, seed: int = 0) -> dict[str, list[dict]]:
        """Word- and topic-intrusion items of the model (:mod:`policytopics.report.intrusion`); a
        topic-intrusion item shows one of the model's units with that unit's proportions. With
        seeded themes, ``"match"``: one theme-matching item per seeded topic
        (:mod:`policytopics.report.theme_matching`); without, none."""
        from policytopics.report.intrusion import make_items
        from policytopics.report.theme_matching import make_items as matching_items
        from policytopics.text.passages import document_units

        model, units = self.model(), self.catalog.units()
        vocabulary = [model.dictionary_[i] for i in range(len(model.dictionary_))]
        # The units' texts, cut again from the kept documents: the same text and settings give
        # the same passages (the tokens table keeps no text).
        texts = document_units(self.catalog.kept_documents(), self.config.corpus)
        if not (texts["doc_id"].tolist() == units["doc_id"].tolist()
                and texts["passage"].tolist() == units["passage"].tolist()):
            raise ValueError("the passages cut again differ from the model's units; clear the cache "
                             f"({self.config.output.cache_dir}) and run again")
        items = make_items(model.topic_word(), vocabulary, model.doc_topic_, texts["text"].tolist(),
                           unit_documents=units["doc_id"].tolist(), unit_passages=units["passage"].tolist(),
                           n_documents=n_documents, seed=seed)
        words = self.topic_words()  # by probability, as topics.csv's top_words
        top = {topic: group.sort_values("rank")["word"].tolist() for topic, group in words.groupby("topic")}
        items["match"] = matching_items(top, self.theme_labels(), [theme.name for theme in self.themes()],
                                        seed=seed)
        return items


__all__ = ["Results"]
