""".json files: an array of articles, one article, an object holding the array, one object
a line."""

from __future__ import annotations

import json

from policytopics.read.files import iter_documents

TEXT = "推动制造业高质量发展，加快建设现代化产业体系。"


def test_json_and_ndjson_tables_give_their_articles(tmp_path):
    rows = [{"id": f"x{n}", "title": f"标题{n}", "date": "2024", "text": f"第{n}篇。" + TEXT * 4}
            for n in range(10)]
    (tmp_path / "articles.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "wrapped.json").write_text(json.dumps({"total": 10, "data": rows}, ensure_ascii=False),
                                           encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps(rows[0], ensure_ascii=False), encoding="utf-8")
    (tmp_path / "lines.ndjson").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows),
                                           encoding="utf-8")
    (tmp_path / "lines.json").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows),
                                         encoding="utf-8")
    for name in ("articles.json", "wrapped.json", "lines.ndjson", "lines.json"):
        docs = list(iter_documents([tmp_path / name]))
        assert [d.doc_id.split(":")[1] for d in docs] == [f"x{n}" for n in range(10)], name
        assert docs[3].title == "标题3" and docs[3].date == "2024" and not docs[3].text.startswith("{")
    assert [d.doc_id for d in iter_documents([tmp_path / "one.json"])] == ["one:x0"]
    # A download without the suffix, named directly, is read by its content.
    (tmp_path / "export").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert len(list(iter_documents([tmp_path / "export"]))) == 10
    # The same in a folder (where a file without a suffix is not read).
    assert len(list(iter_documents([tmp_path]))) == 41
