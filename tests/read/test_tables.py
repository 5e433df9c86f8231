"""Input tables: their columns found by the usual headers (or the settings), their rows made
documents and numbered one way in every format, and unreadable tables reported."""

from __future__ import annotations

import gzip
import logging

import pandas as pd
import pytest
from table_samples import articles, write_delimited

from policytopics import document_report, load_study
from policytopics.read.files import iter_documents
from policytopics.read.tables import COLUMN_ALIASES, find_columns
from policytopics.settings.config import CorpusConfig

HEADERS = [(field, alias) for field, aliases in COLUMN_ALIASES.items() for alias in aliases]


@pytest.mark.parametrize(("field", "header"), HEADERS, ids=[f"{f}-{h}" for f, h in HEADERS])
def test_each_header_name_is_found(tmp_path, field, header):
    values = {"text": "推动制造业高质量发展", "title": "一个标题", "date": "2024-03-05",
              "region": "浙江省", "publisher": "新华社", "id": "A-7"}
    text_header = header if field == "text" else "正文"
    frame = pd.DataFrame({text_header: [values["text"]], header: [values[field]]})
    path = tmp_path / "docs.csv"
    write_delimited(frame, path, "utf-8")
    (doc,) = iter_documents([path])
    got = {"text": doc.text, "title": doc.title, "date": doc.date, "region": doc.region,
           "publisher": doc.publisher, "id": doc.doc_id.split(":", 1)[1]}
    assert got[field] == values[field]
    assert f"{header}→{field}" in doc.encoding


def test_headers_match_up_to_case_width_script_and_colon():
    mapping = find_columns(["Title", "內容：", "發布時間", " 省份 ", "ＩＤ"])
    assert (mapping.title, mapping.text, mapping.date, mapping.region, mapping.id) == (
        "Title", "內容：", "發布時間", " 省份 ", "ＩＤ")


def test_first_alias_wins_and_a_header_serves_one_field():
    mapping = find_columns(["时间", "发布时间", "内容", "正文"])
    assert (mapping.date, mapping.text) == ("发布时间", "正文")
    mapping = find_columns(["标题", "正文"], CorpusConfig(text_column="标题"))
    assert (mapping.text, mapping.title) == ("标题", None)


def test_explicit_column_setting_wins_over_detection(tmp_path):
    frame = pd.DataFrame({"正文": ["正文内容" * 5], "摘要": ["摘要内容" * 5], "标题": ["标题甲"],
                          "headline": ["标题乙"], "日期": ["2020-01-01"], "pubdate": ["2021-02-03"]})
    path = tmp_path / "docs.csv"
    write_delimited(frame, path, "utf-8")
    columns = CorpusConfig(text_column="摘要", title_column="headline", date_column="pubdate")
    (doc,) = iter_documents([path], columns)
    assert (doc.text, doc.title, doc.date) == ("摘要内容" * 5, "标题乙", "2021-02-03")
    # A setting the table lacks leaves detection to find the usual header.
    (doc,) = iter_documents([path], CorpusConfig(title_column="题名"))
    assert (doc.text, doc.title) == ("正文内容" * 5, "标题甲")


def test_default_english_columns_still_map(tmp_path):
    frame = pd.DataFrame({"id": ["x1"], "title": ["t"], "date": ["2024"], "text": ["正文"],
                          "region": ["山东省"], "正文": ["另一列"]})
    path = tmp_path / "docs.csv"
    write_delimited(frame, path, "utf-8")
    (doc,) = iter_documents([path])
    got = (doc.doc_id, doc.text, doc.title, doc.date, doc.region)
    assert got == ("docs:x1", "正文", "t", "2024", "山东省")


