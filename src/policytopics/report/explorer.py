"""Interactive topic explorer: one self-contained HTML file, modelled on LDAvis.

The page works offline: its CSS and vanilla JavaScript are inlined, it loads no library
or remote resource, and the numbers it draws are embedded as JSON. Its Chinese reads on
a machine without CJK fonts: the glyphs of the characters on the page are cut from the
bundled Noto Sans CJK SC (:func:`policytopics.report.style.cjk_font_path`) and embedded as a
WOFF2 font in a ``data:`` URL, which the style sheet names first. The page's template,
style sheet and script ship as package data (``policytopics/assets/explorer.html``,
``explorer.css``, ``explorer.js``). It shows

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
>>> from policytopics.report.explorer import write_explorer
>>> write_explorer(study.model(), "outputs/topic_explorer.html",
...                topic_labels=study.topic_labels())  # doctest: +SKIP
"""

from __future__ import annotations

import html
import json
import math
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from policytopics.report.fonts import font_face_css
from policytopics.store.writing import atomic_write

#: Step of the λ slider. Each topic embeds every term that reaches its top ``n_words``
#: at some slider position, so the ranking in the browser is exact at every step.
LAMBDA_STEP = 0.01

DEFAULT_TITLE = "policytopics · topic explorer"

#: The map's drawing box (SVG units, square), its margin and the largest circle's radius
#: as a share of the box (one topic alone: twice that).
MAP_SIZE = 520
MAP_PAD = 16
MAP_RADIUS = 0.1
#: Circles never shrink below this share of their size to keep clear of each other; pairs
#: still overlapping are then pushed apart.
MAP_MIN_SCALE = 0.6
#: Room left between two circles (SVG units).
MAP_GAP = 2.0


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
        "layout_note": " So that no circle hides another, all circles are drawn at {scale}% of that size "
                       "(areas stay proportional) and overlapping circles are moved apart by at most "
                       "{moved}% of the map's width; nearness still means similar words.",
        "layout_scaled": " So that no circle hides another, all circles are drawn at {scale}% of that size "
                         "(areas stay proportional); the centres are where the scaling puts them.",
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
        "layout_note": "为免圆相互遮挡，所有圆按同一比例缩为 {scale}%（面积仍与占比成正比），"
                       "仍重叠的圆被推开，圆心最多移动图宽的 {moved}%；相近仍表示用词相似。",
        "layout_scaled": ("为免圆相互遮挡，所有圆按同一比例缩为 {scale}%（面积仍与占比成正比）；"
                          "圆心位置未变。"),
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
    model : policytopics.model.topic_model.TopicModel
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


def circle_layout(x: np.ndarray, y: np.ndarray, prevalence: np.ndarray) -> dict:
    """Where the map draws each topic's circle, so that no circle hides another.

    The PCoA coordinates are scaled into the square box (:data:`MAP_SIZE`) as they are: their
    distances keep their meaning. Circle areas are proportional to prevalence, the largest of
    radius ``MAP_RADIUS * MAP_SIZE``. Where circles overlap, first every circle shrinks by one
    factor (areas stay proportional, centres stay put), down to :data:`MAP_MIN_SCALE`; pairs
    still overlapping are then pushed apart along the line between their centres, each by half
    the overlap, until none overlaps (the smallest moves: the order of distances barely changes).

    Returns ``cx``, ``cy``, ``r`` (lists, SVG units), ``r_max`` (the radius a share of 1 gets),
    ``scale`` (the circles' factor) and ``moved`` (the largest move of a centre, as a share of
    the box).

    >>> layout = circle_layout(np.array([0.0, 0.01, 0.5]), np.zeros(3), np.array([0.4, 0.4, 0.2]))
    >>> layout["scale"], layout["moved"] > 0
    (0.6, True)
    """
    k = len(x)
    r_max = MAP_SIZE * (MAP_RADIUS if k > 1 else 2 * MAP_RADIUS)
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    span = (max(np.ptp(xs), np.ptp(ys)) if k else 0.0) or 1.0
    inner = MAP_SIZE - 2 * (MAP_PAD + r_max)
    if not k:
        return {"cx": [], "cy": [], "r": [], "r_max": r_max, "size": MAP_SIZE, "scale": 1.0, "moved": 0.0}
    centres = np.column_stack([MAP_SIZE / 2 + (xs - (xs.max() + xs.min()) / 2) / span * inner,
                               MAP_SIZE / 2 - (ys - (ys.max() + ys.min()) / 2) / span * inner])
    prevalence = np.asarray(prevalence, dtype=float)
    size = np.sqrt(prevalence / (prevalence.max() or 1.0)) * r_max
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    scale = 1.0
    for i, j in pairs:
        apart = float(np.hypot(*(centres[i] - centres[j])))
        scale = min(scale, max(MAP_MIN_SCALE, (apart - MAP_GAP) / (size[i] + size[j])))
    radius = size * scale
    start = centres.copy()
    for _ in range(500):
        pushed = False
        for i, j in pairs:
            between = centres[j] - centres[i]
            apart = float(np.hypot(*between))
            overlap = radius[i] + radius[j] + MAP_GAP - apart
            if overlap > 1e-6:
                # Two circles at one point part along a fixed direction (the same map every run).
                direction = between / apart if apart > 1e-9 else np.array([1.0, 0.0])
                centres[i] -= direction * overlap / 2
                centres[j] += direction * overlap / 2
                pushed = True
        if not pushed:
            break
    # Pushed circles stay inside the box.
    low, high = MAP_PAD + radius, MAP_SIZE - MAP_PAD - radius
    centres = np.clip(centres, low[:, None], high[:, None])
    moved = float(np.hypot(*(centres - start).T).max()) / MAP_SIZE
    return {"cx": [_plain(v, 2) for v in centres[:, 0]], "cy": [_plain(v, 2) for v in centres[:, 1]],
            "r": [_plain(v, 2) for v in radius], "r_max": _plain(r_max * scale, 2), "size": MAP_SIZE,
            "scale": round(scale, 3), "moved": round(moved, 4)}


