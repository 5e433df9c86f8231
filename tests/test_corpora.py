"""The study on real corpora from ../shared/corpora (skipped when they are absent)."""

import pytest

from policytopics.cli import main


@pytest.mark.corpora
def test_run_on_government_work_reports(repo, corpora, tmp_path):
    code = main(["run", "--corpus", str(corpora / "gwr_national.jsonl.gz"), "--topics", "4",
                 "--limit", "12", "--out", str(tmp_path), "--study", str(repo / "study.toml"),
                 "--cache-dir", str(tmp_path / "cache"), "--no-progress", "-q"])
    assert code == 0
    assert (tmp_path / "figures" / "theme_weights_over_time.png").is_file()


@pytest.mark.corpora
def test_xwlb_smoke(corpora, tmp_path):
    from policytopics import document_report

    report = document_report(corpora / "xwlb.jsonl.gz", limit=300, progress=False)
    assert len(report) == 300
    assert (report["status"] == "kept").mean() > 0.8
    assert report["date"].notna().mean() > 0.95
