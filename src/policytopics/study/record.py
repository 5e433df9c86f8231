"""The run record, ``run.json``: what produced a run's outputs.

Versions, the study's settings as given (a quick run's own changes apart), the stages' keys,
the documents' counts, sizes, the figures left out and why, cache hits and timings, read
from the ``study`` (a :class:`policytopics.study.study.Study`).
"""

from __future__ import annotations

from policytopics.report import figure_files
from policytopics.report.figures.registry import quick_figures
from policytopics.report.run_record import software_versions
from policytopics.study.stages import STAGES
from policytopics.text.documents import disagreeing_dates

#: The figures a quick run draws (``policytopics run --quick``), as the figure registry declares
#: them (:func:`policytopics.report.figures.registry.quick_figures`).
QUICK_FIGURES = quick_figures()


def figures_left_out(study) -> list[str]:
    """The figures a full run would draw that this quick run did not (none in a full run)."""
    if not study.quick:
        return []
    drawable = figure_files.drawable_figures(study.figure_frames())
    return [name for name in drawable if name not in QUICK_FIGURES]


def run_record(study) -> dict:
    """What produced these outputs: versions, settings, corpus hash, sizes, timings."""
    model = study.model()
    return {
        **software_versions(model.engine_),
        # The study's settings as given; a quick run's own changes are under "quick_settings".
        "settings": study.configured.to_dict(),
        "corpus_key": study.key("documents"),
        "stage_keys": {name: study.key(name) for name in STAGES},
        "documents": study.documents(text=False)["status"].value_counts().to_dict(),
        # Documents whose date column their own header contradicts (documents.csv: date_disagrees).
        "dates_header_contradicts": disagreeing_dates(study.documents(text=False)).drop(columns="status")
        .to_dict("records"),
        "units": len(study.units()),
        # The units the model was fitted on ([model] fit_sample: a sample; the rest inferred).
        "units_fitted": model.units_fitted_,
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
