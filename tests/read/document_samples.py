"""What the tests of the whole-document readers (web pages, PDF, Word) share: an article's
paragraphs and the report of a folder read as a study reads it."""

from __future__ import annotations

from policytopics import load_study
from policytopics.text.documents import document_report

BODY = [
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
    "制造业是立国之本、强国之基。为推动制造业高质量发展，加快建设制造强国，现提出如下意见。",
    "一、总体要求。坚持创新驱动发展，推进产业链供应链现代化，促进数字化转型和绿色低碳发展。",
    "二、重点任务。培育壮大新质生产力，支持中小企业专精特新发展，优化营商环境，扩大高水平对外开放。",
    "三、保障措施。强化金融支持，完善人才培养机制，加强知识产权保护，推进标准化建设。",
]


def report_of(folder):
    report = document_report(folder, load_study(None), progress=False)
    return report.set_index("doc_id")
