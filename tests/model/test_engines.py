"""The tomotopy engine gives what the gensim one gives: reproducible topics with one worker,
the planted themes, seeded themes, a model that reloads to the same numbers, and a study
run that writes the same tables and figures."""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import tomotopy as tp
from conftest import REPO
from conftest import TOPIC_TEXTS as TEXTS
from scipy.stats import spearmanr
from test_themes import PLANTED, SHARES, THEMES, topic_of
from test_themes import TEXTS as PLANTED_TEXTS
from test_topic_model import assert_topics_separate_the_planted_themes

from policytopics import Study, load_study
from policytopics.model.choose_k import sweep
from policytopics.model.engines.base import LDAEngine
from policytopics.model.themes import Theme
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


def files_written(out: Path) -> set[str]:
    """Tables, figures and pages under ``out`` (the stage cache left out)."""
    return {str(p.relative_to(out)) for p in out.rglob("*")
            if p.is_file() and "cache" not in p.relative_to(out).parts}


def test_same_seed_and_one_worker_give_the_same_topics(model):
    again = fit()
    np.testing.assert_array_equal(again.doc_topic_, model.doc_topic_)
    np.testing.assert_array_equal(again.topic_word(), model.topic_word())
    assert again.topic_words().equals(model.topic_words())
    assert not np.array_equal(fit(seed=2).doc_topic_, model.doc_topic_)


FIT_AND_DIGEST = """
import hashlib, sys
from policytopics.settings.config import ModelConfig
from policytopics.model.topic_model import TopicModel
sys.path.insert(0, {tests!r})
from conftest import TOPIC_TEXTS as TEXTS
config = ModelConfig(n_topics=3, seed=1, no_below=1, no_above=0.9, engine="tomotopy")
model = TopicModel(config).fit(TEXTS)
print(hashlib.sha256(model.topic_words().to_csv().encode() + model.doc_topic_.tobytes()).hexdigest())
"""


def digest(model: TopicModel) -> str:
    return hashlib.sha256(model.topic_words().to_csv().encode() + model.doc_topic_.tobytes()).hexdigest()


def test_same_seed_gives_the_same_bytes_in_two_processes(model):
    """Topic words and the document-topic table are byte-identical across processes, not only
    within one (the engine's version and instruction set are the same here)."""
    code = FIT_AND_DIGEST.format(tests=str(Path(__file__).resolve().parents[1]))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           timeout=300).stdout.strip() for _ in range(2)]
    assert runs == [digest(model)] * 2
    assert digest(fit(seed=2)) != digest(model)


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
    # gensim merges two of the three themes at seeds 2 and 3 on this corpus (test_model).
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


def test_priors_follow_the_settings():
    asymmetric = fit(alpha="asymmetric").lda_
    gensim_alpha = 1 / (np.arange(3) + np.sqrt(3))
    np.testing.assert_allclose(asymmetric.alpha, gensim_alpha / gensim_alpha.sum(), rtol=1e-6)
    fixed = fit(alpha=0.2, eta=0.05).lda_
    np.testing.assert_allclose(fixed.alpha, 0.2, rtol=1e-6)
    assert fixed.eta == pytest.approx(0.05) and fixed.optim_interval == 0
    assert fit(alpha="auto").lda_.optim_interval > 0  # tomotopy re-estimates alpha
    with pytest.raises(StudyConfigError, match="gibbs_iterations"):
        config(gibbs_iterations=0)


def assert_planted_themes_held(model):
    """Each planted theme's topic has at least 8 of its words in its top 10, and its share
    follows the theme's planted share across documents."""
    words = model.topic_words(10)
    for column, theme in enumerate(THEMES):
        topic = topic_of(model, theme.name)
        top = words[words["topic"] == topic]["word"]
        assert top.isin(PLANTED[theme.name]).sum() >= 8, (theme.name, top.tolist())
        assert spearmanr(model.doc_topic_[:, topic - 1], SHARES[:, column]).statistic > 0.7


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
    one worker gives other topics, so workers is a fit setting; 0 (all CPUs) warns."""
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


def test_eval_every_does_not_refit(tmp_path):
    """eval_every only logs gensim's perplexity: a saved model loads whatever its value."""
    model = TopicModel(config(engine="gensim", passes=2)).fit(TEXTS)
    model.save(tmp_path / "m")
    TopicModel.load(tmp_path / "m", replace(model.config, eval_every=5))


def test_perplexity_is_one_formula_for_both_engines(model):
    gensim = TopicModel(replace(model.config, engine="gensim", passes=10)).fit(TEXTS)
    vocabulary = len(model.dictionary_)
    for fitted in (model, gensim):
        held_out = fitted.perplexity(TEXTS[:6])
        assert 1 < held_out < vocabulary / 2, (fitted.config.engine, held_out)
    assert np.isnan(model.perplexity([["未知"], []]))


