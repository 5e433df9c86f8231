"""The gazetteer: provinces, prefecture-level cities and counties by name, from cpca's table."""

from policytopics.text.gazetteer import (
    PROVINCE_SUFFIX,
    Place,
    adcode_rows,
    county_names,
    province_and_city_names,
)


def test_provinces_and_cities_in_full_and_short_form():
    names, pattern = province_and_city_names()
    assert names["浙江省"] == names["浙江"] == Place("浙江省", None)
    assert names["内蒙古"] == Place("内蒙古自治区", None)
    assert names["宁波市"] == names["宁波"] == Place("浙江省", "宁波市")
    assert names["延边朝鲜族自治州"].province == "吉林省"
    assert pattern.findall("浙江省宁波市和北京") == ["浙江省", "宁波市", "北京"]


def test_short_city_names_that_are_common_words_count_only_in_full():
    names, _ = province_and_city_names()
    assert "安康" not in names and names["安康市"] == Place("陕西省", "安康市")


def test_counties_are_unique_full_names_with_their_city():
    counties, pattern = county_names()
    assert counties["竹山县"] == Place("湖北省", "十堰市")
    assert all(name.endswith(("县", "旗")) and len(name) >= 3 for name in counties)
    names, _ = province_and_city_names()
    assert not set(counties) & set(names)
    assert pattern.findall("湖北竹山县") == ["竹山县"]


def test_rows_and_province_suffix():
    rows = adcode_rows()
    assert len(rows) > 3000 and {"adcode", "name"} <= set(rows[0])
    assert PROVINCE_SUFFIX.sub("", "新疆维吾尔自治区") == "新疆"
    assert PROVINCE_SUFFIX.sub("", "北京市") == "北京"


def test_name_patterns_skip_positions_where_no_name_starts_and_match_as_the_plain_trie():
    """The province, city and county patterns look ahead for a name's first character (a
    third faster on news text) and find exactly what the plain trie finds."""
    from policytopics.common.chinese import literal_union
    from policytopics.text.gazetteer import county_names, province_and_city_names

    text = "国务院总理在北京市会见客人。浙江宁波和湖北省竹山县，内蒙古巴林右旗；北海、海南省三亚市。"
    for names, pattern in (province_and_city_names(), county_names()):
        assert pattern.pattern.startswith("(?=[")
        plain = literal_union(names)
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert [m.group(0) for m in province_and_city_names()[1].finditer(text)][:3] == ["北京市", "浙江", "宁波"]
