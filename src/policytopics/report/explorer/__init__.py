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


from policytopics.report.explorer.data import LAMBDA_STEP, explorer_data, topic_terms
from policytopics.report.explorer.layout import (
    MAP_GAP,
    MAP_MIN_SCALE,
    MAP_PAD,
    MAP_RADIUS,
    MAP_SIZE,
    circle_layout,
    topic_coordinates,
)
from policytopics.report.explorer.page import DEFAULT_TITLE, explorer_html, write_explorer

__all__ = ["DEFAULT_TITLE", "LAMBDA_STEP", "MAP_GAP", "MAP_MIN_SCALE", "MAP_PAD", "MAP_RADIUS", "MAP_SIZE",
           "circle_layout", "explorer_data", "explorer_html",
           "topic_coordinates", "topic_terms", "write_explorer"]
