"""Saved web pages read as researchers have them (fixtures built here): title, date, site,
region and main text; a list page is one report row."""

from __future__ import annotations

import pytest
from document_samples import BODY, report_of

GOV_CN = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>关于推动制造业高质量发展的意见_政策_中国政府网</title>
<meta name="ArticleTitle" content="关于推动制造业高质量发展的意见">
<meta name="PubDate" content="2024-03-05 10:30">
<meta name="ContentSource" content="国务院办公厅">
<script src="/js/share.js"></script></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zhengce/">政策</a> &gt; 最新</div>
<div class="share">分享到：<a>微信</a> <a>微博</a> 【字体：大 中 小】 打印</div>
<h1>关于推动制造业高质量发展的意见</h1>
<div class="pages_content" id="UCAP-CONTENT">{paragraphs}</div>
<div class="related">相关报道：<a>2019年北京市政府工作报告</a> 2019-01-20</div>
<div class="footer">版权所有：中国政府网 | 网站地图 | 联系我们</div>
<script>var pageId = 1;</script></body></html>"""


PROVINCIAL = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>2026年山东省政府工作报告 - 山东省人民政府</title>
<meta name="firstpublishedtime" content="2026-02-01 09:20:00"></head><body>
<div class="breadcrumb">您的位置：首页 > 政务公开 > 政府工作报告</div>
<h1>2026年山东省政府工作报告</h1>
<div class="article">
<p>——2026年1月27日在山东省第十四届人民代表大会第四次会议上</p>
<p>各位代表：</p>
<p>现在，我代表省人民政府，向大会报告工作，请予审议，请省政协委员提出意见。</p>
{paragraphs}
</div><div class="foot">主办：山东省人民政府办公厅</div></body></html>"""


LIST_PAGE = """<html><head><meta charset="utf-8"><title>政策文件_中国政府网</title></head><body>
<ul><li><a href="/a">关于A的通知</a></li><li><a href="/b">关于B的意见</a></li></ul>
<script>render()</script></body></html>"""


def paragraphs() -> str:
    return "".join(f"<p>{line}</p>" for line in BODY)


@pytest.mark.parametrize("charset,encoding", [("utf-8", "utf-8"), ("gb2312", "gbk")])
def test_a_gov_cn_page_gives_its_headline_date_and_main_text(tmp_path, charset, encoding):
    page = GOV_CN.format(charset=charset, paragraphs=paragraphs())
    (tmp_path / "page.html").write_bytes(page.encode(encoding))
    row = report_of(tmp_path).loc["page"]
    assert row["status"] == "kept"
    assert row["title"] == "关于推动制造业高质量发展的意见"
    assert (row["date"], row["date_source"]) == ("2024-03-05", "page metadata")
    assert row["text"].startswith("各省、自治区、直辖市人民政府")
    for furniture in ("分享到", "首页", "版权所有", "相关报道", "pageId", "2019年北京市"):
        assert furniture not in row["text"], furniture
    assert pd_isna(row["region"])  # a national document: no province from the text


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_a_provincial_report_page_takes_the_delivery_date_of_its_text(tmp_path):
    page = PROVINCIAL.format(paragraphs=paragraphs())
    (tmp_path / "sd.shtml").write_text(page, encoding="utf-8")
    row = report_of(tmp_path).loc["sd"]
    assert row["title"] == "2026年山东省政府工作报告"
    assert row["date"] == "2026-01-27"  # delivered; the page's 2026-02-01 is only a fallback
    assert row["region"] == "山东省"
    assert "您的位置" not in row["text"] and "主办" not in row["text"]


def test_a_list_page_is_one_report_row_with_the_reason(tmp_path):
    (tmp_path / "list.htm").write_text(LIST_PAGE, encoding="utf-8")
    row = report_of(tmp_path).loc["list"]
    assert row["status"] == "dropped" and "no main text in this page" in row["reason"]


def test_page_title_drops_the_site_name():
    from policytopics.read.webpage import page_title

    assert page_title("<title>关于X的通知 - 山东省人民政府</title>") == "关于X的通知"
    assert page_title("<h1> 2026年政府工作报告 </h1><title>首页</title>") == "2026年政府工作报告"


