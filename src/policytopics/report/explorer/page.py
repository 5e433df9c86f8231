"""The explorer page: the HTML template filled with the data, its style sheet, script and
embedded font, written to one offline file (copied from the cache when unchanged).
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from policytopics.report.explorer.data import explorer_data
from policytopics.report.page_font import font_face_css
from policytopics.store.checksums import keep_checksums, verified
from policytopics.store.keys import code_version, stable_hash
from policytopics.store.writing import atomic_write, copy_file

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
        "seed_word": "seed word of the topic's theme (unmarked: learned from the corpus)",
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
        "seed_word": "该主题的种子词（无标记：从语料中学到的词）",
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
        "SEED_WORD": html.escape(text["seed_word"]),
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
                   language: str = "en", cache: tuple[Path, str] | None = None,
                   seed_words: dict[int, list[str]] | None = None) -> Path:
    """Write the interactive topic explorer of a fitted model to one offline HTML file.

    Parameters
    ----------
    model : policytopics.model.topic_model.TopicModel
        A fitted model.
    path
        The HTML file to write; its folder is created if needed. The file is replaced
        atomically, so a reader never sees half a page.
    topic_labels, n_words, lam, seed_words
        See :func:`explorer_data`.
    title, language
        See :func:`explorer_html`.
    cache
        A folder and the model's key: a page of the same model, arguments and code is copied
        from there instead of being built again (unless it differs from its checksum).

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> write_explorer(model, "outputs/topic_explorer.html",
    ...                topic_labels={1: "T1 产业链创新"})  # doctest: +SKIP
    """
    def write_page(target: Path) -> Path:
        page = explorer_html(explorer_data(model, topic_labels=topic_labels, n_words=n_words, lam=lam,
                                           seed_words=seed_words), title=title, language=language)
        return atomic_write(target, lambda tmp: tmp.write_text(page, encoding="utf-8", newline="\n"))

    if cache is None:
        return write_page(path)
    folder, model_key = cache
    key = stable_hash(model_key, topic_labels, language, n_words, lam, title, seed_words, code_version())
    kept = folder / f"{key}.html"
    if not verified(kept, "explorer"):
        write_page(kept)
        keep_checksums(kept)
    return copy_file(kept, Path(path))


@cache
def _asset(name: str) -> str:
    """The text of one of the page's files in ``policytopics/assets``.

    The style sheet and script end with a newline as text files do; the template already
    puts one after each, so it is dropped here.
    """
    text = (files("policytopics") / "assets" / name).read_text(encoding="utf-8")
    return text if name.endswith(".html") else text.rstrip("\n")


__all__ = ["DEFAULT_TITLE", "explorer_html", "write_explorer"]
