"""Interactive topic explorer: one self-contained HTML file, modelled on LDAvis.

The page works offline: its CSS and vanilla JavaScript are inlined, it loads no library,
web font or remote resource, and the numbers it draws are embedded as JSON. It shows

* an intertopic distance map: classical multidimensional scaling (PCoA) of the
  Jensen–Shannon distances between the topics' word distributions, circle area
  proportional to topic prevalence;
* the selected topic's top terms ranked by relevance (Sievert & Shirley 2014) with a λ
  slider that re-ranks in the browser, bars comparing a term's estimated frequency within
  the topic with its frequency in the whole corpus;
* when no topic is selected, the corpus's most frequent terms; hovering over a term
  resizes the circles to the term's share in each topic.

Computing and drawing are separate calls: :func:`explorer_data` builds the numbers
(a plain dict, the page's JSON), :func:`topic_terms` ranks one topic's terms exactly as the
page does, :func:`explorer_html` renders the page and :func:`write_explorer` writes it.
The same model gives a byte-identical file.

Examples
--------
>>> from policytopics.explorer import write_explorer
>>> write_explorer(study.model(), "outputs/topic_explorer.html",
...                topic_labels=study.topic_labels())  # doctest: +SKIP
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

#: Step of the λ slider. Each topic embeds every term that reaches its top ``n_words``
#: at some slider position, so the ranking in the browser is exact at every step.
LAMBDA_STEP = 0.01

DEFAULT_TITLE = "policytopics · topic explorer"

_TEXT = {
    "en": {
        "lang": "en",
        "summary": "{k} topics · {terms} terms · {tokens} tokens",
        "lambda_label": "Relevance λ",
        "clear": "Clear selection",
        "map_title": "Intertopic distance map",
        "map_note": "Classical multidimensional scaling (PCoA) of the Jensen–Shannon distances between "
                    "the topics' word distributions. Circle area is proportional to topic prevalence "
                    "(mean share of a document).",
        "map_label": "Map of the topics: nearby circles have similar words",
        "topics": "Topics",
        "overall_title": "Top {n} most frequent terms in the corpus",
        "topic_title": "Top {n} most relevant terms for {label}",
        "bar_overall": "Overall term frequency",
        "bar_topic": "Estimated term frequency within the selected topic",
        "lambda_note": "relevance = λ·log p(w|t) + (1−λ)·log(p(w|t) / p(w)). λ = 1 ranks terms by their "
                       "probability in the topic; a smaller λ favours terms typical of the topic over "
                       "terms frequent everywhere.",
        "hint": "Hover over a topic to preview it, click to pin it (click again or press Esc to clear; "
                "← → step through the topics). Hover over a term to see its share in each topic.",
        "prevalence": "prevalence {value}",
        "term_share": "Circle areas: share of “{word}” in each topic",
        "term_tooltip": "{word}: ≈{in_topic} of {overall} occurrences in this topic · p(w|t) = {p} · "
                        "lift = {lift}",
        "overall_tooltip": "{word}: {overall} occurrences",
    },
    "zh": {
        "lang": "zh-CN",
        "summary": "{k} 个主题 · {terms} 个词 · {tokens} 词次",
        "lambda_label": "相关度 λ",
        "clear": "清除选择",
        "map_title": "主题距离图",
        "map_note": "对各主题词分布之间的 Jensen–Shannon 距离做经典多维尺度分析（PCoA）。"
                    "圆面积与主题占比（文档中该主题的平均比重）成正比。",
        "map_label": "主题分布图：距离越近的圆，用词越相似",
        "topics": "主题",
        "overall_title": "语料中最常见的 {n} 个词",
        "topic_title": "{label}：相关度最高的 {n} 个词",
        "bar_overall": "语料总词频",
        "bar_topic": "该主题内的估计词频",
        "lambda_note": "相关度 = λ·log p(w|t) + (1−λ)·log(p(w|t) / p(w))。λ = 1 按词在主题中的概率排序；"
                       "λ 越小，越突出该主题特有而非处处常见的词。",
        "hint": "鼠标悬停预览主题，点击固定（再次点击或按 Esc 取消，← → 切换主题）；"
                "悬停在词上查看它在各主题中的份额。",
        "prevalence": "占比 {value}",
        "term_share": "圆面积：“{word}”在各主题中的份额",
        "term_tooltip": "{word}：约 {in_topic} / {overall} 次出现在该主题 · p(w|t) = {p} · 提升度 = {lift}",
        "overall_tooltip": "{word}：出现 {overall} 次",
    },
}


def topic_coordinates(model) -> pd.DataFrame:
    """Positions of the topics on the intertopic distance map.

    Classical multidimensional scaling (principal coordinates) of the Jensen–Shannon
    distances (base 2, so between 0 and 1) between the topics' word distributions, as in
    LDAvis. Each axis is oriented so that its largest coordinate is positive, which makes
    the map reproducible.

    Parameters
    ----------
    model : policytopics.model.TopicModel
        A fitted model.

    Returns
    -------
    pandas.DataFrame
        One row per topic: ``topic`` (1..K in order of prevalence), ``x``, ``y``,
        ``prevalence``.
    """
    topic_word = model.topic_word()
    coordinates = _principal_coordinates(_jensen_shannon_distances(topic_word))
    return pd.DataFrame({
        "topic": np.arange(1, len(topic_word) + 1),
        "x": coordinates[:, 0],
        "y": coordinates[:, 1],
        "prevalence": model.prevalence().to_numpy(),
    })


def explorer_data(model, *, topic_labels: dict[int, str] | None = None, n_words: int = 30,
                  lam: float = 0.6) -> dict:
    """The numbers behind the explorer page, as JSON-ready plain Python values.

    Parameters
    ----------
    model : policytopics.model.TopicModel
        A fitted model.
    topic_labels
        Label per topic number (1..K), shown as given, e.g. from
        :meth:`policytopics.pipeline.Study.topic_labels`. Topics without one are labelled
        ``T{k}`` and their three most probable words.
    n_words
        Terms shown per topic.
    lam
        Initial relevance weight λ, between 0 and 1.

    Returns
    -------
    dict
        ``n_words``, ``lam``, ``lambda_step``, ``n_terms`` (vocabulary size),
        ``total_tokens``; ``vocab`` (the embedded terms, most frequent first) with
        ``count`` (corpus frequency) and ``share`` (per term, the share of its occurrences
        estimated to fall in each topic, p(t|w)); ``overall`` (vocab indices of the
        ``n_words`` most frequent terms); ``topics``: per topic ``topic``, ``label``,
        ``color``, ``prevalence``, ``x``, ``y`` and its candidate terms ``terms`` (vocab
        indices, most probable first) with ``p``, their probability p(w|t).

    Notes
    -----
    p(w) is the term's share of all tokens (the dictionary's corpus frequencies), as in
    :meth:`policytopics.model.TopicModel.relevant_words`. p(t|w) follows from Bayes' rule
    with the topic's prevalence as p(t); the estimated frequency of a term within a topic,
    ``count * share``, therefore adds up over topics to the term's corpus frequency, as in
    LDAvis.
    """
    from .plots import topic_colors

    if not 0 <= lam <= 1:
        raise ValueError(f"lam must be between 0 and 1, not {lam}")
    if n_words < 1:
        raise ValueError(f"n_words must be at least 1, not {n_words}")
    topic_word = model.topic_word()
    n_topics, n_terms = topic_word.shape
    labels = dict(topic_labels or {})
    unknown = sorted(set(labels) - set(range(1, n_topics + 1)))
    if unknown:
        raise ValueError(f"topic_labels has topics {unknown}; the model's topics are 1..{n_topics}")

    counts = model.word_counts()
    if counts.sum() == 0:
        raise ValueError("the model's dictionary has no corpus frequencies (cfs); refit the model")
    total = int(counts.sum())
    n_words = min(n_words, n_terms)
    candidates = _relevance_candidates(topic_word, counts / total, n_words, lam)
    overall = np.argsort(-counts, kind="stable")[:n_words]
    embedded = np.union1d(np.flatnonzero(candidates.any(axis=0)), overall)
    embedded = embedded[np.argsort(-counts[embedded], kind="stable")]  # most frequent first
    position = {int(word_id): i for i, word_id in enumerate(embedded)}

    prevalence = model.prevalence().to_numpy()
    joint = topic_word[:, embedded] * prevalence[:, None]
    totals = joint.sum(axis=0)
    share = joint / np.where(totals > 0, totals, 1.0)
    coordinates = _principal_coordinates(_jensen_shannon_distances(topic_word))
    colors = topic_colors(range(1, n_topics + 1))

    topics = []
    for k in range(1, n_topics + 1):
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
            "terms": [position[int(w)] for w in terms],
            "p": [float(p[w]) for w in terms],
        })
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
        "topics": topics,
    }


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
        the topic) and ``overall`` (corpus frequency).
    """
    lam = data["lam"] if lam is None else lam
    if not 1 <= topic <= len(data["topics"]):
        raise ValueError(f"topic must be between 1 and {len(data['topics'])}, not {topic}")
    entry = data["topics"][topic - 1]
    rows = []
    for order, (w, p) in enumerate(zip(entry["terms"], entry["p"])):
        count = data["count"][w]
        p_corpus = count / data["total_tokens"]
        relevance = lam * math.log(p) + (1 - lam) * math.log(p / p_corpus)
        rows.append((-relevance, order, {
            "topic": topic, "word": data["vocab"][w], "relevance": relevance, "p_topic": p,
            "p_corpus": p_corpus, "in_topic": count * data["share"][w][topic - 1], "overall": count,
        }))
    rows.sort(key=lambda row: row[:2])  # ties keep the probability order, as in the browser
    ranked = [{"rank": rank, **row[2]} for rank, row in enumerate(rows[:data["n_words"]], start=1)]
    return pd.DataFrame(ranked, columns=["topic", "rank", "word", "relevance", "p_topic", "p_corpus",
                                         "in_topic", "overall"])


