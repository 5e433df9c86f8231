import numpy as np
import pytest
from conftest import TOPIC_TEXTS

from policytopics.model.choose_k import parse_k_range, split_heldout, suggest_k, sweep
from policytopics.settings.config import ModelConfig

TEXTS = TOPIC_TEXTS + TOPIC_TEXTS[:6]


def test_parse_k_range():
    assert parse_k_range("4:10:2") == [4, 6, 8, 10]
    assert parse_k_range("5,10") == [5, 10]
    with pytest.raises(ValueError):
        parse_k_range("1:3")


def test_heldout_split_is_fixed():
    a, b = split_heldout(100, 0.1, seed=3), split_heldout(100, 0.1, seed=3)
    assert a.sum() == 10 and (a == b).all()


def test_sweep_scores_every_k_and_parallel_equals_serial():
    base = ModelConfig(passes=5, iterations=50)
    runs, by_k = sweep(TEXTS, [2, 3], [1, 2], base, workers=1, top_n=4, progress=False)
    _, by_k2 = sweep(TEXTS, [2, 3], [1, 2], base, workers=2, top_n=4, progress=False)
    assert list(by_k["k"]) == [2, 3] and len(runs) == 4
    for column in ("npmi", "umass", "diversity", "perplexity", "stability"):
        assert by_k[column].notna().all(), column
    assert ((by_k["diversity"] > 0) & (by_k["diversity"] <= 1)).all()
    np.testing.assert_allclose(by_k[["npmi", "perplexity", "stability"]],
                               by_k2[["npmi", "perplexity", "stability"]])
    k, reason = suggest_k(by_k)
    assert f"K = {k} has the best average" in reason


def test_suggestion_says_when_it_sits_at_the_edge_of_the_grid():
    import pandas as pd

    def grid(npmi):
        return pd.DataFrame({"k": [4, 6, 8], "npmi": npmi, "diversity": [0.8, 0.8, 0.8],
                             "stability": [0.5, 0.5, 0.5]})

    k, reason = suggest_k(grid([0.1, 0.3, 0.2]))
    assert k == 6 and "edge" not in reason
    k, reason = suggest_k(grid([0.3, 0.2, 0.1]))
    assert k == 4 and "at the edge of the grid (4-8)" in reason and "smaller" in reason
    k, reason = suggest_k(grid([0.1, 0.2, 0.3]))
    assert k == 8 and "larger" in reason


def test_stability_compares_fits_with_different_seeds():
    # Fits of one K with one seed are the same model: their similarity of 1 says nothing (#31).
    base = ModelConfig(gibbs_iterations=20)
    runs, by_k = sweep(TEXTS, [4], [1, 2, 3], base, workers=1, top_n=4, progress=False)
    assert sorted(runs["seed"]) == [1, 2, 3]
    assert 0 < by_k["stability"].iloc[0] < 0.999
    with pytest.raises(ValueError, match=r"seeds repeat \(1\)"):
        sweep(TEXTS, [4], [1, 1, 2], base, workers=1, top_n=4, progress=False)


def test_a_seeded_sweep_fits_with_the_themes_and_suggests_only_k_that_hold_them(tmp_path):
    import pandas as pd

    themes = tmp_path / "themes.toml"
    themes.write_text('["制造"]\nwords = ["制造业", "产业链"]\n["数字"]\nwords = ["数字经济", "算力"]\n',
                      encoding="utf-8")
    runs, by_k = sweep(TEXTS, [2, 3], [1, 2], ModelConfig(themes=themes), workers=1, top_n=4,
                       progress=False)
    assert "themes_held" in runs and runs["themes_held"].between(0, 1).all()
    assert "themes_held" in by_k  # the worst seed's share, per K
    # A K whose fits lost a theme is not suggested, however it scores otherwise.
    grid = pd.DataFrame({"k": [12, 14, 18], "npmi": [0.3, 0.2, 0.1], "diversity": [0.9, 0.8, 0.7],
                         "stability": [0.9, 0.8, 0.7], "themes_held": [0.9, 1.0, 1.0]})
    k, reason = suggest_k(grid)
    assert k == 14 and "not 12" in reason and "edge" not in reason


def test_the_sweep_counts_the_themes_held_by_the_run_s_rule(tmp_path, monkeypatch):
    """The sweep's "themes held" is the share of themes that hold by the rule a run applies:
    a topic whose share follows its seeds holds with two seeds in its top 10 (the rule of
    ≥ 3 seeds counted it out), one seeded by a word every topic uses does not."""
    from model_corpora import PLANTED_TEXTS

    from policytopics.model import themes_held as held_module

    themes = tmp_path / "themes.toml"
    themes.write_text('["绿色低碳"]\nwords = ["低碳", "节能", "光伏", "绿色"]\n'
                      '["人才"]\nwords = ["人才", "工程师"]\n["政策"]\nwords = ["政策"]\n', encoding="utf-8")
    base = ModelConfig(themes=themes, no_above=0.95)
    runs, by_k = sweep(PLANTED_TEXTS, [5], [1], base, workers=1, top_n=10, progress=False)
    assert runs["themes_held"].tolist() == [pytest.approx(2 / 3)] and by_k["themes_held"].tolist() == [
        pytest.approx(2 / 3)]
    monkeypatch.setattr(held_module, "HELD_MIN_SPEARMAN", -1.0)  # every share follows its seeds
    monkeypatch.setattr(held_module, "HELD_MIN_SEED_MASS", 0.0)
    runs, _ = sweep(PLANTED_TEXTS, [5], [1], base, workers=1, top_n=10, progress=False)
    assert runs["themes_held"].tolist() == [1.0]


def test_the_sweep_judges_the_themes_on_the_documents_it_is_given(tmp_path):
    """``doc_ids`` reach the held check: all units in one document leave no variation for the
    share to follow (ρ undefined), so no theme holds; each unit its own document holds them."""
    from model_corpora import PLANTED_TEXTS

    themes = tmp_path / "themes.toml"
    themes.write_text('["绿色低碳"]\nwords = ["低碳", "节能", "光伏", "绿色"]\n'
                      '["人才"]\nwords = ["人才", "工程师"]\n', encoding="utf-8")
    base = ModelConfig(themes=themes, no_above=0.95)
    texts = PLANTED_TEXTS[:200]
    each, _ = sweep(texts, [5], [1], base, workers=1, top_n=10, progress=False,
                    doc_ids=range(len(texts)))
    one, _ = sweep(texts, [5], [1], base, workers=1, top_n=10, progress=False,
                   doc_ids=["d"] * len(texts))
    assert each["themes_held"].tolist() == [1.0] and one["themes_held"].tolist() == [0.0]
