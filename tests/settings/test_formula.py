"""The effects formula's grammar (policytopics.settings.formula): covariates, the spline and
operators only, parsed without evaluating the user's text. (The grammar's tests that fit a
model stay with the effects, tests/estimate/test_effects.py.)"""

import pytest

from policytopics.settings.formula import (
    COVARIATES,
    EffectFormulaError,
    formula_covariates,
    formulaic_formula,
)


def test_formula_names_covariates_and_refuses_others():
    assert formula_covariates("region + spline(year, 4)") == ["region", "year"]
    assert formulaic_formula("spline(year, 3)") == "bs(year, df=3)"
    assert set(formula_covariates("area * period")) <= set(COVARIATES)
    with pytest.raises(EffectFormulaError, match="may use region, period, area, year"):
        formula_covariates("city + year")
    with pytest.raises(EffectFormulaError, match="no '~'"):
        formula_covariates("topic ~ region")
    with pytest.raises(EffectFormulaError, match="cannot read"):
        formula_covariates("region + (")


@pytest.mark.parametrize("formula, piece", [
    ("region + {year}", "{year}"),
    ("region + __import__('os').getcwd()", "__import__"),
    ("region + log(year)", "log"),
    ("spline(year, 99999)", "99999"),
])
def test_a_formula_holds_only_covariates_the_spline_and_operators(formula, piece):
    with pytest.raises(EffectFormulaError) as raised:
        formula_covariates(formula)
    assert repr(piece) in str(raised.value) and "\n" not in str(raised.value)