def explorer_html(data: dict, *, title: str = DEFAULT_TITLE, language: str = "en") -> str:
    """Render the explorer page from :func:`explorer_data`.

    Parameters
    ----------
    data
        The output of :func:`explorer_data`.
    title
        Page title and heading.
    language
        Language of the page's own words, ``"en"`` or ``"zh"``.

    Returns
    -------
    str
        A complete HTML document with inline CSS, JavaScript and data.
    """
    if language not in _TEXT:
        raise ValueError(f"language must be one of {sorted(_TEXT)}, not {language!r}")
    text = _TEXT[language]
    payload = {**data, "text": text}
    # \u003c keeps "</script>" or "<!--" in a word from ending the script element early.
    data_json = (json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
                 .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    fields = {
        "LANG": text["lang"],
        "TITLE": html.escape(title),
        "LAMBDA_LABEL": html.escape(text["lambda_label"]),
        "LAMBDA": f"{data['lam']:.2f}",
        "LAMBDA_STEP": f"{data['lambda_step']:g}",
        "CLEAR": html.escape(text["clear"]),
        "MAP_TITLE": html.escape(text["map_title"]),
        "MAP_LABEL": html.escape(text["map_label"]),
        "MAP_NOTE": html.escape(text["map_note"]),
        "TOPICS": html.escape(text["topics"]),
        "BAR_OVERALL": html.escape(text["bar_overall"]),
        "BAR_TOPIC": html.escape(text["bar_topic"]),
        "LAMBDA_NOTE": html.escape(text["lambda_note"]),
        "HINT": html.escape(text["hint"]),
        "CSS": _CSS,
        "JS": _JS,
        "DATA": data_json,
    }
    # One pass, so a title or word that looks like a placeholder is never substituted.
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda match: fields[match.group(1)], _PAGE)


