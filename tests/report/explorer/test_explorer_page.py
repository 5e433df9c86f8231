"""The explorer page: offline, its font embedded, its data lossless, the same bytes each time."""

import base64
import html
import io
import json
import re
import shutil
import subprocess
from importlib.resources import files

import numpy as np
import pytest
from conftest import TOPIC_TEXTS as TEXTS
from fontTools.ttLib import TTFont

from policytopics.model.topic_model import TopicModel
from policytopics.report.explorer import (
    explorer_data,
    explorer_html,
    write_explorer,
)
from policytopics.report.page_font import EMBEDDED_FONT_FAMILY
from policytopics.report.style import cjk_font_path
from policytopics.settings.config import ModelConfig

K = 3


LABELS = {1: "T1 绿色转型", 3: "T3 产业链创新"}


@pytest.fixture(scope="module")
def model():
    return TopicModel(ModelConfig(n_topics=K, seed=1, passes=10, no_below=1, no_above=0.9)).fit(TEXTS)


@pytest.fixture(scope="module")
def data(model):
    return explorer_data(model, topic_labels=LABELS, n_words=5)


@pytest.fixture(scope="module")
def page(model, tmp_path_factory):
    path = write_explorer(model, tmp_path_factory.mktemp("explorer") / "topic_explorer.html",
                          topic_labels=LABELS, n_words=5)
    return path.read_text(encoding="utf-8")


