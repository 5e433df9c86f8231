"""The tomotopy engine (the default): reproducible topics with a fixed number of workers, the
planted themes, seeded themes through word priors, a model that reloads to the same numbers,
and the last states kept as posterior samples."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import tomotopy as tp
from conftest import TOPIC_TEXTS as TEXTS
from model_corpora import (
    PLANTED,
    PLANTED_TEXTS,
    THEMES,
    assert_planted_themes_held,
    assert_topics_separate_the_planted_themes,
    fit_digest,
    topic_of,
)

from policytopics.model.choose_k import sweep
from policytopics.model.engines.tomotopy import TomotopyEngine
from policytopics.model.topic_model import TopicModel, build_dictionary
from policytopics.report.explorer import explorer_data
from policytopics.settings.config import ModelConfig, StudyConfigError

DOC_IDS = [f"doc{i}" for i in range(len(TEXTS))]


def config(**settings) -> ModelConfig:
    return ModelConfig(**({"n_topics": 3, "seed": 1, "no_below": 1, "no_above": 0.9,
                           "engine": "tomotopy"} | settings))


def fit(**settings) -> TopicModel:
    return TopicModel(config(**settings)).fit(TEXTS, doc_ids=DOC_IDS)


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return fit()


def test_same_seed_and_one_worker_give_the_same_topics(model):
    again = fit()
    np.testing.assert_array_equal(again.doc_topic_, model.doc_topic_)
    np.testing.assert_array_equal(again.topic_word(), model.topic_word())
    assert again.topic_words().equals(model.topic_words())
    assert not np.array_equal(fit(seed=2).doc_topic_, model.doc_topic_)


FIT_AND_DIGEST = """
import sys
from policytopics.settings.config import ModelConfig
from policytopics.model.topic_model import TopicModel
sys.path.insert(0, {tests!r})
from conftest import TOPIC_TEXTS as TEXTS
from model_corpora import fit_digest
config = ModelConfig(n_topics=3, seed=1, no_below=1, no_above=0.9, engine="tomotopy")
print(fit_digest(TopicModel(config).fit(TEXTS)))
"""


def test_same_seed_gives_the_same_bytes_in_two_processes(model):
    """Topic words and the document-topic table are byte-identical across processes, not only
    within one (the engine's version and instruction set are the same here)."""
    code = FIT_AND_DIGEST.format(tests=str(Path(__file__).resolve().parents[2]))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           timeout=300).stdout.strip() for _ in range(2)]
    assert runs == [fit_digest(model)] * 2
    assert fit_digest(fit(seed=2)) != fit_digest(model)


def test_the_engine_version_and_instruction_set_are_recorded(model, tmp_path):
    model.save(tmp_path / "m")
    record = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert record["engine"] == {"name": "tomotopy", "tomotopy": tp.__version__, "isa": tp.isa}


def test_progress_bar_does_not_change_the_fit(model):
    dictionary = build_dictionary(TEXTS, model.config)
    corpus = [dictionary.doc2bow(t) for t in TEXTS]
    shown = TopicModel(model.config).fit_corpus(corpus, dictionary, progress=True)
    np.testing.assert_array_equal(shown.doc_topic_, model.doc_topic_)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_topics_separate_the_tiny_corpus_themes(seed):
    # gensim merges two of the three themes at seeds 2 and 3 on this corpus (test_topic_model).
    assert_topics_separate_the_planted_themes(fit(seed=seed))


def test_rows_sum_to_one_topics_by_prevalence_and_an_empty_document_is_uniform():
    model = TopicModel(config()).fit([*TEXTS, []])
    np.testing.assert_allclose(model.doc_topic_.sum(axis=1), 1.0)
    assert np.all(np.diff(model.prevalence().to_numpy()) <= 1e-12)
    np.testing.assert_allclose(model.doc_topic_[-1], np.full(3, 1 / 3))
    np.testing.assert_allclose(model.transform([[], ["未知"]]), np.full((2, 3), 1 / 3))
    new = model.transform(TEXTS[:3])
    np.testing.assert_allclose(new.sum(axis=1), 1.0)
    np.testing.assert_array_equal(new.argmax(axis=1), model.doc_topic_[:3].argmax(axis=1))


