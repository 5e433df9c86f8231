"""Excel workbooks as researchers have them: every sheet, a title line above the headers,
merged title cells, dates as serial days in the 1900 and 1904 systems."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest
from table_samples import PHRASES, articles, check_report

from policytopics import document_report, load_study
from policytopics.read.files import iter_documents


def test_same_table_as_xlsx_keeps_every_article(tmp_path):
    pytest.importorskip("openpyxl")
    table = articles()
    path = tmp_path / "政策文件.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name="2013年", index=False)
    report = document_report(path, load_study(None), progress=False)
    check_report(report, table)
    assert report["encoding"].iloc[0] == "xlsx; columns: 正文→text, 标题→title, 发布时间→date, 省份→region"
    assert report["doc_id"].iloc[0] == "政策文件:2013年:2"  # Excel's row number; row 1 holds the headers
    assert report["source"].iloc[0].endswith("政策文件.xlsx#2013年!2")


def test_every_sheet_is_read_and_ids_stay_unique(tmp_path):
    pytest.importorskip("openpyxl")
    table = articles(6).assign(编号=[1, 2, 3, 1, 2, 3])
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        table.iloc[:3].to_excel(writer, sheet_name="国家", index=False)
        table.iloc[3:].to_excel(writer, sheet_name="地方", index=False)
        pd.DataFrame().to_excel(writer, sheet_name="空白", index=False)
    docs = list(iter_documents([path]))
    assert [d.doc_id for d in docs] == ["book:国家:1", "book:国家:2", "book:国家:3",
                                        "book:地方:1", "book:地方:2", "book:地方:3"]
    assert [d.title for d in docs] == table["标题"].tolist()


def test_headers_below_a_title_line_and_blank_rows_in_a_sheet(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append(["2024年政策文件汇总"])
    sheet.append([])
    sheet.append(["序号", "题目", "内容", "发布日期"])
    sheet.append([1, "第一篇", "正文一", dt.datetime(2024, 3, 5, 9, 30)])
    sheet.append([])
    sheet.append([2, "第二篇", "正文二", dt.date(2023, 12, 1)])
    book.save(tmp_path / "汇总.xlsx")
    (tmp_path / "~$汇总.xlsx").write_bytes(b"lock file of an open workbook")
    docs = list(iter_documents([tmp_path]))
    assert [(d.title, d.text, d.date) for d in docs] == [("第一篇", "正文一", "2024-03-05"),
                                                          ("第二篇", "正文二", "2023-12-01")]
    assert [d.source.rsplit("!", 1)[1] for d in docs] == ["4", "6"]


def test_excel_date_cells_serials_and_numbers(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    cells = [dt.datetime(2024, 3, 5, 14, 0), dt.date(2013, 8, 21), 45356, 2024, 20240305,
             "2024年3月", "2024/3/5", "去年春天", 2024.1]
    expected = [("2024-03-05", "column"), ("2013-08-21", "column"), ("2024-03-05", "column"),
                ("2024", "column"), ("2024-03-05", "column"), ("2024-03", "column"),
                ("2024-03-05", "column"), (None, "column value not a date: '去年春天'"),
                (None, "column value not a date: 'number 2024.1'")]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["正文", "日期"])
    rng = random.Random(0)
    for cell in cells:
        sheet.append(["。".join(rng.sample(PHRASES, 10)) + "。", cell])
    book.save(tmp_path / "dates.xlsx")
    report = document_report(tmp_path / "dates.xlsx", load_study(None), progress=False)
    assert (report["status"] == "kept").all(), report["reason"].tolist()
    got = [(None if pd.isna(d) else d, s) for d, s in zip(report["date"], report["date_source"])]
    assert got == expected


def test_rows_under_a_merged_title_cell_carry_the_title(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "S"
    sheet.append(["标题", "正文", "发布时间", "省份"])
    table = articles(3)
    for _, row in table.iterrows():
        sheet.append(["关于重点项目的通知", row["正文"], row["发布时间"], row["省份"]])
    sheet.merge_cells("A2:A4")
    book.save(tmp_path / "merged.xlsx")
    report = document_report(tmp_path / "merged.xlsx", load_study(None), progress=False)
    assert report["title"].tolist() == ["关于重点项目的通知"] * 3


def test_a_sheet_without_a_header_row_gets_a_brief_reason_and_a_flag_run_accepts(tmp_path, capsys):
    """The first row is an article, not headers: the reason quotes it briefly, and the flag it
    names works with run as with ingest."""
    openpyxl = pytest.importorskip("openpyxl")
    table = articles(6)
    book = openpyxl.Workbook()
    for row in table[["标题", "正文", "发布时间"]].values.tolist():
        book.active.append(row)
    path = tmp_path / "no_header.xlsx"
    book.save(path)
    report = document_report(path, load_study(None), progress=False)
    reason = report["reason"].iloc[0]
    assert len(report) == 1 and "no header row" in reason and "--text-column" in reason
    assert len(reason) < 600 and table.loc[0, "正文"] not in reason  # the article is not quoted whole
    from policytopics.cli import main

    column = table.loc[0, "正文"]  # with no header row, the first article is the column's name
    code = main(["run", "--corpus", str(path), "--text-column", column, "--topics", "2", "--out",
                 str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"), "--formats", "none",
                 "--no-progress", "-q"])
    assert code == 0 and "kept: 5" in capsys.readouterr().out


def test_a_workbook_in_the_1904_date_system_gives_the_right_dates(tmp_path):
    """#31: Excel for Mac's 1904 date system: date cells and serial days that lost their
    date format both give the date the sheet shows, not one four years and a day early."""
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    texts = articles(3)["正文"].tolist()
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["正文", "日期"])
    sheet.append([texts[0], dt.datetime(2024, 3, 5, 9, 30)])
    sheet.append([texts[1], dt.date(2013, 8, 21)])
    sheet.append([texts[2], (dt.date(2024, 3, 5) - dt.date(1904, 1, 1)).days])  # a bare serial day
    book.save(tmp_path / "mac.xlsx")
    assert [d.date for d in iter_documents([tmp_path / "mac.xlsx"])] == [
        "2024-03-05", "2013-08-21", "2024-03-05"]
