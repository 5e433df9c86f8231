"""One file, one document: the frame of the whole-file readers (ids, failures, the text limit)."""

from __future__ import annotations

from pathlib import Path

from policytopics.read.records import RawDocument
from policytopics.read.whole_file import document_id, file_title, whole_file
from policytopics.settings.config import CorpusConfig


def test_a_documents_id_is_its_name_without_the_suffix():
    assert document_id(Path("/c/2024/report.v2.pdf"), "2024/report.v2.pdf") == "2024/report.v2"
    assert document_id(Path("/c/README"), "README") == "README"


def test_a_reader_that_fails_gives_a_report_row_never_a_crash(tmp_path):
    def broken(path, max_bytes):
        raise KeyError("word/document.xml")

    (doc,) = whole_file(broken, tmp_path / "a.docx", "sub/a.docx", CorpusConfig())
    assert (doc.doc_id, doc.text) == ("sub/a", "")
    assert doc.error == "unreadable docx file: KeyError: 'word/document.xml'"


def test_a_text_over_the_limit_is_a_report_row(tmp_path):
    def long_page(path, max_bytes):
        return RawDocument(path.stem, str(path), "长" * 20_000, encoding="utf-8; html")

    (doc,) = whole_file(long_page, tmp_path / "p.html", "p.html", CorpusConfig(max_document_mb=0.05))
    assert doc.text == "" and doc.error.startswith("over [corpus] max_document_mb (the file holds 0.06 MB")


def test_a_title_property_that_names_a_file_or_a_tool_is_no_title():
    assert file_title(" 关于推进新型工业化的意见 ") == "关于推进新型工业化的意见"
    assert file_title("Microsoft Word - 附件1.doc") is None and file_title("Report") is None
