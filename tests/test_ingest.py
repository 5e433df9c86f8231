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
    # Two tables of one name: the second's ids are marked, never the same (#31).
    assert [d.doc_id for d in docs] == ["docs:x1", "docs:x2", "docs:x1~2", "docs:x2~2"]
    report = document_report(tmp_path / "docs.jsonl.gz", progress=False).set_index("doc_id")
    assert report.loc["docs:x1", ["date", "date_precision", "region"]].tolist() == ["2024", "year", "山东省"]
    assert report.loc["docs:x2", "date"] == "2023-05-06"
    assert report.loc["docs:x2", "region_source"] == "column: no region stated"






def test_missing_corpus_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus path not found"):
        document_report(tmp_path / "nope", progress=False)






















def test_files_of_one_name_in_two_folders_keep_apart_by_their_paths(tmp_path):
    """#31: a/report.txt and b/report.txt were one doc_id and the run died after the fit."""
    from pathlib import Path

    for number, folder in enumerate(("a", "b", "")):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "report.txt").write_text(f"{TEXT * 4}第{number}篇", encoding="utf-8")
    (tmp_path / "report.html").write_text("<html><body><p>目录</p></body></html>", encoding="utf-8")
    docs = list(iter_documents([tmp_path]))
    assert [(d.doc_id, Path(d.source).relative_to(tmp_path).as_posix()) for d in docs] == [
        ("a/report", "a/report.txt"), ("b/report", "b/report.txt"),
        ("report", "report.html"), ("report~2", "report.txt")]
    # A file named directly keeps its name; named twice, it is two documents, apart.
    again = list(iter_documents([tmp_path / "a" / "report.txt", tmp_path / "a" / "report.txt"]))
    assert [d.doc_id for d in again] == ["report", "report~2"]


def test_a_repeated_id_in_a_table_is_kept_under_a_marked_id(tmp_path, caplog):
    texts = [f"{TEXT * 4}第{i}条" for i in range(4)]
    pd.DataFrame({"id": ["A", "A", "B", "A~2"], "text": texts}).to_csv(tmp_path / "docs.csv", index=False)
    docs = list(iter_documents([tmp_path / "docs.csv"]))
    assert [d.doc_id for d in docs] == ["docs:A", "docs:A~2", "docs:B", "docs:A~2~2"]
    assert [d.source for d in docs] == [f"{tmp_path / 'docs.csv'}#{row}" for row in (2, 3, 4, 5)]
    assert [d.text[-3:] for d in docs] == ["第0条", "第1条", "第2条", "第3条"]  # nothing lost
    assert "2 document(s) repeat the id of an earlier one (first: docs:A" in caplog.text


def test_a_file_name_that_is_not_utf8_is_read_under_its_decoded_name(tmp_path):
    """#31: a GBK name from a Windows zip (报告.txt) stopped the whole ingest."""
    import os

    from policytopics import Study, load_study
    from policytopics.cache import write_csv

    try:
        with open(os.fsencode(tmp_path) + b"/\xb1\xa8\xb8\xe6.txt", "w", encoding="utf-8") as fh:
            fh.write(TEXT * 4)
    except OSError:
        pytest.skip("this file system takes UTF-8 names only")
    other = "推进数字经济和实体经济深度融合，培育新兴产业。" * 4
    (tmp_path / "other.txt").write_text(other, encoding="utf-8")
    report = document_report(tmp_path, progress=False)
    assert report["doc_id"].tolist() == ["other", "报告"]
    assert report["source"].tolist() == [str(tmp_path / "other.txt"), str(tmp_path / "报告.txt")]
    assert report["status"].tolist() == ["kept", "kept"]
    write_csv(report, tmp_path.parent / "report.csv")  # the report holds only text
    study = Study(load_study(None, corpus=tmp_path, output__cache_dir=tmp_path.parent / "cache"),
                  progress=False)
    assert len(study.key("documents")) == 20


def test_a_study_in_its_corpus_folder_never_reads_its_own_outputs(samples, tmp_path, monkeypatch, caplog):
    """#31: ``cd corpus && policytopics run --corpus .`` read its cache and tables back as
    articles; with the same file name in two folders and an id repeated in a table, the run
    goes through, every document once under its own id, and a second run changes nothing."""
    import logging
    import shutil

    from policytopics import Study, load_study

    corpus = tmp_path / "corpus"
    texts = [path.read_text(encoding="utf-8") for path in sorted(samples.glob("*.txt"))]
    for folder, text in zip(("a", "b"), texts):
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "report.txt").write_text(text, encoding="utf-8")
    shutil.copy(sorted(samples.glob("*.txt"))[2], corpus / "c.txt")
    pd.DataFrame({"id": ["X", "X"], "text": texts[3:5]}).to_csv(corpus / "docs.csv", index=False)
    monkeypatch.chdir(corpus)
    (corpus / "figures").mkdir()
    (corpus / "figures" / "stray.txt").write_text(texts[0], encoding="utf-8")
    wanted = ["a/report", "b/report", "c", "docs:X", "docs:X~2"]
    for run in (1, 2):
        study = Study(load_study(None, corpus=".", n_topics=2, output__figure_formats=[]), progress=False)
        with caplog.at_level(logging.INFO, logger="policytopics"):
            study.run()
        report = pd.read_csv(corpus / "outputs" / "documents.csv", encoding="utf-8-sig")
        assert sorted(report["doc_id"]) == wanted and (report["status"] == "kept").all(), run
        doc_topics = pd.read_csv(corpus / "outputs" / "doc_topics.csv", encoding="utf-8-sig")
        assert sorted(doc_topics["doc_id"]) == wanted
    assert study.cache_hits["documents"] is True  # the outputs did not change the inputs
    assert "figures: not read as articles" in caplog.text and ".cache: not read" in caplog.text
    # The study's own folder as the corpus folder: refused before any work.
    study = Study(load_study(None, corpus=".", out=".", output__figure_formats=[]), progress=False)
    with pytest.raises(ValueError, match=r"the output folder .* is the corpus folder"):
        study.run()
