"""Read ``.json`` input tables: an array of articles, one article, or an object holding the
array (``{"data": [...]}``); a file of one object per line is read as JSON lines
(:mod:`policytopics.read.jsonl`).
"""

from __future__ import annotations

import codecs
import json
import logging
from collections.abc import Iterator
from pathlib import Path

from policytopics.read.jsonl import jsonl_table
from policytopics.read.records import RawDocument, RowError
from policytopics.read.tables import Table, checked_row, find_columns, header_key, read_single_table
from policytopics.settings.config import CorpusConfig

log = logging.getLogger("policytopics")


def read_json(path: Path, name: str, columns: CorpusConfig) -> Iterator[RawDocument]:
    """The articles of a ``.json`` file (its reader in :data:`policytopics.read.readers.READERS`)."""
    return read_single_table(_json_table, path, name, columns)


#: Keys of a JSON object that hold its list of articles (``{"data": [...]}``), besides a
#: single key whose value is a list of objects.
JSON_LIST_KEYS = ("data", "articles", "items", "records", "rows", "documents", "docs", "results")


def _json_table(path: Path, stem: str, max_bytes: int) -> Table:
    """A ``.json`` file: an array of articles (numbered from 1), one article (an object with
    a text field), or an object holding the array (``{"data": [...]}``: :data:`JSON_LIST_KEYS`,
    or its only list of objects). A file of one object per line is read as JSON lines.
    """
    data = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    if not data.strip():
        raise ValueError("empty file")
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start}); JSON files are UTF-8: save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and data.lstrip().startswith(b"{"):
            return jsonl_table(path, stem, max_bytes)  # one object a line, named .json
        raise ValueError(f"not valid JSON: {exc}") from None
    label = "item"
    if isinstance(value, dict):
        lists = {key: item for key, item in value.items()
                 if isinstance(item, list) and item and all(isinstance(x, dict) for x in item)}
        key = next((k for k in value if header_key(k) in JSON_LIST_KEYS and k in lists), None)
        if key is None and len(lists) == 1 and find_columns([str(k) for k in value]).text is None:
            key = next(iter(lists))
        if key is not None:
            log.info("%s: the articles are the list under %r", path.name, key)
            value, label = value[key], f"item of {key!r}"
        else:
            value = [value]
    if not isinstance(value, list):
        raise ValueError(f"a JSON {type(value).__name__}, not an array or object of articles")
    rows = [(n, checked_row(item, n, path, max_bytes, label) if isinstance(item, dict)
             else RowError(f"{label} {n} of {path.name} is not an object"))
            for n, item in enumerate(value, start=1)]
    if not rows:
        raise ValueError("an empty array: no articles")
    keys = (key for _, row in rows if not isinstance(row, RowError) for key in row)
    return Table(path, path.name, stem, f"{path}#", [str(k) for k in dict.fromkeys(keys)], rows,
                  "utf-8", row_word=label)


__all__ = ["JSON_LIST_KEYS", "read_json"]
