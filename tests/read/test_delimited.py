"""CSV and TSV files as researchers have them: GB18030 and friends, tabs in a .csv, damaged
quotes and ragged lines reported line by line, two encodings joined."""

from __future__ import annotations

import csv
import logging

import pandas as pd
import pytest
from table_samples import articles, check_report, iso_day, write_delimited

from policytopics import document_report, load_study
from policytopics.read.files import iter_documents
from policytopics.text.dates import parse_date_value


def test_gb18030_csv_with_chinese_headers_keeps_every_article(tmp_path, caplog):
    table = articles()
    path = tmp_path / "政策文件.csv"
    write_delimited(table, path, "gb18030")
    with caplog.at_level(logging.INFO, logger="policytopics"):
        docs = list(iter_documents([path]))
    assert len(docs) == 40
    assert [d.title for d in docs] == table["标题"].tolist()
    assert [parse_date_value(d.date)[0] for d in docs] == [iso_day(i) for i in range(40)]
    assert all(d.region_given for d in docs)
    assert docs[0].encoding == "gb18030; columns: 正文→text, 标题→title, 发布时间→date, 省份→region"
    assert len({d.doc_id for d in docs}) == 40
    column_lines = [r.getMessage() for r in caplog.records if "columns 正文→text" in r.getMessage()]
    assert len(column_lines) == 1  # once per table, not once per row
    check_report(document_report(path, load_study(None), progress=False), table)


SIMPLIFIED = (("标题", "正文", "地区"), ("制造业高质量发展", "推动数字经济发展"), ("山东省", "广东省"))


TRADITIONAL = (("標題", "內容", "地區"), ("製造業高質量發展", "推動數位經濟發展"), ("山東省", "廣東省"))


CASES = [  # (written as, reported as, table) -- Big5 has no simplified characters
    ("utf-8", "utf-8", SIMPLIFIED),
    ("utf-8-sig", "utf-8-sig", SIMPLIFIED),
    ("gb18030", "gb18030", SIMPLIFIED),
    ("gbk", "gb18030", SIMPLIFIED),  # GB18030 is a superset of GBK
    ("big5", "big5", TRADITIONAL),
    ("utf-16", "utf-16", SIMPLIFIED),
]


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
@pytest.mark.parametrize(("encoding", "reported", "table"), CASES, ids=[c[0] for c in CASES])
def test_each_encoding_of_csv_and_tsv(tmp_path, suffix, encoding, reported, table):
    headers, texts, regions = table
    frame = pd.DataFrame({headers[0]: ["一", "二"], headers[1]: [t * 4 for t in texts],
                          headers[2]: list(regions)})
    path = tmp_path / f"docs{suffix}"
    write_delimited(frame, path, encoding, sep="\t" if suffix == ".tsv" else ",")
    docs = list(iter_documents([path]))
    assert [d.error for d in docs] == [None, None]
    assert [d.text for d in docs] == [t * 4 for t in texts]
    assert [d.title for d in docs] == ["一", "二"]
    assert [d.region for d in docs] == list(regions)
    mapping = f"{headers[1]}→text, {headers[0]}→title, {headers[2]}→region"
    assert docs[0].encoding == f"{reported}; columns: {mapping}"


def test_tab_separated_file_named_csv(tmp_path):
    path = tmp_path / "unicode_text.csv"  # Excel's "Unicode text": UTF-16, tabs
    write_delimited(pd.DataFrame({"标题": ["甲"], "正文": ["正文，带逗号"]}), path, "utf-16", sep="\t")
    (doc,) = iter_documents([path])
    assert (doc.title, doc.text) == ("甲", "正文，带逗号")


def test_a_csv_with_an_unbalanced_quote_keeps_every_row(tmp_path, caplog):
    """One text field opens a quote it never closes: a CSV reader swallows the next rows
    into it. All ten rows stay, each with its own text."""
    table = articles(10)
    table.loc[3, "正文"] = '"十四五规划纲要提出，要' + table.loc[3, "正文"]  # opened, never closed
    table.loc[7, "正文"] = table.loc[7, "正文"] + '落实"双碳"目标'  # the quote a reader would close on
    lines = [",".join(table.columns)] + [",".join(row) for row in table.astype(str).values.tolist()]
    path = tmp_path / "quotes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="policytopics"):
        report = document_report(path, load_study(None), progress=False)
    assert len(report) == 10 and (report["status"] == "kept").all()
    assert report["title"].tolist() == table["标题"].tolist()
    assert report["doc_id"].tolist() == [f"quotes:{i}" for i in range(2, 12)]
    assert "unbalanced quote" in caplog.text
    assert all("关于第" not in text for text in report["text"])  # no row inside another's text


def test_a_quote_never_closed_reads_line_by_line_and_reports_a_line_that_does_not_fit(tmp_path):
    table = articles(4)
    table.loc[1, "正文"] = '"未闭合的引号，' + table.loc[1, "正文"]
    table.loc[2, "正文"] = table.loc[2, "正文"].replace("。", ",", 1)  # a separator inside a text
    lines = [",".join(table.columns)] + [",".join(row) for row in table.astype(str).values.tolist()]
    path = tmp_path / "broken.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = document_report(path, load_study(None), progress=False)
    # The quote is never closed: read line by line; the line that does not fit is reported.
    kept = report[report["status"] == "kept"]
    assert kept["title"].tolist() == [table.loc[i, "标题"] for i in (0, 1, 3)]
    reported = report[report["reason"].str.contains("line 4 of broken.csv has 5 fields", na=False,
                                                    regex=False)]
    assert len(reported) == 1 and len(report) == 4  # every line is a row of the report


