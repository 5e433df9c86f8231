"""Why a figure cannot show anything: each predicate's reason in words, or None."""

from __future__ import annotations

import pandas as pd

from policytopics.report.figures.skips import (
    COMBINED_MAX_TOPICS,
    EFFECT_MAX_LEVELS,
    emphasis_of,
    few_levels,
    few_topics,
    needs_periods,
    needs_regions,
    regions_and_periods,
)


def _frames(regions, periods, topics=3):
    topic_numbers = range(1, topics + 1)
    by_region = pd.DataFrame([(r, t) for r in regions for t in topic_numbers], columns=["region", "topic"])
    by_period = pd.DataFrame([(p, t) for p in periods for t in topic_numbers], columns=["period", "topic"])
    by_region_period = pd.DataFrame([(r, p) for r in regions for p in periods], columns=["region", "period"])
    return {"by_region": by_region, "by_period": by_period, "by_region_period": by_region_period,
            "emphasis_by_region": by_region, "emphasis_by_period": by_period}


def test_comparisons_need_two_groups_and_say_why_not():
    assert needs_regions(_frames(["北京市", "上海市"], ["2020", "2021"])) is None
    assert needs_regions(_frames(["全国"], ["2020"])) == "only one region (全国): nothing to compare"
    assert needs_regions(_frames([], ["2020"])) == "no document has a region"
    assert needs_periods(_frames(["全国"], ["2020"])) == "only one period: no series over time"
    two_regions_one_year = _frames(["北京市", "上海市"], ["2020"])
    assert regions_and_periods(two_regions_one_year) == "fewer than two periods with a region"
    frames = _frames(["北京市", "上海市"], ["2020", "2021"])
    assert emphasis_of("region")(frames | {"emphasis_by_region": frames["by_region"].iloc[:0]}) == (
        "fewer than two regions with documents")


def test_many_topics_or_levels_are_left_to_the_panels_and_the_table():
    assert few_topics(_frames(["全国"], ["2020", "2021"], topics=COMBINED_MAX_TOPICS)) is None
    assert "would tangle" in few_topics(_frames(["全国"], ["2020", "2021"], topics=COMBINED_MAX_TOPICS + 1))
    levels = pd.DataFrame({"covariate": "region", "level": [f"L{i}" for i in range(EFFECT_MAX_LEVELS + 1)]})
    assert "effect_levels.csv has them all" in few_levels({"effect_levels": levels}, {"covariate": "region"})
    assert few_levels({"effect_levels": levels.iloc[:2]}, {"covariate": "region"}) is None
