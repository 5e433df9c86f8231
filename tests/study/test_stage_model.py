"""The model stage's pure function, key, loader and check."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from policytopics import Study, load_study
from policytopics.model.topic_model import TopicModel
from policytopics.settings.config import WeightsConfig
from policytopics.store.keys import stable_hash
from policytopics.study import stage_model


def _key(model, weights=None):
    return stable_hash(*stage_model.model_key(model, weights or WeightsConfig()))


def test_the_key_holds_the_themes_file_by_content_not_by_place(sample_study, tmp_path):
    model = sample_study.config.model
    themes = tmp_path / "a" / "themes.toml"
    themes.parent.mkdir()
    themes.write_text('["产业"]\nwords = ["产业链"]\n', encoding="utf-8")
    elsewhere = tmp_path / "b" / "themes.toml"
    elsewhere.parent.mkdir()
    shutil.copy(themes, elsewhere)
    key = _key(replace(model, themes=themes))
    assert _key(replace(model, themes=elsewhere)) == key
    elsewhere.write_text('["产业"]\nwords = ["制造业"]\n', encoding="utf-8")
    assert _key(replace(model, themes=elsewhere)) != key
    assert _key(replace(model, top_n_words=3)) == _key(model)
    assert _key(replace(model, seed=7)) != _key(model)


def test_the_cached_model_loads_and_fits(sample_study, tmp_path):
    model, config = sample_study.model(), sample_study.config.model
    assert stage_model.check_model(model, config) is None
    assert "not 5 units x 9 topics" in stage_model.check_model(model, replace(config, n_topics=9))
    stage_model.save(model, tmp_path / "saved")
    loaded = stage_model.load(tmp_path / "saved", sample_study.unit_ids(), config)
    assert (loaded.doc_topic_ == model.doc_topic_).all() and loaded.config == config
    assert stage_model.load(tmp_path, sample_study.unit_ids(), config) is None  # an empty folder


# --- fit_sample -----------------------------------------------------------------------------

def _panel_study(tmp_path: Path, cache: str, **overrides):
    """A study of 240 planted documents, 3 provinces x 4 years (and 6 national ones), with a
    model of 5 topics fitted in 30 sweeps."""
    import json
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1]))
    from model_corpora import planted_corpus

    texts, _ = planted_corpus(n_docs=240, length=60, seed=11)
    articles = tmp_path / "articles.jsonl"
    if not articles.is_file():
        regions = ["浙江省", "山东省", "西藏自治区"]
        rows = [{"id": f"d{i}", "title": f"第{i}篇", "date": f"{2019 + i % 4}-0{1 + i % 9}-15",
                 "region": regions[i % 3] if i >= 6 else None, "text": "。".join(tokens) + "。"}
                for i, tokens in enumerate(texts)]
        articles.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    settings = {"corpus__paths": [str(articles)], "corpus__unit": "document", "model__n_topics": 5,
                "model__gibbs_iterations": 30, "model__no_below": 2, "model__no_above": 0.9,
                "weights__draws": 20, "compute__workers": 1, "out": tmp_path / f"out_{cache}",
                "output__cache_dir": tmp_path / cache, **overrides}
    return Study(load_study(None, **settings), progress=False)


def test_fit_sample_zero_is_the_fit_on_every_unit_and_reads_no_cells(tmp_path):
    study = _panel_study(tmp_path, "zero", model__fit_sample=0)
    inputs = {name: study.catalog.get(name) for name in ("corpus", "unit_ids", "seen_words")}

    def no_cells():
        raise AssertionError("the cells were read")

    config = study.config.model
    fitted = stage_model.model(**inputs, unit_cells=no_cells, model=config, compute=study.config.compute)
    dictionary, bags = inputs["corpus"]
    plain = TopicModel(config).fit_corpus(bags, dictionary, doc_ids=inputs["unit_ids"])
    assert fitted.doc_topic_.tobytes() == plain.doc_topic_.tobytes()
    assert fitted.doc_topic_samples_.tobytes() == plain.doc_topic_samples_.tobytes()
    assert fitted.units_fitted_ == len(bags)
    # "auto" below its threshold is the same fit
    auto = stage_model.model(**inputs, unit_cells=no_cells, model=replace(config, fit_sample="auto"),
                             compute=study.config.compute)
    assert auto.doc_topic_.tobytes() == plain.doc_topic_.tobytes()


def test_a_sample_fit_holds_every_unit_and_the_intervals_and_is_the_same_on_dask(tmp_path, capsys):
    """fit_sample = 40 of 240 documents: every region x year cell in the sample, a row of
    proportions for every unit, intervals for every region; the study on a Dask cluster (a
    running scheduler's address) gives the same bytes as local worker processes."""
    from dask.distributed import LocalCluster

    from policytopics.model.sample import stratified_sample

    local = _panel_study(tmp_path, "local", model__fit_sample=40, compute__workers=2)
    model = local.model()
    units = local.catalog.units()
    cells = local.catalog.unit_cells()()
    assert len(set(cells)) == 16  # 3 provinces x 4 years, and the 6 national documents (no region) x 4
    sample = stratified_sample(cells, 40, local.config.model.seed)
    assert {cells[row] for row in sample} == set(cells) and len(sample) == 40
    assert model.doc_topic_.shape == (len(units), 5) and model.doc_topic_samples_ is None
    assert local.config.model.fit_sample == 40 and stage_model.check_model(model, local.config.model) is None
    assert model.units_fitted_ == 40 and local.run_record()["units_fitted"] == 40  # and read back:
    assert TopicModel.load(local.catalog.cache.path("model", local.key("model"))).units_fitted_ == 40
    from policytopics.cli import _print_fit

    _print_fit(local)  # what `policytopics run` prints once the model is there
    assert "fitted on a sample of 40 of 240 units, the rest inferred" in capsys.readouterr().out
    weights = local.theme_weights_by_region()
    assert weights["ci_low"].notna().all() and (weights["ci_low"] < weights["ci_high"]).all()
    assert set(weights["interval"]) == {"model+documents"}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        on_dask = _panel_study(tmp_path, "dask", model__fit_sample=40,
                               compute__scheduler=cluster.scheduler_address).model()
    assert on_dask.doc_topic_.tobytes() == model.doc_topic_.tobytes()
    every_unit = _panel_study(tmp_path, "local", model__fit_sample=0)
    assert local.catalog.key("model") != every_unit.catalog.key("model")
