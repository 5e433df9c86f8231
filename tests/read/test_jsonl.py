"""JSON-lines files: each line stands alone, a line over the size limit is a report row never
read whole."""

from __future__ import annotations

import gzip
import json
import logging

from table_samples import articles

from policytopics import document_report, load_study
from policytopics.read.files import iter_documents


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
