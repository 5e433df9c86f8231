import pytest

from policytopics.common.chinese import to_simplified
from policytopics.settings.config import CleanConfig, package_data
from policytopics.text.clean import (
    classify_line,
    clean_text,
    cut_spam,
    load_spam_phrases,
    strip_pinyin_annotations,
)

SPAM_PHRASES = package_data("spam_phrases.txt")


def test_pinyin_annotations_are_removed_and_counted():
    text, n = strip_pinyin_annotations("調(diào)研經(jīng)濟（yè）")
    assert (text, n) == ("調研經濟", 3)


@pytest.mark.parametrize("keep", ["(记者 鄔政)", "（1）", "集成电路与(ICT)", "GDP(gdp)", "产业(a1)"])
def test_ordinary_parentheses_stay(keep):
    assert strip_pinyin_annotations(keep)[0] == keep


def test_traditional_becomes_simplified():
    assert to_simplified("制造業產業鏈") == "制造业产业链"


def test_clean_text_counts_repaired_and_removed_mojibake_apart():
    text = "最具發(fā)展?jié)摿Φ氖袌鰞?yōu)勢,搶占?xì)淠芘c新型儲能。"
    cleaned = clean_text(text, CleanConfig(spam_phrases=None))
    assert cleaned.text == "最具发展潜力的市场优势,抢占新型储能。"
    assert cleaned.removed["mojibake_repaired"] == 1 and cleaned.removed["mojibake_removed"] == 1


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
    ("上一篇:某某公司召开年度总结会议", "prev_next"),
    ("下一篇 : 如何选择合适的管件", "prev_next"),
    ("本文关键词:德邦,物流,快递", "seo_meta"),
    ("标签:政策 解读", "seo_meta"),
    ("以上内容为资讯信息快照,由某爬虫进行采集", "seo_meta"),
    ("国米逆转米兰不仅收获三分,还有五大利好消息 946赞", "widget"),
    ("维冈竞技vs米德尔斯堡 维冈竞技为保级而战 853人气", "widget"),
    ("(视频编辑:张三 文字编辑:李四)", "byline"),
    ("小编为大家介绍一下这款产品的主要特点...", "teaser"),
    ("下面小编为大.......", "teaser"),
    ("他说:“我们要坚持下去......”", None),
    ("声明说,中日关系健康稳定发展符合两国人民的根本利益。", None),
    ("手机上的这个小家伙是她五岁的女儿。", None),
    ("网址:www.example.com", "contact"),
    ("欧宝体育app 海德体育官网", "spam_line"),
])
def test_line_rules(line, rule):
    phrases = load_spam_phrases(str(SPAM_PHRASES))
    assert classify_line(line, phrases) == rule


def test_related_list_with_dates_is_dropped():
    text = ("正文第一段,推动制造业高质量发展。\n更多资讯:\n锚定关键 建成自立自强的创新之城\n"
            "...弓满弦,广州以空间规划破题承题\n2024-02-18 04:01:00\n")
    cleaned = clean_text(text, CleanConfig(spam_phrases=None))
    assert cleaned.text == "正文第一段,推动制造业高质量发展。"
    assert cleaned.removed["related_list"] >= 3


def test_samples_lose_their_spam(samples):
    config = CleanConfig(spam_phrases=SPAM_PHRASES)
    text = clean_text((samples / "000_46a4b63bdb78f1a1.txt").read_text(encoding="utf-8"), config).text
    assert "成都" not in text and "网站建设" not in text
    assert "制造业" in text and "製造業" not in text


def test_spliced_spam_is_cut_from_the_sentence():
    phrases = load_spam_phrases(str(SPAM_PHRASES))
    line, cut = cut_spam("美狮贵宾会四名挂职干部参加了座谈会。", phrases)
    assert line == "四名挂职干部参加了座谈会。" and sum(cut.values()) == 1
    line, cut = cut_spam("因此,js333金沙线路将围绕主业开展工作。", phrases)
    assert line == "因此,将围绕主业开展工作。"


def test_brand_shape_catches_unlisted_brands():
    line, cut = cut_spam("3月11日,星河体育官网:宜春市发生一起事故。")
    assert line == "3月11日,宜春市发生一起事故。" and cut == {"spam_brand": 1}


def test_brand_shape_spares_policy_language():
    text = "动漫、互联网文化娱乐平台等文化新业态特征较为明显。"
    assert cut_spam(text) == (text, {})


def test_line_dominated_by_spam_is_dropped():
    cleaned = clean_text("推动制造业高质量发展。\n星河体育官网:好\n", CleanConfig(spam_phrases=None))
    assert cleaned.text == "推动制造业高质量发展。"
    assert cleaned.removed["spam_line"] == 1


def test_contact_lines_go_only_at_the_page_edges():
    body = ["推动制造业高质量发展,加快建设现代化产业体系。"] * 8
    middle = "举报电话 010-12380 欢迎群众监督 全天受理"
    text = "\n".join(["销售热线 0531-88888888 欢迎来电 全天服务咨询", *body[:4], middle, *body[4:]])
    cleaned = clean_text(text, CleanConfig(spam_phrases=None))
    assert cleaned.removed["contact"] == 1
    assert middle in cleaned.text


def test_wikisource_licence_tail_is_dropped():
    text = ("为全面建设社会主义现代化国家而努力奋斗!\n\n本作品是中华人民共和国的\n法律\n、\n法规\n,"
            "国家机关的决议。根据《\n中华人民共和国著作权法\n》第五条第一项,属于\n公有领域\n。\n\n"
            "注:中文维基文库社群认为,中华人民共和国公务演讲,\n不总是\n具有立法性质的文件。\n\n"
            "Public domain\nPublic domain\nfalse\nfalse")
    cleaned = clean_text(text, CleanConfig(spam_phrases=None))
    assert cleaned.text == "为全面建设社会主义现代化国家而努力奋斗!"
    assert cleaned.removed["licence_footer"] == 16  # every line of the notice


def test_licence_words_far_from_the_end_are_kept():
    notice = "本作品依据著作权法第五条属于公有领域,维基文库收录。"
    text = notice + "\n" + "推动制造业高质量发展,加快建设现代化产业体系。" * 60
    assert clean_text(text, CleanConfig(spam_phrases=None)).removed["licence_footer"] == 0


def test_normalise_tidies_the_spaces_of_the_whole_text_in_one_scan(monkeypatch):
    """Runs of spaces and tabs become one space and each line is stripped, by one scan of
    the text, not a regex call per line (a page of news has dozens)."""
    import re

    from policytopics.text import clean

    calls, sub = [], re.sub
    monkeypatch.setattr(clean.re, "sub", lambda *a, **k: calls.append(a) or sub(*a, **k))
    text = "  第一行\t\t有  空格 \n\u3000第二行\u3000\xa0文字  \n\n 第三行"
    assert clean.normalise(text, simplified=False) == "第一行 有 空格\n第二行 文字\n\n第三行"
    monkeypatch.undo()
    assert calls == []
