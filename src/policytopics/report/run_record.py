"""The run record's file, ``run.json``: the software a run used, and writing the record.

What the record holds beyond the software (settings, stage keys, cache hits, timings) is
gathered by the study (:meth:`policytopics.Study.run_record`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from policytopics.store.writing import write_json


def software_versions(engine) -> dict:
    """The package (with its modules' code), Python, the libraries and the topic engine a
    run used: the run record's first entries."""
    import platform

    import gensim
    import jieba
    import matplotlib

    from policytopics.store.keys import code_version

    return {
        "policytopics": code_version(),
        "python": platform.python_version(),
        "libraries": {"gensim": gensim.__version__, "jieba": jieba.__version__,
                      "pandas": pd.__version__, "matplotlib": matplotlib.__version__},
        # The engine's version and, for tomotopy, the instruction set it ran with (picked at
        # import, pinned with TOMOTOPY_ISA): Gibbs sampling is bit-for-bit the same only with
        # both the same.
        "engine": {"name": engine.name, **engine.versions()},
    }


def write_run_record(record: dict, path: Path) -> Path:
    """``run.json``: what produced the outputs (versions, settings, cache hits, timings)."""
    return write_json(path, record)



__all__ = ["software_versions", "write_run_record"]
