import gzip
import json

import pandas as pd
import pytest

from policytopics import document_report
from policytopics.ingest import iter_documents

TEXT = "推动制造业高质量发展，加快建设现代化产业体系。"








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






def test_missing_corpus_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus path not found"):
        document_report(tmp_path / "nope", progress=False)




















