"""The study's outputs by name: the tables a run writes and the frames its figures draw.

Both are read from :class:`~policytopics.study.results.Results`; the names are the files'
(``theme_weights_by_region.csv``) and those :mod:`policytopics.report.figure_files` draws from.
"""

from __future__ import annotations

import pandas as pd

from policytopics.model.labels import seed_words_by_topic
from policytopics.study.results import Results


def output_tables(results: Results, documents: bool = True) -> dict[str, pd.DataFrame]:
    """Every output table, by file name; ``documents=False``: all but the ingest report
    (written chunk by chunk, :meth:`policytopics.study.catalog.Catalog.document_chunks`)."""
    return {
        **({"documents": results.catalog.documents()} if documents else {}),
        "doc_topics": results.doc_topics_wide(),
        "passage_topics": results.passage_topics(),
        "topic_words": results.ranked_words(),
        "topics": results.topics(),
        "theme_weights_by_region": results.weights("region"),
        "theme_weights_by_period": results.weights("period"),
        "theme_weights_by_region_period": results.weights("region_period"),
        "theme_emphasis_by_region": results.emphasis("region"),
        "theme_emphasis_by_period": results.emphasis("period"),
        "theme_effects": results.estimates().effects["coefficients"],
        "effect_levels": results.estimates().effects["levels"],
        "effect_difference": results.estimates().effects["difference"],
        "effect_curves": results.estimates().effects["curves"],
        "topic_correlations": results.estimates().correlations,
        "coverage": results.coverage(),
        "labels_template": results.labels_template(),
        **({"theme_seeds": results.theme_seeds()} if results.themes() else {}),
    }


def figure_frames(results: Results) -> dict[str, object]:
    """The tables the study's figures draw, by the names :mod:`policytopics.report.figure_files` uses."""
    return {
        "by_region": results.weights("region"),
        "by_period": results.weights("period"),
        "by_region_period": results.weights("region_period"),
        "emphasis_by_region": results.emphasis("region"),
        "emphasis_by_period": results.emphasis("period"),
        # Every ranking: the figure draws its one (plots.topics.TOP_WORDS_RANKING).
        "topic_words": results.ranked_words(),
        "topic_labels": results.topic_labels(),
        "theme_topics": sorted(results.theme_labels()),
        # {seeded topic: its theme's seeded words}, the top_words figure's seed bars; {} without themes.
        "seed_words": seed_words_by_topic(results.theme_seeds()) if results.themes() else {},
        # One row per document with T1 … TK, as doc_topics.csv (never the long table: at a
        # million documents and K = 20, twenty million rows).
        "doc_topics": results.doc_topics_wide(),
        # The documents' own columns only: the coverage figures do not change with the model.
        "documents": results.document_table()[0][["doc_id", "region", "period"]],
        "topic_correlations": results.estimates().correlations,
        **{f"effect_{name}": frame for name, frame in results.estimates().effects.items()
           if name != "coefficients"},
        "effects_formula": results.config.effects.formula,
        "effects_reason": getattr(results.estimates().effect_model, "reason", ""),
    }


__all__ = ["figure_frames", "output_tables"]
