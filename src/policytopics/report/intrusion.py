"""Validation by people: word and topic intrusion (Chang et al. 2009), blind, offline.

Reviewers of topic-model studies ask whether people recognise the topics. Two tasks here, and
a third for studies with seeded themes (theme matching, :mod:`policytopics.report.theme_matching`,
on the same pages and in the same key):

Word intrusion
    A topic's five most probable words and one *intruder*: a word among another topic's
    ten most probable that is improbable in this topic (outside its 50 most probable),
    shuffled. A rater picks the word that does not belong; a topic whose intruder raters
    find is coherent to people. *Model precision* is the share of raters who found it.
Topic intrusion
    A passage with four topics, each shown by its three most probable words: the passage's
    three most probable topics and one improbable one, shuffled. A rater picks the topic that
    does not fit. *Topic log odds* is ``log θ(intruder) − log θ(chosen)`` for the passage,
    averaged over raters (0 when the intruder is found; the more negative, the worse the
    model's proportions read).

    The item is a unit of the model (a passage of a long report, a whole short document;
    :mod:`policytopics.text.passages`), and θ is that unit's own: the text shown is the text the
    proportions describe. A 20,000-character report's first characters are its opening ritual
    (——2020年1月15日在…各位代表：…), which carries none of its topics. Documents are drawn at
    random, one item each; in a document, a passage whose three topics shown hold at least
    :data:`MIN_SHOWN_SHARE` of it, at random (else its clearest).

    The intruder is drawn among the topics of low share in the passage (outside its three
    and in the lower half of its ranking) so that no topic is the intruder much more often
    than another: of those, the one that was the intruder least often so far (ties at
    random). Always the least probable topic made one topic (农业·农村·农民, rare in news)
    the intruder of 18 of 24 items, and raters learned it; :func:`intruder_spread` checks a
    set of items against what a fair draw gives.

:func:`make_items` draws both from a fitted study, fixed by a seed; :func:`write_rater_pages`
writes one offline HTML page per rater (the items in an order of the rater's own, with no
topic number, system or key on the page; the Chinese font embedded) and the key, which
stays with the researcher; :func:`score` reads the raters' answers and reports precision per
topic and overall, topic log odds, and agreement between raters, with 95 % intervals.

How many items: Chang et al. used 8 raters per item; with 20 topics and 2 raters a model's
precision of 0.8 has a 95 % interval of about ±0.12 (Wilson); a paper comparing two models or
reporting per-topic precision wants 4 or more raters, or more topics' worth of items.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import logging
import math
import os
import random
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

log = logging.getLogger("policytopics")

#: Top words shown per word-intrusion item, and words that name a topic in topic intrusion.
ITEM_WORDS, TOPIC_WORDS = 5, 3
#: An intruder is among another topic's top ``INTRUDER_TOP`` and outside this topic's top ``OWN_TOP``.
INTRUDER_TOP, OWN_TOP = 10, 50
#: Characters of a passage shown in a topic-intrusion item, at most (cut at a sentence end).
EXCERPT_CHARS = 300
#: A topic-intrusion item shows a passage whose three topics shown hold at least this share.
MIN_SHOWN_SHARE = 0.5
#: The most rater pages one call writes. Each page embeds its font (0.19 MB for 32 items;
#: 100,000 raters wrote 687 MB in 30 s and were stopped): Chang et al. used 8 raters an item.
MAX_RATERS = 100
#: The most topic-intrusion items (documents) one set of pages asks of a rater.
MAX_TOPIC_ITEMS = 500


def make_items(topic_word: np.ndarray, vocabulary: Sequence[str], unit_topic: np.ndarray,
               unit_texts: Sequence[str], *, unit_documents: Sequence | None = None,
               unit_passages: Sequence[int] | None = None, n_documents: int = 20,
               seed: int = 0) -> dict[str, list[dict]]:
    """Word-intrusion items (one per topic) and topic-intrusion items (``n_documents``).

    Parameters
    ----------
    topic_word
        p(w|t), topics × words; topic ``i`` is ``T{i+1}``.
    vocabulary
        The words of ``topic_word``'s columns.
    unit_topic
        The model's units' proportions (units × topics): passages, or whole documents.
    unit_texts
        Each unit's text; units without text are never shown.
    unit_documents, unit_passages
        Each unit's document id and passage number (``None``: each unit is a document).
    n_documents
        Topic-intrusion items: one from each of this many documents drawn at random.
    seed
        Fixes every draw.

    Returns
    -------
    dict
        ``{"word": [...], "topic": [...]}``, each item a dict with its key (``intruder``).
    """
    if isinstance(n_documents, bool) or not 0 <= n_documents <= MAX_TOPIC_ITEMS:
        raise ValueError(f"topic-intrusion items (--documents) must be from 0 to {MAX_TOPIC_ITEMS}, "
                         f"got {n_documents!r}")
    rng = random.Random(seed)
    order = np.argsort(-topic_word, axis=1, kind="stable")
    words = _word_items(order, vocabulary, rng)  # drawn first: the seed fixes both in this order
    units_of: dict = {}
    documents = list(range(len(unit_texts))) if unit_documents is None else list(unit_documents)
    for unit, (document, text) in enumerate(zip(documents, unit_texts, strict=True)):
        if isinstance(text, str) and text.strip():
            units_of.setdefault(document, []).append(unit)
    passages = [0] * len(unit_texts) if unit_passages is None else [int(p) for p in unit_passages]
    topics = _topic_items(order, vocabulary, np.asarray(unit_topic, dtype=float), unit_texts, units_of,
                          passages, n_documents, rng)
    return {"word": words, "topic": topics}


def _word_items(order: np.ndarray, vocabulary: Sequence[str], rng: random.Random) -> list[dict]:
    """One word-intrusion item per topic (``order``: each topic's words, most probable first)."""
    k = len(order)
    words = []
    for t in range(k):
        top = [vocabulary[j] for j in order[t, :ITEM_WORDS]]
        own = {vocabulary[j] for j in order[t, :OWN_TOP]}
        candidates = [vocabulary[j] for o in range(k) if o != t for j in order[o, :INTRUDER_TOP]
                      if vocabulary[j] not in own]
        intruder = rng.choice(sorted(set(candidates)))
        shown = [*top, intruder]
        rng.shuffle(shown)
        words.append({"task": "word", "topic": t + 1, "options": shown, "intruder": intruder})
    return words


def _topic_items(order: np.ndarray, vocabulary: Sequence[str], unit_topic: np.ndarray,
                 unit_texts: Sequence[str], units_of: dict, passages: list[int], n_documents: int,
                 rng: random.Random) -> list[dict]:
    """Topic-intrusion items: one passage of each of ``n_documents`` documents drawn at random
    (``units_of``: each document's units with text), its three topics and an intruder."""
    k = len(order)
    labels = {t + 1: "·".join(vocabulary[j] for j in order[t, :TOPIC_WORDS]) for t in range(k)}
    chosen = rng.sample(list(units_of), min(n_documents, len(units_of))) if k >= 4 else []
    times_intruder = dict.fromkeys(range(1, k + 1), 0)
    topics = []
    for document in chosen:
        unit = _clearest_passage(unit_topic, units_of[document], rng)
        theta = unit_topic[unit]
        ranked = [int(t) + 1 for t in np.argsort(-theta, kind="stable")]
        low = ranked[max(3, k // 2):]  # outside the three shown, in the lower half
        fewest = min(times_intruder[t] for t in low)
        intruder = rng.choice([t for t in low if times_intruder[t] == fewest])
        times_intruder[intruder] += 1
        options = ranked[:3] + [intruder]
        rng.shuffle(options)
        topics.append({"task": "topic", "document": _plain(document), "passage": passages[unit],
                       "excerpt": excerpt(unit_texts[unit]),
                       "options": [labels[t] for t in options], "topics": options,
                       "intruder": labels[intruder], "intruder_topic": intruder,
                       "theta": {labels[t]: float(theta[t - 1]) for t in options}})
    return topics


def _clearest_passage(unit_topic: np.ndarray, units: list[int], rng: random.Random) -> int:
    """A unit of one document whose three most probable topics hold at least
    :data:`MIN_SHOWN_SHARE` of it, at random; else the one where they hold the most."""
    shares = np.sort(unit_topic[units], axis=1)[:, -3:].sum(axis=1)
    clear = [unit for unit, share in zip(units, shares) if share >= MIN_SHOWN_SHARE]
    return rng.choice(clear) if clear else units[int(np.argmax(shares))]


def _plain(value):
    """A document id as JSON keeps it (numpy integers are not JSON)."""
    return value.item() if isinstance(value, np.generic) else value


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters at the last sentence end within them (at
    the limit when no sentence ends in its second half).

    >>> excerpt("推进改革。扩大开放。加强监管", limit=8)
    '推进改革。'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    ends = [i + 1 for i, c in enumerate(text[:limit]) if c in "。！？；!?;"]
    return text[:ends[-1]] if ends and ends[-1] > limit // 2 else text[:limit]


def intruder_spread(items: dict[str, list[dict]] | Sequence[dict], n_topics: int,
                    alpha: float = 0.01) -> dict:
    """How often each topic is the intruder of the topic-intrusion items, against chance.

    ``bound`` is the most times a topic can be the intruder of ``n`` items when each item's
    intruder is any of the ``n_topics`` topics with equal chance, but for a probability of
    ``alpha`` for the largest count of the ``n_topics`` (binomial tail, Bonferroni over the
    topics). Items whose largest count passes it teach raters a pattern: the old draw (always
    the least probable topic) gave one topic 18 of 24 items, above the bound of 6 for K = 20.

    Returns ``{"items", "counts" (topic → times), "most", "bound", "fair"}``.

    >>> spread = intruder_spread([{"intruder_topic": 3}] * 18 + [{"intruder_topic": 5}] * 6, 20)
    >>> spread["most"], spread["bound"], spread["fair"]
    (18, 6, False)
    """
    from scipy.stats import binom

    topic_items = items["topic"] if isinstance(items, dict) else list(items)
    counts = dict.fromkeys(range(1, n_topics + 1), 0)
    for item in topic_items:
        counts[int(item["intruder_topic"])] += 1
    n = len(topic_items)
    bound = 0
    while bound < n and n_topics * binom.sf(bound, n, 1 / n_topics) > alpha:
        bound += 1
    most = max(counts.values(), default=0)
    return {"items": n, "counts": counts, "most": most, "bound": bound, "fair": most <= bound}


def write_rater_pages(items: dict[str, list[dict]], folder: str | Path, *, raters: int = 2,
                      seed: int = 0) -> list[Path]:
    """``rater_1.html`` … (one per rater, items in an order of the rater's own) and
    ``key.json`` (kept by the researcher) in ``folder``. Returns the pages' paths.

    A page works offline: its Chinese font is embedded, and its button saves the answers
    as ``answers_rater_N.csv`` (``item,answer``) for :func:`score`.
    """
    if isinstance(raters, bool) or not isinstance(raters, int) or not 1 <= raters <= MAX_RATERS:
        raise ValueError(f"raters (--raters) must be a whole number from 1 to {MAX_RATERS}, got {raters!r}")
    folder = Path(folder)
    numbered = [dict(item, item=f"{item['task'][0]}{i + 1}")  # w…, t…, m… (theme matching)
                for i, item in enumerate([*items["word"], *items["topic"], *items.get("match", [])])]
    with _staged_folder(folder) as staging:
        _write_pages(numbered, staging, raters, seed)
    return [folder / f"rater_{rater}.html" for rater in range(1, raters + 1)]


@contextlib.contextmanager
def _staged_folder(folder: Path):
    """A staging folder beside ``folder`` whose files replace ``folder``'s key and pages when
    the block ends without error: a failed or interrupted call leaves no partial folder and
    an earlier set of pages whole. Files of others in ``folder`` (the raters' answers) stay;
    pages of raters beyond the new count go with the key they belong to."""
    missing = [p for p in [folder, *folder.parents] if not p.exists()]
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.staging-", dir=folder.parent))
    try:
        yield staging
        folder.mkdir(exist_ok=True)
        written = {p.name for p in staging.iterdir()}
        for old in [*folder.glob("rater_*.html"), folder / "key.json"]:
            if old.name not in written and old.is_file():
                old.unlink()
        for path in staging.iterdir():
            os.replace(path, folder / path.name)
    except BaseException:
        for created in reversed(missing[1:]):  # the parents this call made, if it made them
            shutil.rmtree(created, ignore_errors=True)
            break
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_pages(numbered: list[dict], folder: Path, raters: int, seed: int) -> None:
    from policytopics.report import theme_matching
    from policytopics.report.page_font import EMBEDDED_FONT_FAMILY, font_face_css
    from policytopics.store.writing import write_text

    write_text(folder / "key.json", json.dumps(numbered, ensure_ascii=False, indent=1))
    font = None
    for rater in range(1, raters + 1):
        order = list(numbered)
        random.Random(seed * 1000 + rater).shuffle(order)
        body = []
        for n, item in enumerate(order, start=1):
            prompt = ("哪一个词与其他词不属于同一主题？" if item["task"] == "word"
                      else theme_matching.prompt(item) if item["task"] == theme_matching.TASK
                      else f"「{html.escape(item['excerpt'])}……」 哪一组词与这段文字无关？")
            choices = "".join(
                f'<label><input type="radio" name="{item["item"]}" value="{html.escape(o)}"> '
                f'{html.escape(o)}</label>' for o in item["options"])
            body.append(f'<div class="item"><p><b>{n}.</b> {prompt}</p>{choices}</div>')
        if font is None:  # every page holds the same characters, in another order
            font = font_face_css(set("".join(body)) | set(_PAGE) | set(str(raters)))
        page = _PAGE.format(font=font, family=EMBEDDED_FONT_FAMILY, rater=rater, items="\n".join(body),
                            n=len(order))
        write_text(folder / f"rater_{rater}.html", page)


_PAGE = """<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">
<title>主题校验 · 评分人 {rater}</title><style>
{font}
body {{ font-family: "{family}", sans-serif; max-width: 46em; margin: 2em auto; line-height: 1.6; }}
.item {{ border-bottom: 1px solid #ddd; padding: .6em 0; }}
label {{ margin-right: 1.2em; display: inline-block; }}
button, input {{ font-family: inherit; font-size: 1em; }}
</style></head><body>
<h1>主题校验（评分人 {rater}）</h1>
<p>共 {n} 题。问哪一项不属于（无关）的题，选出不属于其余各项的选项；问“最符合哪一个主题”的题，
选出这些词所说的主题，都不符合时选“以上都不是”。不确定时也请选择最可能的一项。
完成后点击页末按钮保存答案文件，发回研究者。</p>
{items}
<p><button id="save">保存答案（answers_rater_{rater}.csv）</button></p>
<script>
document.getElementById("save").onclick = function () {{
  var rows = ["item,answer"];
  document.querySelectorAll("input:checked").forEach(function (x) {{
    rows.push(x.name + "," + '"' + x.value.replace(/"/g, '""') + '"'); }});
  var a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob(["\\ufeff" + rows.join("\\n")], {{type: "text/csv"}}));
  a.download = "answers_rater_{rater}.csv"; a.click();
}};
</script></body></html>"""


#: What an answers file is, for the errors that name one.
ANSWERS_FILE = ("the answers a rater page saves (answers_rater_N.csv): UTF-8 text with the columns "
                "item,answer")


def read_answers(paths: Sequence[str | Path], key: Sequence[dict] | None = None) -> dict[str, dict[str, str]]:
    """``{rater: {item: answer}}`` from one ``item,answer`` CSV per rater (the file's stem names
    the rater).

    A file that is not text, has no ``item,answer`` header, or (with the ``key`` of the
    pages) holds no answer to an item of the key is a ``ValueError`` naming the file and what
    was expected: scored, it would report a precision of 0 for every topic. Answers to items
    the key does not have, or that are none of the item's options, are logged as a warning
    and count as unanswered.
    A rater's file without an answer to a theme-matching item, or with an answer none of its
    options, is a ``ValueError`` (:func:`policytopics.report.theme_matching.check_answers`).
    """
    from policytopics.report.theme_matching import check_answers

    answers = {}
    for path in paths:
        path = Path(path)
        try:
            raw = path.read_bytes()
            if b"\0" in raw:
                raise UnicodeDecodeError("utf-8", raw, raw.index(b"\0"), raw.index(b"\0") + 1, "NUL byte")
            reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
            rows = list(reader)
        except (UnicodeDecodeError, csv.Error):
            raise ValueError(f"{path} is not a text file: expected {ANSWERS_FILE}") from None
        columns = list(reader.fieldnames or [])
        if not {"item", "answer"} <= set(columns):
            found = f"the columns {','.join(columns)}" if columns else "nothing"
            raise ValueError(f"{path} holds {found}: expected {ANSWERS_FILE}")
        rater = path.stem
        if rater in answers:
            raise ValueError(f"{path}: a second answers file named {rater}; each rater's file needs a "
                             "name of its own (answers_rater_N.csv)")
        answers[rater] = {row["item"]: row["answer"] for row in rows}
        if key is not None:
            options = {item["item"]: set(item["options"]) for item in key}
            fitting = [item for item, answer in answers[rater].items() if answer in options.get(item, ())]
            if not fitting:
                example = ", ".join(list(options)[:3])
                raise ValueError(f"{path}: none of its {len(rows)} answers is an option of an item of the "
                                 f"key ({len(options)} items such as {example}): expected {ANSWERS_FILE}, "
                                 "saved from the pages written with this key")
            check_answers(key, {str(path): answers[rater]})  # theme matching: every item, an option
            if len(fitting) < len(answers[rater]):
                log.warning("%s: %d of its %d answers fit no item of the key (pages of another key?); "
                            "they count as unanswered", path, len(answers[rater]) - len(fitting),
                            len(answers[rater]))
                answers[rater] = {item: answers[rater][item] for item in fitting}
    return answers


def wilson(successes: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson 95 % interval of a proportion.

    >>> [round(x, 3) for x in wilson(16, 20)]
    [0.584, 0.919]
    """
    if n == 0:
        return float("nan"), float("nan")
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def score(key: Sequence[dict], answers: dict[str, dict[str, str]]) -> dict[str, pd.DataFrame]:
    """Model precision per topic and overall, topic log odds, and agreement between raters.

    Returns ``{"precision": per topic, "summary": one row per task, "agreement": per pair of
    raters}``; an unanswered item counts as not found (and is counted in ``unanswered``).
    """
    if not answers:
        raise ValueError("no answers to score: give one answers file per rater (answers_rater_N.csv)")
    key = [item for item in key if item["task"] in ("word", "topic")]  # matching: theme_matching.score
    items = {item["item"] for item in key}
    for rater, given in answers.items():
        if not items & set(given):
            raise ValueError(f"the answers of {rater} are for none of the key's {len(items)} items: "
                             f"expected {ANSWERS_FILE}, saved from the pages of this key")
    rows = []
    for item in key:
        for rater, given in answers.items():
            answer = given.get(item["item"])
            found = answer == item["intruder"]
            row = {"item": item["item"], "task": item["task"], "rater": rater, "answered": answer is not None,
                   "found": found, "topic": item.get("topic"), "label": item.get("label")}
            if item["task"] == "topic":
                theta = item["theta"]
                chosen = theta.get(answer, theta[item["intruder"]]) if answer else theta[item["intruder"]]
                row["log_odds"] = (math.log(max(theta[item["intruder"]], 1e-12))
                                   - math.log(max(chosen, 1e-12))) if answer else float("nan")
            rows.append(row)
    table = pd.DataFrame(rows)
    word = table[table["task"] == "word"]
    precision = (word.groupby("topic")["found"].agg(["sum", "count"]).reset_index()
                 .rename(columns={"sum": "found", "count": "ratings"}))
    precision["topic"] = precision["topic"].astype(int)  # 1, not 1.0 (topic items have none)
    labels = word.dropna(subset=["label"]).drop_duplicates("topic").set_index("topic")["label"]
    if len(labels):
        precision.insert(1, "label", precision["topic"].map(labels))
    precision["precision"] = precision["found"] / precision["ratings"]
    summary = []
    for task, part in table.groupby("task", sort=False):
        low, high = wilson(int(part["found"].sum()), len(part))
        entry = {"task": task, "items": part["item"].nunique(), "ratings": len(part),
                 "unanswered": int((~part["answered"]).sum()), "share_found": part["found"].mean(),
                 "ci_low": low, "ci_high": high}
        if task == "topic":
            entry["topic_log_odds"] = float(part["log_odds"].mean())
        summary.append(entry)
    agreement = []
    raters = list(answers)
    for i, a in enumerate(raters):
        for b in raters[i + 1:]:
            items = [item["item"] for item in key]
            same = [answers[a].get(x) == answers[b].get(x) and answers[a].get(x) is not None for x in items]
            agreement.append({"rater_a": a, "rater_b": b, "items": len(items), "same_answer": sum(same),
                              "share": sum(same) / len(items) if items else float("nan")})
    return {"precision": precision, "summary": pd.DataFrame(summary), "agreement": pd.DataFrame(agreement)}


__all__ = ["MAX_RATERS", "MAX_TOPIC_ITEMS", "excerpt", "intruder_spread", "make_items", "read_answers",
           "score", "wilson", "write_rater_pages"]
