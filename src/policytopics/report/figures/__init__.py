"""Figures of the study: one function per figure, and one export helper.

Plot functions take the tidy tables from :mod:`policytopics.estimate.weights` and
:meth:`policytopics.model.topic_model.TopicModel.topic_words`, draw where they are told
(``ax=``) and return what they drew. They never call ``plt.show()`` or save; use
:func:`export_figure`.

Chinese labels render on machines with no CJK font installed: every figure is drawn
inside :func:`policytopics.report.style.plot_context`, which registers the font shipped in the
``mplfonts`` wheel at run time; the user's ``rcParams`` are not touched.

The figures are grouped by what they show (:mod:`.themes`, :mod:`.topics`, :mod:`.effects`;
what they share in :mod:`.common`); every name is importable from here. Which of them the
study draws, from which table, when it skips one and which a quick run draws is declared in
one list, :data:`policytopics.report.figures.registry.FIGURES`.
"""

from policytopics.report.figures.common import (
    HEATMAP_MAX_ANNOTATED_CELLS,
    MARK_MIN_DOCS,
    PAGE_HEIGHT_IN,
    PAGE_WIDTH_IN,
    heatmap_layout,
    interval_notes,
    period_positions,
    robust_limit,
    signed_value,
    significance_marks,
    with_gaps,
)
from policytopics.report.figures.effects import plot_effect_curves, plot_effect_difference, plot_effect_levels
from policytopics.report.figures.emphasis import plot_theme_emphasis
from policytopics.report.figures.export import export_figure
from policytopics.report.figures.themes import (
    plot_coverage,
    plot_regions_over_time,
    plot_theme_panels_over_time,
    plot_theme_weights_by_region,
    plot_theme_weights_by_region_period,
    plot_theme_weights_over_time,
)
from policytopics.report.figures.topics import plot_k_selection, plot_top_words, plot_topic_correlation

__all__ = [
    "HEATMAP_MAX_ANNOTATED_CELLS", "MARK_MIN_DOCS", "PAGE_HEIGHT_IN", "PAGE_WIDTH_IN", "export_figure",
    "heatmap_layout", "interval_notes", "period_positions", "plot_coverage", "plot_effect_curves",
    "plot_effect_difference", "plot_effect_levels", "plot_k_selection", "plot_regions_over_time",
    "plot_theme_emphasis", "plot_theme_panels_over_time", "plot_theme_weights_by_region",
    "plot_theme_weights_by_region_period", "plot_theme_weights_over_time", "plot_top_words",
    "plot_topic_correlation", "robust_limit",
    "signed_value", "significance_marks", "with_gaps",
]
