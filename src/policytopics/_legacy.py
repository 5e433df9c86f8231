"""The import paths of the flat package (before 0.2), kept working with a warning.

Notebooks written against ``policytopics.pipeline`` or ``policytopics.plots`` (``policytopics
init`` copied such notebooks into study folders) still run: importing an old path gives the
module at its new place and warns once with the new path. ``policytopics.model`` and
``policytopics.text`` are subpackages now and keep their new meaning. A module that was split
(``formats`` into ``read.webpage``, ``read.pdf`` and ``read.word``) points at the part its old
notebooks used.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

#: Old module (under ``policytopics.``) → its new place.
MOVED = {
    "decode": "common.encoding",
    "parallel": "common.workers",
    "config": "settings.config",
    "cache": "store.cache",
    "records": "read.records",
    "ingest": "read.files",
    "tables": "read.tables",
    "formats": "read.webpage",
    "pagetext": "text.pagetext",
    "clean": "text.clean",
    "ritual": "text.ritual",
    "mojibake": "text.mojibake",
    "dedup": "text.duplicates",
    "metadata": "text.metadata",
    "places": "text.places",
    "documents": "text.documents",
    "units": "text.passages",
    "segment": "text.segment",
    "corpus": "model.corpus",
    "themes": "model.themes",
    "engines": "model.engines",
    "keyatm": "model.engines.keyatm",
    "selection": "model.choose_k",
    "labels": "model.labels",
    "uncertainty": "estimate.uncertainty",
    "weights": "estimate.weights",
    "effects": "estimate.effects",
    "estimates": "estimate.study_estimates",
    "outputs": "report.figure_files",
    "figures": "report.figures.registry",
    "plots": "report.figures",
    "plots.common": "report.figures.common",
    "plots.themes": "report.figures.themes",
    "plots.topics": "report.figures.topics",
    "plots.effects": "report.figures.effects",
    "style": "report.style",
    "webfont": "report.page_font",
    "explorer": "report.explorer",
    "validation": "report.intrusion",
    "stages": "study.stages",
    "pipeline": "study.study",
}


class _Alias(importlib.abc.Loader):
    def __init__(self, new: str):
        self.new = new

    def create_module(self, spec):
        return None  # a module of the old name, filled from the new one

    def exec_module(self, module) -> None:
        new = importlib.import_module(self.new)
        module.__dict__.update({name: value for name, value in vars(new).items()
                                if not (name.startswith("__") and name.endswith("__"))})
        module.__doc__ = new.__doc__
        if hasattr(new, "__path__"):  # a package: its old submodules are found here too
            module.__path__ = []
        module.__getattr__ = lambda name: getattr(new, name)


class LegacyPaths(importlib.abc.MetaPathFinder):
    """Finds ``policytopics.<old>`` (a module moved in 0.2) and hands back its new module."""

    def find_spec(self, fullname: str, path=None, target=None):
        prefix, _, old = fullname.partition(".")
        if prefix != "policytopics" or old not in MOVED:
            return None
        new = "policytopics." + MOVED[old]
        warnings.warn(f"{fullname} moved to {new}; import it from there (the old path goes in a "
                      "later release)", FutureWarning, stacklevel=3)
        return importlib.util.spec_from_loader(fullname, _Alias(new))


def install() -> None:
    """Put the finder after the regular ones: a module that exists is always found first."""
    if not any(isinstance(finder, LegacyPaths) for finder in sys.meta_path):
        sys.meta_path.append(LegacyPaths())
