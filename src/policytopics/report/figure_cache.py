"""Figure files kept under their inputs' key, so that an unchanged figure is copied, not drawn.

The key holds the drawing function, its tables (hashed by content) and keywords, the formats,
the package's code, matplotlib's version and the font's: the same inputs give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


class FigureCache:
    """Figure files kept under their inputs' key: the drawing function, its tables and
    keywords, the formats, the package's code, matplotlib's version and the font's. A figure whose
    inputs did not change (a warm rerun; the coverage figures at a new K) is copied, not
    drawn again: the same inputs give the same bytes."""

    def __init__(self, folder: Path, formats: tuple[str, ...]):
        from importlib import metadata

        import matplotlib

        from policytopics.store.keys import code_version

        self.folder, self.formats = folder, formats
        # What every figure's key holds: its formats, the code and the drawing libraries.
        self._common = (formats, code_version(), matplotlib.__version__, metadata.version("mplfonts"))
        self._keys: dict[str, str] = {}
        self._digests: dict[int, str] = {}
        self._damaged: set[str] = set()  # warned once: a damaged cached figure

    def key(self, job: tuple) -> str:
        from policytopics.store.keys import stable_hash

        name, draw, args, kwargs = job
        if name not in self._keys:
            self._keys[name] = stable_hash(name, draw.__module__, draw.__qualname__, *self._common,
                                           [self._digest(a) for a in args],
                                           {k: self._digest(v) for k, v in sorted(kwargs.items())})
        return self._keys[name]

    def _digest(self, value) -> str:
        from policytopics.store.keys import stable_hash

        if isinstance(value, pd.DataFrame | pd.Series):
            if id(value) not in self._digests:
                rows = pd.util.hash_pandas_object(value, index=True).to_numpy()
                frame = value.to_frame() if isinstance(value, pd.Series) else value
                shape = [list(map(str, frame.columns)), list(map(str, frame.dtypes))]
                self._digests[id(value)] = stable_hash(shape, rows.tobytes().hex())
            return self._digests[id(value)]
        if isinstance(value, dict):
            return stable_hash({str(k): self._digest(v) for k, v in value.items()})
        return stable_hash(value)

    def _files(self, job: tuple) -> list[Path] | None:
        """The job's files in the cache; ``None`` for a table that cannot be hashed (lists in
        cells): such a figure is always drawn."""
        try:
            key = self.key(job)
        except TypeError:
            return None
        return [self.folder / key / f"{job[0]}.{fmt}" for fmt in self.formats]

    def copy(self, job: tuple, folder: Path) -> list[Path]:
        """The job's files copied from the cache into ``folder`` (none if it holds them not,
        or holds one that differs from its checksum: it is drawn again)."""
        from policytopics.store.checksums import verified
        from policytopics.store.writing import copy_file

        files = self._files(job)
        if not files or not all(verified(path, "figures", self._damaged) for path in files):
            return []
        return [copy_file(cached, folder / cached.name) for cached in files]

    def keep(self, paths: list[Path], jobs: list[tuple]) -> None:
        """Keep the figures just drawn (``paths``, written by ``jobs``) in the cache."""
        from policytopics.store.checksums import keep_checksums
        from policytopics.store.writing import copy_file

        drawn = {path.name: path for path in paths}
        for job in jobs:
            for cached in self._files(job) or []:
                if cached.name in drawn:
                    keep_checksums(copy_file(drawn[cached.name], cached))



__all__ = ["FigureCache"]
