"""Effects by formula (stm's estimateEffect): least squares per topic, robust errors, the
method of composition, and stm's three forms."""

import numpy as np
import pandas as pd
import pytest

from policytopics.estimate.effects import (
    EffectFormulaError,
    EffectModel,
    effect_tables,
    formula_covariates,
    formulaic_formula,
)
from policytopics.estimate.uncertainty import ProportionPosterior, compose

LABELS = {1: "T1 甲", 2: "T2 乙"}


def documents(n=300, seed=1):
    rng = np.random.default_rng(seed)
    regions = np.array(["甲省", "乙省", "丙省"])[np.arange(n) % 3]
    years = 2000 + np.arange(n) % 20
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "region": regions,
                         "date": [f"{y}-06-01" for y in years], "period": [str(y) for y in years]})
    return docs, rng


def two_topics(share):
    share = np.clip(share, 0.01, 0.99)
    return np.column_stack([share, 1 - share])


def _exec_formula(marker):
    """The hostile formula of #31: formulaic would run the code in ``{…}`` (it creates ``marker``)."""
    code = f"open({str(marker)!r}, 'w').close()"
    return f"region + {{exec(bytes({tuple(code.encode())!r}).decode())}}"


def test_a_formula_that_runs_code_is_refused_and_never_evaluated(tmp_path):
    """#31: neither the covariates' parse nor the model matrix evaluates the user's text."""
    marker = tmp_path / "pwned"
    formula = _exec_formula(marker)
    docs, rng = documents(60)
    theta = two_topics(rng.uniform(0.2, 0.8, 60))
    for call in (lambda: formula_covariates(formula), lambda: formulaic_formula(formula),
                 lambda: EffectModel(docs, formula, theta)):
        with pytest.raises(EffectFormulaError, match=r"at '\{exec'"):
            call()
    assert not marker.exists()


@pytest.mark.parametrize("formula, covariates, written", [
    ("region + period", ["region", "period"], "region + period"),
    ("region + spline(year, 4)", ["region", "year"], "region + bs(year, df=4)"),
    ("area * year", ["area", "year"], "area * year"),
    ("spline(year, 5)", ["year"], "bs(year, df=5)"),
    ("(region) + region:year", ["region", "year"], "(region) + region:year"),
])
def test_the_documented_formulas_still_work(formula, covariates, written):
    assert formula_covariates(formula) == covariates
    assert formulaic_formula(formula) == written
    docs, rng = documents(120)
    model = EffectModel(docs.assign(region=np.where(docs["region"] == "甲省", "浙江省", "四川省")), formula,
                        two_topics(rng.uniform(0.2, 0.8, 120)))
    assert model.usable, model.reason


def test_a_study_file_with_a_hostile_formula_fails_on_loading(tmp_path):
    from policytopics.settings.config import StudyConfigError, load_study

    marker = tmp_path / "pwned"
    study = tmp_path / "study.toml"
    study.write_text(f'[effects]\nformula = "{_exec_formula(marker)}"\n', encoding="utf-8")
    with pytest.raises(StudyConfigError, match=r"^\[effects\] formula: cannot read the formula"):
        load_study(study)
    with pytest.raises(StudyConfigError, match=r"^\[effects\] formula: .*'log'.*unknown function"):
        load_study(None, effects__formula="region + log(year)")
    with pytest.raises(StudyConfigError, match=r"^\[effects\] formula must be text"):
        load_study(None, effects__formula=5)
    assert load_study(None, effects__formula="  ").effects.formula == ""
    assert not marker.exists()


def test_a_region_effect_is_recovered_with_its_interval():
    docs, rng = documents()
    share = 0.2 + 0.3 * (docs["region"] == "乙省") + rng.normal(0, 0.05, len(docs))
    theta = two_topics(share.to_numpy())
    model = EffectModel(docs, "region + period", theta)
    draws = compose(theta, {"e": model}, uncertainty="bootstrap", draws=400, seed=0)["e"]
    tables = effect_tables(model, model(theta, None), draws, LABELS, compare=["乙省", "甲省"])
    coefficients = tables["coefficients"].set_index(["topic", "covariate", "level"])
    b = coefficients.loc[(1, "region", "乙省")]
    assert b["ci_low"] < b["estimate"] < b["ci_high"] and abs(b["estimate"] - 0.3) < 0.03
    assert 0.01 < b["ci_high"] - b["ci_low"] < 0.05  # about 4 standard errors of 0.006
    assert b["reference"] == "丙省"  # most documents; ties go to the first name
    c = coefficients.loc[(1, "region", "甲省")]  # no true effect: the sample's gap, narrowly
    gap = share[docs["region"] == "甲省"].mean() - share[docs["region"] == "丙省"].mean()
    assert c["ci_low"] < gap < c["ci_high"] and c["ci_high"] - c["ci_low"] < 0.04
    difference = tables["difference"].set_index("topic")
    assert difference.loc[1, "ci_low"] > 0.25 and difference.loc[1, "ci_high"] < 0.35
    assert difference.loc[2, "estimate"] == pytest.approx(-difference.loc[1, "estimate"])
    levels = tables["levels"].query("covariate == 'region' and topic == 1").set_index("level")
    assert levels.loc["乙省", "estimate"] - levels.loc["丙省", "estimate"] == pytest.approx(b["estimate"])
    assert set(levels["n_docs"]) == {100}


