"""Whether each seeded topic held its theme, judged by what the topic does (:func:`themes_held`),
and a warning naming each theme that did not, with the condition it failed (:func:`warn_unheld`).

A seeded topic *holds* its theme when

1. its share across documents follows the rate of the theme's seed words across documents:
   Spearman's ρ between the document-topic proportion and the document's seed-word rate
   (:func:`policytopics.model.themes.seed_rates`) is at least :data:`HELD_MIN_SPEARMAN`; and
2. the seeds keep a substantial share of the topic: the sum of ``p(w|t)`` over the theme's
   seeded vocabulary words (its seed words and the words containing one) is at least
   :data:`HELD_MIN_SEED_MASS`.

The rule reads the topic, not the seed list: a topic that learned the corpus's own words for its
theme (two seeds among its ten most probable words) holds it as long as it goes where its seeds
go; a topic whose share does not follow its seeds, or whose seeds are a sliver of it, does not.
The count of seed words among the topic's top :data:`HELD_TOP_WORDS` (``n_seeded_top``) is kept
as information. A theme that did not hold is named in a warning, in ``topics.csv``
(``theme_held``) and in its label (:data:`policytopics.model.labels.NOT_HELD_MARK`). A sweep
over K prefers the K whose fits hold every theme (:func:`policytopics.model.choose_k.suggest_k`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

log = logging.getLogger("policytopics")

#: Condition 1: a seeded topic's share follows its seed words' rate across documents when
#: Spearman's ρ between the two is at least this. Measured (``benchmarks/results.md``, "Held by
#: what the topic does"): on the provincial panel every seeded topic is plainly its theme and its
#: ρ is 0.461-0.775, while a seeded topic against another theme's seeds reaches at most 0.343;
#: 0.5 would mark two plainly held themes (0.461, 0.463), and ρ within each year across provinces
#: (the issue's own measure) is no higher for them (0.46, 0.59).
HELD_MIN_SPEARMAN = 0.4
#: Condition 2: the least share of a seeded topic's probability mass its seeded words keep
#: (sum of ``p(w|t)``), measured on the example studies (``benchmarks/results.md``, "Held by what
#: the topic does").
HELD_MIN_SEED_MASS = 0.035
#: How many of a topic's most probable words ``top_words`` and ``n_seeded_top`` read: the list
#: the run prints beside each topic and ``topics.csv`` gives as ``top_words``, ranked by
#: ``p(w|t)`` as everywhere a theme's words are shown.
HELD_TOP_WORDS = 10

COLUMNS = ["theme", "topic", "spearman", "seed_mass", "n_seeded_top", "held", "top_words"]


def by_document(themes: Sequence, token_lists: Sequence[Sequence[str]], doc_topic: np.ndarray,
                doc_ids: Sequence | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Each document's seed-word rate per theme (:func:`~policytopics.model.themes.seed_rates`,
    one column per theme name) and its topic proportions: a document cut into passages
    (``doc_ids``, one per unit) gets its passages' seed words over their tokens and the
    token-weighted mean of their proportions; without ``doc_ids`` each unit is a document.

    >>> from policytopics.model.themes import Theme
    >>> rates, shares = by_document([Theme("a", ("数据",))], [["数据", "人才"], ["人才"] * 6],
    ...                             np.array([[1.0, 0.0], [0.0, 1.0]]), ["d", "d"])
    >>> rates["a"].tolist(), shares.tolist()
    ([0.125], [[0.25, 0.75]])
    """
    from policytopics.model.themes import seed_rates

    themes = list(themes)
    token_lists = [list(tokens) for tokens in token_lists]
    if len(token_lists) != len(doc_topic):
        raise ValueError(f"themes_held: {len(token_lists)} token lists for the model's "
                         f"{len(doc_topic)} documents")
    lengths = np.array([len(tokens) for tokens in token_lists], dtype=float)
    counts = seed_rates(themes, token_lists) * lengths[:, None]
    shares = np.asarray(doc_topic, dtype=float)
    if doc_ids is not None:
        codes, _ = pd.factorize(pd.Series(list(doc_ids)))
        weights = np.where(np.bincount(codes, lengths)[codes] > 0, lengths, 1.0)
        totals = np.zeros((codes.max() + 1, shares.shape[1]))
        np.add.at(totals, codes, shares * weights[:, None])
        shares = totals / np.bincount(codes, weights)[:, None]
        grouped = np.zeros((codes.max() + 1, len(themes)))
        np.add.at(grouped, codes, counts)
        counts, lengths = grouped, np.bincount(codes, lengths)
    rates = counts / np.maximum(lengths, 1)[:, None]
    return pd.DataFrame(rates, columns=[theme.name for theme in themes]), shares