def test_a_sample_fit_s_chunks_are_inferred_with_the_topics_held_fixed():
    """infer_chunk (a sample fit's inference): each row its own, whatever the chunk; unknown
    words left out; the planted topic of each document, as tomotopy's own infer finds it."""
    model = TopicModel(config()).fit(TEXTS)
    engine, dictionary = model.engine_, model.dictionary_
    bags = [dictionary.doc2bow(tokens) for tokens in TEXTS] + [[], []]
    chunk = engine.infer_chunk(bags)
    np.testing.assert_allclose(chunk.sum(axis=1), 1.0)
    np.testing.assert_allclose(chunk[-2:], np.full((2, 3), 1 / 3))
    for row in (0, 5, 11):
        assert engine.infer_chunk(bags[row:row + 1])[0].tobytes() == chunk[row].tobytes()
    assert (chunk[:-2].argmax(axis=1) == engine.infer(bags[:-2]).argmax(axis=1)).all()


def test_topic_word_matrix_is_tomotopys_over_the_dictionary_ids(model):
    topic_word = model.topic_word()
    assert topic_word.shape == (3, len(model.dictionary_))
    np.testing.assert_allclose(topic_word.sum(axis=1), 1.0)
    lda = model.lda_
    for number, topic in enumerate(model.order_):
        own = dict(zip(lda.used_vocabs, lda.get_topic_word_dist(int(topic))))
        expected = [own[model.dictionary_[j]] for j in range(len(model.dictionary_))]
        np.testing.assert_allclose(topic_word[number], expected, rtol=1e-5)
    by_relevance = model.relevant_words(5, lam=1.0)
    assert by_relevance["word"].tolist() == model.topic_words(5)["word"].tolist()
    page = explorer_data(model, n_words=5)
    assert [t["topic"] for t in page["topics"]] == [1, 2, 3]


def test_priors_follow_the_settings(caplog):
    asymmetric = fit(alpha="asymmetric").lda_
    gensim_alpha = 1 / (np.arange(3) + np.sqrt(3))
    np.testing.assert_allclose(asymmetric.alpha, gensim_alpha / gensim_alpha.sum(), rtol=1e-6)
    fixed = fit(alpha=0.2, eta=0.05).lda_
    np.testing.assert_allclose(fixed.alpha, 0.2, rtol=1e-6)
    assert fixed.eta == pytest.approx(0.05) and fixed.optim_interval == 0
    assert fit(alpha="auto").lda_.optim_interval > 0  # tomotopy re-estimates alpha
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        assert fit(eta="auto").lda_.eta == pytest.approx(1 / 3)
    assert "tomotopy does not learn eta" in caplog.text
    with pytest.raises(StudyConfigError, match="gibbs_iterations"):
        config(gibbs_iterations=0)


def test_seeded_themes_hold_through_word_priors():
    model = TopicModel(config(n_topics=5, seed=3, no_above=0.95)).fit(PLANTED_TEXTS, themes=THEMES)
    assert sorted(model.theme_names_.values()) == sorted(theme.name for theme in THEMES)
    assert_planted_themes_held(model)
    # Every seeded word is anchored to its theme (near zero in the other topics); the seed
    # words themselves also carry the strength there; free words carry no word prior.
    seeds = {word for theme in THEMES for word in theme.words}
    seeded = set(" ".join(model.seed_report_["seeded"]).split())
    assert seeded - seeds and seeded & seeds
    for word in seeded:
        prior = model.lda_.get_word_prior(word)
        assert len(prior) == 5 and max(prior) >= 1000 * min(prior), word
        assert (max(prior) > 1) == (word in seeds), word
    free = next(word for word in model.dictionary_.token2id if word not in seeded)
    np.testing.assert_allclose(model.lda_.get_word_prior(free), 1 / 5)


@pytest.mark.parametrize(("n_topics", "seed"), [(5, 11), (7, 1)])
def test_theme_names_follow_their_topics_whatever_k_or_seed(n_topics, seed):
    model = TopicModel(config(n_topics=n_topics, seed=seed, no_above=0.95)).fit(PLANTED_TEXTS,
                                                                                themes=THEMES)
    words = model.topic_words(5)
    for theme in THEMES:
        top = words[words["topic"] == topic_of(model, theme.name)]["word"]
        assert top.isin(PLANTED[theme.name]).sum() >= 4, (theme.name, top.tolist())