def test_no_text_column_is_one_row_listing_the_columns_and_the_flag(tmp_path, caplog):
    frame = pd.DataFrame({"标题": ["甲", "乙", "丙"], "摘要": ["一", "二", "三"], "网址": ["u", "v", "w"]})
    path = tmp_path / "docs.csv"
    write_delimited(frame, path, "gb18030")
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        report = document_report(path, load_study(None), progress=False)
    assert len(report) == 1
    reason = report["reason"].iloc[0]
    assert report["status"].iloc[0] == "dropped"
    assert "docs.csv" in reason and "标题, 摘要, 网址" in reason
    assert "--text-column" in reason and "[corpus] text_column" in reason
    assert any("no text column" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


@pytest.mark.parametrize(("name", "data", "says"), [
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a readable Excel workbook"),
    ("page.xls", "<html><table><tr><td>标题</td></tr></table></html>".encode(), "HTML page"),
    ("empty.xlsx", b"", "empty file"),
    ("binary.csv", bytes(range(256)) * 4, "binary file"),
    ("garbage.tsv", bytes(range(0x80, 0x100)) * 8, "undecodable"),
])
def test_unreadable_table_is_one_row_and_a_warning(tmp_path, caplog, name, data, says):
    path = tmp_path / name
    path.write_bytes(data)
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        report = document_report(path, load_study(None), progress=False)
    assert len(report) == 1
    row = report.iloc[0]
    assert row["status"] == "dropped"
    assert row["reason"].startswith(f"unreadable table {name}: ") and says in row["reason"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(name in message and says in message for message in warnings)


def test_the_run_summary_and_coverage_count_regions_one_way():
    """with a province / national / without a region: the same numbers in the printed
    summary and in coverage.csv."""
    import numpy as np

    from policytopics.estimate.weights import coverage, doc_topics_table
    from policytopics.text.documents import summarise_report

    report = pd.DataFrame({"doc_id": list("abcd"), "status": ["kept"] * 4, "reason": [""] * 4,
                           "title": list("abcd"), "date": ["2020-01-01"] * 4, "date_precision": ["day"] * 4,
                           "region": ["浙江省", None, None, "上海市"], "city": [None] * 4,
                           "national": [False, True, False, False], "n_chars": [10] * 4})
    summary = summarise_report(report)
    assert "with a province: 2 of 4" in summary
    assert "national (the source states no region): 1 of 4" in summary
    assert "without a region: 1 of 4" in summary
    doc_topics = doc_topics_table(report, np.full((4, 2), 0.5), {1: "T1", 2: "T2"}, national_label="全国")
    table = coverage(doc_topics, "全国").set_index("what")["n"]
    assert (table["with a province"], table["national"], table["without a region"]) == (2, 1, 1)


def test_rows_are_numbered_one_way_in_every_table_format(tmp_path):
    """A row without an id is named by its number as the file's viewer shows it: the
    spreadsheet row (headers in row 1) for CSV, TSV and Excel, the line for JSON lines."""
    pytest.importorskip("openpyxl")
    table = articles(2)
    write_delimited(table, tmp_path / "a.csv", "utf-8")
    write_delimited(table, tmp_path / "b.tsv", "gb18030", sep="\t")
    with pd.ExcelWriter(tmp_path / "c.xlsx", engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name="S", index=False)
    (tmp_path / "d.jsonl").write_text(
        "\n".join(table.rename(columns={"正文": "text"}).to_json(orient="records", lines=True,
                                                               force_ascii=False).splitlines()) + "\n",
        encoding="utf-8")
    report = document_report(tmp_path, load_study(None), progress=False)
    assert sorted(report["doc_id"]) == ["a:2", "a:3", "b:2", "b:3", "c:S:2", "c:S:3", "d:1", "d:2"]


def test_two_columns_of_one_name_are_an_error_naming_the_file_and_columns(tmp_path):
    """#31: two 正文 columns (a CSV, a sheet): which holds the text is unclear, so the table
    is one report row saying so, not silently the first one. A repeated column that is not
    taken for any field does no harm."""
    openpyxl = pytest.importorskip("openpyxl")
    text = articles(1).loc[0, "正文"]
    (tmp_path / "twice.csv").write_text(f"标题,正文,正文\n甲,摘要,{text}\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.title = "S"
    for row in (["正文", "标题", "正文："], [text, "甲", "摘要"]):
        book.active.append(row)
    book.save(tmp_path / "twice.xlsx")
    (tmp_path / "notes.csv").write_text(f"备注,正文,备注\n一,{text},二\n", encoding="utf-8")
    docs = list(iter_documents([tmp_path / "twice.csv", tmp_path / "twice.xlsx", tmp_path / "notes.csv"]))
    assert [d.error for d in docs] == [
        "twice.csv has 2 columns named '正文' (columns 2, 3), taken for the text: which one to read "
        "is unclear; rename or remove the others and read the file again",
        "twice.xlsx [S] has 2 columns named '正文', '正文：' (columns 1, 3), taken for the text: which "
        "one to read is unclear; rename or remove the others and read the file again",
        None]
    assert docs[2].text == text


def _as_page_html(text: str) -> str:
    """An article as a crawler stores a government page's body: a TRS editor's divs, its
    <style> block, a share script, &nbsp; indents and <br> breaks."""
    style = ("<style type=\"text/css\">.TRS_Editor P{margin-top:0px;margin-bottom:12px;line-height:1.8;"
             "font-family:宋体;font-size:12pt;}.TRS_Editor DIV{font-family:宋体;font-size:12pt;}"
             ".TRS_Editor TD{font-family:宋体;font-size:12pt;}.TRS_Editor IMG{border:0;}</style>")
    script = ("<script type=\"text/javascript\">var shareTitle=document.title;function shareTo(site)"
              "{window.open('https://service.weibo.com/share/share.php?url='"
              "+encodeURIComponent(location.href)"
              "+'&title='+shareTitle);}</script>")
    paragraphs = "".join(f"<p style=\"text-indent:2em\">&nbsp;&nbsp;{sentence}。</p>"
                         for sentence in text.rstrip("。").split("。"))
    return (f"<div class=\"TRS_Editor\">{style}<div class=\"Custom_UnionStyle\">{paragraphs}"
            f"<p><span style=\"font-family:仿宋_GB2312\">附件：</span><br/>重点项目清单</p></div></div>"
            f"{script}")


def test_raw_page_html_in_a_text_column_is_stripped_to_its_text(tmp_path):
    frame = articles(10)
    plain = frame["正文"].tolist()
    for i in (3, 7):
        frame.loc[i, "正文"] = _as_page_html(plain[i])
        frame.loc[i, "标题"] = f"<span>关于第{i + 1}批重点项目的通知</span>&nbsp;"
    write_delimited(frame, tmp_path / "pages.csv", "utf-8")
    report = document_report(tmp_path, load_study(None), progress=False)
    assert (report["status"] == "kept").all(), report.loc[report["status"] != "kept", "reason"].tolist()
    for i in (3, 7):
        text = report["text"][i]
        for markup in ("<", ">", "&nbsp", "TRS_Editor", "font-family", "shareTitle", "style="):
            assert markup not in text, (markup, text[:200])
        assert text.startswith(plain[i].split("，")[0]) and "重点项目清单" in text
        assert report["title"][i] == f"关于第{i + 1}批重点项目的通知"
        assert report["removed_markup"][i] > 0
    assert report["text"][0].startswith(plain[0].split("，")[0]) and report["removed_markup"][0] == 0


def test_an_empty_table_is_a_report_row(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl.gz").write_bytes(gzip.compress(b"\n\n  \n"))
    pd.DataFrame({"text": pd.Series([], dtype=str)}).to_parquet(tmp_path / "none.parquet")
    report = document_report(tmp_path, progress=False).set_index("doc_id")
    assert report.loc["empty", "reason"] == "unreadable table empty.jsonl: no JSON line in it (an empty file)"
    assert report.loc["blank", "reason"].startswith("unreadable table blank.jsonl.gz: no JSON line")
    assert report.loc["none", "reason"] == "none.parquet has no rows (a header only, or nothing)"
