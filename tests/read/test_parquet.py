"""Parquet files: Chinese headers, cells of every Arrow type read as text."""

from __future__ import annotations

import pandas as pd
from table_samples import articles

from policytopics import document_report
from policytopics.read.files import iter_documents


def test_parquet_and_jsonl_with_chinese_headers(tmp_path):
    frame = pd.DataFrame({"题目": ["甲"], "全文": ["推动制造业高质量发展"],
                          "发布日期": [pd.Timestamp("2022-06-01")], "来源": ["人民网"]})
    frame.to_parquet(tmp_path / "a.parquet")
    frame.assign(发布日期="2022-06-01").to_json(tmp_path / "b.jsonl", orient="records", lines=True,
                                             force_ascii=False)
    docs = list(iter_documents([tmp_path / "a.parquet", tmp_path / "b.jsonl"]))
    assert [(d.title, d.text, d.date, d.publisher) for d in docs] == [
        ("甲", "推动制造业高质量发展", "2022-06-01", "人民网")] * 2


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