def embedded_json(page: str) -> dict:
    blocks = re.findall(r'<script type="application/json" id="explorer-data">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def embedded_font(page: str) -> tuple[bytes, TTFont]:
    """The page's one @font-face: its WOFF2 bytes and the font they decode to."""
    sources = re.findall(r'url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\) format\("woff2"\)', page)
    assert len(sources) == 1
    woff2 = base64.b64decode(sources[0], validate=True)
    return woff2, TTFont(io.BytesIO(woff2))


def cjk_characters(page: str) -> set[str]:
    """CJK ideographs, CJK punctuation and full-width forms in the page."""
    return set(re.findall(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]", page))


def font_families(declaration: str) -> list[str]:
    return [name.strip().strip('"\'') for name in declaration.split(",")]


def test_page_loads_nothing_from_outside(page):
    assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "@import" not in page
    # The one URL in the style sheet is the embedded font; the one web address is the SVG
    # namespace the script creates elements in, which is a name, not something loaded.
    text = re.sub(r"(data:font/woff2;base64,)[A-Za-z0-9+/=]+", r"\1", page)
    assert re.findall(r"url\(([^)]*)\)", text) == ['"data:font/woff2;base64,"']
    assert set(re.findall(r"(?:https?:)?//[^\s\"'<>)]+", text)) == {"http://www.w3.org/2000/svg"}
    assert page.count("<script") == 2  # the JSON block and the inline program


@pytest.mark.parametrize("language", ["en", "zh"])
def test_embedded_font_covers_every_cjk_character_on_the_page(model, language):
    # A label with characters found nowhere else: rare ideographs, CJK and full-width
    # punctuation; and a character the font lacks (an emoji), which must not break the page.
    label = "T2 鑫淼龘，「试点」〇％（二）🙂"
    page = explorer_html(explorer_data(model, topic_labels={**LABELS, 2: label}, n_words=5),
                         title="制造业政策 · 主题浏览", language=language)
    woff2, font = embedded_font(page)
    assert woff2[:4] == b"wOF2" and font.flavor == "woff2"
    covered = {chr(code) for code in font.getBestCmap()}
    on_page = cjk_characters(page)
    assert set("鑫淼龘，「」〇％（）制造业政策浏览绿色转型数字经济") <= on_page
    assert on_page <= covered, sorted(on_page - covered)
    # Only the page's own characters are embedded (ASCII is left to the system fonts).
    assert covered <= {c for c in page if ord(c) > 0x7F}
    assert "🙂" not in covered and "🙂" in page


def test_embedded_font_is_a_small_subset_of_the_packaged_font(page):
    woff2, font = embedded_font(page)
    packaged = TTFont(cjk_font_path())
    assert font["name"].getDebugName(1) == packaged["name"].getDebugName(1) == "Noto Sans CJK SC Regular"
    assert "OFL" in font["name"].getDebugName(14)  # the licence travels with the glyphs
    # Same timestamp as the packaged font, so the same page gives the same bytes.
    assert font["head"].modified == packaged["head"].modified
    assert len(font.getGlyphOrder()) == len(font.getBestCmap()) + 1  # the page's glyphs and .notdef
    assert len(woff2) < 250 * len(font.getGlyphOrder())  # about 150 bytes a glyph


def test_style_sheet_names_the_embedded_font_first(page):
    faces = re.findall(r"@font-face\s*\{[^}]*?font-family:\s*([^;]+);", page)
    assert [font_families(face) for face in faces] == [[EMBEDDED_FONT_FAMILY]]
    declarations = re.findall(r"(?<![-\w])font-family:\s*([^;]+);", page)
    families = [font_families(d) for d in declarations if not d.strip().startswith("inherit")]
    assert len(families) == 2  # the @font-face rule and the page's html element
    assert all(names[0] == EMBEDDED_FONT_FAMILY for names in families)
    assert "Noto Sans CJK SC" in families[1] and families[1][-1] == "sans-serif"
    assert page.index("@font-face") < page.index("font-family: inherit")


def test_page_shows_the_labels_and_embeds_the_data_losslessly(page, data):
    for label in LABELS.values():
        assert label in page
    payload = embedded_json(page)
    assert {key: payload[key] for key in data} == json.loads(json.dumps(data))
    assert payload["text"]["map_title"] == "Intertopic distance map"


def test_a_word_cannot_close_the_script_element(model):
    label = "</script><script>alert(1)</script>"
    page = explorer_html(explorer_data(model, topic_labels={2: label}))
    assert page.count("</script>") == 2
    assert embedded_json(page)["topics"][1]["label"] == label


def test_same_model_writes_a_byte_identical_file(model, tmp_path, page):
    first = write_explorer(model, tmp_path / "a.html", topic_labels=LABELS, n_words=5)
    second = write_explorer(model, tmp_path / "b.html", topic_labels=LABELS, n_words=5)
    assert first.read_bytes() == second.read_bytes() == page.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html"]  # no temporary left


def test_chinese_page_text(model):
    page = explorer_html(explorer_data(model), language="zh")
    assert '<html lang="zh-CN">' in page and "主题距离图" in page


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_inline_script_is_valid_javascript(page, tmp_path):
    programs = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(programs) == 1
    script = tmp_path / "explorer.js"
    script.write_text(programs[0], encoding="utf-8")
    result = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_page_inlines_the_shipped_style_sheet_and_script(page):
    assets = files("policytopics") / "assets"
    for name in ("explorer.css", "explorer.js"):
        assert (assets / name).read_text(encoding="utf-8").strip() in page
    assert not re.search(r"\{\{[A-Z_]+\}\}", page)  # every placeholder of the template was filled


def test_topic_numbers_sit_in_a_layer_above_every_circle():
    """Where circles overlap, a circle drawn later must not cover an earlier topic's number:
    the map appends the circles' layer, then the numbers' layer, and each number goes there."""
    script = (files("policytopics") / "assets" / "explorer.js").read_text(encoding="utf-8")
    assert "mapNode.append(circleLayer, numberLayer)" in script
    assert "numberLayer.append(number)" in script and "group.append(tooltip, circle, target)" in script
    style = (files("policytopics") / "assets" / "explorer.css").read_text(encoding="utf-8")
    assert "text.topic-number {" in style and "pointer-events: none" in style


def _overlaps(layout) -> list[tuple[int, int]]:
    from policytopics.report.explorer import MAP_GAP

    cx, cy, r = (np.asarray(layout[key]) for key in ("cx", "cy", "r"))
    return [(i, j) for i in range(len(cx)) for j in range(i + 1, len(cx))
            if np.hypot(cx[i] - cx[j], cy[i] - cy[j]) < r[i] + r[j] + MAP_GAP - 0.02]


def test_the_page_draws_the_laid_out_circles(data, model):
    from policytopics.report.explorer import circle_layout

    assert not _overlaps({key: [t[key] for t in data["topics"]] for key in ("cx", "cy", "r")})
    assert set(data["map"]) == {"size", "r_max", "scale", "moved"}
    script = (files("policytopics") / "assets" / "explorer.js").read_text(encoding="utf-8")
    assert "cx: topic.cx, cy: topic.cy" in script and "TEXT.map_note + layoutNote" in script
    assert circle_layout.__doc__ and "layout_note" in explorer_html(data, language="zh")


def _css_rule(style: str, selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", style)
    assert match, selector
    return match.group(1)


def test_every_topic_is_listed_without_a_scroll_box_of_its_own():
    """The topic list was a box 30 % of the window tall that scrolled by itself (T14 hidden at
    1400×1000, about 10 of 14 shown at 1280×800)."""
    style = (files("policytopics") / "assets" / "explorer.css").read_text(encoding="utf-8")
    rule = _css_rule(style, ".topic-list")
    assert "max-height" not in rule and "overflow" not in rule


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
@pytest.mark.parametrize("window", [(1400, 1000), (1280, 800)])
def test_every_topic_is_in_view_in_a_browser_window(window, tmp_path):
    """Fourteen topics with long labels, as the provincial panel's: in a laptop's window the
    whole list is on screen below the map, none clipped, without scrolling."""
    model = TopicModel(ModelConfig(n_topics=14, seed=1, passes=2, no_below=1, no_above=0.9)).fit(TEXTS * 3)
    labels = {k: f"T{k} 城镇化与基础设施建设" for k in range(1, 15)}
    page = explorer_html(explorer_data(model, topic_labels=labels, n_words=30), language="zh")
    probe = ("<script>addEventListener('load', () => { const items = [...document.querySelectorAll("
             "'#topic-list li')]; document.title = 'seen ' + items.filter((li) => { const box = "
             "li.getBoundingClientRect(); "
             "return box.height > 0 && box.top >= 0 && box.bottom <= innerHeight; "
             "}).length + ' of ' + items.length; });</script></body>")
    path = tmp_path / "explorer.html"
    path.write_text(page.replace("</body>", probe), encoding="utf-8")
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--disable-background-networking", f"--window-size={window[0]},{window[1]}",
                             "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120)
    title = re.search(r"<title>(.*?)</title>", result.stdout)
    assert title and title.group(1) == "seen 14 of 14", (title and title.group(1), result.stderr[-500:])


def test_a_cached_page_is_copied_and_a_changed_argument_builds_it_again(model, tmp_path, page):
    cache = (tmp_path / "cache", "model-key")
    first = write_explorer(model, tmp_path / "a.html", topic_labels=LABELS, n_words=5, cache=cache)
    assert first.read_text(encoding="utf-8") == page  # the same page as one written directly
    kept = sorted((tmp_path / "cache").glob("*.html"))
    assert len(kept) == 1
    again = write_explorer(model, tmp_path / "b.html", topic_labels=LABELS, n_words=5, cache=cache)
    assert again.read_bytes() == first.read_bytes()
    assert sorted((tmp_path / "cache").glob("*.html")) == kept  # copied, not built again
    write_explorer(model, tmp_path / "c.html", topic_labels=LABELS, n_words=4, cache=cache)
    assert len(list((tmp_path / "cache").glob("*.html"))) == 2  # n_words is in the key


@pytest.mark.parametrize("language, legend", [("en", "seed word of the topic's theme"),
                                              ("zh", "该主题的种子词")])
def test_the_page_marks_a_seeded_topic_s_seed_words_with_a_legend(model, language, legend):
    from policytopics.report.explorer import topic_terms

    top = topic_terms(explorer_data(model, n_words=5), 2)["word"].tolist()
    data = explorer_data(model, n_words=5, seed_words={2: [top[1]]})
    page = explorer_html(data, language=language)
    assert embedded_json(page)["topics"][1]["seeds"] == data["topics"][1]["seeds"] != []
    key = '<span id="legend-seed" hidden><span class="seed-mark"></span>'
    assert re.search(re.escape(key + html.escape(legend)), page)
    assert ".seed-mark" in page and "legend-seed" in files("policytopics").joinpath(
        "assets", "explorer.js").read_text(encoding="utf-8")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_a_browser_marks_the_seed_words_of_the_pinned_topic_only(model, tmp_path):
    """The script puts a mark before each seed word of the selected topic, and shows the legend."""
    from policytopics.report.explorer import topic_terms

    top = topic_terms(explorer_data(model, n_words=5), 2)["word"].tolist()
    page = explorer_html(explorer_data(model, n_words=5, seed_words={2: [top[0], top[3]]}), language="zh")
    for topic, expected in ((2, f"{top[0]}|{top[3]} legend shown"), (1, " legend hidden")):
        probe = ("<script>addEventListener('load', () => { document.title = [...document.querySelectorAll("
                 "'#bars .bar-row.seed .term')].filter((t) => t.querySelector('.seed-mark')).map((t) => "
                 "t.textContent).join('|') + ' legend ' + (document.getElementById('legend-seed').hidden ? "
                 "'hidden' : 'shown'); });</script></body>")
        path = tmp_path / f"explorer{topic}.html"
        path.write_text(page.replace("</body>", probe), encoding="utf-8")
        result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                 "--disable-background-networking", "--dump-dom",
                                 f"{path.as_uri()}#topic={topic}"],
                                capture_output=True, text=True, timeout=120)
        title = re.search(r"<title>(.*?)</title>", result.stdout)
        assert title and title.group(1) == expected, (title and title.group(1), result.stderr[-500:])
