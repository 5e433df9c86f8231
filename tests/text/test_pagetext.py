"""Page text copied out of a web page, every widget on its own line: title, date, region and
the start of the cleaned text, in the shapes of provincial and newspaper sites."""

from __future__ import annotations

from pathlib import Path

import pytest

from policytopics import load_study
from policytopics.text.clean import clean_text
from policytopics.text.documents import document_report
from policytopics.text.pagetext import is_widget, join_label_values

BODY = ("现在，我代表{who}人民政府，向大会报告工作，请予审议，并请{who}政协委员提出意见。\n"
        "过去一年，全{area}上下坚持稳中求进工作总基调，推动高质量发展取得新成效，制造业增加值增长百分之七，"
        "新质生产力加快培育，产业链供应链韧性持续增强，数字化转型和绿色低碳发展取得积极进展。\n"
        "加快建设现代化产业体系，培育壮大新兴产业和未来产业，推进科技创新和产业创新深度融合，持续优化营商环境。")

GOVERNMENT_SITE = """下载
打印
全屏
收藏
【字号：
加大
还原
减小
】
分享:
首页
>
政府信息公开
>
政府工作报告
当前位置：
发表时间：
2026-02-01 09:20
来源：
大众日报
阅读量：
1234
2026年山东省政府工作报告
——2026年1月27日在山东省第十四届人民代表大会第四次会议上
山东省省长　周乃翔
各位代表：
{body}
扫一扫在手机打开当前页
相关报道：
2025年山东省政府工作报告 2025-01-20
编辑：张三"""

NEWSPAPER_CLIENT = """宁夏日报客户端
首页
您的位置:
首页
>
要闻
时间：
2026-02-02 09:20
【字体：
小
中
大
】
图为大会现场
2026年宁夏回族自治区政府工作报告
——二〇二六年一月二十七日在宁夏回族自治区第十三届人民代表大会第五次会议上
各位代表：
{body}"""

PUBLICATION_DATE_ONLY = """首页 > 新闻 > 要闻
时间：
2026-02-03
浙江省政府工作报告
各位代表：
{body}
相关新闻：
2024年浙江省政府工作报告全文 2024-01-23"""


