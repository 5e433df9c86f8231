"""Validation by people, third task: theme matching, for a study with seeded themes.

A rater sees a seeded topic's top words (its most probable ones, as ``topics.csv``'s
``top_words``) and the study's theme names plus :data:`NONE_OPTION`, in an order of the item's
own, and picks the theme the words are about. A theme whose topic raters match to it is a theme
people recognise in what the model learned; the seed list alone does not say so.

:func:`make_items` makes one item per seeded topic (task ``"match"``, key ``answer``: the
topic's theme); the pages of :func:`policytopics.report.intrusion.write_rater_pages` show them
beside the intrusion items (:func:`prompt`); :func:`score` reports per theme the share of raters
who picked the topic's own theme (with a 95 % Wilson interval), the share overall, and
Krippendorff's α between raters (nominal: the option each rater picked, per item), from the
``krippendorff`` package. A study without themes has no matching items.
"""

from __future__ import annotations

import html
import random
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

#: The option for words that fit none of the themes.
NONE_OPTION = "以上都不是 / none of these"
#: The question of a matching item, in Chinese and English.
QUESTION = "这些词最符合哪一个主题？/ Which theme do these words fit best?"
#: The task's name in items, the key and the answers' item ids (``m1``, ``m2``, ...).
TASK = "match"


def make_items(top_words: Mapping[int, Sequence[str]], theme_topics: Mapping[int, str],
               theme_names: Sequence[str], *, seed: int = 0) -> list[dict]:
    """One matching item per seeded topic, in topic order.

    Parameters
    ----------
    top_words
        Topic number → its top words, most probable first (``topics.csv``'s ``top_words``).
    theme_topics
        Seeded topic number → its theme's name (``TopicModel.theme_names_``).
    theme_names
        Every theme of the study: the options, with :data:`NONE_OPTION`.
    seed
        With the topic number, fixes the order of the item's options.

    >>> items = make_items({1: ["数据", "算力"], 2: ["农村"]}, {1: "数字"}, ["数字", "乡村"], seed=1)
    >>> [(i["topic"], i["answer"], sorted(i["options"])) for i in items]
    [(1, '数字', ['乡村', '以上都不是 / none of these', '数字'])]
    """
    names = list(dict.fromkeys(theme_names))
    if NONE_OPTION in names:
        raise ValueError(f"a theme may not be named {NONE_OPTION!r}: it is the matching task's "
                         "option for none of the themes")
    missing = sorted(set(theme_topics.values()) - set(names))
    if missing:
        raise ValueError(f"seeded topics of themes not in the themes given: {', '.join(missing)}")
    items = []
    for topic, name in sorted(theme_topics.items()):
        options = [*names, NONE_OPTION]
        random.Random(f"{seed}:{TASK}:{topic}").shuffle(options)
        items.append({"task": TASK, "topic": int(topic), "words": list(top_words[topic]),
                      "options": options, "answer": name})
    return items


def prompt(item: dict) -> str:
    """The HTML of an item's question: the words and :data:`QUESTION` (escaped)."""
    words = " ".join(html.escape(word) for word in item["words"])
    return f"{html.escape(QUESTION)}<br><span class=\"words\">{words}</span>"


def check_answers(key: Sequence[dict], answers: Mapping[str, Mapping[str, str]]) -> None:
    """A ``ValueError`` naming the rater, the item and what is wrong when a rater's answers miss
    a matching item of the key or give an answer that is none of its options (a theme renamed
    after the pages were written would be scored as a miss)."""
    for rater, given in answers.items():
        for item in key:
            if item["task"] != TASK:
                continue
            answer = given.get(item["item"])
            if answer is None or not answer.strip():
                raise ValueError(f"{rater}: no answer to the theme-matching item {item['item']} "
                                 f"(topic T{item['topic']}); every matching item needs one")
            if answer not in item["options"]:
                raise ValueError(f"{rater}: the answer {answer!r} to the theme-matching item {item['item']} "
                                 f"is none of its options ({' | '.join(item['options'])})")


def score(key: Sequence[dict], answers: Mapping[str, Mapping[str, str]]) -> dict[str, pd.DataFrame]:
    """Per theme and overall, the share of ratings that picked the topic's own theme, and
    Krippendorff's α between raters (nominal). Empty tables when the key has no matching items.

    Returns ``{"matching": theme, topic, ratings, matched, share, ci_low, ci_high, picked (the
    options chosen, most often first); "matching_summary": items, raters, ratings, matched,
    share, ci_low, ci_high, alpha}``. α is NaN with one rater.
    """
    items = [item for item in key if item["task"] == TASK]
    if not items:
        return {"matching": pd.DataFrame(), "matching_summary": pd.DataFrame()}
    if not answers:
        raise ValueError("no answers to score: give one answers file per rater (answers_rater_N.csv)")
    check_answers(items, answers)
    rows = []
    for item in items:
        picked = [answers[rater][item["item"]] for rater in answers]
        matched = sum(answer == item["answer"] for answer in picked)
        low, high = wilson(matched, len(picked))
        counts = pd.Series(picked).value_counts()
        rows.append({"theme": item["answer"], "topic": item["topic"], "ratings": len(picked),
                     "matched": matched, "share": matched / len(picked), "ci_low": low, "ci_high": high,
                     "picked": "; ".join(f"{option} ×{n}" for option, n in counts.items())})
    table = pd.DataFrame(rows)
    ratings, matched = int(table["ratings"].sum()), int(table["matched"].sum())
    low, high = wilson(matched, ratings)
    summary = pd.DataFrame([{"items": len(items), "raters": len(answers), "ratings": ratings,
                             "matched": matched, "share": matched / ratings, "ci_low": low,
                             "ci_high": high, "alpha": alpha(items, answers)}])
    return {"matching": table, "matching_summary": summary}


def wilson(successes: int, n: int) -> tuple[float, float]:
    """The Wilson 95 % interval of a proportion (scipy's; the intrusion scores' own, which
    this module does not import: the pages import this one).

    >>> [round(x, 3) for x in wilson(16, 20)]
    [0.584, 0.919]
    """
    from scipy.stats import binomtest

    interval = binomtest(successes, n).proportion_ci(method="wilson")
    return float(interval.low), float(interval.high)


def alpha(items: Sequence[dict], answers: Mapping[str, Mapping[str, str]]) -> float:
    """Krippendorff's α (nominal) of the raters' picks: raters × items, each pick coded by its
    option's name (the same name is the same value in every item). NaN with fewer than two
    raters or when every pick is the same value (no variation to agree on)."""
    import krippendorff

    if len(answers) < 2:
        return float("nan")
    codes: dict[str, int] = {}
    data = np.full((len(answers), len(items)), np.nan)
    for r, given in enumerate(answers.values()):
        for i, item in enumerate(items):
            answer = given.get(item["item"])
            if answer is not None:
                data[r, i] = codes.setdefault(answer, len(codes))
    if len(codes) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


__all__ = ["NONE_OPTION", "QUESTION", "TASK", "alpha", "check_answers", "make_items", "prompt", "score"]
