import json

import numpy as np
import pandas as pd

from policytopics import Study, load_study


def test_sample_study_writes_tables(sample_study):
    out = sample_study.config.output.tables_dir
    for name in ("documents", "doc_topics", "topic_words", "theme_weights_by_region",
                 "theme_weights_by_period"):
        assert (out / f"{name}.csv").is_file(), name
    assert (out / "doc_topics.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    wide = pd.read_parquet(out / "doc_topics.parquet")  # one row per document
    topics = [f"T{k}" for k in range(1, sample_study.config.model.n_topics + 1)]
    assert list(wide["doc_id"]) == sorted(sample_study.kept_documents()["doc_id"])
    assert list(wide.columns[-len(topics):]) == topics and {"date", "region"} <= set(wide.columns)
    np.testing.assert_allclose(wide[topics].sum(axis=1), 1.0, atol=1e-6)
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["settings"]["model"]["n_topics"] == sample_study.config.model.n_topics
    assert record["documents"] == {"kept": 5}
    explorer = (out / "topic_explorer.html").read_text(encoding="utf-8")
    assert sample_study.outputs_["explorer"] == out / "topic_explorer.html"
    assert "主题距离图" in explorer  # labelled in the study's language (zh)
    assert set(record["timings_seconds"]) >= {"documents", "tokens", "corpus", "model", "weights",
                                      "figures", "explorer"}




def test_same_seed_same_topics_twice(sample_study, tmp_path):
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=tmp_path / "cache")
    again = Study(config, progress=False)
    np.testing.assert_array_equal(again.model().doc_topic_, sample_study.model().doc_topic_)
    assert again.topic_words().equals(sample_study.topic_words())




















def test_run_from_a_folder_outside_the_repository(samples, tmp_path, monkeypatch):
    from policytopics.cli import main

    monkeypatch.chdir(tmp_path)  # no study.toml here or above: the built-in defaults apply
    code = main(["run", "--corpus", str(samples), "--topics", "3", "--out", "results",
                 "--cache-dir", "cache", "--no-progress", "-q"])
    assert code == 0
    record = json.loads((tmp_path / "results" / "run.json").read_text(encoding="utf-8"))
    assert record["documents"] == {"kept": 5}
    assert record["settings"]["clean"]["spam_phrases"].endswith("spam_phrases.txt")
    assert (tmp_path / "results" / "figures" / "theme_weights_by_region.png").is_file()


def test_a_quick_run_leaves_the_study_whole_and_calls_back_before_writing(repo, samples, tmp_path):
    """``run(quick=True)`` on a study of a notebook: the callback sees the fitted model before
    any output is written; the study itself keeps its intervals, and its full run after the
    quick one draws them (not the quick run's point estimates, memoised)."""
    study = Study.from_file(repo / "study.toml", corpus=samples, n_topics=3, out=tmp_path / "out",
                            output__cache_dir=tmp_path / "cache", progress=False)
    seen = []
    record = tmp_path / "out" / "run.json"
    study.run(quick=True, on_fitted=lambda s: seen.append((s.quick, record.exists())))
    assert seen == [(True, False)] and not study.quick
    assert json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["quick"] is True
    written = study.run()
    assert study.theme_weights_by_region()["ci_low"].notna().any()
    assert written["explorer"].is_file() and len(written["figures"]) > len(
        list((tmp_path / "out" / "figures").glob("*.png")))  # every format now
