"""What every figure shares: period positions, broken lines, colour limits, marks, values."""

from __future__ import annotations

import numpy as np

from policytopics.report.figures.common import (
    MARK_MIN_DOCS,
    heatmap_layout,
    period_positions,
    robust_limit,
    signed_value,
    significance_marks,
    with_gaps,
)


def test_periods_sit_on_a_true_time_axis_and_lines_break_at_a_missing_one():
    positions, step = period_positions(["2012", "2013", "2016"])
    assert positions.tolist() == [2012.0, 2013.0, 2016.0] and step == 1.0
    xs, ys = with_gaps(positions, [0.1, 0.2, 0.3], step)
    assert xs.tolist() == [2012.0, 2013.0, 2014.5, 2016.0] and np.isnan(ys[2])
    assert period_positions(["甲", "乙"])[0].tolist() == [0.0, 1.0]  # not dates: evenly spaced


def test_one_extreme_cell_does_not_set_the_colour_scale():
    limit, clipped = robust_limit(np.r_[np.linspace(-1, 1, 40), 50.0])
    assert limit < 2 and clipped
    assert robust_limit(np.array([np.nan])) == (1.0, False)


def test_a_cell_is_marked_only_where_its_interval_can_carry_the_mark():
    marks = significance_marks([0.1, 0.1, -0.3, 0.1], [0.2, 0.2, -0.1, 0.1],
                               [MARK_MIN_DOCS, MARK_MIN_DOCS - 1, MARK_MIN_DOCS, MARK_MIN_DOCS],
                               [False, False, False, False])
    assert marks.tolist() == [True, False, True, False]  # too few documents; no width


def test_values_keep_their_sign_and_a_large_grid_gets_no_numbers():
    assert [signed_value(v) for v in (-0.0239, 1.04, 0.0)] == ["-0.024", "+1.0", "0"]
    (width, _height), annotate, _fontsize = heatmap_layout(30, 40, True, 2.4)
    assert not annotate and width <= 8.27 + 1e-9
