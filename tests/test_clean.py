import pytest

from policytopics.clean import (
    classify_line,
    clean_text,
    load_spam_phrases,
    remove_mojibake,
    strip_pinyin_annotations,
    to_simplified,
)
from policytopics.config import CleanConfig


def test_pinyin_annotations_are_removed_and_counted():
    text, n = strip_pinyin_annotations("調(diào)研經(jīng)濟（yè）")
    assert (text, n) == ("調研經濟", 3)


@pytest.mark.parametrize("keep", ["(记者 鄔政)", "（1）", "集成电路与(ICT)", "GDP(gdp)", "产业(a1)"])
def test_ordinary_parentheses_stay(keep):
    assert strip_pinyin_annotations(keep)[0] == keep


def test_traditional_becomes_simplified():
    assert to_simplified("制造業產業鏈") == "制造业产业链"


def test_mojibake_run_is_removed():
    text, n = remove_mojibake("最具发展?jié)摿Φ氖袌鰞?yōu)势,坚定信心")
    assert n == 1
    assert "摿" not in text and "坚定信心" in text


def test_clean_text_keeps_ordinary_chinese():
    text = "推动制造业高质量发展，加快建设现代化产业体系。"
    assert remove_mojibake(text) == (text, 0)


@pytest.mark.parametrize(("line", "rule"), [
    ("当前位置:首页 > 新闻中心 > 新闻中心详情", "navigation"),
    ("字号:大 中 小", "widget"),
    ("声明:本网站发布的内容以用户投稿为主,如有侵权请联系删除。", "footer"),
    ("新闻爆料:0516-82345678 商务合作:0516-85792397", "contact"),
    ("相关阅读", "related_list"),
    ("2024-06-10 03:13:00", "related_list"),
    ("国产精品无码av在线_欧美日韩国产中文在线_思思在线精品免费观看", "spam_line"),
    ("来源: 发布时间:2023-04-24 浏览次数:275", "header"),
    ("推动制造业高质量发展,加快建设现代化产业体系。", None),
])
def test_line_rules(line, rule, repo):
    phrases = load_spam_phrases(str(repo / "data/cleaning/spam_phrases.txt"))
    assert classify_line(line, phrases) == rule


def test_related_list_with_dates_is_dropped():
    text = ("正文第一段,推动制造业高质量发展。\n更多资讯:\n锚定关键 建成自立自强的创新之城\n"
            "...弓满弦,广州以空间规划破题承题\n2024-02-18 04:01:00\n")
    cleaned = clean_text(text, CleanConfig(spam_phrases=None))
    assert cleaned.text == "正文第一段,推动制造业高质量发展。"
    assert cleaned.removed["related_list"] >= 3


def test_samples_lose_their_spam(samples, repo):
    config = CleanConfig(spam_phrases=repo / "data/cleaning/spam_phrases.txt")
    text = clean_text((samples / "000_46a4b63bdb78f1a1.txt").read_text(encoding="utf-8"), config).text
    assert "成都" not in text and "网站建设" not in text
    assert "制造业" in text and "製造業" not in text
