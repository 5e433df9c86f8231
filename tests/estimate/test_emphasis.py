"""Emphasis relative to the mean: each group's theme weight minus the mean over groups."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import QuadMesh

from policytopics.estimate.weights import theme_emphasis, theme_weights
from policytopics.report.figures import export_figure, plot_theme_emphasis
from policytopics.text.regions import AREA_ORDER

LABELS = {1: "科技创新", 2: "乡村振兴", 3: "绿色低碳", 4: "就业收入"}
# Listed out of area order on purpose: the table must put them in order.
REGIONS = ["黑龙江省", "全国", "四川省", "浙江省", "河南省", "北京市", "内蒙古自治区"]
HEAVY = "浙江省"  # plainly over-weights topic 3


def make_doc_topics(docs_per_region: int = 12, seed: int = 3,
                    regions: list[str] | None = None) -> pd.DataFrame:
    """Long document-topic table (as ``doc_topics_table`` makes it) with one planted contrast."""
    rng = np.random.default_rng(seed)
    rows = []
    for r, region in enumerate(regions or REGIONS):
        for d in range(docs_per_region):
            alpha = np.full(len(LABELS), 2.0)
            if region == HEAVY:
                alpha[2] = 12.0
            proportions = rng.dirichlet(alpha)
            doc_id = f"{r:02d}-{d:03d}"
            for topic, weight in enumerate(proportions, start=1):
                rows.append({"doc_id": doc_id, "title": doc_id, "date": f"{2018 + d % 3}-06-01",
                             "date_precision": "day", "period": str(2018 + d % 3),
                             "region": region, "city": None, "n_chars": 400 + 50 * d,
                             "topic": topic, "topic_label": LABELS[topic], "weight": weight})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def doc_topics() -> pd.DataFrame:
    return make_doc_topics()


@pytest.fixture(scope="module")
def by_region(doc_topics) -> pd.DataFrame:
    return theme_emphasis(doc_topics, "region", seed=7)


# --- areas -------------------------------------------------------------------------------

def test_rows_are_ordered_by_area_then_as_the_bureau_lists_them(by_region):
    regions = list(by_region["region"].drop_duplicates())
    assert regions == ["北京市", "浙江省", "河南省", "内蒙古自治区", "四川省", "黑龙江省", "全国"]
    areas = list(by_region.drop_duplicates("region")["area"])
    assert areas == ["东部", "东部", "中部", "西部", "西部", "东北", "其他"]
    assert list(AREA_ORDER) == ["东部", "中部", "西部", "东北", "其他"]
    for _, frame in by_region.groupby("region", sort=False):
        assert list(frame["topic"]) == [1, 2, 3, 4]


# --- the table ---------------------------------------------------------------------------

def test_a_region_that_over_weights_a_topic_has_positive_emphasis_with_interval_above_zero(
        by_region):
    heavy = by_region[(by_region["region"] == HEAVY) & (by_region["topic"] == 3)].iloc[0]
    assert heavy["emphasis"] > 10  # percentage points
    assert 0 < heavy["ci_low"] <= heavy["emphasis"] <= heavy["ci_high"]
    others = by_region[(by_region["region"] != HEAVY) & (by_region["topic"] == 3)]
    assert (others["emphasis"] < 0).all()


def test_emphasis_is_in_percentage_points_around_the_unweighted_mean_of_group_means(
        doc_topics, by_region):
    weights = theme_weights(doc_topics, "region")
    merged = by_region.merge(weights, on=["region", "topic"], suffixes=("", "_tw"))
    np.testing.assert_allclose(merged["weight"], merged["weight_tw"])  # same group means
    mean = weights.groupby("topic")["weight"].mean()  # each region counts once
    np.testing.assert_allclose(by_region["mean_over_groups"], by_region["topic"].map(mean))
    np.testing.assert_allclose(by_region["emphasis"],
                               100 * (by_region["weight"] - by_region["mean_over_groups"]))
    sums = by_region.groupby("topic")["emphasis"].sum()
    np.testing.assert_allclose(sums, 0, atol=1e-9)
    assert by_region["emphasis"].abs().max() > 1  # points, not fractions


def test_columns_and_flags(by_region):
    assert list(by_region.columns) == ["region", "area", "topic", "topic_label", "weight",
                                       "mean_over_groups", "emphasis", "ci_low", "ci_high",
                                       "n_docs", "sparse", "interval"]
    assert (by_region["n_docs"] == 12).all() and not by_region["sparse"].any()
    assert by_region["topic_label"].tolist()[:4] == list(LABELS.values())


def test_weight_by_characters_weights_the_group_means_as_theme_weights_does(doc_topics):
    emphasis = theme_emphasis(doc_topics, "region", weight_by="n_chars", draws=50)
    weights = theme_weights(doc_topics, "region", weight_by="n_chars", draws=50)
    merged = emphasis.merge(weights, on=["region", "topic"], suffixes=("", "_tw"))
    np.testing.assert_allclose(merged["weight"], merged["weight_tw"])
    unweighted = theme_emphasis(doc_topics, "region", draws=50)
    assert not np.allclose(emphasis["weight"], unweighted["weight"])
    with pytest.raises(ValueError, match="weight_by"):
        theme_emphasis(doc_topics, "region", weight_by="pages")


def test_by_period_has_no_area_and_periods_in_order(doc_topics):
    by_period = theme_emphasis(doc_topics, "period", draws=100)
    assert "area" not in by_period.columns
    assert list(by_period["period"].drop_duplicates()) == ["2018", "2019", "2020"]
    np.testing.assert_allclose(by_period.groupby("topic")["emphasis"].sum(), 0, atol=1e-9)


def test_documents_without_a_group_are_left_out_and_one_group_gives_an_empty_frame(doc_topics):
    unnamed = doc_topics.assign(region=doc_topics["region"].where(
        doc_topics["region"] != "全国", None))
    emphasis = theme_emphasis(unnamed, "region", draws=50)
    assert "全国" not in set(emphasis["region"]) and emphasis["region"].notna().all()
    single = doc_topics[doc_topics["region"] == HEAVY]
    empty = theme_emphasis(single, "region")
    assert empty.empty and "emphasis" in empty.columns and "area" in empty.columns


def test_the_bootstrap_is_reproducible_with_its_seed(doc_topics):
    first = theme_emphasis(doc_topics, "region", draws=200, seed=11)
    again = theme_emphasis(doc_topics, "region", draws=200, seed=11)
    other = theme_emphasis(doc_topics, "region", draws=200, seed=12)
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["ci_low"], other["ci_low"])
    np.testing.assert_allclose(first["emphasis"], other["emphasis"])  # only intervals move


def test_the_bootstrap_resamples_documents_within_groups():
    # One document per group: resampling documents cannot move any group mean, so there is
    # no interval (empty, not one of width 0; resampling groups would give wide intervals).
    one_each = make_doc_topics(docs_per_region=1)
    emphasis = theme_emphasis(one_each, "region", draws=200)
    assert emphasis[["ci_low", "ci_high"]].isna().all().all() and set(emphasis["interval"]) == {"none"}
    assert emphasis["sparse"].all()
    # A one-document group against a 40-document group: the difference's spread is all the
    # larger group's (half its mean's spread, as each counts half of the mean over groups).
    pair = make_doc_topics(docs_per_region=40, regions=["北京市", "河南省"])
    pair = pair[(pair["region"] == "河南省") | (pair["doc_id"] == "00-000")]
    emphasis = theme_emphasis(pair, "region", draws=4000, seed=1).set_index(["region", "topic"])
    weights = theme_weights(pair, "region", draws=4000, seed=2).set_index(["region", "topic"])
    assert weights.loc["北京市", ["ci_low", "ci_high"]].isna().all().all()  # one document: none
    width = emphasis["ci_high"] - emphasis["ci_low"]
    expected = 100 * (weights.loc["河南省", "ci_high"] - weights.loc["河南省", "ci_low"]) / 2
    np.testing.assert_allclose(width.loc["北京市"], expected, rtol=0.15)
    np.testing.assert_allclose(width.loc["河南省"], expected, rtol=0.15)


# --- the figure --------------------------------------------------------------------------

def _mesh(ax) -> QuadMesh:
    meshes = [c for c in ax.collections if isinstance(c, QuadMesh)]
    assert len(meshes) == 1
    return meshes[0]


def test_region_figure_diverges_around_zero_with_areas_separated(by_region):
    ax = plot_theme_emphasis(by_region)
    norm = _mesh(ax).norm
    assert norm.vmin == pytest.approx(-norm.vmax) and norm.vmax > 0
    assert getattr(norm, "vcenter", 0) == 0
    # A robust scale: the 95th percentile of the cells (not the one most extreme cell).
    assert norm.vmax == pytest.approx(np.percentile(by_region["emphasis"].abs(), 95))
    assert norm.vmax < by_region["emphasis"].abs().max()
    rows = [t.get_text().split(" (n=")[0] for t in ax.get_yticklabels()]
    assert rows == list(by_region["region"].drop_duplicates())
    assert [t.get_text() for t in ax.get_xticklabels()] == list(LABELS.values())
    # Areas 东部 | 中部 | 西部 | 东北 | 其他: a horizontal line at each of the four boundaries.
    separators = sorted(line.get_ydata()[0] for line in ax.get_lines())
    assert separators == [1.5, 2.5, 4.5, 5.5]
    side = [child for child in ax.child_axes]
    # 全国, alone outside the four areas, is named as itself, not as an area.
    assert [t.get_text() for t in side[0].get_yticklabels()] == ["东部", "中部", "西部", "东北",
                                                                 "全国"]
    colorbar = ax.figure.axes[-1]
    assert colorbar.get_ylabel() == "比平均高/低（百分点）"
    cells = {t.get_text(): t for t in ax.texts}
    heavy = by_region[(by_region["region"] == HEAVY) & (by_region["topic"] == 3)].iloc[0]
    label = f"{heavy['emphasis']:+.1f}"
    assert label.startswith("+") and cells[label].get_fontweight() == "bold"
    assert len(ax.texts) == by_region.shape[0]
    plt.close(ax.figure)


def test_sparse_cells_are_starred_and_never_marked_as_beyond_the_mean(doc_topics):
    lone = make_doc_topics(docs_per_region=1, regions=["湖北省"], seed=9).assign(doc_id="hubei-lone")
    emphasis = theme_emphasis(pd.concat([doc_topics, lone]), "region", seed=7)
    hubei = emphasis[emphasis["region"] == "湖北省"]
    assert hubei["sparse"].all() and ((hubei["ci_low"] > 0) | (hubei["ci_high"] < 0)).any()
    ax = plot_theme_emphasis(emphasis)
    starred = [t for t in ax.texts if t.get_text().endswith("*")]
    assert len(starred) == len(LABELS)
    assert all(t.get_fontweight() == "normal" for t in starred)
    assert "文档数少于 2 篇" in ax.get_xlabel()
    plt.close(ax.figure)


def test_english_labels(by_region):
    ax = plot_theme_emphasis(by_region, language="en")
    assert ax.figure.axes[-1].get_ylabel() == "above/below the mean (percentage points)"
    assert ax.get_ylabel() == "Region" and ax.get_xlabel().startswith("Topic")
    assert "mean" in ax.get_title()
    side = ax.child_axes[0]
    assert [t.get_text() for t in side.get_yticklabels()] == ["East", "Central", "West",
                                                              "Northeast", "全国"]
    plt.close(ax.figure)


def test_period_figure_has_no_areas_and_a_large_grid_has_dots_not_numbers(doc_topics):
    by_period = theme_emphasis(doc_topics, "period", draws=100)
    ax = plot_theme_emphasis(by_period, by="period", language="en")
    assert [t.get_text().split(" (n=")[0] for t in ax.get_yticklabels()] == ["2018", "2019",
                                                                            "2020"]
    assert not ax.child_axes and not ax.get_lines()
    assert ax.get_ylabel() == "Period"
    plt.close(ax.figure)
    ax = plot_theme_emphasis(theme_emphasis(doc_topics, "region", draws=100), annotate=False)
    assert not ax.texts
    beyond = [c for c in ax.collections if c.get_label().startswith("_beyond")]
    dots = [c for c in ax.collections if not isinstance(c, QuadMesh) and c not in beyond]
    assert len(dots) == 1 and len(dots[0].get_offsets()) >= 1
    emphasis = theme_emphasis(doc_topics, "region", draws=100)["emphasis"].abs()
    n_beyond = int((emphasis > ax.collections[0].norm.vmax).sum())
    assert sum(len(c.get_offsets()) for c in beyond) == n_beyond
    plt.close(ax.figure)


def test_an_empty_table_gives_a_clear_error():
    with pytest.raises(ValueError, match="two groups"):
        plot_theme_emphasis(theme_emphasis(make_doc_topics(regions=["北京市"]), "region"))


def test_figure_exports_to_png_with_every_chinese_glyph(by_region, tmp_path):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        ax = plot_theme_emphasis(by_region)
        paths = export_figure(ax, "theme_emphasis_by_region", tmp_path, formats=("png",))
    assert paths[0].stat().st_size > 10_000
