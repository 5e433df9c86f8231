import json

import numpy as np
import pandas as pd
import pytest

from policytopics import Study, load_study
from policytopics.config import StudyConfigError


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


def test_rerun_with_new_topic_count_reuses_the_corpus(sample_study):
    config = load_study(sample_study.config.root / "study.toml", n_topics=3,
                        out=sample_study.config.output.tables_dir,
                        output__cache_dir=sample_study.config.output.cache_dir)
    study = Study(config, progress=False)
    study.model()
    # The bag-of-words corpus comes from the cache, so neither documents nor tokens are
    # even read; only the model is fitted.
    assert study.cache_hits["corpus"] is True
    assert "tokens" not in study.cache_hits and "documents" not in study.cache_hits
    assert study.cache_hits["model"] is False


def test_same_seed_same_topics_twice(sample_study, tmp_path):
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=tmp_path / "cache")
    again = Study(config, progress=False)
    np.testing.assert_array_equal(again.model().doc_topic_, sample_study.model().doc_topic_)
    assert again.topic_words().equals(sample_study.topic_words())


def test_token_lists_leave_memory_once_the_corpus_is_built(sample_study, tmp_path):
    # The model stage streams the corpus from disk; the token lists (the largest thing a
    # cold run holds) are dropped and read back from the cache only when asked for.
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=tmp_path / "cache")
    study = Study(config, progress=False)
    built = [list(tokens) for tokens in study.tokens()["tokens"]]
    assert any(key.startswith("tokens:") for key in study.stages.memo)
    study.corpus()
    assert not any(key.startswith("tokens:") for key in study.stages.memo)
    cached = (tmp_path / "cache" / "tokens" / study.key("tokens")).with_suffix(".parquet")
    written = cached.stat().st_mtime_ns
    assert [list(tokens) for tokens in study.tokens()["tokens"]] == built
    assert cached.stat().st_mtime_ns == written  # read back, not built again
    assert study.cache_hits["tokens"] is False  # the run record keeps the first outcome: built


def test_corrupt_cache_file_is_rebuilt(sample_study, tmp_path):
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=tmp_path / "cache")
    Study(config, progress=False).documents()
    cached = next((tmp_path / "cache" / "documents").glob("*.parquet"))
    cached.write_bytes(b"truncated")
    study = Study(config, progress=False)
    assert len(study.documents()) == 5
    assert study.cache_hits["documents"] is False


def test_region_level_city_groups_by_city(sample_study, tmp_path):
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=sample_study.config.output.cache_dir,
                        weights__region_level="city", weights__weight_by="n_chars")
    study = Study(config, progress=False)
    by_city = study.theme_weights_by_region()
    cities = set(study.kept_documents()["city"].dropna())
    assert cities and set(by_city["region"]) == cities
    assert "n_chars" in study.doc_topics().columns


def test_topics_table_and_human_labels(sample_study, tmp_path):
    topics = sample_study.topics()
    assert topics["topic"].tolist() == list(range(1, sample_study.config.model.n_topics + 1))
    assert topics["prevalence"].is_monotonic_decreasing
    assert not topics["representative_documents"].str.contains("nan").any()
    labels = tmp_path / "labels.csv"
    labels.write_text("topic,label\n1,产业链创新\n", encoding="utf-8")
    config = load_study(sample_study.config.root / "study.toml", out=sample_study.config.output.tables_dir,
                        output__cache_dir=sample_study.config.output.cache_dir, model__labels=labels)
    study = Study(config, progress=False)
    assert study.topic_labels()[1] == "T1 产业链创新"
    assert study.topic_labels()[2].startswith("T2 ")
    assert study.cache_hits.get("model") is True  # labels do not refit the model


def test_labels_follow_their_topics_by_top_words(sample_study, tmp_path):
    template = pd.read_csv(sample_study.config.output.tables_dir / "labels_template.csv",
                           encoding="utf-8-sig")
    assert list(template.columns) == ["topic", "label", "top_words"]
    template["label"] = [f"主题{t}" for t in template["topic"]]
    # As if written for another run: rows shuffled, topic numbers no longer meaningful.
    moved = template.sample(frac=1, random_state=1).assign(topic=99)
    labels = tmp_path / "labels.csv"
    moved.to_csv(labels, index=False, encoding="utf-8-sig")
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=sample_study.config.output.cache_dir, model__labels=labels)
    study = Study(config, progress=False)
    assert study.human_labels() == {t: f"主题{t}" for t in template["topic"]}


