"""The one table of readers: every suffix has its reader, and the suffix lists follow from it."""

from __future__ import annotations

import inspect

from policytopics.read import files, readers
from policytopics.read.readers import (
    COMPOUND_SUFFIXES,
    DOCUMENT_SUFFIXES,
    READ_SUFFIXES,
    READERS,
    TABLE_SUFFIXES,
    TEXT_SUFFIXES,
)


def test_the_suffix_lists_follow_from_the_one_table_in_its_order():
    # The order is the one messages list them in ("read are .txt .csv ...").
    assert READ_SUFFIXES == (".txt", ".csv", ".tsv", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json",
                             ".parquet", ".xlsx", ".xlsm", ".xls", ".html", ".htm", ".shtml", ".pdf", ".docx",
                             ".doc", ".wps")
    assert TEXT_SUFFIXES == (".txt",)
    assert TABLE_SUFFIXES == (".csv", ".tsv", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json",
                              ".parquet", ".xlsx", ".xlsm", ".xls")
    assert DOCUMENT_SUFFIXES == (".html", ".htm", ".shtml", ".pdf", ".docx", ".doc", ".wps")
    assert COMPOUND_SUFFIXES == (".jsonl.gz", ".ndjson.gz")
    assert files.READ_SUFFIXES is READ_SUFFIXES


def test_every_reader_is_a_function_of_path_name_and_columns():
    for suffix, reader in READERS.items():
        assert inspect.isfunction(reader.read), suffix
        assert list(inspect.signature(reader.read).parameters) == ["path", "name", "columns"], suffix
        assert reader.holds in ("text", "table", "document"), suffix
        # One module per format family, never the dispatching module itself.
        assert reader.read.__module__.startswith("policytopics.read."), suffix
        assert reader.read.__module__ not in (readers.__name__, files.__name__), suffix


def test_a_new_suffix_is_read_through_the_table(tmp_path, monkeypatch):
    """Adding a reader is one line in READERS: the walk takes its files and dispatches them."""
    from policytopics.read.readers import Reader
    from policytopics.read.records import RawDocument

    def read_note(path, name, columns):
        return (RawDocument(name, str(path), path.read_text(encoding="utf-8") * 3),)

    monkeypatch.setitem(READERS, ".note", Reader(read_note, "document"))
    monkeypatch.setattr(files, "READ_SUFFIXES", (*READ_SUFFIXES, ".note"))
    (tmp_path / "a.note").write_text("制造业", encoding="utf-8")
    (docs,) = files.iter_documents([tmp_path])
    assert (docs.doc_id, docs.text) == ("a.note", "制造业制造业制造业")