def test_saved_model_reloads_to_the_same_numbers(model, tmp_path):
    model.save(tmp_path / "m")
    assert (tmp_path / "m" / "lda.tomotopy").is_file()
    record = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert record["settings"]["engine"] == "tomotopy"
    assert record["engine"] == {"name": "tomotopy", "tomotopy": tp.__version__, "isa": tp.isa}
    again = TopicModel.load(tmp_path / "m", model.config, doc_ids=DOC_IDS)
    assert isinstance(again.engine_, TomotopyEngine)
    np.testing.assert_array_equal(again.doc_topic_, model.doc_topic_)
    np.testing.assert_array_equal(again.topic_word(), model.topic_word())
    assert again.topic_words().equals(model.topic_words())
    assert again.relevant_words().equals(model.relevant_words())
    np.testing.assert_array_equal(again.transform(TEXTS[:3]), model.transform(TEXTS[:3]))
    assert again.perplexity(TEXTS) == model.perplexity(TEXTS)
    assert TopicModel.load(tmp_path / "m").config == model.config


def test_loading_checks_the_engine_and_ignores_the_other_engines_settings(model, tmp_path):
    model.save(tmp_path / "m")
    with pytest.raises(ValueError, match="engine: saved 'tomotopy', asked 'gensim'"):
        TopicModel.load(tmp_path / "m", replace(model.config, engine="gensim"))
    with pytest.raises(ValueError, match="gibbs_iterations: saved 200, asked 50"):
        TopicModel.load(tmp_path / "m", replace(model.config, gibbs_iterations=50))
    TopicModel.load(tmp_path / "m", replace(model.config, passes=2, iterations=7))  # gensim's


def test_workers_are_reproducible_and_part_of_the_fit(caplog, tmp_path):
    """Two sampling threads (the default, PARTITION scheme) give the same bytes run to run;
    one worker gives other topics, so workers is a fit setting (the engine's thread rule);
    0 (all CPUs) warns."""
    assert TomotopyEngine.workers_change_fit({"workers": 1})
    two = fit(workers=2)
    np.testing.assert_array_equal(fit(workers=2).doc_topic_, two.doc_topic_)
    assert_topics_separate_the_planted_themes(two)
    assert not np.array_equal(fit(workers=1).doc_topic_, two.doc_topic_)
    two.save(tmp_path / "m")
    with pytest.raises(ValueError, match="workers: saved 2, asked 1"):
        TopicModel.load(tmp_path / "m", replace(two.config, workers=1))
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        fit(workers=0)
    assert "depend on the machine's CPU count" in caplog.text


def test_the_last_states_are_kept_as_posterior_samples_and_the_fit_is_unchanged(model, tmp_path):
    samples = model.doc_topic_samples_
    assert samples.shape == (5, *model.doc_topic_.shape) and samples.dtype == np.float32
    np.testing.assert_allclose(samples[-1], model.doc_topic_, atol=1e-6)  # the last is the point
    assert not np.allclose(samples[0], samples[-1])  # ten sweeps earlier: another state
    one = fit(posterior_samples=1)
    assert one.doc_topic_samples_ is None
    # Sweeps in several calls are the same sweeps: keeping states changes no topic.
    np.testing.assert_array_equal(one.doc_topic_, model.doc_topic_)
    np.testing.assert_array_equal(one.topic_word(), model.topic_word())
    model.save(tmp_path / "m")
    again = TopicModel.load(tmp_path / "m", model.config, doc_ids=DOC_IDS)
    np.testing.assert_array_equal(again.doc_topic_samples_, samples)


def test_the_sweep_runs_on_tomotopy():
    texts = TEXTS + TEXTS[:6]
    runs, by_k = sweep(texts, [2, 3], [1, 2], config(), workers=1, top_n=4, progress=False)
    assert list(by_k["k"]) == [2, 3] and len(runs) == 4
    for column in ("npmi", "diversity", "perplexity", "stability"):
        assert by_k[column].notna().all(), column
    _, again = sweep(texts, [2, 3], [1, 2], config(), workers=1, top_n=4, progress=False)
    np.testing.assert_array_equal(by_k[["npmi", "perplexity"]], again[["npmi", "perplexity"]])
