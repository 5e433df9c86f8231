import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from policytopics import document_report, load_study
from policytopics.read.files import iter_documents

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
    from policytopics.store.writing import write_csv

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


# --- the walk of the corpus folders (#37) -----------------------------------------------

@pytest.fixture
def no_hang():
    """Fail a test that would hang on a pipe instead of hanging the suite."""
    import signal

    def stop(signum, frame):
        raise TimeoutError("the reader hung on a pipe or a device")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


_PHRASES = ["推动制造业高质量发展", "加快建设现代化产业体系", "培育先进制造业集群", "提升产业链供应链韧性",
            "促进数字经济和实体经济深度融合", "实施创新驱动发展战略", "强化企业科技创新主体地位",
            "推进新型工业化", "发展战略性新兴产业", "加强关键核心技术攻关", "优化营商环境",
            "扩大高水平对外开放"]


def _article(path, n=1):
    """An article of its own text (no two are near-duplicates)."""
    import random

    path.parent.mkdir(parents=True, exist_ok=True)
    phrases = random.Random(n).sample(_PHRASES, 8)
    path.write_text(f"第{n}篇。" + "，".join(phrases) + "。", encoding="utf-8")


def _deep_article(top, depth=400, name="d" * 10):
    """An article ``depth`` folders below ``top``, its path longer than PATH_MAX: made with
    dir_fd, as no path of that length can be opened by name."""
    import os

    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, TEXT.encode() * 4)
        os.close(out)
    finally:
        os.close(fd)


def test_a_folder_the_walk_cannot_enter_is_a_report_row(tmp_path):
    import os

    corpus = tmp_path / "corpus"
    _article(corpus / "a.txt")
    _deep_article(corpus)
    assert len(os.fsencode(corpus)) + 400 * 11 > os.pathconf("/", "PC_PATH_MAX")
    report = document_report(corpus, progress=False)
    assert report.loc[report["doc_id"] == "a", "status"].tolist() == ["kept"]
    deep = report[report["reason"].fillna("").str.contains("longer than the system allows")]
    assert len(deep) == 1 and deep["status"].iloc[0] == "dropped"
    assert deep["doc_id"].iloc[0].startswith("dddddddddd/dddddddddd/")
    assert "move it to a shorter path" in deep["reason"].iloc[0]


@pytest.mark.skipif(__import__("os").geteuid() == 0, reason="root reads every folder")
def test_a_folder_without_permission_is_a_report_row(tmp_path):
    corpus = tmp_path / "corpus"
    _article(corpus / "a.txt")
    _article(corpus / "locked" / "b.txt")
    (corpus / "locked").chmod(0)
    try:
        report = document_report(corpus, progress=False).set_index("doc_id")
    finally:
        (corpus / "locked").chmod(0o755)
    assert "no permission" in report.loc["locked", "reason"]


def test_links_are_followed_inside_the_corpus_only(tmp_path):
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    for n in range(3):
        _article(corpus / "real" / f"{n}.txt", n)
        _article(elsewhere / f"{n}.txt", n + 10)
    (corpus / "inside").symlink_to(corpus / "real")  # a linked sub-folder of 3 articles
    (corpus / "outside").symlink_to(elsewhere)
    (corpus / "archive").mkdir()
    (corpus / "archive" / "2024").symlink_to(tmp_path / "corpus" / "hidden" / ".2024")
    for n in range(3):
        _article(corpus / "hidden" / ".2024" / f"{n}.txt", n + 20)
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "real" / "up").symlink_to(corpus)  # a loop
    (corpus / "broken.txt").symlink_to(tmp_path / "gone.txt")
    report = document_report(corpus, progress=False).set_index("doc_id")
    # A linked folder inside the corpus is read: under its own name if the walk meets it
    # there (the link is a row saying so), else under the link's.
    assert report.loc[[f"real/{n}" for n in range(3)], "status"].tolist() == ["kept"] * 3
    assert "read under its own name" in report.loc["inside", "reason"]
    assert report.loc[[f"archive/2024/{n}" for n in range(3)], "status"].tolist() == ["kept"] * 3
    assert "outside the corpus paths" in report.loc["outside", "reason"]
    assert str(elsewhere) in report.loc["outside", "reason"]
    assert "/etc/passwd" in report.loc["passwd.txt", "reason"]
    assert report.loc["passwd.txt", "status"] == "dropped" and report.loc["passwd.txt", "text"] in ("", None)
    assert "root:" not in " ".join(report["text"].fillna(""))
    assert "read already" in report.loc["real/up", "reason"]  # a loop ends
    assert "broken link" in report.loc["broken.txt", "reason"]
    assert not any(doc_id.startswith("outside/") for doc_id in report.index)
    # follow_links = "all" reads the folder outside; "none" no link at all.
    every = document_report(corpus, load_study(None, corpus__follow_links="all"), progress=False)
    assert set(every["doc_id"]) >= {"outside/0", "outside/1", "outside/2"}
    none = document_report(corpus, load_study(None, corpus__follow_links="none"), progress=False)
    assert none.set_index("doc_id").loc["inside", "reason"].startswith("a link, not followed")


def test_pipes_and_devices_are_never_opened(tmp_path, no_hang):
    import os

    corpus = tmp_path / "corpus"
    _article(corpus / "a.txt")
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "zero.txt").symlink_to("/dev/zero")
    report = document_report(corpus, load_study(None, corpus__follow_links="all"),
                             progress=False).set_index("doc_id")
    assert "a named pipe" in report.loc["pipe.txt", "reason"]
    assert "a character device" in report.loc["zero.txt", "reason"]
    assert report.loc["a", "status"] == "kept"
    for named in (corpus / "pipe.txt", Path("/dev/zero"), corpus / "zero.txt"):
        with pytest.raises(ValueError, match="not a file: it can be read only once"):
            list(iter_documents([named]))


def test_a_process_substitution_is_refused_with_the_fix(tmp_path, no_hang):
    import os

    read, write = os.pipe()
    try:
        with pytest.raises(ValueError, match=r"named pipe .*name the file itself \(x\.jsonl\.gz"):
            document_report(f"/dev/fd/{read}", progress=False)
    finally:
        os.close(read)
        os.close(write)


def test_a_folder_of_no_readable_file_is_an_error_naming_what_it_holds(tmp_path, caplog):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(TEXT, encoding="utf-8")
    (corpus / "b.xml").write_text(TEXT, encoding="utf-8")
    with caplog.at_level("WARNING", logger="policytopics"), pytest.raises(
            ValueError, match=r"no document found in the corpus paths .*: no file of a readable kind"):
        document_report(corpus, progress=False)
    assert ".md 1" in caplog.text and ".xml 1" in caplog.text


def test_an_empty_path_and_the_studys_own_outputs_are_refused(tmp_path):
    from policytopics.settings.config import StudyConfigError

    (tmp_path / "study.toml").write_text('[corpus]\npaths = [""]\n', encoding="utf-8")
    with pytest.raises(StudyConfigError, match=r'\[corpus\] paths \(--corpus\) holds an empty path'):
        load_study(tmp_path / "study.toml")
    with pytest.raises(StudyConfigError, match="empty path"):
        load_study(None, corpus="")
    outputs = tmp_path / "outputs"
    _article(outputs / "documents.csv")
    config = load_study(None, out=outputs)
    for corpus in (outputs, outputs / "figures"):
        corpus.mkdir(exist_ok=True)
        with pytest.raises(ValueError, match=r"own output, figures or cache folder .*\[output\] tables_dir"):
            document_report(corpus, config, progress=False)
