"""The one export helper: a figure saved in each format asked, fitted to an A4 page, with
stable metadata so that the same figure gives the same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl

from policytopics.report.figures.common import PAGE_WIDTH_IN
from policytopics.report.style import plot_context
from policytopics.store.writing import atomic_write


def export_figure(figure, name: str, folder: str | Path,
                  formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Save ``figure`` (a Figure or an Axes) as ``folder/name.<fmt>`` for each format.

    PNGs are written at :data:`PNG_DPI` (300 dpi, as the README promises) and within an A4
    page: a figure whose saved box runs past the page is laid out again at a smaller size
    (:func:`fit_page`), not scaled down to a lower resolution.
    """
    import matplotlib.pyplot as plt

    fig = getattr(figure, "figure", figure)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with plot_context():
        fit_page(fig)
        # Lay the figure out once for all formats: with its layout engine and tight
        # bounding box left on, every savefig lays out and draws the figure twice (half of
        # the figures stage's time on a large study).
        bbox, engine = _freeze_layout(fig)
        dpi = page_dpi(bbox.width, bbox.height)
        try:
            for fmt in formats:
                paths.append(atomic_write(folder / f"{name}.{fmt}", lambda tmp, fmt=fmt: fig.savefig(
                    tmp, format=fmt, metadata=_stable_metadata(fmt), bbox_inches=bbox, dpi=dpi)))
        finally:
            if engine is not None:
                fig.set_layout_engine(engine)
    plt.close(fig)
    return paths


#: An A4 page at 300 dpi: no PNG is wider than 2,480 px or taller than 3,508 px.
PNG_DPI = 300
A4_HEIGHT_IN = 11.69


def _saved_box(fig):
    """The box ``savefig(bbox_inches="tight")`` would save, laid out as the figure is now."""
    fig.draw_without_rendering()
    return fig.get_tightbbox(fig.canvas.get_renderer()).padded(mpl.rcParams["savefig.pad_inches"])


def fit_page(fig, *, attempts: int = 4) -> None:
    """Make ``fig`` smaller until its saved box (labels and notes included) fits an A4 page
    (:data:`PAGE_WIDTH_IN` × :data:`A4_HEIGHT_IN`), laying it out again at each size: the text
    keeps its size and the PNG its 300 dpi, the panels give up the room. A figure that
    already fits is left as it is.
    """
    original = fig.get_size_inches().copy()
    box = _saved_box(fig)
    for _ in range(attempts):
        over_width = box.width - PAGE_WIDTH_IN
        over_height = box.height - A4_HEIGHT_IN
        if over_width <= 0.005 and over_height <= 0.005:
            return
        width, height = fig.get_size_inches()
        # What runs past the figure's own edge (a long label) shrinks nothing: take it off the
        # figure itself, a hair more so rounding does not leave it a pixel over.
        fig.set_size_inches(max(1.0, width - max(0.0, over_width) - 0.01),
                            max(1.0, height - max(0.0, over_height) - 0.01))
        smaller = _saved_box(fig)
        if (smaller.width - PAGE_WIDTH_IN > 0.5 * max(0.0, over_width) + 0.005
                or smaller.height - A4_HEIGHT_IN > 0.5 * max(0.0, over_height) + 0.005):
            # Text alone wider (or taller) than the page: shrinking only crushes the panels.
            # Keep the figure as drawn; page_dpi then scales it to the page.
            fig.set_size_inches(original)
            return
        box = smaller


def page_dpi(width_in: float, height_in: float) -> int:
    """The resolution that keeps a ``width_in`` × ``height_in`` figure (its saved, padded
    bounding box) within an A4 page at :data:`PNG_DPI`: 300, or less only for a figure that
    :func:`fit_page` could not make fit (text alone wider than a page).

    >>> page_dpi(8.0, 10.0), page_dpi(8.47, 5.0), page_dpi(8.0, 20.0)
    (300, 292, 175)
    """
    scale = min(1.0, PAGE_WIDTH_IN / width_in, A4_HEIGHT_IN / height_in)
    return int(PNG_DPI * scale) if scale < 1 else PNG_DPI


def _freeze_layout(fig):
    """Run the figure's layout engine once, switch it off, and return the tight bbox.

    Returns ``(bbox_inches, engine)``: what ``savefig(bbox_inches="tight")`` would use, and
    the engine to restore afterwards.
    """
    engine = fig.get_layout_engine()
    bbox = _saved_box(fig)
    # None (not "none", which leaves a placeholder engine that savefig still lays out for).
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
    return bbox, engine


def _stable_metadata(fmt: str) -> dict:
    # No creation dates in the files, so the same study gives the same bytes.
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    if fmt == "png":
        return {"Software": None}
    return {}


__all__ = ["A4_HEIGHT_IN", "PNG_DPI", "export_figure", "fit_page", "page_dpi"]