def test_the_sweep_runs_on_tomotopy():
    texts = TEXTS + TEXTS[:6]
    runs, by_k = sweep(texts, [2, 3], [1, 2], config(), workers=1, top_n=4, progress=False)
    assert list(by_k["k"]) == [2, 3] and len(runs) == 4
    for column in ("npmi", "diversity", "perplexity", "stability"):
        assert by_k[column].notna().all(), column
    _, again = sweep(texts, [2, 3], [1, 2], config(), workers=1, top_n=4, progress=False)
    np.testing.assert_array_equal(by_k[["npmi", "perplexity"]], again[["npmi", "perplexity"]])


def test_a_study_on_gensim_writes_what_the_default_writes(sample_study, tmp_path):
    default_out = sample_study.config.output.tables_dir
    assert isinstance(sample_study.model().lda_, tp.LDAModel)  # tomotopy is the default engine
    out = tmp_path / "gensim"
    study_config = load_study(REPO / "study.toml", out=out, output__cache_dir=out / "cache",
                              model__engine="gensim")
    study = Study(study_config, progress=False)
    study.run()
    assert files_written(out) == files_written(default_out)
    assert not isinstance(study.model().lda_, tp.LDAModel)
    # A model cached under the same key space never serves the other engine's run.
    assert study.key("model") != sample_study.key("model")
    rerun = Study(study_config, progress=False)
    np.testing.assert_array_equal(rerun.model().doc_topic_, study.model().doc_topic_)
    assert rerun.cache_hits["model"]


def test_a_seeded_study_warns_for_a_theme_that_does_not_hold(tmp_path, caplog, monkeypatch):
    from policytopics.model import themes as themes_module

    articles = tmp_path / "articles"
    articles.mkdir()
    for i, tokens in enumerate(PLANTED_TEXTS):
        (articles / f"{i:03d}.txt").write_text("。".join(tokens) + "。", encoding="utf-8")
    themes_file = tmp_path / "themes.toml"
    themes_file.write_text("".join(f'["{t.name}"]\nwords = {list(t.words)!r}\n'.replace("'", '"')
                                   for t in THEMES), encoding="utf-8")
    config = load_study(None, corpus=[articles], out=tmp_path / "out", output__cache_dir=tmp_path / "cache",
                        n_topics=5, model__themes=themes_file, model__no_above=0.95)
    held = Study(config, progress=False).topics()
    assert held["theme_held"].dropna().all()
    monkeypatch.setattr(themes_module, "HELD_MIN_SEEDED", 11)  # no top 10 can reach it
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        topics = Study(config, progress=False).topics()
    assert "did not hold its topic" in caplog.text
    assert topics["theme_held"].dropna().tolist() == [False] * len(THEMES)
    assert topics["theme_held"].isna().sum() == 5 - len(THEMES)


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
    assert fit(engine="gensim").doc_topic_samples_ is None


def test_both_engines_are_lda_engines_and_every_choice_has_one():
    from policytopics.model.engines import ENGINE_CLASSES, LDAEngine, engine_class
    from policytopics.settings.config import choices

    assert set(ENGINE_CLASSES) == set(choices("model.engine"))
    for name, cls in ENGINE_CLASSES.items():
        assert engine_class(name) is cls and cls.name == name
        assert all(callable(getattr(cls, member)) for member in
                   ("fit", "infer", "topic_word", "alpha", "versions", "save", "load"))
    assert isinstance(fit().engine_, LDAEngine) and isinstance(fit(engine="gensim").engine_, LDAEngine)
    with pytest.raises(ValueError, match="unknown LDA engine"):
        engine_class("mallet")


# keyATM ---------------------------------------------------------------------------------
KEYATM_THEMES = [Theme("制造", ("制造业", "产业链")), Theme("数字", ("数字经济", "算力")),
                 Theme("绿色", ("绿色低碳", "碳达峰"))]


def fit_keyatm(**settings) -> TopicModel:
    return TopicModel(config(engine="keyatm", **settings)).fit(TEXTS, themes=KEYATM_THEMES,
                                                               doc_ids=DOC_IDS)


@pytest.fixture(scope="module")
def keyatm_model() -> TopicModel:
    return fit_keyatm()


def test_keyatm_same_seed_gives_the_same_bytes(keyatm_model):
    again = fit_keyatm()
    assert digest(again) == digest(keyatm_model)
    np.testing.assert_array_equal(again.topic_word(), keyatm_model.topic_word())
    np.testing.assert_array_equal(again.doc_topic_samples_, keyatm_model.doc_topic_samples_)
    assert digest(fit_keyatm(seed=2)) != digest(keyatm_model)
    # Sweeps in several calls are the same sweeps: keeping states changes no topic.
    np.testing.assert_array_equal(fit_keyatm(posterior_samples=1).doc_topic_, keyatm_model.doc_topic_)


