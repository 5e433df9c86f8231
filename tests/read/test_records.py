"""The records of reading: a document as read, and a row that could not be."""

from __future__ import annotations

import dataclasses

import pytest

from policytopics.read.records import RawDocument, RowError


def test_a_raw_document_is_frozen_with_empty_metadata_by_default():
    doc = RawDocument("a", "a.txt", "正文")
    assert (doc.title, doc.date, doc.region, doc.error, doc.region_given, doc.page_header) == (
        None, None, None, None, False, ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "x"  # type: ignore[misc]
    assert RowError("line 3 of a.jsonl is not valid JSON").message.startswith("line 3")
