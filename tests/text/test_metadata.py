"""The metadata of one whole document: the samples' dates and regions, column dates, metadata.csv."""

import pandas as pd
import pytest

from policytopics import document_report

# Read off the five sample articles by hand.
EXPECTED = {
    "000_46a4b63bdb78f1a1": ("上海市", None),
    "001_b6089d93f02b510f": ("上海市", "2023-04-24"),
    "002_004ec484613678ce": ("天津市", "2024-02-14"),
    "003_fe4147fb46006f20": ("浙江省", None),
    "004_9cfb5b4604b70f4b": ("江苏省", "2024-06-04"),
}


def test_samples_get_the_right_region_and_date(samples):
    report = document_report(samples, progress=False).set_index("doc_id")
    for doc_id, (region, date) in EXPECTED.items():
        assert report.loc[doc_id, "region"] == region, doc_id
        found = report.loc[doc_id, "date"]
        assert (None if pd.isna(found) else found) == date, doc_id
    assert report.loc["003_fe4147fb46006f20", "city"] == "宁波市"
    assert report.loc["004_9cfb5b4604b70f4b", "city"] == "徐州市"


def test_a_column_date_out_of_range_says_so_and_gives_way_to_the_texts_date(tmp_path):
    # #37: real dates outside 1900 to next year were "not a date", and the date the text
    # states was not used; a value that is no date gives way to it as well.
    text = "发布时间：2021-05-06\n" + "推动制造业高质量发展，加快建设现代化产业体系。" * 5
    written = ["2099-06-01", "9999-12-31", "1899-12-30", "去年春天"]
    pd.DataFrame({"title": [f"t{i}" for i in range(4)], "text": [f"{text}第{i}条。" for i in range(4)],
                  "date": written}).to_csv(tmp_path / "x.csv", index=False)
    report = document_report(tmp_path, progress=False)
    assert report["date"].tolist() == ["2021-05-06"] * 4
    sources = report["date_source"].tolist()
    next_year = pd.Timestamp.today().year + 1
    assert sources[0] == (f"column value out of range (1900 to {next_year}): '2099-06-01'; "
                          "header: labelled publication date")
    assert sources[2].startswith("column value out of range (1900 to ")
    assert sources[3] == "column value not a date: '去年春天'; header: labelled publication date"


def test_a_metadata_csv_date_out_of_range_is_named_so(tmp_path):
    (tmp_path / "a.txt").write_text("推动制造业高质量发展，加快建设现代化产业体系。" * 4, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,date\na.txt,2099-06-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"'2099-06-01' for a.txt is out of range \(dates from 1900 to "):
        document_report(tmp_path, progress=False)


def test_without_a_metadata_csv_no_document_path_is_parsed(monkeypatch):
    """Matching documents to ``metadata.csv`` rows reads each document's file name; without
    the file there is nothing to match, and no path is parsed (a Path per document was a tenth
    of the documents stage's main process on the xwlb stories)."""
    from policytopics.read.records import RawDocument
    from policytopics.text import metadata

    def no_path(*args):
        raise AssertionError("a document's path parsed with no metadata.csv")

    monkeypatch.setattr(metadata, "Path", no_path)
    raw = RawDocument("xwlb.jsonl:7", "/corpora/xwlb.jsonl.gz#7", "正文")
    assert metadata.overrides_for(raw, {}) == {}
    assert metadata.unused_overrides({}, [raw.doc_id], [raw.source]) == []
