"""Fit on a sample, infer the rest (policytopics.model.infer): the corpus read chunk by chunk,
the same bytes from one process, local worker processes and a Dask cluster."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from model_corpora import planted_corpus

from policytopics.model.corpus import build_dictionary, load_corpus, save_corpus
from policytopics.model.engines import engine_class
from policytopics.model.infer import SampleFit, chunk_bounds, infer_corpus, read_chunk, sample_bags
from policytopics.model.sample import stratified_sample
from policytopics.model.topic_model import TopicModel
from policytopics.settings.config import ModelConfig

CONFIG = ModelConfig(n_topics=5, seed=3, gibbs_iterations=30, workers=1, no_below=2, no_above=0.9)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A corpus folder as the corpus stage writes it: 300 planted documents, with empty units
    first, inside and last (no word of the vocabulary), and the units' cells (region x year)."""
    texts, _ = planted_corpus(n_docs=300, length=40, seed=5)
    texts = [["罕见词甲"]] + texts[:150] + [[], ["罕见词乙"]] + texts[150:] + [[]]
    folder = tmp_path_factory.mktemp("cache") / "corpus" / "key"
    folder.mkdir(parents=True)
    dictionary = build_dictionary(texts, CONFIG)
    save_corpus(folder, dictionary, texts)
    cells = [f"{['浙江省', '山东省', '西藏自治区'][i % 3]}|{2018 + i % 4}" for i in range(len(texts))]
    return load_corpus(folder), cells


def test_the_chunks_read_from_the_file_are_gensim_s_bags(stored):
    (_, corpus), _ = stored
    size = Path(corpus.input).stat().st_size
    for chunk in (1, 7, 2000):
        bounds = chunk_bounds(corpus.index, size, chunk)
        bags = [bag for bound in bounds for bag in read_chunk(corpus.input, *bound)]
        assert bags == list(corpus), chunk
    rows = np.array([0, 1, 151, 152, 200, len(corpus) - 1])
    assert sample_bags(corpus, rows) == [corpus[int(r)] for r in rows]


def _inferred(engine, corpus, **where):
    return infer_corpus(engine, corpus.input, corpus.index, **where)


@pytest.mark.parametrize("name", ["tomotopy", "gensim", "keyatm"])
def test_inference_is_the_same_in_one_process_in_workers_and_on_dask(stored, name):
    """The same engine infers the same bytes in chunks of 50 units, in this process, in two
    local worker processes and as Dask tasks on a running scheduler (a LocalCluster's
    address, as a user's cluster is given), as the engine's own inference chunk by chunk."""
    from dask.distributed import LocalCluster

    (dictionary, corpus), _ = stored
    engine, _ = engine_class(name).fit(list(corpus)[:120], dictionary, replace(CONFIG, engine=name))
    one = _inferred(engine, corpus, workers=1, chunk=50)
    bags = list(corpus)
    chunks = [engine.infer_chunk(bags[i:i + 50]) for i in range(0, len(bags), 50)]
    assert one.tobytes() == np.concatenate(chunks).tobytes()
    assert _inferred(engine, corpus, workers=2, chunk=50).tobytes() == one.tobytes()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        on_dask = _inferred(engine, corpus, scheduler=cluster.scheduler_address, chunk=50)
    assert on_dask.tobytes() == one.tobytes()
    assert np.allclose(one.sum(axis=1), 1) and (one[[0, 151, 152, len(corpus) - 1]] == 1 / 5).all()
    # Units skipped (a sample fit's own) are inferred as empty ones; every other unit is the
    # same, for an engine that infers each unit on its own.
    if not engine.infers_alone:
        return
    skip = np.array([3, 4, 50, 149, 200])
    skipped = _inferred(engine, corpus, workers=2, chunk=50, skip=skip)
    others = np.setdiff1d(np.arange(len(corpus)), skip)
    assert skipped[others].tobytes() == one[others].tobytes()
    assert np.allclose(skipped[skip], one[0])  # as the empty first unit


def _sample_model(stored, **where) -> TopicModel:
    (dictionary, corpus), cells = stored
    rows = stratified_sample(cells, 60, CONFIG.seed)
    return TopicModel(CONFIG).fit_corpus(corpus, dictionary, fit=SampleFit(rows, **where))


@pytest.mark.parametrize("engine", ["tomotopy", "gensim"])
def test_a_sample_fit_holds_every_unit_and_dask_gives_the_same_bytes(stored, engine):
    """Fitted on 60 of 304 units: the sample's rows are the fit's, every other unit inferred
    by the fitted topics; on a Dask LocalCluster the same bytes as local processes."""
    from dask.distributed import LocalCluster

    (dictionary, corpus), cells = stored
    config = replace(CONFIG, engine=engine)
    rows = stratified_sample(cells, 60, config.seed)
    local = TopicModel(config).fit_corpus(corpus, dictionary, fit=SampleFit(rows, workers=2))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        on_dask = TopicModel(config).fit_corpus(corpus, dictionary,
                                                fit=SampleFit(rows, scheduler=cluster.scheduler_address))
    assert on_dask.doc_topic_.tobytes() == local.doc_topic_.tobytes()
    assert (on_dask.order_ == local.order_).all()
    assert local.doc_topic_.shape == (len(corpus), 5) and local.doc_topic_samples_ is None
    raw = local.doc_topic_[:, np.argsort(local.order_)]  # back in the engine's topic order
    on_sample = engine_class(engine).fit(sample_bags(corpus, rows), dictionary, config)[1]
    assert raw[rows].tobytes() == on_sample.tobytes()
    others = np.setdiff1d(np.arange(len(corpus)), rows)
    assert np.array_equal(raw[others], local.engine_.infer_chunk(list(corpus))[others])


def test_the_sample_fit_finds_the_planted_topics(stored):
    """The topics of a fit on a fifth of the units are those of the fit on every unit."""
    (dictionary, corpus), _ = stored
    full = TopicModel(CONFIG).fit_corpus(corpus, dictionary)
    sampled = _sample_model(stored, workers=1)
    similarity = sampled.topic_word() @ full.topic_word().T
    best = similarity.argmax(axis=1)
    assert sorted(best.tolist()) == list(range(5))  # one to one
    top_sampled, top_full = ([set(np.argsort(-row)[:10].tolist()) for row in model.topic_word()]
                             for model in (sampled, full))
    assert all(len(top_sampled[i] & top_full[best[i]]) >= 6 for i in range(5))
