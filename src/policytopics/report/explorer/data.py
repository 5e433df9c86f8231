"""The numbers behind the explorer page: each topic's terms ranked by relevance, their
frequencies, and the map (:mod:`.layout`), as JSON-ready plain values.

p(w) is the term's share of all tokens (the dictionary's corpus frequencies), as in
:meth:`policytopics.model.topic_model.TopicModel.relevant_words`. p(t|w) follows from Bayes' rule
with the topic's prevalence as p(t); the estimated frequency of a term within a topic,
``count * share``, therefore adds up over topics to the term's corpus frequency, as in
LDAvis.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from policytopics.report.explorer.layout import (
    _jensen_shannon_distances,
    _plain,
    _principal_coordinates,
    circle_layout,
)

#: Step of the λ slider. Each topic embeds every term that reaches its top ``n_words``
#: at some slider position, so the ranking in the browser is exact at every step.
LAMBDA_STEP = 0.01


def explorer_data(model, *, topic_labels: dict[int, str] | None = None, n_words: int = 30,
                  lam: float = 0.6, seed_words: dict[int, list[str]] | None = None) -> dict:
    """The numbers behind the explorer page, as JSON-ready plain Python values.

    Parameters
    ----------
    model : policytopics.model.topic_model.TopicModel
        A fitted model.
    topic_labels
        Label per topic number (1..K), shown as given, e.g. from
        :meth:`policytopics.study.study.Study.topic_labels`. Topics without one are labelled
        ``T{k}`` and their three most probable words.
    n_words
        Terms shown per topic.
    lam
        Initial relevance weight λ, between 0 and 1.
    seed_words
        ``{seeded topic: its theme's seeded words}`` (a study with themes,
        :func:`policytopics.model.labels.seed_words_by_topic`): the page marks these words in
        the topic's term list, so the words the model learned from the corpus stand apart.

    Returns
    -------
    dict
        ``n_words``, ``lam``, ``lambda_step``, ``n_terms`` (vocabulary size),
        ``total_tokens``; ``vocab`` (the embedded terms, most frequent first) with
        ``count`` (corpus frequency) and ``share`` (per term, the share of its occurrences
        estimated to fall in each topic, p(t|w)); ``overall`` (vocab indices of the
        ``n_words`` most frequent terms); ``topics``: per topic ``topic``, ``label``,
        ``color``, ``prevalence``, ``x``, ``y`` (PCoA), ``cx``, ``cy``, ``r`` (its circle on the
        map, :func:`circle_layout`) and its candidate terms ``terms`` (vocab indices, most
        probable first) with ``p``, their probability p(w|t), and ``seeds``, those of its
        ``terms`` that are its theme's seed words (empty for a free topic); ``map``: the map's ``size``,
        ``r_max`` (the radius of a share of 1), the circles' ``scale`` and the largest ``moved``.
    """
    from policytopics.report.style import topic_colors

    topic_word, labels, counts = _checked(model, topic_labels, n_words, lam)
    n_topics, n_terms = topic_word.shape
    total = int(counts.sum())
    n_words = min(n_words, n_terms)
    candidates = _relevance_candidates(topic_word, counts / total, n_words, lam)
    embedded, overall = _embedded_terms(counts, candidates, n_words)
    position = {int(word_id): i for i, word_id in enumerate(embedded)}
    prevalence = model.prevalence().to_numpy()
    share = _topic_shares(topic_word[:, embedded], prevalence)
    coordinates = _principal_coordinates(_jensen_shannon_distances(topic_word))
    layout = circle_layout(coordinates[:, 0], coordinates[:, 1], prevalence)
    topics = _topic_entries(model, candidates, labels, topic_colors(range(1, n_topics + 1)), coordinates,
                            layout, position)
    for entry in topics:
        seeds = set((seed_words or {}).get(entry["topic"], ()))
        entry["seeds"] = [w for w in entry["terms"] if model.dictionary_[int(embedded[w])] in seeds]
    return {
        "n_words": int(n_words),
        "lam": float(lam),
        "lambda_step": LAMBDA_STEP,
        "n_terms": int(n_terms),
        "total_tokens": total,
        "vocab": [model.dictionary_[int(w)] for w in embedded],
        "count": [int(counts[w]) for w in embedded],
        # Rounded: these only size bars and circles, and the file stays small.
        "share": [[_plain(s, 5) for s in column] for column in share.T],
        "overall": [position[int(w)] for w in overall],
        "map": {key: layout[key] for key in ("size", "r_max", "scale", "moved")},
        "topics": topics,
    }


def _embedded_terms(counts: np.ndarray, candidates: np.ndarray,
                    n_words: int) -> tuple[np.ndarray, np.ndarray]:
    """The terms the page embeds (every topic's candidates and the ``n_words`` most frequent,
    most frequent first), and those most frequent ones."""
    overall = np.argsort(-counts, kind="stable")[:n_words]
    embedded = np.union1d(np.flatnonzero(candidates.any(axis=0)), overall)
    return embedded[np.argsort(-counts[embedded], kind="stable")], overall


def _topic_shares(topic_word: np.ndarray, prevalence: np.ndarray) -> np.ndarray:
    """p(t|w) of each term (columns) by Bayes' rule, the topics' prevalence as p(t)."""
    joint = topic_word * prevalence[:, None]
    totals = joint.sum(axis=0)
    return joint / np.where(totals > 0, totals, 1.0)


def _checked(model, topic_labels: dict[int, str] | None, n_words: int,
             lam: float) -> tuple[np.ndarray, dict, np.ndarray]:
    """The model's topic-word matrix, the labels given and the terms' corpus frequencies, once
    the arguments are checked."""
    if not 0 <= lam <= 1:
        raise ValueError(f"lam must be between 0 and 1, not {lam}")
    if n_words < 1:
        raise ValueError(f"n_words must be at least 1, not {n_words}")
    topic_word = model.topic_word()
    n_topics = len(topic_word)
    labels = dict(topic_labels or {})
    unknown = sorted(set(labels) - set(range(1, n_topics + 1)))
    if unknown:
        raise ValueError(f"topic_labels has topics {unknown}; the model's topics are 1..{n_topics}")
    counts = model.word_counts()
    if counts.sum() == 0:
        raise ValueError("the model's dictionary has no corpus frequencies (cfs); refit the model")
    return topic_word, labels, counts


def _topic_entries(model, candidates: np.ndarray, labels: dict, colors: dict, coordinates: np.ndarray,
                   layout: dict, position: dict[int, int]) -> list[dict]:
    """Each topic's entry of :func:`explorer_data`: label, colour, place on the map and its
    candidate terms, most probable first."""
    topic_word = model.topic_word()
    prevalence = model.prevalence().to_numpy()
    topics = []
    for k in range(1, len(topic_word) + 1):
        p = topic_word[k - 1]
        terms = np.flatnonzero(candidates[k - 1])
        terms = terms[np.argsort(-p[terms], kind="stable")]
        label = labels.get(k) or f"T{k} " + "·".join(model.dictionary_[int(w)] for w in terms[:3])
        topics.append({
            "topic": k,
            "label": str(label),
            "color": colors[k],
            "prevalence": round(float(prevalence[k - 1]), 6),
            "x": _plain(coordinates[k - 1, 0]),
            "y": _plain(coordinates[k - 1, 1]),
            "cx": layout["cx"][k - 1],
            "cy": layout["cy"][k - 1],
            "r": layout["r"][k - 1],
            "terms": [position[int(w)] for w in terms],
            "p": [float(p[w]) for w in terms],
        })
    return topics


def topic_terms(data: dict, topic: int, *, lam: float | None = None) -> pd.DataFrame:
    """One topic's top terms by relevance, computed exactly as the explorer page does.

    Parameters
    ----------
    data
        The output of :func:`explorer_data`.
    topic
        Topic number, 1..K.
    lam
        Relevance weight λ; default ``data["lam"]``.

    Returns
    -------
    pandas.DataFrame
        Up to ``data["n_words"]`` rows: ``topic``, ``rank``, ``word``, ``relevance``,
        ``p_topic`` (p(w|t)), ``p_corpus`` (p(w)), ``in_topic`` (estimated frequency within
        the topic), ``overall`` (corpus frequency) and ``seed`` (a seed word of the topic's
        theme, marked on the page).
    """
    lam = data["lam"] if lam is None else lam
    if not 1 <= topic <= len(data["topics"]):
        raise ValueError(f"topic must be between 1 and {len(data['topics'])}, not {topic}")
    entry = data["topics"][topic - 1]
    seeds = set(entry.get("seeds", ()))
    rows = []
    for order, (w, p) in enumerate(zip(entry["terms"], entry["p"])):
        count = data["count"][w]
        p_corpus = count / data["total_tokens"]
        relevance = lam * math.log(p) + (1 - lam) * math.log(p / p_corpus)
        rows.append((-relevance, order, {
            "topic": topic, "word": data["vocab"][w], "relevance": relevance, "p_topic": p,
            "p_corpus": p_corpus, "in_topic": count * data["share"][w][topic - 1], "overall": count,
            "seed": w in seeds,
        }))
    rows.sort(key=lambda row: row[:2])  # ties keep the probability order, as in the browser
    ranked = [{"rank": rank, **row[2]} for rank, row in enumerate(rows[:data["n_words"]], start=1)]
    return pd.DataFrame(ranked, columns=["topic", "rank", "word", "relevance", "p_topic", "p_corpus",
                                         "in_topic", "overall", "seed"])


def _relevance_candidates(topic_word: np.ndarray, marginal: np.ndarray, n_words: int,
                          lam: float) -> np.ndarray:
    """Mask (topics × terms) of every term in a topic's top ``n_words`` at some slider λ.

    The slider moves in steps of :data:`LAMBDA_STEP`; scanning those steps (and ``lam``)
    makes the embedded candidates sufficient for every position, as LDAvis does.
    """
    steps = round(1 / LAMBDA_STEP)
    weights = np.array(sorted({k / steps for k in range(steps + 1)} | {float(lam)}))[:, None]
    keep = np.zeros(topic_word.shape, dtype=bool)
    for k, p in enumerate(topic_word):
        usable = np.flatnonzero((p > 0) & (marginal > 0))  # log p and the lift must be finite
        if usable.size == 0:
            continue
        log_p = np.log(p[usable])
        log_lift = np.log(p[usable] / marginal[usable])
        n = min(n_words, usable.size)
        # A term below all of the n most probable terms on both probability and lift is
        # below them at every λ, so it never reaches the top n: scan only the others.
        best = np.argpartition(-log_p, n - 1)[:n]
        pool = np.flatnonzero((log_p >= log_p[best].min()) | (log_lift >= log_lift[best].min()))
        scores = weights * log_p[pool] + (1 - weights) * log_lift[pool]
        top = np.argpartition(-scores, n - 1, axis=1)[:, :n]
        keep[k, usable[pool[np.unique(top)]]] = True
    return keep


__all__ = ["LAMBDA_STEP", "explorer_data", "topic_terms"]