def write_explorer(model, path: str | Path, *, topic_labels: dict[int, str] | None = None,
                   n_words: int = 30, lam: float = 0.6, title: str = DEFAULT_TITLE,
                   language: str = "en") -> Path:
    """Write the interactive topic explorer of a fitted model to one offline HTML file.

    Parameters
    ----------
    model : policytopics.model.TopicModel
        A fitted model.
    path
        The HTML file to write; its folder is created if needed. The file is replaced
        atomically, so a reader never sees half a page.
    topic_labels, n_words, lam
        See :func:`explorer_data`.
    title, language
        See :func:`explorer_html`.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> write_explorer(model, "outputs/topic_explorer.html",
    ...                topic_labels={1: "T1 产业链创新"})  # doctest: +SKIP
    """
    page = explorer_html(explorer_data(model, topic_labels=topic_labels, n_words=n_words, lam=lam),
                         title=title, language=language)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not tempfile: its files are private (0600); this one gets the usual umask permissions.
    tmp_path = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp_path, "x", encoding="utf-8", newline="\n") as out:
            out.write(page)
        os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)
    return path


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


def _jensen_shannon_distances(distributions: np.ndarray) -> np.ndarray:
    """Square matrix of Jensen–Shannon distances (base 2) between the rows.

    Uses JSD(p, q) = H((p + q) / 2) − (H(p) + H(q)) / 2, one logarithm per term and pair.
    """
    n = len(distributions)
    entropy = _entropy(distributions)
    distances = np.zeros((n, n))
    for i in range(n - 1):
        mixtures = (distributions[i] + distributions[i + 1:]) / 2
        divergence = _entropy(mixtures) - (entropy[i] + entropy[i + 1:]) / 2
        distances[i, i + 1:] = distances[i + 1:, i] = np.sqrt(np.clip(divergence, 0.0, 1.0))
    return distances


