"""Topic labels that follow their topics: theme names, human labels, top words.

A topic's label is, in this order: the name of the seeded theme it was seeded with
(``T1 数字化转型``, whatever K or seed); a label from the study's labels CSV, matched to
this run's topics by their top words; or its top three words (``T1 产业链·创新·制造业``)
by the ranking of ``[model] label_words`` (LDAvis relevance by default, chosen by measurement:
``benchmarks/bench_labels.py``).
:func:`default_label` is the one place that last form is built.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

log = logging.getLogger("policytopics")

#: Share of top words a labelled topic must share with a topic of this run to keep its label.
MIN_SHARED_TOP_WORDS = 0.3


def default_label(topic: int, words, n_words: int = 3) -> str:
    """``T{topic} w1·w2·w3``: a topic named by its top words.

    >>> default_label(2, ["数字经济", "数据", "算力", "平台"])
    'T2 数字经济·数据·算力'
    """
    return f"T{topic} " + "·".join(list(words)[:n_words])


def top_words_by_topic(topic_words: pd.DataFrame, n_words: int) -> dict[int, list[str]]:
    """``{topic: [its top n_words words, by rank]}`` from a tidy topic-words table."""
    return {int(t): frame.nsmallest(n_words, "rank")["word"].tolist()
            for t, frame in topic_words.groupby("topic")}


#: Appended to the name of a seeded theme that did not hold its topic (its share does not follow
#: its seed words' rate across documents, or its seeds keep too little of its mass:
#: :func:`policytopics.model.themes_held.themes_held`): the name is a claim the topic does not support.
NOT_HELD_MARK = " (?)"


def topic_labels(topic_words: pd.DataFrame, *, human: dict[int, str] | None = None,
                 themes: dict[int, str] | None = None, held: dict[int, bool] | None = None,
                 n_words: int = 3) -> dict[int, str]:
    """Label of every topic: theme name, else human label, else its top words.

    One name, one topic: a human label that is already a theme's name or another topic's
    label is not given twice (the topic keeps its words, and a warning names both topics).
    A seeded topic that did not hold its theme (``held[t]`` false) carries its theme's name
    with :data:`NOT_HELD_MARK`.

    >>> words = pd.DataFrame({"topic": [1, 2, 3], "rank": [1, 1, 1], "word": ["金融", "数据", "粮食"]})
    >>> topic_labels(words, themes={1: "金融支持"}, human={2: "金融支持", 3: "农业"}, held={1: False})
    {1: 'T1 金融支持 (?)', 2: 'T2 数据', 3: 'T3 农业'}
    """
    labels = {t: default_label(t, words, n_words)
              for t, words in top_words_by_topic(topic_words, n_words).items()}
    named: dict[str, int] = {}
    for t, name in sorted((themes or {}).items()):  # theme names win over human labels
        if t in labels:
            labels[t] = f"T{t} {name}" + ("" if (held or {}).get(t, True) else NOT_HELD_MARK)
            named[name] = t
    for t, name in sorted((human or {}).items()):
        if t not in labels or t in (themes or {}):
            continue
        if name in named:
            log.warning("the label %r is already topic T%d's; topic T%d keeps its words (%s): one "
                        "name, one topic (edit the labels file)", name, named[name], t, labels[t])
            continue
        labels[t] = f"T{t} {name}"
        named[name] = t
    return labels


def read_human_labels(path: str | Path | None, topic_words: pd.DataFrame, n_words: int) -> dict[int, str]:
    """Topic labels from a labels CSV, for this run's topics.

    Columns ``topic`` and ``label``, and optionally ``top_words`` (space-separated, as in
    ``labels_template.csv``). With ``top_words`` the labels follow their topics when K or
    the seed changes: each label goes to the topic of this run that shares most of its top
    words (one-to-one, at least 30 % shared), whatever its number now. Without it, labels
    apply by topic number, which is right only for the run the file was written for.
    Read in any common encoding (:func:`policytopics.read.delimited.read_settings_table`); labels
    that match no topic of this run are logged as a warning naming the file.
    """
    if not path:
        return {}
    if not Path(path).is_file():
        raise FileNotFoundError(f"labels file not found: {path}")
    from policytopics.read.delimited import read_settings_table

    table = read_settings_table(path)
    if not {"topic", "label"} <= set(table.columns):
        raise ValueError(f"{path} needs the columns 'topic' and 'label'")
    table = table[table["label"].str.strip() != ""]
    if "top_words" not in table.columns or not table["top_words"].str.strip().any():
        topics = set(top_words_by_topic(topic_words, n_words))
        labels = {int(t): label.strip() for t, label in zip(table["topic"], table["label"])
                  if str(t).strip().isdigit() and int(t) in topics}
        unmatched = [f"{label.strip()} (topic {str(t).strip() or '?'})"
                     for t, label in zip(table["topic"], table["label"])
                     if not (str(t).strip().isdigit() and int(t) in topics)]
        if unmatched:
            log.warning("%s: labels for no topic of this run (%d topics): %s", path, len(topics),
                        ", ".join(unmatched))
        return labels
    from policytopics.model.matching import match_topics

    current = top_words_by_topic(topic_words, n_words)
    previous = {i: text.split()[:n_words] for i, text in enumerate(table["top_words"])}
    matches = match_topics(previous, current, min_shared=MIN_SHARED_TOP_WORDS)
    labels = {topic: table["label"].iloc[i].strip() for topic, (i, _) in matches.items()}
    unmatched = sorted(set(table["label"].str.strip()) - set(labels.values()))
    if unmatched:
        log.warning("%s: labels with no matching topic in this run (top words changed too much): %s",
                    path, ", ".join(unmatched))
    return labels


def labels_template(topic_words: pd.DataFrame, known: dict[int, str], n_words: int) -> pd.DataFrame:
    """``topic, label, top_words`` for this run: copy it, fill in ``label``, set ``labels``.

    Labels already known (theme names, labels matched from the labels file) are filled in.
    """
    rows = [(t, known.get(t, ""), " ".join(words))
            for t, words in top_words_by_topic(topic_words, n_words).items()]
    return pd.DataFrame(rows, columns=["topic", "label", "top_words"])


def document_name(document: pd.Series) -> str:
    """A document as a reader finds it: its title (or id), with its region and date where known,
    so that 31 reports all titled 政府工作报告 are told apart.

    >>> document_name(pd.Series({"doc_id": "r:3", "title": "政府工作报告", "region": "浙江省",
    ...                          "date": "2015"}))
    '政府工作报告 (浙江省, 2015)'
    >>> document_name(pd.Series({"doc_id": "a", "title": None, "region": None, "date": None}))
    'a'
    """
    name = document.get("doc_id") if pd.isna(document.get("title")) else document.get("title")
    known = [str(document.get(column)) for column in ("region", "date") if not pd.isna(document.get(column))]
    return f"{name} ({', '.join(known)})" if known else str(name)


def seed_words_by_topic(report: pd.DataFrame) -> dict[int, list[str]]:
    """``{topic: the vocabulary words its theme seeded}`` from a numbered seed report
    (:func:`policytopics.model.themes.number_seed_report`, its ``topic`` and ``seeded``
    columns), each topic's words sorted; a seed that seeded no word adds none.

    >>> report = pd.DataFrame({"topic": [2, 2, 1], "seeded": ["数据 算力", "", "金融"]})
    >>> seed_words_by_topic(report)
    {1: ['金融'], 2: ['数据', '算力']}
    """
    words: dict[int, set[str]] = {}
    for topic, seeded in zip(report["topic"], report["seeded"].fillna("")):
        words.setdefault(int(topic), set()).update(str(seeded).split())
    return {topic: sorted(words[topic]) for topic in sorted(words)}


def _split_by_seeds(words: list[str], seeds) -> tuple[str, str]:
    """``(seed words, learned words)`` of a topic's top words, each in rank order and
    space-separated; both empty for a free topic (``seeds`` None)."""
    if seeds is None:
        return "", ""
    seeds = set(seeds)
    return (" ".join(w for w in words if w in seeds), " ".join(w for w in words if w not in seeds))


def topic_table(model, documents: pd.DataFrame, doc_topic, *, labels: dict[int, str], n_words: int,
                n_docs: int = 3, min_share: float = 0.1,
                seeds: dict[int, list[str]] | None = None) -> pd.DataFrame:
    """One row per topic: label, prevalence, top words by probability, by FREX (stm,
    weight 0.5) and by relevance (LDAvis, λ = 0.6), and the titles of its most
    representative documents, each with its region and date (:func:`document_name`).

    ``documents`` are the kept documents in the row order of ``doc_topic`` (documents ×
    topics); a document represents a topic when it has at least ``min_share`` of it.
    With ``seeds`` (``{seeded topic: its theme's seeded words}``, :func:`seed_words_by_topic`;
    a study with themes) two more columns split ``top_words``: ``seed_words_top``, those
    that are its theme's seed words, and ``learned_words_top``, the others, the words the
    model found in the corpus (both in rank order; empty for a free topic).
    """
    by_prob = model.topic_words(n_words)
    by_frex = model.ranked_words(n_words, "frex")
    by_relevance = model.relevant_words(n_words)
    rows = []
    for topic, prevalence in model.prevalence().items():
        weights = doc_topic[:, topic - 1]
        best = [i for i in weights.argsort(kind="stable")[::-1][:n_docs] if weights[i] >= min_share]
        titles = [document_name(documents.iloc[i]) for i in best]
        top = by_prob[by_prob["topic"] == topic]["word"].tolist()
        rows.append({
            "topic": topic,
            "label": labels[topic],
            "prevalence": round(float(prevalence), 6),
            "top_words": " ".join(top),
            "top_words_frex": " ".join(by_frex[by_frex["topic"] == topic]["word"]),
            "top_words_relevance": " ".join(by_relevance[by_relevance["topic"] == topic]["word"]),
            "representative_documents": " | ".join(titles),
        })
        if seeds is not None:
            rows[-1]["seed_words_top"], rows[-1]["learned_words_top"] = _split_by_seeds(top, seeds.get(topic))
    return pd.DataFrame(rows)


__all__ = ["NOT_HELD_MARK", "default_label", "labels_template", "read_human_labels", "seed_words_by_topic",
           "top_words_by_topic", "topic_labels", "topic_table"]
