"""The ritual of Government Work Reports: cut when a study asks, counted, and policy beside it kept."""

import pytest

from policytopics.read.records import RawDocument
from policytopics.settings.config import CleanConfig, StudyConfigError, load_study
from policytopics.text.clean import clean_text
from policytopics.text.documents import REMOVAL_COLUMNS, document_row, summarise_report
from policytopics.text.ritual import cut_report_ritual

ALL_PARTS = ("problems", "thanks", "closing")

#: A report in miniature, in the genre's own shape: review, thanks, problems, tasks, closing.
REPORT = "\n".join([
    "2024年某省政府工作报告",
    "各位代表：",
    "现在，我代表省人民政府，向大会报告工作，请予审议。",
    "过去一年，我们新建中小学校12所，新增城镇就业8万人，完成高标准农田建设50万亩。",
    # The thanks closes a paragraph that also tells of the flood: the account stays.
    "全力抗击特大洪水，转移群众3万人，灾后重建全面完成。"
    "各位代表！过去一年的成绩来之不易，这是省委坚强领导的结果。在此，我代表省人民政府，"
    "向驻省人民解放军指战员、武警官兵，向港澳台同胞、海外侨胞和国际友人，表示崇高的敬意和衷心的感谢！",
    "我们也清醒地看到，发展中还存在不少困难和问题：创新能力不够强，民生短板依然较多，"
    "政府自身建设有待加强。我们一定认真加以解决。",
    "今年，我们将建设数字政府，推进集成电路产业链发展，新建养老服务中心30个。",
    "各位代表！新征程催人奋进。让我们更加紧密地团结在党中央周围，高举伟大旗帜，"
    "为建设美好家园而努力奋斗！",
])
#: Words only the ritual holds, and policy words of the paragraphs beside it.
RITUAL_WORDS = ("武警官兵", "港澳台同胞", "敬意", "清醒地看到", "不够强", "有待加强", "周围", "伟大旗帜",
                "努力奋斗")
POLICY_WORDS = ("新建中小学校12所", "高标准农田", "抗击特大洪水", "灾后重建全面完成", "数字政府",
                "集成电路产业链", "养老服务中心")


def test_report_ritual_is_cut_and_counted_and_the_policy_beside_it_kept():
    row = document_row(RawDocument("r", "r.txt", REPORT), CleanConfig(report_ritual=ALL_PARTS))
    for word in RITUAL_WORDS:
        assert word not in row["text"], word
    for word in POLICY_WORDS:
        assert word in row["text"], word
    counts = [row[f"removed_report_{part}"] for part in ALL_PARTS]
    assert counts == [1, 1, 1]
    # Nothing else was counted, and the title is still found.
    assert sum(row[c] for c in REMOVAL_COLUMNS) == 3
    assert row["title"] == "2024年某省政府工作报告"


def test_without_the_setting_nothing_is_cut():
    row = document_row(RawDocument("r", "r.txt", REPORT), CleanConfig())
    assert all(word in row["text"] for word in RITUAL_WORDS + POLICY_WORDS)
    assert sum(row[c] for c in REMOVAL_COLUMNS) == 0


@pytest.mark.parametrize(("part", "gone", "kept"), [
    ("thanks", "武警官兵", "清醒地看到"),
    ("problems", "清醒地看到", "武警官兵"),
    ("closing", "伟大旗帜", "武警官兵"),
])
def test_each_part_is_cut_alone(part, gone, kept):
    cleaned = clean_text(REPORT, CleanConfig(report_ritual=(part,)))
    assert gone not in cleaned.text and kept in cleaned.text
    assert dict(cleaned.removed) == {f"report_{part}": 1}


def test_a_line_that_is_all_ritual_keeps_its_text_and_names_its_rule():
    cleaned = clean_text(REPORT, CleanConfig(report_ritual=ALL_PARTS))
    rules = {rule for line, rule in cleaned.lines if rule}
    # The problems paragraph and the closing paragraph are all ritual; the thanks is part of its line.
    assert rules == {"report_problems", "report_closing"}
    problems = next(line for line, rule in cleaned.lines if rule == "report_problems")
    assert "清醒地看到" in problems  # what was cut can be read back from the lines


