import codecs
import gzip
import json

import pandas as pd
import pytest

from policytopics import document_report
from policytopics.decode import decode_bytes
from policytopics.ingest import iter_documents

TEXT = "推动制造业高质量发展，加快建设现代化产业体系。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16"])
def test_decode_common_encodings(encoding):
    source = "推動製造業高質量發展" if encoding == "big5" else TEXT
    text, _, error = decode_bytes(source.encode(encoding))
    assert error is None
    assert text == source


def test_crlf_is_normalised():
    text, _, _ = decode_bytes("第一行\r\n第二行\r\n".encode())
    assert text == "第一行\n第二行\n"


def test_binary_and_empty_files_are_reported_not_fatal(tmp_path):
    (tmp_path / "a.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text(TEXT * 5, encoding="gb18030")
    report = document_report(tmp_path, progress=False).set_index("doc_id")
    assert report.loc["a", "status"] == "dropped" and "binary" in report.loc["a", "reason"]
    assert report.loc["b", "reason"] == "empty file"
    assert report.loc["c", "status"] == "kept"
    assert report.loc["c", "encoding"] == "gb18030"


def test_tables_map_their_columns(tmp_path):
    rows = [{"id": "x1", "title": "标题", "date": "2024", "text": TEXT * 4, "region": "山东省"},
            {"id": "x2", "title": "另一个", "date": "2023-05-06", "text": TEXT * 4, "region": None}]
    with gzip.open(tmp_path / "docs.jsonl.gz", "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    pd.DataFrame(rows).to_csv(tmp_path / "docs.csv", index=False)
    docs = list(iter_documents([tmp_path / "docs.jsonl.gz", tmp_path / "docs.csv"]))
    assert [d.doc_id for d in docs] == ["docs:x1", "docs:x2", "docs:x1", "docs:x2"]
    report = document_report(tmp_path / "docs.jsonl.gz", progress=False).set_index("doc_id")
    assert report.loc["docs:x1", ["date", "date_precision", "region"]].tolist() == ["2024", "year", "山东省"]
    assert report.loc["docs:x2", "date"] == "2023-05-06"
    assert report.loc["docs:x2", "region_source"] == "column: no region stated"


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


def test_missing_corpus_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus path not found"):
        document_report(tmp_path / "nope", progress=False)


def test_gbk_file_with_a_few_bad_bytes_is_read_and_flagged():
    data = (TEXT * 5).encode("gbk")
    damaged = data[:20] + b"\xff" + data[20:50] + b"\x80" + data[50:]
    text, encoding, error = decode_bytes(damaged)
    assert error is None
    assert encoding == "gb18030 (2 bad bytes)"
    assert text.replace("\ufffd", "") == TEXT * 5


def test_truncated_utf8_file_is_read():
    text, encoding, error = decode_bytes((TEXT * 3).encode("utf-8")[:-1])
    assert error is None and encoding.startswith("utf-8 (") and text.startswith(TEXT)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding):
    source = "第一行：推动制造业高质量发展。\nSecond line 2024.\n"
    text, _, error = decode_bytes(source.encode(encoding))
    assert error is None and text == source


def test_utf16_with_bom_and_crlf():
    text, _, error = decode_bytes("第一行\r\n第二行\r\n".encode("utf-16"))
    assert (text, error) == ("第一行\n第二行\n", None)


def test_utf8_bom_and_crlf():
    text, encoding, _ = decode_bytes(codecs.BOM_UTF8 + "第一行\r\n第二行".encode())
    assert (text, encoding) == ("第一行\n第二行", "utf-8-sig")


def test_big5_traditional_article():
    source = ("國務院關於推動製造業高質量發展的指導意見。"
              "各地區、各部門要認真貫徹落實，加快建設現代化產業體系。\n") * 3
    text, encoding, error = decode_bytes(source.encode("big5"))
    assert error is None and encoding == "big5" and text == source


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-8"])
def test_mostly_english_file(encoding):
    source = ("This report covers the manufacturing sector in detail, with figures for 2024. "
              * 10 + "製造業")
    text, _, error = decode_bytes(source.encode(encoding))
    assert error is None and text == source


def test_undecodable_bytes_are_reported():
    data = bytes(range(0x80, 0x100)) * 8  # no NUL, yet no encoding reads it as text
    text, _, error = decode_bytes(data)
    assert text == "" and error.startswith("undecodable")


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

    from policytopics.config import load_study

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
