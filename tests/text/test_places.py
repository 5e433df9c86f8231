import time

from policytopics.text.places import extract_region

#: Venue phrases and place names, repeated: the text that made detection quadratic.
_VENUE_SENTENCE = "国务院总理在北京会见外宾，浙江省杭州市召开会议，在上海举行论坛。"


def _seconds(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def test_a_text_on_one_line_takes_about_as_long_as_with_line_breaks():
    # Testing every venue phrase for every place named was quadratic in a line's length: a
    # 2 MB one-line text took 97 s, 1.5-2.4 s with its line breaks. At 60,000 characters the
    # old code took 3.7 s on one line against 0.09 s on 1,900 lines.
    text = _VENUE_SENTENCE * 1900
    lines = text.replace("。", "。\n").split("\n")
    with_breaks = min(_seconds(lambda: extract_region(None, lines)) for _ in range(2))
    one_line = min(_seconds(lambda: extract_region(None, [text])) for _ in range(2))
    assert one_line < 5 * with_breaks + 0.2
    assert extract_region(None, [text]).region == "浙江省"


def test_a_place_inside_a_venue_phrase_still_counts_half():
    # The venue of a meeting (在北京举行) is not what the story is about.
    assert extract_region("会议在北京举行", ["会议在北京举行。"]).region is None
    assert extract_region("北京推进改革", ["北京推进改革。"]).region == "北京市"


def test_invisible_characters_make_no_region_of_their_own():
    from policytopics.text.places import canonical_region

    # A zero-width space, a NUL, a right-to-left mark, a BOM: displayed as 浙江, read as 浙江省.
    for written in ("浙\u200b江", "浙江\x00", "\u200f浙江省", "\ufeff浙江", "浙江省\u200e", "浙 江"):
        assert canonical_region(written) == "浙江省", repr(written)


def test_official_english_and_traditional_names_of_autonomous_regions():
    from policytopics.text.places import canonical_region

    assert canonical_region("Guangxi Zhuang Autonomous Region") == "广西壮族自治区"
    assert canonical_region("Ningxia Hui Autonomous Region") == "宁夏回族自治区"
    assert canonical_region("Xinjiang Uyghur Autonomous Region") == "新疆维吾尔自治区"
    assert canonical_region("新疆維吾爾族自治區") == "新疆维吾尔自治区"
    assert canonical_region("Tibet Autonomous Region") == "西藏自治区"
    assert canonical_region("Inner Mongolia Autonomous Region") == "内蒙古自治区"


def test_placeholders_say_no_province():
    from policytopics.text.places import canonical_region

    for written in ("N/A", "n/a", "无", "中国", "China", "national", "全国", " NULL ", "-"):
        assert canonical_region(written) is None, written
    assert canonical_region("宁波市") == "宁波市"  # a city stays as written