@pytest.mark.parametrize("paragraph", [
    "让我们的城市更加靓丽，新建公园10个。",  # 让我们 inside a sentence is no call
    "我们清醒地看到了数字经济的机遇，加快建设数据中心。",  # no problem named
    "去年投资增长8%，困难群众全部纳入低保。",  # problem words without the opening
    "向企业表达诉求的渠道更加畅通。",  # 向 … without thanks
    # A policy line opening with 深刻认识到 and naming a problem to solve: no problems remain.
    "我们深刻认识到，必须坚持以人民为中心，着力解决群众急难愁盼问题，今年新建学校20所，新增就业岗位10万个。",
])
def test_policy_that_looks_like_ritual_stays(paragraph):
    text, cut = cut_report_ritual(paragraph, ALL_PARTS)
    assert text == paragraph and not cut


def test_the_thanks_takes_the_credit_before_it_and_the_call_its_preamble():
    text, cut = cut_report_ritual("各位代表！成绩来之不易，这是全省人民团结奋斗的结果。"
                                  "我代表省人民政府，向全省人民致以崇高的敬意！", ["thanks"])
    assert (text, dict(cut)) == ("", {"report_thanks": 1})
    text, cut = cut_report_ritual("明年新建学校十所。各位代表！使命催人奋进。让我们团结奋斗！", ["closing"])
    assert (text, dict(cut)) == ("明年新建学校十所。", {"report_closing": 1})


def test_report_ritual_setting_is_checked_and_read_from_the_study_file(tmp_path):
    with pytest.raises(StudyConfigError, match=r"\[clean\] report_ritual.*'thankz'"):
        CleanConfig(report_ritual=("thankz",))
    study = tmp_path / "study.toml"
    study.write_text('[clean]\nreport_ritual = ["thanks", "closing"]\n', encoding="utf-8")
    assert load_study(study).clean.report_ritual == ("thanks", "closing")
    study.write_text('[clean]\nreport_ritual = "thanks"\n', encoding="utf-8")
    assert load_study(study).clean.report_ritual == ("thanks",)
    study.write_text("[clean]\nreport_ritual = [1]\n", encoding="utf-8")
    with pytest.raises(StudyConfigError, match="report_ritual"):
        load_study(study)


def test_the_summary_counts_the_ritual_cut():
    import pandas as pd

    rows = [document_row(RawDocument(f"r{i}", f"r{i}.txt", REPORT), CleanConfig(report_ritual=ALL_PARTS))
            for i in range(2)]
    summary = summarise_report(pd.DataFrame(rows))
    assert "report ritual cut: problems 2, thanks 2, closing 2 (in 2 documents)" in summary


def test_credit_is_the_years_results_not_any_result():
    # 结果 alone (考核结果) is no credit to the leadership; the thanks sentence goes alone.
    text, cut = cut_report_ritual("全年完成考核，考核结果与干部任用挂钩。"
                                  "对在抗洪抢险中作出贡献的单位和个人表示感谢！"
                                  "全年新建堤防100公里。", ALL_PARTS)
    assert text == "全年完成考核，考核结果与干部任用挂钩。全年新建堤防100公里。" and cut["report_thanks"] == 1


def test_a_call_before_the_reports_end_or_in_a_report_without_line_breaks_is_content():
    # A section's own 让我们 (the Expo paragraph of a 2010 report) and a report scraped into one
    # line: cutting "to the end of the paragraph" took 56 % of such a report.
    section = "让我们持续利用好世博契机，推动科学发展。" + "新建轨道交通线路3条，完成投资500亿元。" * 20
    report = "\n".join([*REPORT.splitlines()[:4], section, *REPORT.splitlines()[4:]])
    cleaned = clean_text(report, CleanConfig(report_ritual=ALL_PARTS))
    assert "世博契机" in cleaned.text and cleaned.removed["report_closing"] == 1  # the real closing only
    flat = "".join(REPORT.splitlines()[1:]) + "新建轨道交通线路3条，完成投资500亿元。" * 40
    cleaned = clean_text(flat, CleanConfig(report_ritual=ALL_PARTS))
    assert "新建轨道交通线路3条" in cleaned.text and not cleaned.removed["report_closing"]
