"""The size limit: a cell, a line or a file over [corpus] max_document_mb is a report row."""

from __future__ import annotations

from table_samples import articles, write_delimited

from policytopics import document_report, load_study
from policytopics.read.limits import file_limit_reason, file_too_large, oversize, too_large


def test_too_large_and_oversize_measure_utf8_bytes():
    assert oversize("长" * 10, 40) is None and oversize("长" * 20, 40) == 60
    assert oversize(b"x" * 41, 40) == 41 and oversize(12345, 1) is None
    assert too_large(60, 40, "line 3 of a.jsonl") == (
        "over [corpus] max_document_mb (line 3 of a.jsonl holds 6e-05 MB of text, more than 4e-05 MB: not "
        "read; split it, or raise the setting if it really is one article)")


def test_a_file_over_the_file_limit_is_a_document_naming_the_setting(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(b"x" * 3_000_001)
    assert file_too_large(path, 3_000_001) is None
    doc = file_too_large(path, 2_000_000)
    assert (doc.doc_id, doc.encoding, doc.text) == ("page", "html", "")
    assert doc.error == "html file too large: " + file_limit_reason("the file (3 MB)", 2_000_000)
    assert "the file (3 MB) is larger than the limit of 2 MB per file" in doc.error


def test_a_cell_or_file_over_the_size_limit_is_a_report_row(tmp_path):
    config = load_study(None, corpus__max_document_mb=0.05)
    table = articles(3)
    table.loc[1, "正文"] = "长" * 20_000  # 0.06 MB (an Excel cell holds 32,767 characters)
    table.to_excel(tmp_path / "book.xlsx", index=False)
    write_delimited(table, tmp_path / "table.csv", "utf-8")
    (tmp_path / "big.txt").write_text("长" * 20_000, encoding="utf-8")
    report = document_report(tmp_path, config, progress=False).set_index("doc_id")
    assert report.loc["big", "reason"] == ("over [corpus] max_document_mb (big.txt holds 0.06 MB of text, "
                                           "more than 0.05 MB: not read; split it, or raise the setting if "
                                           "it really is one article)")
    sheet_row = report.loc["book:Sheet1:3", "reason"]
    assert "([Sheet1] row 3 of book.xlsx, column '正文', holds 0.06 MB" in sheet_row
    assert "(row 3 of table.csv, column '正文', holds 0.06 MB" in report.loc["table:3", "reason"]
    assert report.drop(index=["big", "book:Sheet1:3", "table:3"])["status"].isin(["kept", "duplicate"]).all()
