"""Dates: full dates, table date values, dates out of range, the date a header states."""

import pytest

from policytopics.text.clean import clean_text
from policytopics.text.dates import (
    date_out_of_range,
    extract_date,
    find_full_date,
    parse_date_value,
    stated_date,
)


@pytest.mark.parametrize(("text", "iso"), [
    ("2024-06-04 来源:...", "2024-06-04"),
    ("2022/11/08", "2022-11-08"),
    ("2024年3月5日", "2024-03-05"),
    ("二〇二四年六月四日", "2024-06-04"),
    ("二〇二三年十二月二十一日", "2023-12-21"),
    ("2024年13月5日", None),
])
def test_full_dates(text, iso):
    assert find_full_date(text) == iso


def test_month_and_day_alone_leave_the_date_unknown():
    result = extract_date([("标题", None), ("4月24日,座谈会在沪举行。", None)], "标题")
    assert result.date is None and "no year" in result.source


def test_lead_date_needs_a_year_from_the_same_document():
    lines = [("2023年工作简报", "header"), ("4月24日,座谈会在沪举行。", None)]
    assert extract_date(lines).date == "2023-04-24"


def test_table_date_values():
    assert parse_date_value("1954") == ("1954", "year")
    assert parse_date_value("2025-03-05") == ("2025-03-05", "day")
    assert parse_date_value("20250305") == ("2025-03-05", "day")
    assert parse_date_value("not a date") == (None, None)


def test_real_dates_outside_the_years_read_are_out_of_range():
    # #37: real dates outside 1900 to next year were "not a date".
    out = ("2099-06-01", "9999-12-31", "1899-12-30", "20990601")
    assert [date_out_of_range(v) for v in out] == [True] * 4
    assert [date_out_of_range(v) for v in ("2024-06-01", "2099-02-30", "abc", "")] == [False] * 4


@pytest.mark.parametrize("header, date", [
    (["——2026年1月24日在山东省第十四届人民代表大会第四次会议上"], "2026-01-24"),
    (["——2026年1月24日", "在山东省第十四届人民代表大会第四次会议上"], "2026-01-24"),
    # The venue first, the date after it (Sichuan's reports of 2007-2019): on its line or the next.
    (["在四川省第十一届人民代表大会第三次会议上（2010年1月26日）"], "2010-01-26"),
    (["在北京市第十一届人民代表大会第三次会议上", "（2000年1月10日）"], "2000-01-10"),
    (["成文日期：2024年3月5日"], "2024-03-05"),
    # A draft's date is not a delivery date; a date and a name with no venue state none either.
    (["在北京市第十一届人民代表大会第三次会议上", "（1999年12月29日，征求意见稿）"], None),
    (["（2010年2月20日 梁保华）"], None),
])
def test_the_delivery_or_issue_date_a_header_states(header, date):
    lines = clean_text("\n".join(["政府工作报告", *header, "各位代表：", "过去一年工作回顾。"])).lines
    found = stated_date(lines)
    assert (found.date if found else None) == date
    if date:  # the date extraction reads the same header first
        assert extract_date(lines).source == "header: delivery or issue date" or header[0].startswith("成文")
