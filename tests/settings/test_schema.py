"""The rules a setting's value keeps, and ``setting()`` (policytopics.settings.schema)."""

import dataclasses

import pytest

from policytopics.settings.schema import (
    Above,
    AtLeast,
    AtMost,
    Between,
    Count,
    DateBound,
    Flag,
    Formula,
    StudyConfigError,
    either,
    package_data,
    setting,
)


@pytest.mark.parametrize("rule, value, error", [
    (AtLeast(2), 2, None),
    (AtLeast(2), 1, "[s] k must be at least 2 (--k), got 1"),
    (AtMost(9), 10, "[s] k (--k) must be at most 9, got 10"),
    (Above(0), 0, "[s] k must be above 0, got 0"),
    (Between(0, 1), 2.0, "[s] k must be from 0 to 1, got 2.0"),
    (Between(0, float("inf")), -1, "[s] k must be 0 or more, got -1"),
    (Between(0, 1, open=True), 1, "[s] k must be from 0 to 1, got 1"),
    (Count(allowed=(0, 2), message="{name} needs two, got {value}"), ("a",), "[s] k needs two, got ['a']"),
    (DateBound(), "2020-02-30", "[s] k must be a date written YYYY, YYYY-MM or YYYY-MM-DD, got '2020-02-30': "
                                "no such day on the calendar"),
    (DateBound(), "20", "[s] k must be a date written YYYY, YYYY-MM or YYYY-MM-DD, got '20'"),
    (DateBound(), "", None),
    (Formula(), "region + period", None),
    (AtLeast(0, message="{name} must be 0 (auto) or more"), -1, "[s] k must be 0 (auto) or more"),
])
def test_a_rule_says_its_error_in_one_line(rule, value, error):
    assert rule.check("[s] k", " (--k)", value) == error


def test_a_formula_rule_names_what_it_cannot_read():
    assert Formula().check("[effects] formula", "", "region + log(year)").startswith(
        "[effects] formula: cannot read the formula")


def test_rules_are_checked_in_their_order():
    assert AtLeast(0).rank < AtMost(1).rank < Between().rank < Formula().rank
    assert AtLeast(0, order=8).rank == 8


def test_setting_keeps_everything_about_a_setting_on_its_field():
    @dataclasses.dataclass(frozen=True)
    class Section:
        k: int = setting(3, AtLeast(1), flag=Flag("--k", "a k", metavar="K"), aliases=("k",))
        made: tuple = setting(factory=lambda: (1, 2))

    first, _ = dataclasses.fields(Section)
    assert Section().k == 3 and Section().made == (1, 2)
    assert first.metadata["rules"] == (AtLeast(1),)
    assert first.metadata["flag"].name == "--k" and first.metadata["aliases"] == ("k",)


def test_either_and_package_data():
    assert either(("a",)) == "'a'"
    assert either(("a", "b", "c")) == "'a', 'b' or 'c'"
    assert package_data("study.toml").is_file()
    with pytest.raises(StudyConfigError, match=r"no built-in data file 'none\.txt'"):
        package_data("none.txt")
