"""Plain-text files: one article a file, any common encoding, held to the size limit."""

from __future__ import annotations

from policytopics.read.text_file import read_text_file, text_document
from policytopics.settings.config import CorpusConfig


def test_a_gbk_text_file_is_one_document_named_by_its_path(tmp_path):
    (tmp_path / "2024").mkdir()
    path = tmp_path / "2024" / "报告.txt"
    path.write_bytes("推动制造业高质量发展。\r\n".encode("gbk"))
    (doc,) = read_text_file(path, "2024/报告.txt", CorpusConfig())
    assert (doc.doc_id, doc.text, doc.error) == ("2024/报告", "推动制造业高质量发展。\n", None)
    assert doc.encoding == "gb18030"


def test_a_text_file_over_the_limit_or_unreadable_is_a_report_row(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("长" * 100, encoding="utf-8")
    assert text_document(path, 200).error.startswith("over [corpus] max_document_mb (big.txt holds 0.0003 MB")
    assert text_document(tmp_path / "missing.txt").error == "unreadable: No such file or directory"
