"""Place names kept out of the vocabulary: full and short forms, ordinary words kept, compounds."""

import pytest

from policytopics.text.place_words import PLACES_TAGGED_AS_WORDS, is_place_token, place_name_words

PLACES = ("浙江省", "浙江", "宁波市", "宁波", "杭州", "竹山县", "竹山", "海南", "广东", "西藏",
          "广西壮族自治区", "广西", "内蒙古自治区", "内蒙古")
ORDINARY = ("和平", "新华", "长安", "创新", "合作", "开发区", "高新区", "城区", "新区")


def test_place_name_words_forms_and_rule():
    words = place_name_words()
    for word in PLACES + ("新疆", "新疆维吾尔自治区", "内蒙", "延边", "延边朝鲜族自治州", "东乡",
                          "忠县", "和平区", "石首", "五峰", "香港", "台湾"):
        assert word in words, word
    for word in ORDINARY + ("河口", "城关", "市中", "郊区", "矿区", "开发", "高新", "比如", "资源",
                            "京津冀", "长三角", "港澳", "两岸", "美国", "日本", "欧盟", "俄罗斯"):
        assert word not in words, word
    full = place_name_words(full_only=True)
    assert {"宁波市", "竹山县", "和平区", "延边朝鲜族自治州"} <= full
    assert all(len(w) >= 3 for w in full) and "宁波" not in full
    assert 5_000 < len(words) < 7_000  # 34 provinces, ~330 prefectures, ~2,800 counties


@pytest.mark.parametrize(("token", "expected"), [
    ("宁波", True), ("浙江省委", True), ("广西南宁", True), ("北京市政府", True), ("甘孜州", True),
    ("香港特区政府", True), ("竹山县委", True),
    ("台湾同胞", False), ("南京大屠杀", False), ("北京大学", False), ("大城市", False), ("创新", False),
])
def test_a_token_that_only_names_a_place_or_its_administration(token, expected):
    assert is_place_token(token, frozenset({"省委", "县委"})) is expected


def test_places_jieba_tags_as_words_are_still_places():
    assert place_name_words() >= PLACES_TAGGED_AS_WORDS
