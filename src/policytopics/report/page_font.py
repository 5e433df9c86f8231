"""The bundled CJK font cut to the characters of one page, as WOFF2 for ``@font-face``.

A page written by the package (the topic explorer) carries the glyphs it uses, so it
reads on a machine with no Chinese font and stays one offline file.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

#: The family name of the embedded face (not the installed font's name, so a character
#: missing from the subset falls back to an installed Noto Sans CJK SC).
EMBEDDED_FONT_FAMILY = "policytopics Noto Sans CJK SC"


def font_face_css(characters: set[str]) -> str:
    """The ``@font-face`` rule embedding the CJK font's glyphs for ``characters``.

    Characters beyond ASCII are embedded (CJK ideographs and punctuation, full-width
    forms, and symbols such as λ or ·); those the font does not have are skipped and left
    to the fallback fonts.
    """
    woff2 = _subset_woff2("".join(sorted(c for c in characters if ord(c) > 0x7F)))
    return (
        "/* Noto Sans CJK SC, cut to the characters of this page; SIL Open Font License 1.1 */\n"
        "@font-face {\n"
        f'  font-family: "{EMBEDDED_FONT_FAMILY}"; font-style: normal; font-weight: 400;\n'
        f'  src: url("data:font/woff2;base64,{base64.b64encode(woff2).decode("ascii")}") format("woff2");\n'
        "}"
    )


@lru_cache(maxsize=16)
def _subset_woff2(characters: str) -> bytes:
    """WOFF2 font with the glyphs of the packaged CJK font for ``characters``.

    The same characters give the same bytes (the font's timestamp is kept, not renewed),
    so the page stays byte-identical. Hints, layout features and vertical metrics are
    dropped: the page sets horizontal text on screens, and the font is half the size
    without them (about 150 bytes a glyph). The full font's bounding boxes are kept as
    they are; recomputing them for the subset took longer than the subsetting itself.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # The subsetter rewrites the font it is given, so each call parses its own copy from
    # the cached bytes; only the tables the subset needs are read.
    font = TTFont(io.BytesIO(_cjk_font_bytes()), recalcBBoxes=False, recalcTimestamp=False)
    options = subset.Options(
        hinting=False, desubroutinize=True, layout_features=[],
        name_IDs=[0, 1, 2, 3, 4, 5, 6, 13, 14],  # names, copyright and the licence (OFL)
    )
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    for tag in options.drop_tables:
        if tag in font:
            del font[tag]  # unread: the subsetter would parse GSUB and GPOS only to drop them
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _cjk_font_bytes() -> bytes:
    """The packaged Noto Sans CJK SC font file (16 MB), read once per process."""
    from policytopics.report.style import cjk_font_path

    return cjk_font_path().read_bytes()
