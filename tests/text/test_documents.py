import re

import pandas as pd
import pytest

from policytopics import document_report
from policytopics.read.records import RawDocument
from policytopics.settings.config import CleanConfig
from policytopics.text.clean import REMOVAL_RULES
from policytopics.text.documents import (
    REMOVAL_COLUMNS,
    document_report_chunks,
    document_row,
    summarise_report,
)

TEXT = "推动制造业高质量发展，加快建设现代化产业体系。"


def test_binary_and_empty_files_are_reported_not_fatal(tmp_path):
    (tmp_path / "a.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text(TEXT * 5, encoding="gb18030")
    report = document_report(tmp_path, progress=False).set_index("doc_id")
    assert report.loc["a", "status"] == "dropped" and "binary" in report.loc["a", "reason"]
    assert report.loc["b", "reason"] == "empty file"
    assert report.loc["c", "status"] == "kept"
    assert report.loc["c", "encoding"] == "gb18030"


def test_every_document_is_accounted_for_and_duplicates_point_to_the_kept_one(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT * 4, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT * 4 + "\n", encoding="utf-8")
    english = "This page is in English only, nothing Chinese here at all."
    (tmp_path / "c.txt").write_text(english, encoding="utf-8")
    (tmp_path / "d.txt").write_text("短文。", encoding="utf-8")
    report = document_report(tmp_path, progress=False).set_index("doc_id")
    assert len(report) == 4
    assert report.loc["b", "status"] == "duplicate" and report.loc["b", "duplicate_of"] == "a"
    assert report.loc["c", "reason"].startswith(("not mainly Chinese", "empty after cleaning"))
    assert report.loc["d", "reason"].startswith("too short")


def test_metadata_csv_overrides_extraction(tmp_path):
    (tmp_path / "a.txt").write_text("发布时间:2020-01-02\n" + "杭州" + TEXT * 4, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,date,region\na.txt,2021-03-04,上海市\n", encoding="utf-8")
    row = document_report(tmp_path, progress=False).iloc[0]
    assert (row["date"], row["date_source"]) == ("2021-03-04", "metadata.csv")
    assert (row["region"], row["region_source"]) == ("上海市", "metadata.csv")


def test_a_province_written_many_ways_is_one_region(tmp_path):
    # A table's region column as researchers fill it: short, full, English, traditional.
    written = ["浙江", "浙江省", "Zhejiang", "Zhejiang Province", "廣東省", "广东", "宁波市", ""]
    sentences = ["推动制造业高质量发展。", "加快建设现代化产业体系。", "扩大高水平对外开放。",
                 "全面推进乡村振兴。", "持续改善生态环境质量。", "稳步提高社会保障水平。",
                 "防范化解重大风险。", "深化科技体制改革。"]
    texts = [sentence * 8 for sentence in sentences]
    pd.DataFrame({"标题": [f"报告{i}" for i in range(len(written))], "正文": texts, "地区": written}
                 ).to_csv(tmp_path / "reports.csv", index=False, encoding="utf-8-sig")
    (tmp_path / "metadata.csv").write_text("doc_id,region\nreports:9,Guangdong\n", encoding="utf-8")
    report = document_report(tmp_path, progress=False)
    assert report["status"].eq("kept").all()
    assert report["region"].tolist() == ["浙江省"] * 4 + ["广东省"] * 2 + ["宁波市", "广东省"]
    assert report["region_source"].tolist() == ["column"] * 7 + ["metadata.csv"]


def test_documents_outside_the_study_dates_are_dropped_with_their_date(tmp_path):
    from policytopics import load_study

    years = ["1985", "2003", "2010-06-01", "2025", "2026", ""]
    texts = [f"{TEXT}第{i}段。" * 6 + "加快建设农业强省。" * i for i in range(len(years))]
    pd.DataFrame({"title": [f"r{i}" for i in range(len(years))], "text": texts, "date": years}
                 ).to_csv(tmp_path / "reports.csv", index=False)
    # A copy of the 2003 report dated 1985: the one inside the dates is kept, not marked a duplicate.
    pd.DataFrame({"title": ["copy"], "text": [texts[1]], "date": ["1985"]}
                 ).to_csv(tmp_path / "a.csv", index=False)
    config = load_study(None, corpus__date_from="2003", corpus__date_to="2025")
    report = document_report(tmp_path, config, progress=False).set_index("doc_id")
    assert report.loc["reports:3", "status"] == "kept" and report.loc["a:2", "status"] == "dropped"
    assert report.loc["reports:2", "reason"] == ("outside the study's dates 2003 to 2025 "
                                                 "(dated 1985; [corpus] date_from, date_to)")
    assert "(dated 2026;" in report.loc["reports:6", "reason"]
    # The run's summary counts them under one reason, whatever their dates.
    assert "  outside the study's dates 2003 to 2025: 3" in summarise_report(report.reset_index())
    assert report.loc[["reports:4", "reports:5", "reports:7"], "status"].eq("kept").all()  # undated: kept
    with pytest.raises(ValueError, match="date_from '2030' is after date_to '2025'"):
        load_study(None, corpus__date_from="2030", corpus__date_to="2025")
    with pytest.raises(ValueError, match="date_to must be a date"):
        load_study(None, corpus__date_to="2025/1")


def test_near_duplicate_repost_is_marked_in_the_report(tmp_path):
    article = ("推动制造业高端化、智能化、绿色化发展,加快建设现代化产业体系。"
               "各地要发挥比较优势,培育先进制造业集群,提升产业链供应链韧性和安全水平。") * 3
    (tmp_path / "a.txt").write_text("当前位置:首页 > 新闻\n" + article, encoding="utf-8")
    (tmp_path / "b.txt").write_text(article.replace("各地", "各省") + "\n责任编辑:某某", encoding="utf-8")
    report = document_report(tmp_path, progress=False).set_index("doc_id")
    assert report.loc["b", "status"] == "duplicate"
    assert report.loc["b", "duplicate_of"] == "a"
    assert report.loc["b", "reason"].startswith("near-duplicate")


def test_ingest_in_worker_processes_gives_the_same_report(samples, tmp_path):
    import shutil

    from policytopics.settings.config import load_study

    for path in samples.iterdir():
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "short.txt").write_text("太短", encoding="utf-8")
    (tmp_path / "repost.txt").write_bytes(next(samples.glob("*.txt")).read_bytes())
    (tmp_path / "metadata.csv").write_text("file,region\nshort.txt,湖南\n", encoding="utf-8")
    serial = document_report(tmp_path, load_study(None, workers=1), progress=False)
    parallel = document_report(tmp_path, load_study(None, workers=2, compute__chunk_size=2), progress=False)
    pd.testing.assert_frame_equal(parallel, serial)
    assert set(serial["status"]) == {"kept", "dropped", "duplicate"}
    # In parts of two rows (and chunks of one document), as the documents stage writes it: the
    # same rows, the repost named a duplicate of a document of an earlier part.
    config = load_study(None, workers=1, compute__chunk_size=1)
    parts = list(document_report_chunks(tmp_path, config, progress=False, rows=2))
    assert len(parts) > 2 and all(len(part) >= 2 for part in parts[:-1])
    def values(frame):  # a part whose column is all None has it as objects, not text
        return frame.astype(object).where(frame.notna(), None)

    pd.testing.assert_frame_equal(values(pd.concat(parts, ignore_index=True)), values(serial))
    part_of = {doc_id: i for i, part in enumerate(parts) for doc_id in part["doc_id"]}
    copy = serial[serial["status"] == "duplicate"].iloc[0]
    assert part_of[copy["duplicate_of"]] < part_of[copy["doc_id"]]


def test_each_cleaning_rule_counts_in_its_own_column(samples):
    report = document_report(samples, progress=False)
    counts = report[list(REMOVAL_COLUMNS)]
    assert counts.dtypes.map(lambda t: t.kind == "i").all()
    # The samples carry pinyin glued to characters, spam lines, breadcrumbs and related lists.
    for rule in ("pinyin_annotation", "spam_line", "navigation", "related_list"):
        assert counts[f"removed_{rule}"].sum() > 0, rule
    text = "调(diào)研制造业\n首页 > 新闻 > 要闻\n" + TEXT * 3
    row = document_row(RawDocument("a", "a.txt", text), CleanConfig())
    assert row["removed_pinyin_annotation"] == 1 and row["removed_navigation"] == 1
    assert sum(row[c] for c in REMOVAL_COLUMNS) == 2


def test_a_rule_without_its_column_is_an_error_not_a_lost_count(monkeypatch):
    from policytopics.text import clean, documents

    def cleaned_with_a_new_rule(text, config=None):
        result = clean.clean_text(text, config)
        result.removed["new_rule"] += 1
        return result

    monkeypatch.setattr(documents, "clean_text", cleaned_with_a_new_rule)
    with pytest.raises(ValueError, match="new_rule"):
        document_row(RawDocument("a", "a.txt", TEXT * 3), CleanConfig())
    assert "new_rule" not in REMOVAL_RULES


def test_metadata_csv_in_gbk_is_read_and_rows_matching_nothing_are_named(tmp_path, caplog):
    """#31: a metadata.csv saved by Excel on a Chinese Windows (GBK) is read like any table;
    rows that match no document are a warning naming the file and their ids; an error
    names the file."""
    (tmp_path / "a.txt").write_text("杭州" + TEXT * 4, encoding="utf-8")
    table = tmp_path / "metadata.csv"
    table.write_bytes("file,region,title\na.txt,上海市,关于甲的通知\nb.txt,浙江省,\n乙,,标题\n".encode("gbk"))
    with caplog.at_level("WARNING", logger="policytopics"):
        row = document_report(tmp_path, progress=False).iloc[0]
    assert (row["region"], row["region_source"], row["title"]) == ("上海市", "metadata.csv", "关于甲的通知")
    assert f"{table}: 2 row(s) match no document read, so their values are not used: b, 乙" in caplog.text
    table.write_bytes("doc_id,date\na,去年春天\n".encode("gbk"))
    with pytest.raises(ValueError, match=f"^{re.escape(str(table))}: '去年春天' for a is not a date"):
        document_report(tmp_path, progress=False)
    table.write_bytes(bytes(range(0x80, 0x100)) * 8)
    with pytest.raises(ValueError, match=f"^{re.escape(str(table))}: undecodable"):
        document_report(tmp_path, progress=False)


def test_an_empty_folder_says_nothing_was_found_not_that_nothing_was_kept(tmp_path):
    from policytopics.text.documents import kept_documents

    (tmp_path / "articles").mkdir()
    with pytest.raises(ValueError, match="no document found in the corpus paths"):
        kept_documents(document_report(tmp_path / "articles", progress=False))
    (tmp_path / "articles" / "a.txt").write_text("太短", encoding="utf-8")
    with pytest.raises(ValueError, match="none of the 1 documents found was kept after cleaning"):
        kept_documents(document_report(tmp_path / "articles", progress=False))


def test_a_placeholder_region_is_a_national_document_not_a_group(tmp_path):
    # #37: N/A, 无, 中国, China, national in a region column became region groups of their own;
    # they say what an empty cell says (the source states no province), and metadata.csv
    # saying 全国 makes a document national too. Invisible characters make no group.
    written = ["N/A", "无", "中国", "China", "national", "", "浙\u200b江", "\u200f浙江省"]
    texts = [f"{TEXT}第{i}段。" * 6 + "加快建设农业强省。" * i for i in range(len(written))]
    pd.DataFrame({"标题": [f"报告{i}" for i in range(len(written))], "正文": texts, "地区": written}
                 ).to_csv(tmp_path / "reports.csv", index=False, encoding="utf-8-sig")
    (tmp_path / "metadata.csv").write_text("doc_id,region\nreports:9,全国\n", encoding="utf-8")
    report = document_report(tmp_path, progress=False)
    assert report["status"].eq("kept").all()
    # reports:9 (the last row) is 全国 by metadata.csv: national, as an empty cell would be.
    assert report["region"].fillna("-").tolist() == ["-"] * 6 + ["浙江省", "-"]
    assert report["national"].tolist() == [True] * 6 + [False, True]
    assert report["region_source"].tolist() == ["column: no region stated"] * 6 + ["column", "metadata.csv"]


def test_a_metadata_csv_row_applies_to_one_document(tmp_path, caplog):
    # #37: two rows for one id (the last won silently), and a row for report that both
    # report.txt and report.html (report~2) took.
    (tmp_path / "report.txt").write_text(TEXT * 4, encoding="utf-8")
    (tmp_path / "report.html").write_text("<html><body><p>" + "加快建设农业强省。" * 8 + "</p></body></html>",
                                          encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("doc_id,region\nreport,湖南\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="policytopics"):
        report = document_report(tmp_path, progress=False).set_index("doc_id")
    assert report.loc["report", "region_source"] == "metadata.csv"
    assert report.loc["report~2", "region_source"] != "metadata.csv"
    assert "add a row with doc_id report~2 for it" in caplog.text
    (tmp_path / "metadata.csv").write_text("doc_id,region\nreport,湖南\nreport~2,湖北\nreport,浙江\n",
                                           encoding="utf-8")
    with pytest.raises(ValueError, match=r"metadata\.csv row 4: report has other values in .*metadata\.csv "
                                         r"row 2 .*keep one row per document"):
        document_report(tmp_path, progress=False)


#: A report's header as the provincial corpus writes them: the venue, then the delivery date in
#: brackets (on its line or the next), or the date first (``——2010年1月20日在…``).
def _report(header: list[str], theme: str) -> str:
    return "\n".join(["政府工作报告", *header, "省长 某某", "各位代表：", f"{theme}{TEXT}" * 6])


def _reports_with_a_date_column(folder, years_and_headers) -> None:
    themes = ["推进乡村振兴。", "扩大对外开放。", "改善生态环境。", "防范化解风险。", "深化科技改革。"]
    pd.DataFrame({"title": [f"r{i}" for i in range(len(years_and_headers))],
                  "text": [_report(header, themes[i]) for i, (_, header) in enumerate(years_and_headers)],
                  "date": [year for year, _ in years_and_headers]}
                 ).to_csv(folder / "reports.csv", index=False)


def test_a_date_column_that_the_header_contradicts_is_flagged_and_still_wins(tmp_path, caplog):
    # The provincial corpus's source named Sichuan's files by the year each report reviews: the
    # file "2009" opens "在四川省第十一届人民代表大会第三次会议上（2010年1月26日）" (#36).
    from policytopics import Study, load_study

    _reports_with_a_date_column(tmp_path, [
        ("2009", ["在某省第十一届人民代表大会第三次会议上（2010年1月26日）"]),  # a year early
        ("2010", ["——2010年1月20日在某省第十一届人民代表大会第三次会议上"]),  # agrees at the year
        ("2011-01", ["在某省第十一届人民代表大会第四次会议上", "（2011年1月18日）"]),  # agrees at the month
        # A day column a week after the delivery agrees (posted later); two months apart does not.
        ("2012-03-09", ["在某省第十一届人民代表大会第五次会议上", "（2012年1月10日）"]),
        ("2013", ["（2014年1月5日，征求意见稿）"]),  # a draft's date, no delivery stated: not checked
    ])
    study = Study(load_study(None, corpus=tmp_path, output__cache_dir=tmp_path / "cache"), progress=False)
    with caplog.at_level("WARNING", logger="policytopics"):
        report = study.documents().set_index("doc_id")
        study.documents()
    assert report["text_date"].fillna("").tolist() == ["2010-01-26", "2010-01-20", "2011-01-18",
                                                       "2012-01-10", ""]
    assert report["date_disagrees"].tolist() == [True, False, False, True, False]
    # The column still wins, and the report names the text's date beside it.
    assert report["date"].tolist() == ["2009", "2010", "2011-01", "2012-03-09", "2013"]
    assert report["date_source"].eq("column").all()
    warnings = [r.getMessage() for r in caplog.records if "contradicts" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].startswith("2 document(s)")
    assert "[corpus] text_date_wins = true" in warnings[0]
    summary = summarise_report(report.reset_index())
    assert "dates their own header contradicts: 2 (the date column's used; [corpus] text_date_wins" in summary
    assert "  reports:2 (kept): column 2009, header 2010-01-26" in summary
    assert "  reports:5 (kept): column 2012-03-09, header 2012-01-10" in summary


def test_the_text_date_wins_when_the_study_says_so(tmp_path):
    from policytopics import load_study

    _reports_with_a_date_column(tmp_path, [
        ("2002", ["在某省第十届人民代表大会第一次会议上（2003年1月20日）"]),
        ("2010", ["——2010年1月20日在某省第十一届人民代表大会第三次会议上"]),
    ])
    config = load_study(None, corpus__text_date_wins=True, corpus__date_from="2003")
    report = document_report(tmp_path, config, progress=False).set_index("doc_id")
    # Taken before the study's dates are applied: the 2003 report is in them.
    assert report["status"].eq("kept").all()
    assert report["date"].tolist() == ["2003-01-20", "2010"]
    assert report.loc["reports:2", "date_source"] == ("header: delivery or issue date, "
                                                      "over the date column's 2002")
    assert report["date_disagrees"].tolist() == [True, False]
    assert "(the text's date taken)" in summarise_report(report.reset_index())
    assert "column 2002, header 2003-01-20" in summarise_report(report.reset_index())


@pytest.mark.corpora
def test_the_corrected_provincial_corpus_dates_sichuan_right_and_the_check_finds_the_old_error(corpora,
                                                                                              tmp_path):
    # Only Sichuan's 22 reports, read from the shared corpus into the temporary folder.
    import gzip
    import json

    with gzip.open(corpora / "gwr_provincial.jsonl.gz", "rt", encoding="utf-8") as fh:
        sichuan = [row for row in map(json.loads, fh) if row["region"].startswith("四川")]
    assert len(sichuan) == 22 and len({row["date"] for row in sichuan}) == 22
    (tmp_path / "now").mkdir()
    (tmp_path / "before").mkdir()
    pd.DataFrame(sichuan).to_json(tmp_path / "now" / "sichuan.jsonl", orient="records", lines=True,
                                  force_ascii=False)
    report = document_report(tmp_path / "now", progress=False)
    assert not report["date_disagrees"].any()
    assert report["text_date"].notna().sum() >= 12
    # Filed again under the year each report reviews, as the source and a copy made before
    # 2026-12-05 did: the check names the reports whose header dates them (12 through 2020).
    shifted = [{**row, "date": str(int(row["date"]) - 1) if int(row["date"]) <= 2020 else row["date"]}
               for row in sichuan]
    pd.DataFrame(shifted).to_json(tmp_path / "before" / "sichuan.jsonl", orient="records", lines=True,
                                  force_ascii=False)
    named = document_report(tmp_path / "before", progress=False).query("date_disagrees")
    assert len(named) == 12
    assert (named["text_date"].str[:4].astype(int) == named["date"].astype(int) + 1).all()


def test_the_report_holds_no_python_text_or_row_dictionaries(tmp_path):
    """The documents stage keeps its rows by column and its texts as the workers send them
    (Arrow arrays), so its Python heap grows by under 200 bytes a document here (the column
    lists), no longer by each text and a dictionary per row (2.6 kB before; tracemalloc)."""
    import json
    import random
    import tracemalloc

    from policytopics.settings.config import load_study

    rng = random.Random(5)
    words = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    article = ["。".join("".join(rng.choices(words, k=30)) for _ in range(20)) + "。" for _ in range(180)]
    with (tmp_path / "docs.jsonl").open("w", encoding="utf-8") as fh:
        for i, text in enumerate(article):
            fh.write(json.dumps({"id": i, "title": f"标题{i}", "text": text}, ensure_ascii=False) + "\n")
    config = load_study(None, workers=1, compute__chunk_size=30, clean__near_duplicate_threshold=0)
    document_report(tmp_path, config, progress=False)  # the word lists, modules and caches fill first
    peaks = {}
    tracemalloc.start()
    for limit in (60, 180):  # what it grows by, fixed costs (the reader's buffer) aside
        tracemalloc.reset_peak()
        report = document_report(tmp_path, config, limit=limit, progress=False)
        peaks[limit] = tracemalloc.get_traced_memory()[1]
        assert (report["status"] == "kept").all()
        del report
    tracemalloc.stop()
    per_document = (peaks[180] - peaks[60]) / 120
    assert per_document < 1_000
