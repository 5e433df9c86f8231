"""What the tests of the input-table readers share: articles with Chinese headers, written as
a delimited file, and the check of their report."""

from __future__ import annotations

import random

import pandas as pd

PHRASES = [
    "推动制造业高质量发展", "加快建设现代化产业体系", "培育先进制造业集群", "提升产业链供应链韧性",
    "促进数字经济和实体经济深度融合", "实施创新驱动发展战略", "强化企业科技创新主体地位",
    "推进新型工业化", "发展战略性新兴产业", "加强关键核心技术攻关", "优化营商环境",
    "扩大高水平对外开放", "稳步推进碳达峰碳中和", "加快绿色低碳转型", "完善现代物流体系",
    "支持中小企业专精特新发展", "深化国有企业改革", "健全人才培养机制", "推动区域协调发展",
    "加强知识产权保护", "建设高标准市场体系", "提高公共服务水平", "扩大有效投资",
    "促进消费持续恢复", "夯实粮食安全根基", "推进乡村全面振兴", "提升城市治理能力",
    "加快发展现代服务业", "强化金融服务实体经济", "推动工业互联网平台建设", "完善社会保障体系",
    "加大研发投入力度", "培育壮大新动能", "推进智能制造试点示范", "加强生态环境保护",
    "深化科技体制改革", "支持民营经济发展壮大", "推进标准化建设", "做好就业优先工作",
    "加快新型基础设施建设",
]
PROVINCES = ["山东省", "浙江省", "广东省", "江苏省", "四川省", "湖北省", "河南省", "福建省"]


def articles(n: int = 40) -> pd.DataFrame:
    """``n`` distinct articles (well over 50 Chinese characters) with Chinese headers."""
    rows = []
    for i in range(n):
        rng = random.Random(i)
        sentences = ["，".join(rng.sample(PHRASES, 4)) + "。" for _ in range(4)]
        rows.append({"标题": f"关于第{i + 1}批重点项目的通知", "正文": "".join(sentences),
                     "发布时间": f"2013年08月{i % 28 + 1:02d}日", "省份": PROVINCES[i % len(PROVINCES)]})
    return pd.DataFrame(rows)


def write_delimited(frame: pd.DataFrame, path, encoding: str, sep: str = ",") -> None:
    path.write_bytes(frame.to_csv(index=False, sep=sep).encode(encoding))


def iso_day(i: int) -> str:
    return f"2013-08-{i % 28 + 1:02d}"


def check_report(report: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert len(report) == len(expected)
    assert (report["status"] == "kept").all(), report.loc[report["status"] != "kept", "reason"].tolist()
    assert report["title"].tolist() == expected["标题"].tolist()
    assert report["date"].tolist() == [iso_day(i) for i in range(len(expected))]
    assert set(report["date_source"]) == {"column"}
    assert report["region"].tolist() == expected["省份"].tolist()
    assert set(report["region_source"]) == {"column"}