def explorer_data(model, *, topic_labels: dict[int, str] | None = None, n_words: int = 30,
                  lam: float = 0.6) -> dict:
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
        probable first) with ``p``, their probability p(w|t); ``map``: the map's ``size``,
        ``r_max`` (the radius of a share of 1), the circles' ``scale`` and the largest ``moved``.

    Notes
    -----
    p(w) is the term's share of all tokens (the dictionary's corpus frequencies), as in
    :meth:`policytopics.model.topic_model.TopicModel.relevant_words`. p(t|w) follows from Bayes' rule
    with the topic's prevalence as p(t); the estimated frequency of a term within a topic,
    ``count * share``, therefore adds up over topics to the term's corpus frequency, as in
    LDAvis.
    """
    from policytopics.report.style import topic_colors

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
    layout = circle_layout(coordinates[:, 0], coordinates[:, 1], prevalence)

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
            "cx": layout["cx"][k - 1],
            "cy": layout["cy"][k - 1],
            "r": layout["r"][k - 1],
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
        "map": {key: layout[key] for key in ("size", "r_max", "scale", "moved")},
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
        A complete HTML document with inline CSS, JavaScript, data and font.

    Notes
    -----
    The embedded font holds the glyphs of every character of the page beyond ASCII that
    Noto Sans CJK SC has: the template's, the page's own words in ``language``, the title
    and the data (labels and terms). The script only puts those strings together, so no
    other character can appear. ASCII is left to the reader's system fonts, which every
    machine has.
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
        "CSS": _asset("explorer.css"),
        "JS": _asset("explorer.js"),
        "DATA": data_json,
    }
    template = _asset("explorer.html")
    fields["FONT_FACE"] = font_face_css(set(template).union(*fields.values()))
    # One pass, so a title or word that looks like a placeholder is never substituted.
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda match: fields[match.group(1)], template)


def write_explorer(model, path: str | Path, *, topic_labels: dict[int, str] | None = None,
                   n_words: int = 30, lam: float = 0.6, title: str = DEFAULT_TITLE,
                   language: str = "en") -> Path:
    """Write the interactive topic explorer of a fitted model to one offline HTML file.

    Parameters
    ----------
    model : policytopics.model.topic_model.TopicModel
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
    return atomic_write(path, lambda tmp: tmp.write_text(page, encoding="utf-8", newline="\n"))


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


@cache
def _asset(name: str) -> str:
    """The text of one of the page's files in ``policytopics/assets``.

    The style sheet and script end with a newline as text files do; the template already
    puts one after each, so it is dropped here.
    """
    text = (files("policytopics") / "assets" / name).read_text(encoding="utf-8")
    return text if name.endswith(".html") else text.rstrip("\n")
