"""The catalog: stages served by their declared keys, the views they take, one memo."""

from __future__ import annotations

from policytopics import load_study
from policytopics.store.cache import StageCache, StoredTable
from policytopics.study.catalog import KEPT_COLUMNS, Catalog


def _catalog(study, **overrides):
    config = load_study(study.config.root / "study.toml", out=study.config.output.tables_dir,
                        output__cache_dir=study.config.output.cache_dir, **overrides)
    return Catalog(config, StageCache(config.output.cache_dir))


def test_keys_are_stable_and_stages_come_from_the_cache(sample_study):
    catalog = _catalog(sample_study)
    names = ("documents", "tokens", "corpus", "model")
    assert [catalog.key(n) for n in names] == [sample_study.key(n) for n in names]
    catalog.get("model")
    # A cached fit needs only the units' ids (the tokens table's columns): no other stage is read.
    assert catalog.cache.hits == {"model": True}


def test_the_views_of_the_stages(sample_study):
    catalog = _catalog(sample_study)
    assert list(catalog.units().columns) == ["doc_id", "passage", "n_chars"]
    assert catalog.unit_ids() == [str(d) for d in catalog.units()["doc_id"]]  # whole documents
    assert len(catalog.kept_documents()) == 5 and catalog.seen_words()


def test_one_memo_keyed_by_the_stages_keys_and_settings(sample_study):
    catalog, built = _catalog(sample_study), []

    def build():
        built.append(1)
        return len(built)

    assert catalog.memoised("x", build, stages=("model",)) == 1
    assert catalog.memoised("x", build, stages=("model",)) == 1
    assert catalog.memoised("x", build, stages=("model",), settings="other") == 2
    seeded = _catalog(sample_study, seed=7)
    seeded.cache = catalog.cache  # the same memory, another fit's key
    assert seeded.memoised("x", build, stages=("model",)) == 3


def test_the_texts_stay_on_disk_until_asked_for(sample_study):
    import pandas as pd

    catalog = _catalog(sample_study)
    held = catalog.documents(text=False)
    assert "text" not in held and held is catalog.documents(text=False)  # read once
    stored = catalog.stage("documents")  # what the stage's memo holds: its file, not a table
    assert isinstance(stored, StoredTable) and "text" in stored and len(stored) == len(held)
    whole = catalog.documents()
    path = catalog.cache.path("documents", catalog.key("documents")).with_suffix(".parquet")
    cached = pd.read_parquet(path)
    # The report as it was before the texts were served apart: every column in the cache's order.
    assert list(whole.columns) == [c for c in cached.columns if c != "corpus_path"]
    assert whole["text"].tolist() == cached["text"].tolist() and whole["text"].str.len().gt(0).all()
    kept = catalog.kept_documents(text=False)
    assert "text" not in kept and kept is catalog.kept_documents(text=False)  # built once
    assert catalog.kept_documents()["text"].tolist() == whole[whole["status"] == "kept"]["text"].tolist()
    metadata = catalog.kept_metadata()  # the kept documents' own columns, none of the counters
    assert list(metadata.columns) == list(KEPT_COLUMNS) and metadata is catalog.kept_metadata()
    pd.testing.assert_frame_equal(metadata, kept[list(KEPT_COLUMNS)])


def test_documents_in_chunks_are_the_documents(sample_study):
    import pandas as pd

    catalog = _catalog(sample_study)
    chunks = list(catalog.document_chunks(rows=2))
    assert [len(chunk) for chunk in chunks] == [2, 2, 2][:len(chunks) - 1] + [len(chunks[-1])]
    pd.testing.assert_frame_equal(pd.concat(chunks), catalog.documents())


def test_the_fit_units_are_every_unit_or_the_model_stage_s_sample(sample_study, monkeypatch):
    from policytopics import Study
    from policytopics.model.sample import stratified_sample
    from policytopics.settings.config import replace

    tokens = sample_study.tokens()
    every, doc_ids, size = sample_study.fit_units()
    assert size is None and every == [list(t) for t in tokens["tokens"]]
    assert doc_ids == tokens["doc_id"].tolist()
    config = sample_study.config
    config = replace(config, model=replace(config.model, fit_sample=len(tokens) - 2))
    study = Study(config, progress=False)
    # The five samples are five region x period cells, each kept in any sample: one cell here.
    cells = ["浙江省|2024"] * len(tokens)
    monkeypatch.setattr(Catalog, "unit_cells", lambda self: lambda: cells)
    sampled, doc_ids, size = study.fit_units()
    rows = stratified_sample(cells, len(tokens) - 2, config.model.seed)
    assert size == len(rows) == len(tokens) - 2
    assert sampled == [every[i] for i in rows] and doc_ids == tokens["doc_id"].iloc[rows].tolist()