@pytest.mark.parametrize("depth", [300, 1500])
def test_an_article_nested_deeper_than_256_levels_is_read(tmp_path, depth):
    # Page builders wrap each block in its own <div>: some pages nest the article hundreds deep.
    page = GOV_CN.format(charset="utf-8", paragraphs="<div>" * depth + paragraphs() + "</div>" * depth)
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    row = report_of(tmp_path).loc["deep"]
    assert row["status"] == "kept", row["reason"]
    assert row["text"].startswith("各省、自治区、直辖市人民政府") and "新质生产力" in row["text"]


@pytest.mark.parametrize("declared", ["iso-8859-1", "utf-16", "gb2312"])
def test_a_utf8_page_is_read_as_utf8_whatever_its_template_declares(tmp_path, declared):
    page = GOV_CN.format(charset=declared, paragraphs=paragraphs())
    data = page.encode("utf-8")
    if len(data) % 2:  # an even-length file: it also decodes "cleanly" as UTF-16
        data += b"\n"
    (tmp_path / "page.html").write_bytes(data)
    row = report_of(tmp_path).loc["page"]
    assert row["status"] == "kept", row["reason"]
    assert row["title"] == "关于推动制造业高质量发展的意见"
    assert row["text"].startswith("各省、自治区、直辖市人民政府")


def test_a_gbk_page_that_declares_latin1_is_told_by_its_bytes(tmp_path):
    page = GOV_CN.format(charset="iso-8859-1", paragraphs=paragraphs())
    (tmp_path / "page.html").write_bytes(page.encode("gbk"))
    row = report_of(tmp_path).loc["page"]
    assert row["status"] == "kept", row["reason"]
    assert row["text"].startswith("各省、自治区、直辖市人民政府")


# News and government pages whose date stands only in page furniture that trafilatura leaves
# out (a byline, a 发布时间 line, a dated header element), above a body whose second paragraph
# names an earlier date, and with a related list and a footer that carry other dates.
NEWS_BODY = [
    "新华社北京1月2日电（记者王明）国家发展改革委2日发布消息，今年将加快推进制造业数字化转型，培育壮大新质生产力。",
    "2023年12月11日至12日召开的中央经济工作会议提出，要以科技创新引领现代化产业体系建设。",
    "国家发展改革委有关负责人表示，将支持中小企业专精特新发展，推进工业互联网平台建设，扩大有效投资。",
    "据介绍，各地将强化金融支持，完善人才培养机制，加强知识产权保护，推进标准化建设，促进消费持续恢复。",
]


RELATED_AND_FOOTER = """<div class="related"><h3>相关新闻</h3><ul>
<li><a href="/a">工信部部署推进新型工业化</a><span class="date">2023-06-18</span></li>
<li><a href="/b">浙江省发布数字经济规划</a><span class="date">2022-09-30</span></li></ul></div>
<div class="footer">Copyright &copy; 2000-2024 版权所有 制作单位：新华网 2019-05-01</div>"""


HEADLINE = "国家发展改革委：今年加快推进制造业数字化转型"


