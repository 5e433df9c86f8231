"""The gensim engine: one process gives the same numbers for the same seed, ``workers`` counts
only with ``multicore``, a saved model reloads, and a study on gensim writes every output the
default engine writes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import tomotopy as tp
from conftest import REPO
from conftest import TOPIC_TEXTS as TEXTS
from model_corpora import assert_topics_separate_the_planted_themes

from policytopics import Study, load_study
from policytopics.model.engines.gensim import GensimEngine
from policytopics.model.fit_settings import fit_settings, settings_dict
from policytopics.model.topic_model import TopicModel, build_dictionary
from policytopics.settings.config import ModelConfig

DOC_IDS = [f"doc{i}" for i in range(len(TEXTS))]


def config(**settings) -> ModelConfig:
    return ModelConfig(**({"n_topics": 3, "seed": 1, "passes": 10, "no_below": 1, "no_above": 0.9,
                           "engine": "gensim"} | settings))


def test_same_seed_gives_the_same_numbers_and_the_model_reloads(tmp_path):
    model = TopicModel(config()).fit(TEXTS, doc_ids=DOC_IDS)
    again = TopicModel(config()).fit(TEXTS, doc_ids=DOC_IDS)
    np.testing.assert_array_equal(again.doc_topic_, model.doc_topic_)
    assert model.doc_topic_samples_ is None  # variational Bayes keeps no samples
    model.save(tmp_path / "m")
    assert (tmp_path / "m" / GensimEngine.model_file).is_file()
    loaded = TopicModel.load(tmp_path / "m", model.config, doc_ids=DOC_IDS)
    assert isinstance(loaded.engine_, GensimEngine)
    np.testing.assert_array_equal(loaded.topic_word(), model.topic_word())
    np.testing.assert_array_equal(loaded.transform(TEXTS[:3]), model.transform(TEXTS[:3]))


def test_workers_count_only_with_multicore():
    """The thread rule: one process whatever ``workers`` says, unless ``multicore``."""
    assert not GensimEngine.workers_change_fit({"multicore": False, "workers": 4})
    assert GensimEngine.workers_change_fit({"multicore": True, "workers": 4})
    assert "workers" not in fit_settings(settings_dict(config()))
    assert fit_settings(settings_dict(config(multicore=True)))["workers"] == 2


def test_multicore_option_fits_topics_that_separate_the_themes():
    # LdaMulticore is not bit-for-bit reproducible; the separation of clear themes is.
    assert_topics_separate_the_planted_themes(TopicModel(config(multicore=True, workers=2)).fit(TEXTS))


def test_progress_bar_does_not_change_the_fit():
    settings = config(passes=4)
    dictionary = build_dictionary(TEXTS, settings)
    corpus = [dictionary.doc2bow(t) for t in TEXTS]
    quiet = TopicModel(settings).fit_corpus(corpus, dictionary)
    shown = TopicModel(settings).fit_corpus(corpus, dictionary, progress=True)
    np.testing.assert_array_equal(shown.doc_topic_, quiet.doc_topic_)
    assert shown.lda_.callbacks is None


def test_eval_every_does_not_refit(tmp_path):
    """eval_every only logs gensim's perplexity: a saved model loads whatever its value."""
    model = TopicModel(config(passes=2)).fit(TEXTS)
    model.save(tmp_path / "m")
    TopicModel.load(tmp_path / "m", replace(model.config, eval_every=5))


def files_written(out) -> set[str]:
    """Tables, figures and pages under ``out`` (the stage cache left out)."""
    return {str(p.relative_to(out)) for p in out.rglob("*")
            if p.is_file() and "cache" not in p.relative_to(out).parts}


def test_a_study_on_gensim_writes_what_the_default_writes(sample_study, tmp_path):
    default_out = sample_study.config.output.tables_dir
    assert isinstance(sample_study.model().lda_, tp.LDAModel)  # tomotopy is the default engine
    out = tmp_path / "gensim"
    study_config = load_study(REPO / "study.toml", out=out, output__cache_dir=out / "cache",
                              model__engine="gensim")
    study = Study(study_config, progress=False)
    study.run()
    assert files_written(out) == files_written(default_out)
    assert isinstance(study.model().engine_, GensimEngine)
    # A model cached under the same key space never serves the other engine's run.
    assert study.key("model") != sample_study.key("model")
    rerun = Study(study_config, progress=False)
    np.testing.assert_array_equal(rerun.model().doc_topic_, study.model().doc_topic_)
    assert rerun.cache_hits["model"]
