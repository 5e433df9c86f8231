"""The look of the study's figures: the bundled CJK font, colours, the plotting context.

Chinese labels render on machines with no CJK font installed: the Noto Sans CJK SC font
shipped in the ``mplfonts`` wheel is registered with matplotlib's font manager at run
time and selected inside :func:`plot_context` only; the user's ``rcParams`` are not
touched.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import metadata as importlib_metadata
from pathlib import Path

import matplotlib as mpl

# Okabe & Ito's colour-blind-safe palette, then Tol's muted colours for many topics.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
             "#F0E442", "#000000"]
# Topic colours: Okabe & Ito's without the yellow (faint on white), then the muted colours
# that stay apart from them (no second light blue), the pale sand last.
_TOPIC_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
                  "#882255", "#44AA99", "#999933", "#AA4499", "#117733", "#332288", "#661100",
                  "#888888", "#CC6677", "#DDCC77"]


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """Path of the packaged Noto Sans CJK SC font (from the ``mplfonts`` wheel)."""
    dist = importlib_metadata.distribution("mplfonts")
    path = Path(dist.locate_file("mplfonts/fonts/NotoSansCJKsc-Regular.otf"))
    if not path.is_file():
        raise FileNotFoundError(f"packaged CJK font missing: {path}; reinstall mplfonts")
    return path


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Register the packaged CJK font with matplotlib (once) and return its family name."""
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


@contextlib.contextmanager
def plot_context(**extra) -> Iterator[None]:
    """Style for the study's figures, applied with ``rc_context`` (global rcParams untouched).

    Two details make figures drawn in a notebook match the exported files:

    - ``font.family`` names the CJK font itself, not the generic ``sans-serif``: a text
      keeps its family list, but a generic name is resolved when the figure is *drawn*,
      which in Jupyter happens after this context has closed (Chinese then shows as boxes).
    - the pyplot backend is resolved before the context opens, and interactive mode as
      set inside it is kept: Jupyter's inline backend switches interactive mode on when
      it is first loaded, and restoring rcParams would switch it off again (only the
      first figure of a notebook would then be displayed).
    """
    family = register_cjk_font()
    mpl.get_backend()  # resolves (and loads) the backend now, outside the context
    style = {
        "font.family": [family, "DejaVu Sans"],
        "font.sans-serif": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        "svg.fonttype": "path",
        "svg.hashsalt": "policytopics",
        # Glyph outlines embedded as Type 3 fonts, with a ToUnicode map (text stays
        # searchable). Type 42 embeds a subset of the 16 MB CJK font through fontTools,
        # which took about 10x longer: over a second per figure.
        "pdf.fonttype": 3,
        **extra,
    }
    interactive = mpl.is_interactive()
    try:
        with mpl.rc_context(style):
            yield
            interactive = mpl.is_interactive()
    finally:
        mpl.interactive(interactive)


#: Every colour a figure may use, in order.
PALETTE = _TOPIC_COLOURS


#: Region lines: well-separated colours (one blue only), the national group in black.
#: (The first five are the ones a figure of the five largest regions uses.)
REGION_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#882255", "#999933",
                  "#332288", "#44AA99", "#661100", "#AA4499", "#117733"]
NATIONAL_COLOUR = "#000000"


def region_colors(regions: Sequence[str]) -> dict[str, str]:
    """A colour per region: the regions in the country's order (area, then the Bureau's
    list) take :data:`REGION_PALETTE` in turn, the national group black. The same regions
    get the same colours in every figure whatever order they are passed in, and the
    colours of one figure stay far apart.

    >>> region_colors(["山东省", "全国"]) == region_colors(["全国", "山东省"])
    True
    >>> region_colors(["山东省", "全国"])["全国"]
    '#000000'
    """
    from policytopics.text.regions import REGION_AREAS

    order = {name: i for i, name in enumerate(REGION_AREAS)}
    provinces = sorted((r for r in regions if r in order), key=order.__getitem__)
    others = sorted(r for r in regions if r not in order)
    colours = {r: REGION_PALETTE[i % len(REGION_PALETTE)] for i, r in enumerate(provinces)}
    for i, region in enumerate(others):
        later = REGION_PALETTE[(len(provinces) + i) % len(REGION_PALETTE)]
        colours[region] = NATIONAL_COLOUR if i == 0 else later
    return {region: colours[region] for region in regions}


def topic_colors(topics: Sequence[int]) -> dict[int, str]:
    """The same colour for a topic in every figure."""
    return {t: PALETTE[(int(t) - 1) % len(PALETTE)] for t in topics}
