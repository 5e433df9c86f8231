"""The region of a text (extract_region): dominant units, venues, masked names, counties, speed."""

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


def test_region_needs_a_dominant_unit():
    assert extract_region("宁波召开推进会", ["浙江省推进传统制造业改造。"]).region == "浙江省"
    national = extract_region(None, ["北京、上海、广东、四川、湖北等地推进改革。"])
    assert national.region is None and "no dominant region" in national.source
    assert extract_region(None, ["全国推进改革。"]).source == "no place named"
    long_national = ["全国推进改革,各地加快发展。" * 400, "台湾同胞。", "台湾问题。"]
    assert extract_region(None, long_national).region is None


def test_a_venue_alone_does_not_place_a_story():
    venue = extract_region("习近平出席世界和平论坛开幕式", ["世界和平论坛7日在北京开幕,习近平出席并致辞。"])
    assert venue.region is None and "no dominant region" in venue.source
    # A story about the place keeps it, even with a venue phrase.
    local = extract_region("北京:推进城市副中心建设", ["北京市召开会议,部署副中心建设。",
                                                 "会议在北京举行。"])
    assert local.region == "北京市"


def test_names_that_do_not_locate_a_story_are_masked():
    assert extract_region("航母海训", ["辽宁舰在渤海海域训练。", "辽宁舰起降多次。"]).region is None
    bank = extract_region(None, ["中国银行黑龙江省分行哈尔滨河松街支行原行长受审。"])
    assert bank.region is None and bank.source == "no place named"
    quake = extract_region("云南鲁甸地震救援", ["成都军区官兵赶赴昭通,在云南鲁甸救出老人。"])
    assert quake.region == "云南省"


def test_news_roundup_gets_no_region():
    roundup = extract_region("国内联播快讯", ["河北省开工重点项目。河北省石家庄加快建设。"])
    assert roundup.region is None and "roundup" in roundup.source


def test_every_place_in_a_venue_phrase_counts_as_venue():
    meeting = extract_region("全国春季农业生产工作会议召开", ["会议今天在河南省漯河市召开,李克强作出批示。"])
    assert meeting.region is None


def test_travel_and_event_names_do_not_place_a_story():
    trip = extract_region("习近平结束国事访问回到北京", ["习近平圆满结束对俄罗斯的国事访问,乘专机回到北京。"])
    assert trip.region is None
    forum = extract_region("生态文明贵阳国际论坛年会闭幕", ["论坛发表共识,与会代表交流生态文明建设经验。"])
    assert forum.region is None


def test_counties_find_the_city_but_never_place_a_story_alone():
    county = extract_region("竹山:人人争当星级文明户", ["湖北竹山县开展文明户评选。", "竹山县各村踊跃参与。"])
    assert (county.region, county.city) == ("湖北省", "十堰市")
    national = extract_region("全国春耕备耕有序推进", ["各地抓紧春耕。", "在宁津县,农民忙着播种。"])
    assert national.region is None and national.source == "no place named"


def test_lines_without_a_masked_or_venue_word_are_not_scanned(monkeypatch):
    """Every branch of the masked phrases and of the venue pattern holds one of the words the
    scan is skipped without: a line that holds one is masked and weighed as by the patterns."""
    from policytopics.text import places

    examples = ["北京时间8点", "上海合作组织峰会", "上合组织", "中山大学广州", "香港特区政府", "台湾问题",
                "新疆棉花", "西藏自治区成立60年", "辽宁舰", "辽宁号", "成都军区", "北海布伦特原油",
                "中国银行黑龙江省分行", "哈尔滨河松街支行", "在北京举行", "抵达北京", "杭州峰会",
                "贵阳国际论坛"]
    for text in examples:
        assert places._masked(text) == places._MASKED.sub("", text), text
        assert places._weighted_mentions(text, 1.0) == [
            (place, min(1.0, places._VENUE_WEIGHT) if any(a <= m.start() < b for a, b in
             [mv.span(mv.lastgroup) for mv in places._VENUE.finditer(text)]) else 1.0)
            for m in places.province_and_city_names()[1].finditer(text)
            for place in [places.province_and_city_names()[0][m.group(0)]]], text

    class Unused:
        def __getattr__(self, name):
            raise AssertionError("a line without the pattern's words was scanned")

    monkeypatch.setattr(places, "_MASKED", Unused())
    monkeypatch.setattr(places, "_VENUE", Unused())
    region = places.extract_region("浙江省推进数字经济", ["浙江省宁波市发展数字经济。", "浙江省杭州市。"])
    assert region.region == "浙江省"