def _entropy(rows: np.ndarray) -> np.ndarray:
    """Shannon entropy in bits of each row (0 log 0 = 0)."""
    return -np.sum(rows * np.log2(np.where(rows > 0, rows, 1.0)), axis=-1)


def _principal_coordinates(distances: np.ndarray, n_components: int = 2) -> np.ndarray:
    """Classical MDS (Torgerson / Gower's PCoA) with a fixed sign per axis."""
    n = len(distances)
    centring = np.eye(n) - np.full((n, n), 1.0 / n)
    gram = -0.5 * centring @ (distances ** 2) @ centring
    eigenvalues, eigenvectors = np.linalg.eigh(gram)
    order = np.argsort(-eigenvalues, kind="stable")[:n_components]
    coordinates = np.zeros((n, n_components))
    for axis, index in enumerate(order):
        if eigenvalues[index] <= 1e-12:  # fewer real dimensions than axes: leave the rest at 0
            continue
        column = eigenvectors[:, index] * math.sqrt(eigenvalues[index])
        # Eigenvectors have no intrinsic sign; without a rule the map could mirror run to run.
        if column[np.argmax(np.abs(column))] < 0:
            column = -column
        coordinates[:, axis] = column
    return np.round(coordinates, 6) + 0.0  # + 0.0 turns -0.0 into 0.0


def _plain(value, digits: int = 6) -> float:
    return round(float(value), digits) + 0.0


_PAGE = """<!DOCTYPE html>
<html lang="{{LANG}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}}</title>
<style>
{{CSS}}
</style>
</head>
<body>
<header>
  <div>
    <h1>{{TITLE}}</h1>
    <p class="summary" id="summary"></p>
  </div>
  <div class="controls">
    <label for="lambda">{{LAMBDA_LABEL}} <output id="lambda-value" for="lambda">{{LAMBDA}}</output></label>
    <input type="range" id="lambda" min="0" max="1" step="{{LAMBDA_STEP}}" value="{{LAMBDA}}">
    <button type="button" id="clear">{{CLEAR}}</button>
  </div>
</header>
<main>
  <section class="map-panel">
    <h2>{{MAP_TITLE}}</h2>
    <svg id="map" viewBox="0 0 520 520" role="img" aria-label="{{MAP_LABEL}}"></svg>
    <p class="note" id="map-caption">{{MAP_NOTE}}</p>
    <h2 class="list-title">{{TOPICS}}</h2>
    <ol class="topic-list" id="topic-list"></ol>
  </section>
  <section class="terms-panel">
    <h2 id="terms-title"></h2>
    <div class="bar-legend">
      <span><span class="key overall"></span>{{BAR_OVERALL}}</span>
      <span id="legend-topic"><span class="key in-topic"></span>{{BAR_TOPIC}}</span>
    </div>
    <div class="bars" id="bars"></div>
    <p class="note">{{LAMBDA_NOTE}}</p>
  </section>
</main>
<p class="hint">{{HINT}}</p>
<script type="application/json" id="explorer-data">{{DATA}}</script>
<script>
{{JS}}
</script>
</body>
</html>
"""

