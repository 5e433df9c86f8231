"""The flat package's import paths (before the stage subpackages) keep working, with a warning."""

from __future__ import annotations

import importlib
import sys
import warnings

import pytest

from policytopics._legacy import MOVED

#: What the notebooks that ``policytopics init`` copied into study folders imported (the three
#: notebooks of the flat package, every release): such a notebook must still run.
OLD_NOTEBOOK_IMPORTS = [
    ("outputs", "figure_jobs"), ("plots", "plot_coverage"), ("plots", "plot_k_selection"),
    ("plots", "plot_regions_over_time"), ("plots", "plot_theme_emphasis"),
    ("plots", "plot_theme_panels_over_time"), ("plots", "plot_theme_weights_by_region"),
    ("plots", "plot_theme_weights_over_time"), ("plots", "plot_top_words"),
    ("plots", "plot_topic_correlation"), ("segment", "Segmenter"), ("selection", "parse_k_range"),
    ("validation", "write_rater_pages"), ("pipeline", "Study"),
]


def _fresh(old: str) -> None:
    sys.modules.pop(f"policytopics.{old}", None)


@pytest.mark.parametrize("old", sorted(MOVED))
def test_every_old_path_leads_to_a_module_that_exists(old):
    _fresh(old)
    with pytest.warns(FutureWarning, match=f"policytopics.{old} moved to policytopics.{MOVED[old]}"):
        module = importlib.import_module(f"policytopics.{old}")
    assert module.__doc__ == importlib.import_module(f"policytopics.{MOVED[old]}").__doc__


@pytest.mark.parametrize(("old", "name"), OLD_NOTEBOOK_IMPORTS)
def test_what_old_notebooks_imported_is_still_there(old, name):
    _fresh(old)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        module = importlib.import_module(f"policytopics.{old}")
    assert getattr(module, name) is getattr(importlib.import_module(f"policytopics.{MOVED[old]}"), name)


def test_an_old_path_gives_the_new_objects_and_says_where_they_went():
    """A notebook copied by ``policytopics init`` before the subpackages still runs."""
    import importlib
    import sys

    for old in ("policytopics.plots", "policytopics.pipeline", "policytopics.validation"):
        sys.modules.pop(old, None)
    with pytest.warns(FutureWarning, match=r"policytopics\.plots moved to policytopics\.report\.figures"):
        from policytopics.plots import plot_top_words
    from policytopics.report.figures import plot_top_words as new

    assert plot_top_words is new
    with pytest.warns(FutureWarning, match="policytopics.study.study"):
        pipeline = importlib.import_module("policytopics.pipeline")
    assert pipeline.Study is importlib.import_module("policytopics").Study
