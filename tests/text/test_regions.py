"""Regions as the study groups them: the four areas, and a province however a table writes it."""

import pytest

from policytopics.text.places import place_mentions
from policytopics.text.regions import AREA_ORDER, OTHER_AREA, REGION_AREAS, canonical_region, region_area


def test_every_mainland_province_has_its_area_in_full_and_short_form():
    short_names = {
        "东部": "北京 天津 河北 上海 江苏 浙江 福建 山东 广东 海南",
        "中部": "山西 安徽 江西 河南 湖北 湖南",
        "西部": "内蒙古 广西 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆",
        "东北": "辽宁 吉林 黑龙江",
    }
    for area, names in short_names.items():
        for short in names.split():
            full = place_mentions(short)[0].province  # the name extract_region gives
            assert region_area(short) == area and region_area(full) == area, (short, full)
    # Every one of the 31 provinces in both forms, and nothing else.
    provinces = {name for names in short_names.values() for name in names.split()}
    assert len(provinces) == 31
    assert set(REGION_AREAS) == provinces | {place_mentions(short)[0].province for short in provinces}


@pytest.mark.parametrize("name", ["全国", "香港特别行政区", "澳门", "台湾省", "宁波市", None])
def test_groups_outside_the_four_areas_are_other(name):
    assert region_area(name) == OTHER_AREA == AREA_ORDER[-1]


def test_invisible_characters_make_no_region_of_their_own():
    # A zero-width space, a NUL, a right-to-left mark, a BOM: displayed as 浙江, read as 浙江省.
    for written in ("浙\u200b江", "浙江\x00", "\u200f浙江省", "\ufeff浙江", "浙江省\u200e", "浙 江"):
        assert canonical_region(written) == "浙江省", repr(written)


def test_official_english_and_traditional_names_of_autonomous_regions():
    assert canonical_region("Guangxi Zhuang Autonomous Region") == "广西壮族自治区"
    assert canonical_region("Ningxia Hui Autonomous Region") == "宁夏回族自治区"
    assert canonical_region("Xinjiang Uyghur Autonomous Region") == "新疆维吾尔自治区"
    assert canonical_region("新疆維吾爾族自治區") == "新疆维吾尔自治区"
    assert canonical_region("Tibet Autonomous Region") == "西藏自治区"
    assert canonical_region("Inner Mongolia Autonomous Region") == "内蒙古自治区"


def test_placeholders_say_no_province():
    for written in ("N/A", "n/a", "无", "中国", "China", "national", "全国", " NULL ", "-"):
        assert canonical_region(written) is None, written
    assert canonical_region("宁波市") == "宁波市"  # a city stays as written