_CSS = """
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d8dde3; --bg: #f6f7f9; --panel: #ffffff;
  --hover: #eef1f5; --current: #e2e8f0; --overall: #c8ced6; --accent: #d55e00;
}
* { box-sizing: border-box; }
html {
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, -apple-system, "Segoe UI", Roboto,
    "Helvetica Neue", Arial, sans-serif;
  font-size: 14px; line-height: 1.45; color: var(--ink); background: var(--bg);
}
body { margin: 0; }
header {
  display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between;
  gap: 10px 32px; padding: 14px 24px 12px; background: var(--panel); border-bottom: 1px solid var(--line);
}
h1 { font-size: 18px; font-weight: 600; margin: 0; }
h2 { font-size: 15px; font-weight: 600; margin: 0 0 8px; }
.summary { margin: 2px 0 0; color: var(--muted); font-size: 13px; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 14px; }
.controls label { font-size: 13px; color: var(--muted); }
.controls output {
  display: inline-block; min-width: 2.4em; color: var(--ink); font-weight: 600;
  font-variant-numeric: tabular-nums;
}
input[type=range] { width: 220px; accent-color: var(--accent); }
button {
  font: inherit; font-size: 13px; padding: 3px 12px; color: var(--ink); background: var(--panel);
  border: 1px solid var(--line); border-radius: 6px; cursor: pointer;
}
button:hover { border-color: var(--muted); }
main {
  display: grid; grid-template-columns: minmax(300px, 5fr) minmax(360px, 6fr); gap: 18px;
  max-width: 1360px; margin: 0 auto; padding: 16px 24px 8px;
}
@media (max-width: 880px) { main { grid-template-columns: 1fr; } }
section {
  min-width: 0; padding: 12px 16px 14px; background: var(--panel);
  border: 1px solid var(--line); border-radius: 8px;
}
.note { margin: 8px 0 0; color: var(--muted); font-size: 12px; }
.hint { margin: 0; padding: 4px 24px 18px; color: var(--muted); font-size: 12px; text-align: center; }
#map { display: block; width: 100%; height: auto; max-height: 58vh; }
#map text { font-family: inherit; }
.axis { stroke: var(--line); stroke-dasharray: 4 4; }
.axis-label { fill: var(--muted); font-size: 12px; }
.topic { cursor: pointer; }
.topic circle { stroke: #ffffff; stroke-width: 1; fill-opacity: 0.6; }
.topic text {
  fill: var(--ink); font-size: 13px; font-weight: 600; text-anchor: middle; dominant-baseline: central;
  paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; pointer-events: none;
}
#map .topic circle.target { fill: transparent; stroke: none; }
.has-current .topic circle { fill-opacity: 0.3; }
.topic.current circle { fill-opacity: 0.9; stroke: var(--ink); stroke-width: 2; }
.list-title { margin-top: 14px; }
.topic-list {
  list-style: none; margin: 0; padding: 4px 0 0; max-height: 30vh; overflow-y: auto;
  border-top: 1px solid var(--line);
}
.topic-list li {
  display: grid; grid-template-columns: 10px 2.2em minmax(0, 1fr) auto; align-items: center; gap: 6px;
  padding: 2px 6px; border-radius: 5px; font-size: 13px; cursor: pointer;
}
.topic-list li:hover { background: var(--hover); }
.topic-list li:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.topic-list li.current { background: var(--current); font-weight: 600; }
.swatch { width: 10px; height: 10px; border-radius: 50%; }
.number { color: var(--muted); font-variant-numeric: tabular-nums; text-align: right; }
.label { overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.share { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
.bar-legend {
  display: flex; flex-wrap: wrap; gap: 4px 18px; margin-bottom: 8px; color: var(--muted); font-size: 12px;
}
.key {
  display: inline-block; width: 12px; height: 10px; margin-right: 5px;
  border-radius: 2px; vertical-align: -1px;
}
.key.overall, .bar.overall { background: var(--overall); }
.key.in-topic, .bar.in-topic { background: var(--accent); }
.bars { display: grid; row-gap: 2px; }
.bar-row {
  display: grid; grid-template-columns: 8.5em minmax(0, 1fr) 6.5em; align-items: center; gap: 8px;
  height: 20px; font-size: 13px; border-radius: 3px;
}
.bar-row:hover { background: var(--hover); }
.term { overflow: hidden; white-space: nowrap; text-overflow: ellipsis; text-align: right; }
.track { position: relative; height: 14px; }
.bar { position: absolute; top: 0; bottom: 0; left: 0; border-radius: 2px; }
.value { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; white-space: nowrap; }
""".strip()