def test_a_damaged_csv_keeps_the_good_records_between_its_damaged_lines(tmp_path, caplog):
    """#31: one quote never closed (line 2) and quotes inside a field (line 4) around a
    properly quoted text with a comma (line 5): each damaged line is read with quotes as
    text, every other record as a CSV reader reads it; nothing is swallowed or lost."""
    table = articles(5)
    table.loc[0, "正文"] = '"未闭合的引号，' + table.loc[0, "正文"]
    table.loc[2, "正文"] = table.loc[2, "正文"] + '落实"双碳"目标'
    lines = [",".join(table.columns)] + [",".join(row) for row in table.astype(str).values.tolist()]
    lines[4] = lines[4].replace(table.loc[3, "正文"], '"' + table.loc[3, "正文"] + ',附件"')
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        docs = list(iter_documents([path]))
    assert [d.title for d in docs] == table["标题"].tolist()
    assert [d.text for d in docs] == [*table["正文"].iloc[:3], table.loc[3, "正文"] + ",附件",
                                      table.loc[4, "正文"]]
    assert [d.encoding.rsplit("; ", 1)[-1] for d in docs[:3]] == [
        "line 2 read with quotes as text (an unbalanced quote)", "columns: 正文→text, 标题→title, "
        "发布时间→date, 省份→region", "line 4 read with quotes as text (an unbalanced quote)"]
    assert "mixed.csv is damaged (line 2: an unbalanced quote" in caplog.text
    assert "line(s) 2, 4 read with quotes as text; nothing left out" in caplog.text


def test_a_quoted_csv_with_one_closing_quote_missing_keeps_every_other_row(tmp_path, caplog):
    """#31: a CSV as pandas writes it (multi-paragraph texts in quotes) loses one closing
    quote: every other row is kept exactly, the damaged record is one report row naming
    its lines, and the whole table is no longer dropped."""
    table = articles(6)
    table["正文"] = [text[:40] + "\n" + text[40:80] + "\n" + text[80:] for text in table["正文"]]
    written = table.to_csv(index=False, quoting=csv.QUOTE_ALL)
    broken = table.loc[2, "正文"].split("\n")[-1]
    assert written.count(broken + '"') == 1
    path = tmp_path / "quoted.csv"
    path.write_text(written.replace(broken + '"', broken), encoding="utf-8")  # lines 8-10
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        report = document_report(path, load_study(None), progress=False)
    kept = report[report["status"] == "kept"]
    assert kept["title"].tolist() == table["标题"].drop(2).tolist()
    assert kept["date"].tolist() == [iso_day(i) for i in (0, 1, 3, 4, 5)]
    assert [d.text for d in iter_documents([path]) if not d.error] == table["正文"].drop(2).tolist()
    dropped = report[report["status"] != "kept"]
    assert dropped["reason"].tolist() == [
        'lines 8-10 of quoted.csv do not split into its 4 columns (a damaged quote " or separator); '
        "fix and read the file again"]
    assert "quoted.csv is damaged (line 8: an unbalanced quote" in caplog.text


def test_a_ragged_line_is_a_report_row_not_the_whole_table(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("标题,正文\n甲,推动制造业高质量发展\n丙,丁,戊,己\n乙,加快建设现代化产业体系\n",
                    encoding="utf-8")
    docs = list(iter_documents([path]))
    assert [(d.doc_id, d.title, d.error) for d in docs] == [
        ("ragged:2", "甲", None),
        ("ragged:3", None, 'line 3 of ragged.csv has 4 fields, not 2 (a damaged quote " or separator); '
                           "fix and read the file again"),
        ("ragged:4", "乙", None)]


@pytest.mark.parametrize("quoting", [csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
def test_a_well_formed_csv_is_read_exactly_as_pandas_reads_it(tmp_path, caplog, quoting):
    """#31: multi-paragraph texts whose lines hold commas (each line splits into as many
    fields as the table has columns) and quotes inside quoted cells: a valid RFC 4180 file
    gives its six rows, not phantom rows from inside its texts."""
    table = articles(6)[["标题", "正文", "发布时间"]]
    table["正文"] = [f'{text[:30]},附件1\n{text[30:60]},附件2,附件3\n落实"双碳"目标,{text[60:]}'
                    for text in table["正文"]]
    path = tmp_path / "paragraphs.csv"
    table.to_csv(path, index=False, quoting=quoting, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        docs = list(iter_documents([path]))
    expected = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(docs) == 6 and [d.text for d in docs] == expected["正文"].tolist() == table["正文"].tolist()
    assert [d.title for d in docs] == table["标题"].tolist()
    assert [d.doc_id for d in docs] == [f"paragraphs:{i}" for i in range(2, 8)]
    assert caplog.text == ""


def test_a_csv_of_two_exports_in_two_encodings_keeps_every_row(tmp_path):
    """10 UTF-8 rows, then 10 GBK rows (two exports joined with cat): each part decoded in
    its own encoding, line by line, as JSON lines are; it was one dropped row "undecodable"."""
    table = articles(20)
    head = table.iloc[:10].to_csv(index=False).encode("utf-8")
    tail = table.iloc[10:].to_csv(index=False, header=False).encode("gbk")
    path = tmp_path / "joined.csv"
    path.write_bytes(head + tail)
    report = document_report(path, load_study(None), progress=False)
    check_report(report, table)
    assert report["encoding"].iloc[0].startswith("utf-8 + gb18030 (lines 12-21)")
    # The second export with its header line: a report row saying so, not a "too short" article.
    path.write_bytes(head + table.iloc[10:].to_csv(index=False).encode("gbk"))
    report = document_report(path, load_study(None), progress=False).set_index("doc_id")
    assert report.loc["joined:12", "reason"] == ("row 12 of joined.csv repeats the header row (two files "
                                                 "joined into one?): not an article")
    assert (report.drop(index="joined:12")["status"] == "kept").sum() == 20
