"""Read Parquet input tables: a ``.parquet`` file of articles, one per row.

Cells of any Arrow type are read as text (:func:`policytopics.read.cells.cell_text`: bytes
decoded, a list's items one per line, a struct by its name field).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from policytopics.read.records import RawDocument
from policytopics.read.tables import Table, checked_row, read_single_table
from policytopics.settings.config import CorpusConfig


def read_parquet(path: Path, name: str, columns: CorpusConfig) -> Iterator[RawDocument]:
    """The articles of a ``.parquet`` file (its reader in :data:`policytopics.read.readers.READERS`)."""
    return read_single_table(_parquet_table, path, name, columns)


def _parquet_table(path: Path, stem: str, max_bytes: int) -> Table:
    """A Parquet file: its columns, its rows numbered from 1.

    Cells of any Arrow type are read as text by :func:`cell_text` (bytes decoded, a list's
    items one per line, a struct by its name field); a cell over the size limit makes its row
    a report row.
    """
    frame = pd.read_parquet(path)
    records = frame.rename(columns=str).to_dict("records")
    rows = ((number, checked_row(row, number, path, max_bytes, "row")) for number, row in
            enumerate(records, start=1))
    return Table(path, path.name, stem, f"{path}#", [str(c) for c in frame.columns], rows, "utf-8")


__all__ = ["read_parquet"]