_JS = r"""
(() => {
  "use strict";
  const DATA = JSON.parse(document.getElementById("explorer-data").textContent);
  const TEXT = DATA.text;
  const TOPICS = DATA.topics;
  const K = TOPICS.length;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const SIZE = 520;
  const PAD = 16;
  const R_MAX = SIZE * (K > 1 ? 0.1 : 0.2);
  const state = { pinned: 0, preview: 0, term: -1, lam: DATA.lam };

  const byId = (id) => document.getElementById(id);
  const current = () => state.preview || state.pinned;
  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
  const percent = (x) => (100 * x).toFixed(1) + "%";
  const integer = (x) => Math.round(x).toLocaleString();
  // Estimates below 10 keep a decimal, so a rare term's "0.4 of 1" does not read as 0.
  const estimate = (x) => (x < 10 ? x.toFixed(1) : integer(x));
  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const svg = (tag, attributes) => {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  };

  // Relevance, as in policytopics.explorer.topic_terms: ties keep the probability order.
  function rankedTerms(k, lam) {
    const topic = TOPICS[k - 1];
    const rows = topic.terms.map((w, order) => {
      const p = topic.p[order];
      const pCorpus = DATA.count[w] / DATA.total_tokens;
      const relevance = lam * Math.log(p) + (1 - lam) * Math.log(p / pCorpus);
      return { w, order, p, pCorpus, relevance };
    });
    rows.sort((a, b) => b.relevance - a.relevance || a.order - b.order);
    return rows.slice(0, DATA.n_words);
  }

  // ---- intertopic distance map
  const mapNode = byId("map");
  const xs = TOPICS.map((t) => t.x);
  const ys = TOPICS.map((t) => t.y);
  const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) || 1;
  const inner = SIZE - 2 * (PAD + R_MAX);
  const midX = (Math.max(...xs) + Math.min(...xs)) / 2;
  const midY = (Math.max(...ys) + Math.min(...ys)) / 2;
  const toX = (x) => SIZE / 2 + ((x - midX) / span) * inner;
  const toY = (y) => SIZE / 2 - ((y - midY) / span) * inner;
  const maxPrevalence = Math.max(...TOPICS.map((t) => t.prevalence)) || 1;

  mapNode.append(
    svg("line", { class: "axis", x1: 0, x2: SIZE, y1: toY(0), y2: toY(0) }),
    svg("line", { class: "axis", x1: toX(0), x2: toX(0), y1: 0, y2: SIZE }),
  );
  const pc1 = svg("text", { class: "axis-label", x: SIZE - 4, y: toY(0) - 6, "text-anchor": "end" });
  pc1.textContent = "PC1";
  const pc2 = svg("text", { class: "axis-label", x: toX(0) + 6, y: 14 });
  pc2.textContent = "PC2";
  mapNode.append(pc1, pc2);

  const circles = TOPICS.map((topic) => {
    const group = svg("g", { class: "topic" });
    const circle = svg("circle", { cx: toX(topic.x), cy: toY(topic.y), fill: topic.color });
    const tooltip = svg("title");
    tooltip.textContent = topic.label + " · " + fill(TEXT.prevalence, { value: percent(topic.prevalence) });
    const number = svg("text", { x: toX(topic.x), y: toY(topic.y) });
    number.textContent = String(topic.topic);
    // A rare topic's circle can be a few pixels wide: an invisible disc keeps it easy to hit.
    const target = svg("circle", { class: "target", cx: toX(topic.x), cy: toY(topic.y), r: 11 });
    group.append(tooltip, circle, number, target);
    attachTopicEvents(group, topic.topic);
    mapNode.append(group);
    return { group, circle };
  });

  // ---- topic list
  const listItems = TOPICS.map((topic) => {
    const item = make("li");
    item.tabIndex = 0;
    item.setAttribute("role", "button");
    const swatch = make("span", "swatch");
    swatch.style.background = topic.color;
    item.append(swatch, make("span", "number", String(topic.topic)), make("span", "label", topic.label),
                make("span", "share", percent(topic.prevalence)));
    item.title = topic.label;
    item.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        toggle(topic.topic);
      }
    });
    attachTopicEvents(item, topic.topic);
    byId("topic-list").append(item);
    return item;
  });

  function attachTopicEvents(node, k) {
    node.addEventListener("mouseenter", () => { state.preview = k; render(); });
    node.addEventListener("mouseleave", () => { state.preview = 0; render(); });
    node.addEventListener("click", () => toggle(k));
  }

  function toggle(k) { pin(state.pinned === k ? 0 : k); }

  function pin(k) {
    state.pinned = k;
    state.preview = 0;
    writeHash();
    render();
  }

  function renderMap() {
    const k = current();
    const shares = state.term >= 0 ? DATA.share[state.term] : null;
    mapNode.classList.toggle("has-current", k > 0);
    TOPICS.forEach((topic, i) => {
      const size = shares ? Math.sqrt(shares[i]) : Math.sqrt(topic.prevalence / maxPrevalence);
      circles[i].circle.setAttribute("r", (R_MAX * size).toFixed(2));
      circles[i].group.classList.toggle("current", topic.topic === k);
      listItems[i].classList.toggle("current", topic.topic === k);
    });
    byId("map-caption").textContent = shares
      ? fill(TEXT.term_share, { word: DATA.vocab[state.term] })
      : TEXT.map_note;
  }

  // ---- bar chart of terms
  function renderBars() {
    const k = current();
    const rows = k
      ? rankedTerms(k, state.lam).map((r) => ({
          w: r.w, overall: DATA.count[r.w], inTopic: DATA.count[r.w] * DATA.share[r.w][k - 1],
          p: r.p, lift: r.p / r.pCorpus,
        }))
      : DATA.overall.map((w) => ({ w, overall: DATA.count[w], inTopic: null }));
    byId("terms-title").textContent = k
      ? fill(TEXT.topic_title, { n: rows.length, label: TOPICS[k - 1].label })
      : fill(TEXT.overall_title, { n: rows.length });
    byId("legend-topic").hidden = !k;
    const scale = Math.max(...rows.map((r) => r.overall)) || 1;
    const bars = byId("bars");
    bars.replaceChildren();
    for (const r of rows) {
      const word = DATA.vocab[r.w];
      const row = make("div", "bar-row");
      const track = make("div", "track");
      const overall = make("div", "bar overall");
      overall.style.width = percent(r.overall / scale);
      track.append(overall);
      if (r.inTopic !== null) {
        const inTopic = make("div", "bar in-topic");
        inTopic.style.width = percent(r.inTopic / scale);
        track.append(inTopic);
        row.title = fill(TEXT.term_tooltip, {
          word, in_topic: estimate(r.inTopic), overall: integer(r.overall),
          p: r.p.toPrecision(3), lift: r.lift.toPrecision(3),
        });
      } else {
        row.title = fill(TEXT.overall_tooltip, { word, overall: integer(r.overall) });
      }
      const value = r.inTopic !== null
        ? estimate(r.inTopic) + " / " + integer(r.overall)
        : integer(r.overall);
      row.append(make("span", "term", word), track, make("span", "value", value));
      row.addEventListener("mouseenter", () => { state.term = r.w; renderMap(); });
      row.addEventListener("mouseleave", () => { state.term = -1; renderMap(); });
      bars.append(row);
    }
  }

  function render() {
    renderMap();
    renderBars();
  }

  // ---- state in the address (#topic=3&lambda=0.60), so a view can be shared
  function readHash() {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const k = Number(params.get("topic"));
    if (Number.isInteger(k) && k >= 1 && k <= K) state.pinned = k;
    const lam = Number(params.get("lambda"));
    if (params.has("lambda") && lam >= 0 && lam <= 1) state.lam = Math.round(lam * 100) / 100;
  }

  function writeHash() {
    try {
      window.history.replaceState(null, "", "#topic=" + state.pinned + "&lambda=" + state.lam.toFixed(2));
    } catch (error) {
      // Some browsers refuse history changes on file:// pages; the view still works.
    }
  }

  const slider = byId("lambda");
  slider.addEventListener("input", () => {
    state.lam = Number(slider.value);
    byId("lambda-value").textContent = state.lam.toFixed(2);
    renderBars();
  });
  slider.addEventListener("change", writeHash);
  byId("clear").addEventListener("click", () => pin(0));
  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement) return;
    if (event.key === "Escape") pin(0);
    else if (event.key === "ArrowRight") pin((current() % K) + 1);
    else if (event.key === "ArrowLeft") pin(((current() || 1) + K - 2) % K + 1);
  });

  byId("summary").textContent = fill(TEXT.summary, {
    k: K, terms: DATA.n_terms.toLocaleString(), tokens: DATA.total_tokens.toLocaleString(),
  });
  readHash();
  slider.value = state.lam;
  byId("lambda-value").textContent = state.lam.toFixed(2);
  render();
})();
""".strip()
