"""Whether each seeded topic held its theme: how many of its most probable words the theme
seeds (:func:`themes_held`), and a warning naming each theme that did not (:func:`warn_unheld`).

A theme's name on a topic is a claim that the topic's words support; a topic that did not hold
its theme is named in a warning, in ``topics.csv`` (``theme_held``) and in its label
(:data:`policytopics.model.labels.NOT_HELD_MARK`). A sweep over K prefers the K whose fits hold
every theme (:func:`policytopics.model.choose_k.suggest_k`).
"""

from __future__ import annotations

import logging

import pandas as pd

log = logging.getLogger("policytopics")

#: A seeded topic *holds* its theme when at least this many of its top
#: :data:`HELD_TOP_WORDS` words are words the theme seeds (:func:`themes_held`); otherwise the
#: run warns.
HELD_MIN_SEEDED = 3
#: How many of a topic's words the held check reads: its most probable ones (``p(w|t)``, the
#: ranking the rule was measured on, ``benchmarks/results.md`` seed-strength), the list the
#: run prints beside each topic and ``topics.csv`` gives as ``top_words``. Not the relevance
#: ranking of the labels: relevance favours words exclusive to a topic, and a seed word is
#: made nearly exclusive to its theme's topic by the prior itself, so a check on it would
#: read the prior back.
HELD_TOP_WORDS = 10


def themes_held(topic_words: pd.DataFrame, theme_topics: dict[int, str], report: pd.DataFrame,
                n_words: int = HELD_TOP_WORDS) -> pd.DataFrame:
    """Whether each seeded topic holds its theme: how many of its top ``n_words`` words
    the theme seeds (held when at least :data:`HELD_MIN_SEEDED`).

    Parameters
    ----------
    topic_words
        Tidy ``topic, rank, word`` table (by probability).
    theme_topics
        Topic number → theme name (``TopicModel.theme_names_``).
    report
        The seed report of :func:`seed_prior` (its ``seeded`` column).

    Returns
    -------
    DataFrame
        ``theme, topic, n_seeded_top, held, top_words``.

    >>> words = pd.DataFrame({"topic": [1, 1, 1], "rank": [1, 2, 3], "word": ["数据", "算力", "人才"]})
    >>> report = pd.DataFrame({"theme": ["数字"], "seeded": ["数据 算力"]})
    >>> themes_held(words, {1: "数字"}, report)[["theme", "n_seeded_top", "held"]].values.tolist()
    [['数字', 2, False]]
    """
    rows = []
    for topic, name in sorted(theme_topics.items()):
        seeded = set(" ".join(report.loc[report["theme"] == name, "seeded"]).split())
        top = topic_words[topic_words["topic"] == topic].nsmallest(n_words, "rank")["word"].tolist()
        n_seeded = sum(word in seeded for word in top)
        rows.append({"theme": name, "topic": topic, "n_seeded_top": n_seeded,
                     "held": n_seeded >= HELD_MIN_SEEDED, "top_words": " ".join(top)})
    return pd.DataFrame(rows, columns=["theme", "topic", "n_seeded_top", "held", "top_words"])


def warn_unheld(held: pd.DataFrame) -> pd.DataFrame:
    """Log a warning for each theme of :func:`themes_held` that did not hold its topic;
    returns ``held``."""
    for row in held[~held["held"]].itertuples():
        log.warning("seeded theme %r did not hold its topic T%d: %d of its %d most probable words "
                    "are its seed words (%s); raise seed_strength, add seed words, or use more "
                    "topics", row.theme, row.topic, row.n_seeded_top, len(row.top_words.split()),
                    row.top_words)
    return held


__all__ = ["HELD_MIN_SEEDED", "HELD_TOP_WORDS", "themes_held", "warn_unheld"]