@pytest.mark.parametrize(("name", "page", "who", "area", "title", "date", "source", "region"), [
    ("sd", GOVERNMENT_SITE, "省", "省", "2026年山东省政府工作报告", "2026-01-27",
     "header: delivery or issue date", "山东省"),
    ("nx", NEWSPAPER_CLIENT, "自治区", "区", "2026年宁夏回族自治区政府工作报告", "2026-01-27",
     "header: delivery or issue date", "宁夏回族自治区"),
    ("zj", PUBLICATION_DATE_ONLY, "省", "省", "浙江省政府工作报告", "2026-02-03",
     "header: labelled publication date", "浙江省"),
])
def test_page_text_gives_title_date_region_and_starts_with_the_report(tmp_path, name, page, who, area,
                                                                     title, date, source, region):
    text = page.format(body=BODY.format(who=who, area=area))
    (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    row = document_report(tmp_path, load_study(None), progress=False).iloc[0]
    assert row["title"] == title
    assert (row["date"], row["date_source"]) == (date, source)
    assert row["region"] == region
    first = row["text"].split("\n")[0]
    assert first.startswith(("——", "各位代表", "现在", "山东省省长")), first
    furniture = ("下载", "【字", "分享", "首页", "客户端", "阅读量", "相关报道", "2025-01-20", "2024-01-23")
    for widget in furniture:
        assert widget not in row["text"], widget


def test_labels_join_their_values_and_widgets_are_counted_per_rule():
    assert join_label_values(["来源：", "大众日报", "正文。"]) == ["来源：大众日报", "", "正文。"]
    assert join_label_values(["时间：", "这是一整句正文。"]) == ["时间：", "这是一整句正文。"]  # not a value
    cleaned = clean_text(GOVERNMENT_SITE.format(body=BODY.format(who="省", area="省")))
    assert cleaned.removed["widget"] >= 10 and cleaned.removed["navigation"] >= 3
    assert cleaned.removed["header"] >= 3 and cleaned.removed["related_list"] >= 2
    assert is_widget("】") and is_widget("  >  ") and not is_widget("加快建设制造强国")


def test_a_title_is_never_a_salutation_caption_or_widget():
    from policytopics.text.documents import split_title

    assert split_title(None, ["各位代表：", "现在，我代表省人民政府报告工作。"])[0] is None
    title = "关于推进新型工业化的实施意见"
    assert split_title(None, ["图为会场", title, "正文。"])[0] == title


def test_a_headline_with_its_date_below_is_not_a_related_list():
    page = ("河北日报客户端\n打开APP\n政府工作报告\n2026-01-26 06:58\n来源：河北日报\n"
            "——二○二六年一月二十三日在河北省第十四届人民代表大会第四次会议上\n各位代表：\n"
            + "现在，我代表省人民政府向大会报告工作，请予审议。\n" * 3
            + "相关新闻\n河南省政府工作报告（全文）\n2025-01-20\n山西省政府工作报告\n2025-01-22\n")
    cleaned = clean_text(page)
    kept = cleaned.kept_lines
    # The headline stays, its date is page metadata.
    assert kept[0] == "政府工作报告" and "2026-01-26 06:58" not in kept
    assert "山西省政府工作报告" not in kept and cleaned.removed["related_list"] >= 4
    from policytopics.text.dates import extract_date

    # A delivery date in Chinese numerals (○ too) outranks the page's publication date.
    assert extract_date(cleaned.lines).date == "2026-01-23"


def test_a_page_of_links_stays_a_list():
    links = "".join(f"第{i}条新闻的标题\n2024-03-{i:02d}\n" for i in range(1, 6))
    assert clean_text("正文第一段，推动高质量发展。\n" + links).kept_lines == ["正文第一段,推动高质量发展。"]


def test_a_delivery_date_over_two_lines_or_in_brackets_and_widget_groups():
    from policytopics.text.dates import extract_date

    lines = [("时间：2026-01-26 07:30", "header"), ("2026年浙江省政府工作报告", None),
             ("——2026年1月24日", None),
             ("在浙江省第十四届人民代表大会第四次会议上", None), ("各位代表：", None)]
    assert extract_date(lines).source == "header: delivery or issue date"
    assert extract_date(lines).date == "2026-01-24"
    bracketed = [("(2026年1月20日在内蒙古自治区第十四届人民代表大会第四次会议上)", None),
                 ("各位代表：", None)]
    assert extract_date(bracketed).date == "2026-01-20"
    assert is_widget("【字号：大 中 小】") and is_widget("分享到：微信 微博 QQ空间")
    assert is_widget("上一版　下一版")
    assert not is_widget("大中小企业") and not is_widget("中小微企业融资")


def test_thirty_one_copied_report_pages_written_by_someone_who_never_saw_the_code():
    """benchmarks/pagetext31: the goals of #22 (date, title, start 29 of 31; region 31 of 31)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_pagetext import main

    assert main([]) == 0


def test_a_policy_documents_signature_dates_it_and_its_metadata_table_is_no_text():
    page = ("山东省人民政府\n发布时间:2025-09-30 10:12:45 来源:省政府办公厅\n"
            "标题：山东省人民政府办公厅关于印发山东省公共数据授权运营管理办法的通知\n"
            "发文机关：山东省人民政府办公厅\t发文字号：鲁政办发〔2025〕21号\n"
            "山东省人民政府办公厅关于印发山东省公共数据授权运营管理办法的通知\n"
            "各市人民政府，省政府各部门：\n" + "现将办法印发给你们，请认真贯彻执行。\n" * 3
            + "山东省人民政府办公厅\n2025年9月26日\n（此件公开发布）\n"
            + "相关文件：\n浙江省公共数据授权运营管理办法\n2023-08-22\n")
    cleaned = clean_text(page)
    from policytopics.text.dates import extract_date

    found = extract_date(cleaned.lines)
    assert (found.date, found.source) == ("2025-09-26", "signature: issuing office and date")
    kept = cleaned.kept_lines
    assert not any(line.startswith(("标题", "发文机关")) for line in kept)
    assert "浙江省公共数据授权运营管理办法" not in kept and "2025年9月26日" in kept
    # A delivery date with spaces inside it still dates a report.
    spaced = [("──2026 年 1 月 27 日在辽宁省第十四届人民代表大会第四次会议上", None), ("各位代表：", None)]
    assert extract_date(spaced).date == "2026-01-27"


def test_twelve_held_out_pages_of_reports_and_policy_documents():
    """benchmarks/pagetext_heldout, written after the first set's fixes (see results.md)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_pagetext import main

    assert main(["--set", str(Path(__file__).resolve().parents[2] / "benchmarks" / "pagetext_heldout")]) == 0


def test_strip_markup_leaves_plain_text_alone_and_repairs_entities_only_text_in_place():
    from policytopics.text.pagetext import strip_markup

    plain = "若a<b且c>d，则《条例》第3条适用。\n\n第二段：R&D投入增长。"
    assert strip_markup(plain) == (plain, 0)
    entities = "深入落实&ldquo;双减&rdquo;政策。\n\n下一段。"
    assert strip_markup(entities) == ("深入落实“双减”政策。\n\n下一段。", 2)
    text, count = strip_markup("<p>第一段。</p>\n<!-- 编辑器注释 -->\n<div><br/>第二段&nbsp;内容。</div>"
                               "\n.TRS_Editor P{line-height:1.5;}")
    assert text == "第一段。\n第二段\xa0内容。" and count > 0
