"""Saved web pages, PDF and Word files read as researchers have them (fixtures built here):
title, date, region and the start of the cleaned text; scans, old formats and broken files
are one report row each, with what to do."""

from __future__ import annotations

import pytest

from policytopics import load_study
from policytopics.documents import document_report

BODY = [
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
    "制造业是立国之本、强国之基。为推动制造业高质量发展，加快建设制造强国，现提出如下意见。",
    "一、总体要求。坚持创新驱动发展，推进产业链供应链现代化，促进数字化转型和绿色低碳发展。",
    "二、重点任务。培育壮大新质生产力，支持中小企业专精特新发展，优化营商环境，扩大高水平对外开放。",
    "三、保障措施。强化金融支持，完善人才培养机制，加强知识产权保护，推进标准化建设。",
]

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


def report_of(folder):
    report = document_report(folder, load_study(None), progress=False)
    return report.set_index("doc_id")


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
    from policytopics.formats import page_title

    assert page_title("<title>关于X的通知 - 山东省人民政府</title>") == "关于X的通知"
    assert page_title("<h1> 2026年政府工作报告 </h1><title>首页</title>") == "2026年政府工作报告"


def _pdf_with_text(path, lines):
    """A PDF with a text layer, drawn by matplotlib in the package's CJK font."""
    import matplotlib.pyplot as plt

    from policytopics.style import plot_context

    with plot_context():
        fig = plt.figure(figsize=(8.27, 11.69))
        for i, line in enumerate(lines):
            fig.text(0.05, 0.95 - i * 0.04, line, fontsize=10)
        fig.savefig(path, format="pdf")
        plt.close(fig)


def test_a_pdf_with_a_text_layer_is_read(tmp_path):
    _pdf_with_text(tmp_path / "yijian.pdf", ["关于推动制造业高质量发展的意见", *BODY])
    row = report_of(tmp_path).loc["yijian"]
    assert row["status"] == "kept", row["reason"]
    assert "新质生产力" in row["text"] and "制造强国" in row["text"]
    assert row["title"] == "关于推动制造业高质量发展的意见"


def test_a_scanned_encrypted_or_broken_pdf_is_a_report_row_each(tmp_path):
    import matplotlib.pyplot as plt
    import numpy as np
    from pypdf import PdfReader, PdfWriter

    fig = plt.figure(figsize=(4, 4))
    fig.figimage(np.random.default_rng(0).random((200, 200)))  # a page that is only an image
    fig.savefig(tmp_path / "scan.pdf", format="pdf")
    plt.close(fig)
    _pdf_with_text(tmp_path / "plain.pdf", BODY)
    writer = PdfWriter()
    for page in PdfReader(tmp_path / "plain.pdf").pages:
        writer.add_page(page)
    writer.encrypt("secret")
    with open(tmp_path / "locked.pdf", "wb") as fh:
        writer.write(fh)
    (tmp_path / "plain.pdf").unlink()
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    report = report_of(tmp_path)
    assert (report["status"] == "dropped").all()
    assert "scanned PDF: no text layer" in report.loc["scan", "reason"]
    assert "OCR it first" in report.loc["scan", "reason"]
    assert "password-protected PDF" in report.loc["locked", "reason"]
    assert "PDF" in report.loc["broken", "reason"] and "save" in report.loc["broken", "reason"]


def test_a_docx_keeps_paragraphs_and_tables_in_order(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("关于推动制造业高质量发展的意见")
    for line in BODY[:3]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "目标"
    table.cell(1, 0).text, table.cell(1, 1).text = "研发投入强度", "百分之三"
    document.add_paragraph(BODY[3])
    document.save(tmp_path / "yijian.docx")
    row = report_of(tmp_path).loc["yijian"]
    assert row["status"] == "kept" and row["title"] == "关于推动制造业高质量发展的意见"
    text = row["text"]
    assert text.index("制造强国") < text.index("研发投入强度") < text.index("新质生产力")


def test_old_word_and_wps_files_say_to_save_as_docx(tmp_path):
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    (tmp_path / "wps.wps").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    report = report_of(tmp_path)
    assert "old Word format" in report.loc["old", "reason"] and ".docx" in report.loc["old", "reason"]
    assert "WPS format" in report.loc["wps", "reason"]
    assert "not a readable Word file" in report.loc["broken", "reason"]
    assert (report["status"] == "dropped").all()


def test_a_pdfs_wrapped_lines_are_joined_and_its_page_furniture_dropped(tmp_path):
    """A report PDF: a running header, page numbers, paragraphs wrapped at the page's edge and
    across a page break (benchmarks/bench_pdf.py measures the same on Word-made PDFs)."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from policytopics.style import plot_context

    pages = [["政府工作报告", "一、推动制造业高质量发展，加快建设现代化产",
              "业体系，培育壮大新质生产力，巩固提升产业", "链供应链韧性和安全水平。",
              "二、扩大有效投资，稳定经济增长，提振消费信", "— 1 —"],
             ["政府工作报告", "心，推动城乡区域协调发展和乡村全面振兴。", "— 2 —"]]
    with plot_context(), PdfPages(tmp_path / "report.pdf") as pdf:
        for lines in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            for i, line in enumerate(lines):
                fig.text(0.08, 0.95 - i * 0.05, line, fontsize=12)
            pdf.savefig(fig)
            plt.close(fig)
    from policytopics.formats import read_document_file

    document = read_document_file(tmp_path / "report.pdf")
    assert document.text.split("\n") == [
        "一、推动制造业高质量发展，加快建设现代化产业体系，培育壮大新质生产力，巩固提升产业链供应链韧性和安全水平。",
        "二、扩大有效投资，稳定经济增长，提振消费信心，推动城乡区域协调发展和乡村全面振兴。"]


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_a_pdf_protected_by_an_owner_password_only_is_read(tmp_path, algorithm):
    """#31: a PDF encrypted with an empty user password (only editing is restricted) opens
    for anyone; AES needs pypdf's ``cryptography``, which the package depends on."""
    from pypdf import PdfReader, PdfWriter

    _pdf_with_text(tmp_path / "plain.pdf", ["关于推动制造业高质量发展的意见", *BODY])
    writer = PdfWriter()
    for page in PdfReader(tmp_path / "plain.pdf").pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="x", algorithm=algorithm)
    with open(tmp_path / "owner.pdf", "wb") as fh:
        writer.write(fh)
    (tmp_path / "plain.pdf").unlink()
    row = report_of(tmp_path).loc["owner"]
    assert row["status"] == "kept", row["reason"]
    assert "新质生产力" in row["text"] and row["title"] == "关于推动制造业高质量发展的意见"


def test_pypdfs_own_warnings_are_one_line_naming_the_file(tmp_path, caplog):
    # #37: "incorrect startxref pointer(1)" and "parsing for Object Streams" reached the
    # terminal bare, without the file or the package's prefix.
    import re as regex

    from policytopics.formats import read_document_file

    _pdf_with_text(tmp_path / "plain.pdf", BODY)
    data = (tmp_path / "plain.pdf").read_bytes()
    tail = data.rfind(b"startxref")
    (tmp_path / "moved.pdf").write_bytes(data[:tail] + regex.sub(rb"startxref\s+\d+", b"startxref\n123",
                                                                 data[tail:]))
    with caplog.at_level("WARNING"):
        document = read_document_file(tmp_path / "moved.pdf")
    assert "新质生产力" in document.text
    assert {record.name for record in caplog.records} == {"policytopics"}
    (message,) = [record.getMessage() for record in caplog.records]
    assert message.startswith("moved.pdf: pypdf: incorrect startxref pointer")