def themes_held(model, themes: Sequence, token_lists: Sequence[Sequence[str]],
                report: pd.DataFrame | None = None, *, doc_ids: Sequence | None = None,
                n_words: int = HELD_TOP_WORDS) -> pd.DataFrame:
    """Whether each seeded topic of ``model`` holds its theme (the rule of the module docstring).

    Parameters
    ----------
    model
        A fitted :class:`~policytopics.model.topic_model.TopicModel` with seeded themes
        (``theme_names_``, ``doc_topic_``, ``topic_word()``, ``dictionary_``).
    themes
        The seeded themes (:class:`~policytopics.model.themes.Theme`), for the seed rates.
    token_lists
        The tokens of the units the model was fitted on, in its row order.
    report
        The seed report (its ``theme`` and ``seeded`` columns); ``model.seed_report_`` if None.
    doc_ids
        The document of each unit: the rule then compares documents (:func:`by_document`),
        whose rates are steadier than a passage's few tokens.

    Returns
    -------
    DataFrame
        ``theme, topic, spearman, seed_mass, n_seeded_top, held, top_words`` (top words by
        probability; ``spearman`` NaN when either side is constant, which does not hold).
    """
    from scipy.stats import spearmanr

    report = model.seed_report_ if report is None else report
    rates, shares = by_document(themes, token_lists, model.doc_topic_, doc_ids)
    words = model.topic_words(n_words)
    topic_word, ids = model.topic_word(), model.dictionary_.token2id
    rows = []
    for topic, name in sorted(model.theme_names_.items()):
        seeded = set(" ".join(report.loc[report["theme"] == name, "seeded"].dropna()).split())
        share, rate = shares[:, topic - 1], rates[name].to_numpy()
        rho = (float(spearmanr(share, rate).statistic)
               if np.ptp(share) > 0 and np.ptp(rate) > 0 else float("nan"))
        mass = float(topic_word[topic - 1, [ids[w] for w in seeded if w in ids]].sum())
        top = words[words["topic"] == topic].nsmallest(n_words, "rank")["word"].tolist()
        rows.append({"theme": name, "topic": topic, "spearman": round(rho, 3), "seed_mass": round(mass, 3),
                     "n_seeded_top": sum(word in seeded for word in top),
                     "held": bool(rho >= HELD_MIN_SPEARMAN and mass >= HELD_MIN_SEED_MASS),
                     "top_words": " ".join(top)})
    return pd.DataFrame(rows, columns=COLUMNS)


def failed_conditions(row) -> str:
    """What a row of :func:`themes_held` failed, with its values, e.g. ``"its share does not
    follow its seed words' rate across documents (Spearman 0.31 < 0.4)"``."""
    failed = []
    if not row.spearman >= HELD_MIN_SPEARMAN:
        failed.append(f"its share does not follow its seed words' rate across documents "
                      f"(Spearman {row.spearman:.2f} < {HELD_MIN_SPEARMAN})")
    if not row.seed_mass >= HELD_MIN_SEED_MASS:
        failed.append(f"its seed words keep {row.seed_mass:.3f} of its probability mass "
                      f"(< {HELD_MIN_SEED_MASS})")
    return " and ".join(failed)


def warn_unheld(held: pd.DataFrame) -> pd.DataFrame:
    """Log a warning for each theme of :func:`themes_held` that did not hold its topic, saying
    which condition failed with its values; returns ``held``."""
    for row in held[~held["held"].astype(bool)].itertuples():
        log.warning("seeded theme %r did not hold its topic T%d: %s; its %d most probable words: %s "
                    "(raise seed_strength, add seed words the corpus uses, or use more topics)",
                    row.theme, row.topic, failed_conditions(row), len(row.top_words.split()),
                    row.top_words)
    return held


__all__ = ["HELD_MIN_SEED_MASS", "HELD_MIN_SPEARMAN", "HELD_TOP_WORDS", "by_document", "failed_conditions",
           "themes_held", "warn_unheld"]
