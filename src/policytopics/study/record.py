"""The run record, ``run.json``: what produced a run's outputs.

Versions, the study's settings as given (a quick run's own changes apart), the stages' keys,
the documents' counts, sizes, the figures left out and why, cache hits and timings, read
from the ``study`` (a :class:`policytopics.study.study.Study`).
"""

from __future__ import annotations

from policytopics.report import outputs
from policytopics.study.stages import STAGES
from policytopics.text.documents import disagreeing_dates

#: The figures a quick run draws (``policytopics run --quick``): the topics, and the themes'
#: emphasis by region and weights over time: what a researcher trying another K looks at
#: first. The others, the intervals and the explorer page come with a full run.
QUICK_FIGURES = ("top_words", "theme_emphasis_by_region", "theme_emphasis_over_time",
                 "theme_panels_over_time", "theme_weights_over_time")


def figures_left_out(study) -> list[str]:
    """The figures a full run would draw that this quick run did not (none in a full run)."""
    if not study.quick:
        return []
    return [name for name in outputs.drawable_figures(study.figure_frames()) if name not in QUICK_FIGURES]


def run_record(study) -> dict:
    """What produced these outputs: versions, settings, corpus hash, sizes, timings."""
    model = study.model()
    return {
        **outputs.software_versions(model.engine_),
        # The study's settings as given; a quick run's own changes are under "quick_settings".
        "settings": study.configured.to_dict(),
        "corpus_key": study.key("documents"),
        "stage_keys": {name: study.key(name) for name in STAGES},
        "documents": study.documents()["status"].value_counts().to_dict(),
        # Documents whose date column their own header contradicts (documents.csv: date_disagrees).
        "dates_header_contradicts": disagreeing_dates(study.documents()).drop(columns="status")
        .to_dict("records"),
        "units": len(study.units()),
        "dictionary_size": len(model.dictionary_),
        "figures_skipped": study.skipped_figures(),
        # A quick run (run --quick): point estimates, these figures left out, no explorer.
        "quick": study.quick,
        **({"quick_settings": {"weights.uncertainty": study.config.weights.uncertainty,
                               "output.figure_formats": list(study.config.output.figure_formats),
                               "figures": list(QUICK_FIGURES), "explorer": False},
            "figures_left_out": figures_left_out(study)} if study.quick else {}),
        "cache_hits": study.cache_hits,
        "timings_seconds": study.timings,
    }


__all__ = ["QUICK_FIGURES", "figures_left_out", "run_record"]