NEWS_PAGES = {
    # 新华网: the date split over spans of a dated header element (htmldate reads it)
    "xinhua": ("utf-8", "page metadata (htmldate)", f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{HEADLINE}-新华网</title></head><body><div class="nav">首页 &gt; 时政</div>
<div class="head-line"><h1><span class="title">{HEADLINE}</span></h1>
<div class="header-time left"><span class="year"><em> 2024</em></span>
<span class="day"><em> 01</em>/<em>02</em>
</span><span class="time"> 10:20:31</span></div><div class="source">来源：新华网</div></div>
<div id="detail">{{body}}</div>{{related}}</body></html>"""),
    # 人民网, GBK: a byline with the date in Chinese and the source
    "people": ("gbk", "page header: dated byline", f"""<html><head>
<meta http-equiv="content-type" content="text/html;charset=GB2312">
<title>{HEADLINE}--经济·科技--人民网</title>
</head><body><div class="path">人民网&gt;&gt;经济·科技</div><div class="col-1"><h1>{HEADLINE}</h1>
<div class="col-1-1 fl">2024年01月02日08:12 | 来源：<a href="http://paper.people.com.cn">人民网－人民日报</a></div>
<div class="rm_txt_con cf">{{body}}</div></div>{{related}}</body></html>"""),
    # a provincial government site: 发布时间 / 信息来源 / 浏览次数 spans, a hit-counter script
    "province": ("utf-8", "page header: labelled publication date", f"""<html><head><meta charset="utf-8">
<title>{HEADLINE} - 浙江省人民政府</title></head><body>
<div class="crumb">当前位置：首页 &gt; 政务动态 &gt; 部门动态</div>
<div class="article"><div class="title">{HEADLINE}</div>
<div class="info"><span>发布时间：2024-01-02 16:05</span><span>信息来源：省发展改革委</span>
<span>浏览次数：<script>document.write(hits)</script></span><span>【字体：大 中 小】</span></div>
<div class="content">{{body}}</div></div>{{related}}</body></html>"""),
    # Open Graph metadata, as news sites write it
    "thepaper": ("utf-8", "page metadata", f"""<html><head><meta charset="utf-8">
<title>{HEADLINE} | 澎湃新闻</title>
<meta property="article:published_time" content="2024-01-02T10:20:00+08:00"></head><body><h1>{HEADLINE}</h1>
<div class="news_txt">{{body}}</div>{{related}}</body></html>"""),
}


@pytest.mark.parametrize("name", list(NEWS_PAGES))
def test_a_news_pages_date_is_read_from_its_furniture_before_it_is_dropped(tmp_path, name):
    encoding, source, page = NEWS_PAGES[name]
    html = page.format(body=paragraphs_of(NEWS_BODY), related=RELATED_AND_FOOTER)
    (tmp_path / f"{name}.html").write_bytes(html.encode(encoding))
    row = report_of(tmp_path).loc[name]
    assert row["status"] == "kept" and row["title"] == HEADLINE
    assert (row["date"], row["date_source"]) == ("2024-01-02", source)  # not 2023-12-11 of the text
    assert "发布时间" not in row["text"] and "2023-06-18" not in row["text"]


def paragraphs_of(lines) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def test_a_pages_date_never_comes_from_its_related_list_or_footer(tmp_path):
    # No date in the header or the body: the related list's and the footer's dates are other
    # pages' (htmldate's extensive search of the whole page would take 2023-06-18).
    undated = [line.replace("2023年12月11日至12日", "近日").replace("1月2日电", "电").replace("2日", "")
               for line in NEWS_BODY]
    html = NEWS_PAGES["people"][2].replace("2024年01月02日08:12 | ", "")
    (tmp_path / "people.html").write_bytes(
        html.format(body=paragraphs_of(undated), related=RELATED_AND_FOOTER).encode("gbk"))
    row = report_of(tmp_path).loc["people"]
    assert row["status"] == "kept" and pd_isna(row["date"]), (row["date"], row["date_source"])


def test_a_documents_own_date_still_wins_over_its_pages_byline(tmp_path):
    # A notice's signature date (成文) is its own; the page's 发布时间 is later.
    notice = BODY + ["浙江省人民政府办公厅", "2023年12月28日"]
    html = NEWS_PAGES["province"][2].replace(HEADLINE, "浙江省人民政府办公厅关于推进制造业数字化转型的通知")
    (tmp_path / "notice.html").write_text(html.format(body=paragraphs_of(notice), related=""),
                                          encoding="utf-8")
    row = report_of(tmp_path).loc["notice"]
    assert (row["date"], row["date_source"]) == ("2023-12-28", "signature: issuing office and date")


GOV_CN_POLICY = """<html><head><meta charset="utf-8">
<title>国务院关于推动制造业高质量发展的意见_政策_中国政府网</title>
<meta name="PubDate" content="2024-01-05 17:00"></head><body>
<div class="BreadcrumbNav">首页 &gt; 政策 &gt; 国务院文件</div>
<table class="bd1"><tr><td>索 引 号：</td><td>000014349/2024-00003</td>
<td>主题分类：</td><td>工业、交通\\其他</td></tr>
<tr><td>发文机关：</td><td>国务院</td><td>成文日期：</td><td>2023年12月28日</td></tr>
<tr><td>标　　题：</td><td colspan="3">国务院关于推动制造业高质量发展的意见</td></tr>
<tr><td>发文字号：</td><td>国发〔2024〕1号</td>
<td>发布日期：</td><td>2024年01月05日</td></tr></table>
<h1>国务院关于推动制造业高质量发展的意见</h1>
<div class="pages_content" id="UCAP-CONTENT">{paragraphs}</div>
<div class="related">相关报道：<a>2019年北京市政府工作报告</a> 2019-01-20</div></body></html>"""


def test_a_gov_cn_policy_pages_metadata_table_gives_its_issue_date(tmp_path):
    (tmp_path / "policy.html").write_text(GOV_CN_POLICY.format(paragraphs=paragraphs()), encoding="utf-8")
    row = report_of(tmp_path).loc["policy"]
    assert row["status"] == "kept" and row["title"] == "国务院关于推动制造业高质量发展的意见"
    # The document's own date, not the page's PubDate 2024-01-05 nor a related report's
    # (from the text when trafilatura keeps the table, else from the page's header lines).
    assert row["date"] == "2023-12-28" and "成文日期" in row["date_source"]


def test_a_pages_issue_date_in_its_header_wins_over_its_pubdate_and_a_guess_from_the_text():
    from policytopics.read.records import RawDocument
    from policytopics.text.metadata import document_metadata

    pubdate = {"fallback_date": "2024-01-05 17:00", "fallback_date_source": "page metadata"}
    raw = RawDocument("p", "p.html", "", **pubdate,
                      page_header=("发文机关：国务院 成文日期：2023年12月28日", "发布日期：2024年01月05日"))
    guess = [("2023年12月11日至12日召开的中央经济工作会议提出。", None)]
    assert document_metadata(raw, guess, None, [])["date"] == "2023-12-28"
    raw = RawDocument("p", "p.html", "", **pubdate)
    assert document_metadata(raw, guess, None, [])["date_source"] == "page metadata"
    own = [("——2024年1月3日在全省工作会议上", None)]
    assert document_metadata(raw, own, None, [])["date"] == "2024-01-03"


#: The news as a provincial department writes it: no dateline, no province named.
PROVINCIAL_NEWS = [NEWS_BODY[0].replace("新华社北京1月2日电（记者王明）国家", "1月2日，省"), *NEWS_BODY[1:]]


@pytest.mark.parametrize("name,region", [("province", "浙江省"), ("people", None), ("xinhua", None)])
def test_a_page_whose_text_names_no_province_takes_its_sites(tmp_path, name, region):
    # A provincial department's news names only 省发展改革委: the site (浙江省人民政府) says
    # which province; a national site (人民网, 新华网) names none.
    encoding, _, page = NEWS_PAGES[name]
    (tmp_path / f"{name}.html").write_bytes(
        page.format(body=paragraphs_of(PROVINCIAL_NEWS), related=RELATED_AND_FOOTER).encode(encoding))
    row = report_of(tmp_path).loc[name]
    assert (None if pd_isna(row["region"]) else row["region"]) == region
    if region:
        assert row["region_source"] == "page: site name (浙江省人民政府)"


def test_a_central_document_reposted_on_a_provincial_portal_takes_no_province(tmp_path):
    # Every provincial portal reposts State Council notices: the site's name is not their region.
    encoding, _, page = NEWS_PAGES["province"]
    body = ["各省、自治区、直辖市人民政府，国务院各部委、各直属机构：", *PROVINCIAL_NEWS[1:], "国务院"]
    (tmp_path / "p.html").write_bytes(page.format(body=paragraphs_of(body), related="").encode(encoding))
    row = report_of(tmp_path).loc["p"]
    assert pd_isna(row["region"]) and "site name" not in row["region_source"]


def test_a_province_the_text_names_wins_over_the_sites(tmp_path):
    encoding, _, page = NEWS_PAGES["province"]
    body = [*PROVINCIAL_NEWS, "会议要求，山东省各地要抓好落实，山东省发展改革委牵头推进。"]
    (tmp_path / "p.html").write_bytes(page.format(body=paragraphs_of(body), related="").encode(encoding))
    assert report_of(tmp_path).loc["p", "region"] == "山东省"


@pytest.mark.parametrize("head,headline", [
    # a site logo in an <h1> above the article's own
    ('<title>{t} - 浙江省人民政府</title></head><body><h1 class="logo"><a href="/">浙江省人民政府</a></h1>'
     '<h1 class="art-title">{t}</h1>', "{t}"),
    # only a <title>, with the channel between headline and site: X_政策_中国政府网
    ("<title>{t}_政策_中国政府网</title></head><body>", "{t}"),
    # Open Graph's title with the site's name
    ('<meta property="og:title" content="{t} | 澎湃新闻"><title>{t}</title></head><body>', "{t}"),
])
def test_a_pages_title_is_its_headline_not_the_sites_name_or_channel(tmp_path, head, headline):
    t = "关于推动制造业高质量发展的意见"
    page = (f'<html><head><meta charset="utf-8">{head.format(t=t)}'
            f'<div class="content">{paragraphs()}</div></body></html>')
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    assert report_of(tmp_path).loc["page", "title"] == headline.format(t=t)
