"""Tables as researchers have them: Excel sheets, CSV/TSV in GB18030 and friends,
Chinese headers, dates written every usual way, and unreadable files reported."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import logging
import random

import pandas as pd
import pytest

from policytopics import document_report, load_study
from policytopics.read.files import iter_documents
from policytopics.read.tables import COLUMN_ALIASES, date_text, find_columns
from policytopics.settings.config import CorpusConfig
from policytopics.text.dates import parse_date_value

PHRASES = [
    "推动制造业高质量发展", "加快建设现代化产业体系", "培育先进制造业集群", "提升产业链供应链韧性",
    "促进数字经济和实体经济深度融合", "实施创新驱动发展战略", "强化企业科技创新主体地位",
    "推进新型工业化", "发展战略性新兴产业", "加强关键核心技术攻关", "优化营商环境",
    "扩大高水平对外开放", "稳步推进碳达峰碳中和", "加快绿色低碳转型", "完善现代物流体系",
    "支持中小企业专精特新发展", "深化国有企业改革", "健全人才培养机制", "推动区域协调发展",
    "加强知识产权保护", "建设高标准市场体系", "提高公共服务水平", "扩大有效投资",
    "促进消费持续恢复", "夯实粮食安全根基", "推进乡村全面振兴", "提升城市治理能力",
    "加快发展现代服务业", "强化金融服务实体经济", "推动工业互联网平台建设", "完善社会保障体系",
    "加大研发投入力度", "培育壮大新动能", "推进智能制造试点示范", "加强生态环境保护",
    "深化科技体制改革", "支持民营经济发展壮大", "推进标准化建设", "做好就业优先工作",
    "加快新型基础设施建设",
]
PROVINCES = ["山东省", "浙江省", "广东省", "江苏省", "四川省", "湖北省", "河南省", "福建省"]


def articles(n: int = 40) -> pd.DataFrame:
    """``n`` distinct articles (well over 50 Chinese characters) with Chinese headers."""
    rows = []
    for i in range(n):
        rng = random.Random(i)
        sentences = ["，".join(rng.sample(PHRASES, 4)) + "。" for _ in range(4)]
        rows.append({"标题": f"关于第{i + 1}批重点项目的通知", "正文": "".join(sentences),
                     "发布时间": f"2013年08月{i % 28 + 1:02d}日", "省份": PROVINCES[i % len(PROVINCES)]})
    return pd.DataFrame(rows)


def write_delimited(frame: pd.DataFrame, path, encoding: str, sep: str = ",") -> None:
    path.write_bytes(frame.to_csv(index=False, sep=sep).encode(encoding))


def iso_day(i: int) -> str:
    return f"2013-08-{i % 28 + 1:02d}"


def check_report(report: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert len(report) == len(expected)
    assert (report["status"] == "kept").all(), report.loc[report["status"] != "kept", "reason"].tolist()
    assert report["title"].tolist() == expected["标题"].tolist()
    assert report["date"].tolist() == [iso_day(i) for i in range(len(expected))]
    assert set(report["date_source"]) == {"column"}
    assert report["region"].tolist() == expected["省份"].tolist()
    assert set(report["region_source"]) == {"column"}


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


DATE_FORMS = [
    ("2024-03-05", "2024-03-05", "day"),
    ("2024/3/5", "2024-03-05", "day"),
    ("2024.03.05", "2024-03-05", "day"),
    ("20240305", "2024-03-05", "day"),
    ("2024年3月5日", "2024-03-05", "day"),
    ("2013年08月21日", "2013-08-21", "day"),
    ("2024-03-05 10:30:00", "2024-03-05", "day"),
    ("2024年3月", "2024-03", "month"),
    ("2024", "2024", "year"),
]


@pytest.mark.parametrize(("written", "iso", "precision"), DATE_FORMS, ids=[f[0] for f in DATE_FORMS])
def test_each_date_form_in_a_csv(tmp_path, written, iso, precision):
    path = tmp_path / "docs.csv"
    write_delimited(pd.DataFrame({"正文": ["推动制造业高质量发展"], "发布时间": [written]}), path, "gb18030")
    (doc,) = iter_documents([path])
    assert parse_date_value(doc.date) == (iso, precision)


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


def test_date_text_of_python_and_pandas_values():
    assert date_text(pd.Timestamp("2024-03-05 10:00")) == "2024-03-05"
    assert date_text(dt.date(2024, 3, 5)) == "2024-03-05"
    assert date_text(pd.NaT) is None and date_text(float("nan")) is None and date_text("  ") is None
    assert date_text(45356) == "45356"  # outside Excel a number is not a serial day: reported, not guessed
    assert date_text(45356.75, excel=True) == "2024-03-05"
    assert date_text(7, excel=True) == "number 7"


def test_parquet_and_jsonl_with_chinese_headers(tmp_path):
    frame = pd.DataFrame({"题目": ["甲"], "全文": ["推动制造业高质量发展"],
                          "发布日期": [pd.Timestamp("2022-06-01")], "来源": ["人民网"]})
    frame.to_parquet(tmp_path / "a.parquet")
    frame.assign(发布日期="2022-06-01").to_json(tmp_path / "b.jsonl", orient="records", lines=True,
                                             force_ascii=False)
    docs = list(iter_documents([tmp_path / "a.parquet", tmp_path / "b.jsonl"]))
    assert [(d.title, d.text, d.date, d.publisher) for d in docs] == [
        ("甲", "推动制造业高质量发展", "2022-06-01", "人民网")] * 2


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


def test_every_table_suffix_has_its_reader():
    from policytopics.read.tables import EXCEL_SUFFIXES, SINGLE_TABLE_SUFFIXES, TABLE_READERS, TABLE_SUFFIXES

    assert set(TABLE_READERS) == set(SINGLE_TABLE_SUFFIXES)
    assert set(TABLE_SUFFIXES) == set(SINGLE_TABLE_SUFFIXES) | set(EXCEL_SUFFIXES)


def test_each_jsonl_line_stands_alone(tmp_path, caplog):
    """#31: a first object without ``text`` and one invalid UTF-8 byte each cost their own
    line at most, never the file; a bad line is a report row naming its line number."""
    import json

    texts = articles(4)["正文"].tolist()
    lines = [json.dumps({"title": "目录", "note": "没有正文"}, ensure_ascii=False).encode()]
    lines += [json.dumps({"title": f"第{i}篇", "text": text}, ensure_ascii=False).encode()
              for i, text in enumerate(texts)]
    lines.insert(3, b'{"title": "broken", "text": "\xe6\x8e\xa8')  # not JSON: cut short
    damaged = bytearray(lines[2])
    at = damaged.index(texts[1][5].encode())
    damaged[at + 1] = 0xFF  # one bad byte inside the sixth character of the second article
    lines[2] = bytes(damaged)
    path = tmp_path / "stories.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        docs = list(iter_documents([path]))
    assert [d.doc_id for d in docs] == [f"stories:{i}" for i in range(1, 7)]
    assert [d.error for d in docs] == ["no text column 'text' in line 1 of stories.jsonl", None, None,
                                       "line 4 of stories.jsonl is not valid JSON", None, None]
    kept = [d for d in docs if d.error is None]
    assert [d.title for d in kept] == ["第0篇", "第1篇", "第2篇", "第3篇"]
    assert [d.text for d in kept[::2]] == texts[::2] and kept[3].text == texts[3]
    assert kept[1].text.replace("\ufffd", "") == texts[1][:5] + texts[1][6:]
    assert kept[1].encoding.endswith("line 3: 1 damaged place(s) replaced by \ufffd")
    assert "line 3 is not valid UTF-8" in caplog.text


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


# --- hostile tables (#37) ---------------------------------------------------------------

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


def test_a_line_over_the_size_limit_is_a_report_row_never_read_whole(tmp_path):
    rows = articles(3)
    lines = [json.dumps({"text": text}, ensure_ascii=False) for text in rows["正文"]]
    lines.insert(1, json.dumps({"text": "长" * 400_000}, ensure_ascii=False))  # 1.2 MB
    path = tmp_path / "docs.jsonl.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(b"\n" * 3_000_000 + "\n".join(lines).encode("utf-8") + b"\n\n")
    config = load_study(None, corpus__max_document_mb=1)
    report = document_report(path, config, progress=False).set_index("doc_id")
    assert report["status"].tolist() == ["kept", "dropped", "kept", "kept"]
    assert report.index.tolist() == [f"docs:{n}" for n in range(3_000_001, 3_000_005)]  # lines counted
    reason = report.loc["docs:3000002", "reason"]
    assert reason.startswith("over [corpus] max_document_mb (line 3000002 of docs.jsonl.gz holds 1.2 MB of "
                             "text, more than 1 MB: not read")


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


def test_an_empty_table_is_a_report_row(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl.gz").write_bytes(gzip.compress(b"\n\n  \n"))
    pd.DataFrame({"text": pd.Series([], dtype=str)}).to_parquet(tmp_path / "none.parquet")
    report = document_report(tmp_path, progress=False).set_index("doc_id")
    assert report.loc["empty", "reason"] == "unreadable table empty.jsonl: no JSON line in it (an empty file)"
    assert report.loc["blank", "reason"].startswith("unreadable table blank.jsonl.gz: no JSON line")
    assert report.loc["none", "reason"] == "none.parquet has no rows (a header only, or nothing)"


def test_parquet_cells_of_every_arrow_type_are_read_as_text(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = articles(4)
    arrow = pa.table({
        "text": pa.array([t.encode("utf-8") for t in table["正文"]], type=pa.binary()),
        "title": pa.array([[t, "（第二部分）"] for t in table["标题"]], type=pa.list_(pa.string())),
        "region": pa.array([{"name": "浙江省", "code": 33}, {"name": "山东省", "code": 37},
                            {"name": None, "code": None}, None],
                           type=pa.struct([("name", pa.string()), ("code", pa.int64())])),
        "national": pa.array([True, False, True, False]),
        "date": pa.array(["2024-01-02"] * 4),
    })
    pq.write_table(arrow, tmp_path / "typed.parquet")
    report = document_report(tmp_path / "typed.parquet", progress=False)
    assert (report["status"] == "kept").all(), report["reason"].tolist()
    assert report["title"].tolist() == [f"{t} （第二部分）" for t in table["标题"]]
    assert report["region"].tolist()[:2] == ["浙江省", "山东省"]
    # A true/false column taken for the region is no region: the groups are never "True".
    pq.write_table(arrow.drop(["region"]).rename_columns(["text", "title", "region", "date"]),
                   tmp_path / "flags.parquet")
    flags = document_report(tmp_path / "flags.parquet", progress=False)
    assert not flags["region"].isin(["True", "False"]).any()
    assert "holds true/false, not a region" in flags["encoding"].iloc[0]