def _stage_keys(study):
    from policytopics.stages import STAGES

    return {name: study.key(name) for name in STAGES}


def test_topic_words_in_three_rankings_and_labels_by_the_chosen_one(sample_study, tmp_path):
    """topic_words.csv ranks every topic's words by probability, FREX and relevance;
    topics.csv shows all three; labels take their words from [model] label_words."""
    out = sample_study.config.output.tables_dir
    words = pd.read_csv(out / "topic_words.csv", encoding="utf-8-sig")
    k, n = sample_study.config.model.n_topics, sample_study.config.model.top_n_words
    assert words.groupby("ranking").size().to_dict() == {"frex": k * n, "probability": k * n,
                                                        "relevance": k * n}
    model = sample_study.model()
    for ranking in ("probability", "frex", "relevance"):
        mine = words[words["ranking"] == ranking].sort_values(["topic", "rank"])
        assert mine["word"].tolist() == model.ranked_words(n, ranking)["word"].tolist()
    by = {ranking: frame["word"].tolist() for ranking, frame in words.groupby("ranking")}
    assert by["frex"] != by["probability"]
    topics = pd.read_csv(out / "topics.csv", encoding="utf-8-sig")
    assert {"top_words", "top_words_frex", "top_words_relevance"} <= set(topics.columns)
    by_relevance = model.ranked_words(3, "relevance")
    assert sample_study.topic_labels()[1] == "T1 " + "·".join(by_relevance.query("topic == 1")["word"])
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=sample_study.config.output.cache_dir,
                        model__label_words="probability")
    study = Study(config, progress=False)
    assert study.topic_labels()[1] == "T1 " + "·".join(model.topic_words(3).query("topic == 1")["word"])
    assert study.cache_hits.get("model") is True  # label words do not refit
    with pytest.raises(StudyConfigError, match="label_words"):
        load_study(sample_study.config.root / "study.toml", model__label_words="tfidf")


def test_display_settings_and_figure_code_rebuild_no_stage(sample_study, tmp_path, monkeypatch):
    from policytopics import cache

    before = json.loads((sample_study.config.output.tables_dir / "run.json").read_text(encoding="utf-8"))
    digest = cache.source_digest
    # As if plots.py (figure-only code) had been edited, and display settings changed.
    monkeypatch.setattr(cache, "source_digest", lambda name: "edited" if name == "plots" else digest(name))
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=sample_study.config.output.cache_dir,
                        model__top_n_words=7, language="en", output__figure_formats=["png"])
    study = Study(config, progress=False)
    study.run()
    record = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert record["stage_keys"] == before["stage_keys"]
    assert record["cache_hits"] and all(record["cache_hits"].values()), record["cache_hits"]
    assert record["policytopics"] != before["policytopics"]  # the run record does see the edit
    assert len(study.topic_words().query("topic == 1")) == 7


def test_cleaning_changes_rebuild_every_later_stage(sample_study, monkeypatch):
    from policytopics import cache

    keys = _stage_keys(sample_study)
    stricter = Study(load_study(sample_study.config.root / "study.toml", clean__min_chars=60), progress=False)
    assert all(a != b for a, b in zip(_stage_keys(stricter).values(), keys.values()))
    digest = cache.source_digest
    monkeypatch.setattr(cache, "source_digest", lambda name: "edited" if name == "clean" else digest(name))
    edited = _stage_keys(Study(sample_study.config, progress=False))
    assert all(edited[stage] != keys[stage] for stage in keys)
    # A unit setting re-segments and refits, but does not re-read or re-clean.
    monkeypatch.setattr(cache, "source_digest", digest)
    passages = _stage_keys(Study(load_study(sample_study.config.root / "study.toml",
                                            corpus__unit="passage"), progress=False))
    assert passages["documents"] == keys["documents"]
    assert all(passages[stage] != keys[stage] for stage in ("tokens", "corpus", "model"))
    # Only a change of the fit refits: top_n_words and labels do not, seed does.
    assert _stage_keys(Study(load_study(sample_study.config.root / "study.toml", seed=7),
                             progress=False))["model"] != keys["model"]


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