def test_estimates_and_robust_errors_match_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    docs, rng = documents(120, seed=3)
    theta = two_topics(rng.beta(2, 5, len(docs)))
    model = EffectModel(docs, "region + year", theta)
    design = pd.DataFrame({"乙省": (docs["region"] == "乙省").astype(float),
                           "甲省": (docs["region"] == "甲省").astype(float),
                           "year": docs["date"].str[:4].astype(float)})
    fit = sm.OLS(theta[:, 0], sm.add_constant(design)).fit(cov_type="HC1")
    order = [model.columns.index(name) for name in ("Intercept", "region[T.乙省]", "region[T.甲省]", "year")]
    np.testing.assert_allclose(model(theta, None)[order, 0], fit.params.to_numpy(), rtol=1e-8)
    errors = np.sqrt(np.diag(model.covariances()[0]))[order]
    np.testing.assert_allclose(errors, fit.bse.to_numpy(), rtol=1e-6)
    # Draws around fixed proportions: their quantiles are the normal interval.
    draws = compose(theta, {"e": model}, uncertainty="bootstrap", draws=4000, seed=1)["e"]
    low, high = np.quantile(draws[:, order[1], 0], [0.025, 0.975])
    bounds = fit.conf_int(alpha=0.05).iloc[1].to_numpy()
    np.testing.assert_allclose([low, high], bounds, atol=0.15 * (bounds[1] - bounds[0]))


def test_global_draws_widen_the_interval_by_the_models_uncertainty():
    docs, rng = documents(90, seed=4)
    theta = two_topics(0.3 + 0.2 * (docs["region"] == "乙省").to_numpy() + rng.normal(0, 0.02, 90))
    ids = docs["doc_id"].tolist()
    short = ProportionPosterior(theta, [15] * 90, [0.1, 0.1], ids, [1] * 90, ids)
    model = EffectModel(docs, "region", theta)
    width = {}
    for name, kwargs in (("bootstrap", {}), ("global", {"posterior": short})):
        draws = compose(theta, {"e": model}, uncertainty=name, draws=300, seed=2, **kwargs)["e"]
        low, high = np.quantile(draws[:, 1, 0], [0.025, 0.975])
        width[name] = high - low
    assert width["global"] > 1.5 * width["bootstrap"]  # 15-token documents: measurement dominates


def test_a_spline_gives_a_curve_that_follows_the_trend():
    docs, rng = documents(400, seed=5)
    year = docs["date"].str[:4].astype(float).to_numpy()
    theta = two_topics(0.1 + 0.4 * ((year - 2000) / 19) ** 2 + rng.normal(0, 0.03, 400))
    model = EffectModel(docs, "spline(year, 4)", theta)
    draws = compose(theta, {"e": model}, uncertainty="bootstrap", draws=200, seed=0)["e"]
    curves = effect_tables(model, model(theta, None), draws, LABELS)["curves"].query("topic == 1")
    assert curves["value"].min() == 2000 and curves["value"].max() == 2019
    assert curves["estimate"].iloc[0] == pytest.approx(0.1, abs=0.03)
    assert curves["estimate"].iloc[-1] == pytest.approx(0.5, abs=0.03)
    assert (curves["ci_low"] <= curves["estimate"]).all() and (curves["estimate"] <= curves["ci_high"]).all()


def test_a_curve_breaks_over_years_without_documents_and_its_axis_starts_at_zero():
    from policytopics.report.figures import plot_effect_curves

    docs, rng = documents(400, seed=5)
    year = docs["date"].str[:4].astype(int).to_numpy()
    docs = docs[(year < 2005) | (year > 2014)]  # ten years without a report
    year = docs["date"].str[:4].astype(float).to_numpy()
    theta = two_topics(np.clip(0.02 + 0.01 * (year - 2000) + rng.normal(0, 0.03, len(docs)), 0, 1))
    model = EffectModel(docs, "spline(year, 4)", theta)
    draws = compose(theta, {"e": model}, uncertainty="bootstrap", draws=100, seed=0)["e"]
    curves = effect_tables(model, model(theta, None), draws, LABELS)["curves"]
    inside = curves["value"].between(2004, 2015, inclusive="neither")  # 2004 and 2015 have reports
    assert inside.any() and not curves.loc[inside, "supported"].any()
    assert curves.loc[~inside, "supported"].all()
    fig = plot_effect_curves(curves, covariate="year", language="en")
    line = fig.axes[0].lines[0]
    x, y = line.get_xdata(), line.get_ydata()
    assert np.isnan(y[(x > 2004) & (x < 2015)]).all() and np.isfinite(y[x <= 2004]).all()
    assert fig.axes[0].get_ylim()[0] == 0
    fig.canvas.draw()
    assert all(any(t.get_text() for t in ax.get_xticklabels()) for ax in fig.axes if ax.get_visible())
    assert "breaks over years without a document" in fig.get_supxlabel()
    assert ("below 0 is cut" in fig.get_supxlabel()) == bool((curves["ci_low"] < 0).any())


