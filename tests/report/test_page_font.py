"""The font embedded in a page: the CJK glyphs it uses, as one WOFF2 ``@font-face``."""

from __future__ import annotations

import base64
import io
import re

from fontTools.ttLib import TTFont

from policytopics.report.page_font import EMBEDDED_FONT_FAMILY, font_face_css


def test_the_rule_embeds_the_pages_characters_and_no_ascii():
    css = font_face_css(set("产业链 abc"))
    assert f'font-family: "{EMBEDDED_FONT_FAMILY}"' in css
    woff2 = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", css).group(1))
    font = TTFont(io.BytesIO(woff2))
    mapped = set(map(chr, font.getBestCmap()))
    assert {"产", "业", "链"} <= mapped and not mapped & set("abc")
    assert font_face_css(set("产业链 abc")) == css  # the same characters give the same bytes