def test_keyatm_keyword_topics_recover_their_themes(keyatm_model):
    words = keyatm_model.topic_words(5)
    planted = {theme.name: set(next(t for t in TEXTS if theme.words[0] in t)) for theme in KEYATM_THEMES}
    for theme in KEYATM_THEMES:
        planted[theme.name] |= {w for t in TEXTS if theme.words[0] in t for w in t}
        top = words[words["topic"] == topic_of(keyatm_model, theme.name)]["word"]
        assert set(top) == planted[theme.name], (theme.name, top.tolist())
    state = keyatm_model.lda_
    assert state.keywords.sum() == 6 and (state.switch() > 0).all()
    np.testing.assert_allclose(keyatm_model.topic_word().sum(axis=1), 1.0)
    assert isinstance(keyatm_model.engine_, LDAEngine)


def test_keyatm_holds_the_planted_themes_and_is_lda_without_them():
    model = TopicModel(config(engine="keyatm", n_topics=5, seed=3, no_above=0.95)).fit(
        PLANTED_TEXTS, themes=THEMES)
    assert_planted_themes_held(model)
    plain = TopicModel(config(engine="keyatm")).fit(TEXTS)
    assert not plain.lda_.keywords.any() and not plain.lda_.switch().any()
    np.testing.assert_allclose(plain.engine_.topic_word(), plain.lda_.regular_topic_word())
    assert_topics_separate_the_planted_themes(plain)


def test_keyatm_keyword_absent_from_the_vocabulary_is_left_out():
    themes = [Theme("制造", ("制造业", "不在词表")), *KEYATM_THEMES[1:]]
    model = TopicModel(config(engine="keyatm")).fit(TEXTS, themes=themes)
    status = model.seed_report_.set_index("seed")["status"]
    assert status["不在词表"] == "never seen" and status["制造业"] == "in vocabulary"
    keywords = model.lda_.keywords[0]
    assert [model.dictionary_[int(j)] for j in np.flatnonzero(keywords)] == ["制造业"]
    words = model.topic_words(3)
    assert "制造业" in set(words[words["topic"] == topic_of(model, "制造")]["word"])


def test_keyatm_reloads_to_the_same_numbers_without_pickle(keyatm_model, tmp_path):
    keyatm_model.save(tmp_path / "m")
    with np.load(tmp_path / "m" / "keyatm.npz", allow_pickle=False) as saved:
        assert "word_topic" in saved
    record = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert record["engine"]["name"] == "keyatm" and record["engine"]["numba"]
    again = TopicModel.load(tmp_path / "m", keyatm_model.config, doc_ids=DOC_IDS)
    np.testing.assert_array_equal(again.topic_word(), keyatm_model.topic_word())
    np.testing.assert_array_equal(again.doc_topic_samples_, keyatm_model.doc_topic_samples_)
    new = keyatm_model.transform(TEXTS[:6] + [[], ["未知"]])
    np.testing.assert_array_equal(again.transform(TEXTS[:6] + [[], ["未知"]]), new)
    np.testing.assert_allclose(new[-2:], 1 / 3)
    np.testing.assert_array_equal(new[:6].argmax(axis=1), keyatm_model.doc_topic_[:6].argmax(axis=1))
    # A document's row is its own, whatever else is in the call.
    np.testing.assert_array_equal(keyatm_model.transform(TEXTS[3:6]), new[3:6])
    assert again.perplexity(TEXTS) == keyatm_model.perplexity(TEXTS)
    # One thread: workers is not part of its fit; gibbs_iterations is.
    TopicModel.load(tmp_path / "m", replace(keyatm_model.config, workers=1))
    with pytest.raises(ValueError, match="gibbs_iterations: saved 200, asked 50"):
        TopicModel.load(tmp_path / "m", replace(keyatm_model.config, gibbs_iterations=50))


def test_keyatm_variants_anchor_keywords_and_hold_the_switch(monkeypatch, keyatm_model):
    from policytopics.model.engines import keyatm

    monkeypatch.setattr(keyatm, "ANCHOR_KEYWORDS", True)
    state = fit_keyatm().lda_
    counts = state.word_topic + state.keyword_topic
    assert not counts[~state.keywords & state.keywords.any(axis=0)].any()
    assert counts[state.keywords].all()
    monkeypatch.setattr(keyatm, "SWITCH_PRIOR_WEIGHT", 100.0)
    held = fit_keyatm().lda_
    assert held.gamma[0] == held.gamma[1] > 100
    np.testing.assert_allclose(held.switch(), 0.5, atol=0.01)
    assert keyatm_model.lda_.gamma == (1.0, 1.0)