def test_curves_and_levels_average_over_the_documents_other_covariates():
    """A panel: 甲省 carries much of topic 1, 乙省 and 丙省 little. The curve over years is
    that of the average province, not of one reference province; differences stay as they are."""
    docs, rng = documents(600, seed=3)
    year = docs["date"].str[:4].astype(float).to_numpy()
    base = np.where(docs["region"] == "甲省", 0.6, 0.1) + 0.01 * (year - 2000)
    theta = two_topics(base + rng.normal(0, 0.02, 600))
    model = EffectModel(docs, "region + spline(year, 3)", theta)
    tables = effect_tables(model, model(theta, None), model(theta, None)[None], LABELS,
                           compare=["甲省", "乙省"])
    curve = tables["curves"].query("topic == 1").set_index("value")["estimate"]
    mean_2000 = theta[year == 2000, 0].mean()
    assert curve.iloc[0] == pytest.approx(mean_2000, abs=0.02)  # (0.6 + 0.1 + 0.1) / 3, not 0.1 or 0.6
    levels = tables["levels"].query("topic == 1 and covariate == 'region'").set_index("level")["estimate"]
    assert levels["甲省"] - levels["乙省"] == pytest.approx(0.5, abs=0.02)
    gap = tables["difference"].query("topic == 1")["estimate"].iloc[0]
    assert gap == pytest.approx(levels["甲省"] - levels["乙省"])
    assert levels["甲省"] == pytest.approx(theta[(docs["region"] == "甲省").to_numpy(), 0].mean(), abs=0.02)


def test_too_few_levels_or_documents_say_why():
    docs, _ = documents(30)
    one = docs.assign(region="甲省")
    model = EffectModel(one, "region", two_topics(np.full(30, 0.5)))
    assert not model.usable and "region has only one level" in model.reason
    model = EffectModel(docs.head(4), "spline(year, 3)", two_topics(np.full(4, 0.5)))
    assert not model.usable and "too few documents" in model.reason
    # Terms that overlap are not estimated (pinv would give arbitrary numbers).
    overlapping = EffectModel(docs.assign(region=np.where(docs["region"] == "甲省", "浙江省", "四川省")),
                              "region + area", two_topics(np.full(30, 0.5)))
    assert not overlapping.usable and "overlap" in overlapping.reason
    sparse = EffectModel(docs, "region + period", two_topics(np.full(30, 0.5)), min_docs=2)
    assert sparse.usable and len(sparse.rows) == 20  # the ten years of one document are left out
    with pytest.raises(EffectFormulaError, match="compare"):
        model = EffectModel(docs, "region", two_topics(np.full(30, 0.5)))
        effect_tables(model, model(two_topics(np.full(30, 0.5)), None), np.zeros((2, 3, 2)), LABELS,
                      compare=["甲省", "戊省"])


def test_a_level_left_without_documents_by_another_covariate_is_left_out():
    # X's two documents are in periods of one document each: once those periods go, X has none.
    docs = pd.DataFrame({"region": ["甲省"] * 6 + ["乙省"] * 6 + ["X省"] * 2,
                         "period": ["2020", "2021", "2022"] * 4 + ["2030", "2031"],
                         "date": ["2020-01-01"] * 14})
    rng = np.random.default_rng(0)
    model = EffectModel(docs, "region + period", two_topics(rng.uniform(0.2, 0.8, 14)))
    assert model.levels["region"] == ["乙省", "甲省"] and len(model.rows) == 12
    assert model.n_docs("region", "乙省") == 6


def test_the_reason_names_the_category_that_has_too_few_documents():
    # One national report a year: the region has 52 documents, every year one.
    docs = pd.DataFrame({"region": ["全国"] * 52, "date": [f"{1954 + i}-03-05" for i in range(52)]})
    docs["period"] = docs["date"].str[:4]
    model = EffectModel(docs, "region + period", two_topics(np.full(52, 0.5)))
    assert not model.usable and model.reason.startswith("region has only one level")
    two_regions = docs.assign(region=["甲省", "乙省"] * 26)
    model = EffectModel(two_regions, "region + period", two_topics(np.full(52, 0.5)))
    assert not model.usable and model.reason.startswith("period has no level with 2 or more documents")


def test_every_effect_panel_labels_its_axis_even_above_an_empty_slot():
    from policytopics.report.figures import plot_effect_curves

    curves = pd.DataFrame([{"covariate": "year", "value": v, "topic": t, "topic_label": f"T{t}",
                            "estimate": 0.1, "ci_low": 0.05, "ci_high": 0.15, "supported": True}
                           for t in range(1, 6) for v in (2003.0, 2014.0, 2025.0)])
    fig = plot_effect_curves(curves, covariate="year", language="en")  # 3 + 2 panels
    fig.canvas.draw()
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 5
    assert all(any(t.get_text() for t in ax.get_xticklabels()) for ax in shown)
