import pandas as pd
import pytest

from policytopics import document_report
from policytopics.text.metadata import extract_date, find_full_date, parse_date_value
from policytopics.text.places import extract_region

# Read off the five sample articles by hand.
EXPECTED = {
    "000_46a4b63bdb78f1a1": ("上海市", None),
    "001_b6089d93f02b510f": ("上海市", "2023-04-24"),
    "002_004ec484613678ce": ("天津市", "2024-02-14"),
    "003_fe4147fb46006f20": ("浙江省", None),
    "004_9cfb5b4604b70f4b": ("江苏省", "2024-06-04"),
}


def test_samples_get_the_right_region_and_date(samples):
    report = document_report(samples, progress=False).set_index("doc_id")
    for doc_id, (region, date) in EXPECTED.items():
        assert report.loc[doc_id, "region"] == region, doc_id
        found = report.loc[doc_id, "date"]
        assert (None if pd.isna(found) else found) == date, doc_id
    assert report.loc["003_fe4147fb46006f20", "city"] == "宁波市"
    assert report.loc["004_9cfb5b4604b70f4b", "city"] == "徐州市"


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


def test_a_column_date_out_of_range_says_so_and_gives_way_to_the_texts_date(tmp_path):
    # #37: real dates outside 1900 to next year were "not a date", and the date the text
    # states was not used; a value that is no date gives way to it as well.
    from policytopics.text.metadata import date_out_of_range

    out = ("2099-06-01", "9999-12-31", "1899-12-30", "20990601")
    assert [date_out_of_range(v) for v in out] == [True] * 4
    assert [date_out_of_range(v) for v in ("2024-06-01", "2099-02-30", "abc", "")] == [False] * 4
    text = "发布时间：2021-05-06\n" + "推动制造业高质量发展，加快建设现代化产业体系。" * 5
    written = ["2099-06-01", "9999-12-31", "1899-12-30", "去年春天"]
    pd.DataFrame({"title": [f"t{i}" for i in range(4)], "text": [f"{text}第{i}条。" for i in range(4)],
                  "date": written}).to_csv(tmp_path / "x.csv", index=False)
    report = document_report(tmp_path, progress=False)
    assert report["date"].tolist() == ["2021-05-06"] * 4
    sources = report["date_source"].tolist()
    next_year = pd.Timestamp.today().year + 1
    assert sources[0] == (f"column value out of range (1900 to {next_year}): '2099-06-01'; "
                          "header: labelled publication date")
    assert sources[2].startswith("column value out of range (1900 to ")
    assert sources[3] == "column value not a date: '去年春天'; header: labelled publication date"


def test_a_metadata_csv_date_out_of_range_is_named_so(tmp_path):
    (tmp_path / "a.txt").write_text("推动制造业高质量发展，加快建设现代化产业体系。" * 4, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,date\na.txt,2099-06-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"'2099-06-01' for a.txt is out of range \(dates from 1900 to "):
        document_report(tmp_path, progress=False)


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
    from policytopics.text.clean import clean_text
    from policytopics.text.metadata import stated_date

    lines = clean_text("\n".join(["政府工作报告", *header, "各位代表：", "过去一年工作回顾。"])).lines
    found = stated_date(lines)
    assert (found.date if found else None) == date
    if date:  # the date extraction reads the same header first
        assert extract_date(lines).source == "header: delivery or issue date" or header[0].startswith("成文")
