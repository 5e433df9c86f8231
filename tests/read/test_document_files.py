"""Saved web pages, PDF and Word files read as researchers have them (fixtures built here):
title, date, region and the start of the cleaned text; scans, old formats and broken files
are one report row each, with what to do."""

from __future__ import annotations

import pytest

from policytopics import load_study
from policytopics.text.documents import document_report

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
    from policytopics.read.document_files import page_title

    assert page_title("<title>关于X的通知 - 山东省人民政府</title>") == "关于X的通知"
    assert page_title("<h1> 2026年政府工作报告 </h1><title>首页</title>") == "2026年政府工作报告"


def _pdf_with_text(path, lines):
    """A PDF with a text layer, drawn by matplotlib in the package's CJK font."""
    import matplotlib.pyplot as plt

    from policytopics.report.style import plot_context

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

    from policytopics.report.style import plot_context

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
    from policytopics.read.document_files import read_document_file

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

    from policytopics.read.document_files import read_document_file

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


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_with_body_xml(path, body_xml: str) -> None:
    """A .docx made by python-docx whose body is replaced by ``body_xml`` (raw WordprocessingML:
    what Word writes for tracked changes, content controls, text boxes and smart tags)."""
    import shutil
    import zipfile

    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.core_properties.title = "关于加快推进制造业数字化转型的实施意见"
    document.add_paragraph("placeholder")
    plain = path.with_suffix(".plain.docx")
    document.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                start = text.index("<w:body>") + len("<w:body>")
                end = text.index("<w:sectPr")
                data = (text[:start] + body_xml + text[end:]).encode("utf-8")
            target.writestr(item, data)
    plain.unlink()
    shutil.rmtree(path.parent / "__none__", ignore_errors=True)


TRACKED = 'w:author="办公厅" w:date="2025-03-01T00:00:00Z"'
WPS_NS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'


def _run(text: str) -> str:
    return f"<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>"


def test_a_docx_keeps_text_in_tracked_insertions_content_controls_text_boxes_and_smart_tags(tmp_path):
    # A 1,000-character 实施意见 as a government office's Word template holds it: the body in a
    # block content control, the issuing office in an inline one, an inserted paragraph under
    # track changes (and a deleted sentence that must stay out), a pull quote in a text box
    # (DrawingML with its VML fallback copy), and a place name in a smart tag.
    inserted = "二、重点任务。培育壮大新质生产力，支持中小企业专精特新发展，推进工业互联网平台建设。" * 3
    block_sdt = "一、总体要求。坚持创新驱动发展，推进产业链供应链现代化，促进数字化转型和绿色低碳发展。" * 4
    box = "到2027年，全省规模以上工业企业数字化改造基本全覆盖。"
    body = (
        f"<w:p>{_run('关于加快推进制造业数字化转型的实施意见')}</w:p>"
        f"<w:p><w:r><w:t>各市人民政府，</w:t></w:r><w:sdt><w:sdtPr><w:alias w:val=\"发文机关\"/></w:sdtPr>"
        f"<w:sdtContent>{_run('省政府各部门、各直属机构')}</w:sdtContent></w:sdt>{_run('：')}</w:p>"
        f"<w:sdt><w:sdtPr><w:tag w:val=\"正文\"/></w:sdtPr><w:sdtContent>"
        f"<w:p>{_run(block_sdt)}</w:p></w:sdtContent></w:sdt>"
        f"<w:ins w:id=\"1\" {TRACKED}><w:p>{_run(inserted)}</w:p></w:ins>"
        f"<w:p><w:ins w:id=\"2\" {TRACKED}>{_run('三、保障措施。强化金融支持。')}"
        f"</w:ins><w:del w:id=\"3\" {TRACKED}><w:r>"
        f"<w:delText>此句已删除不应出现。</w:delText></w:r></w:del></w:p>"
        f"<w:p><w:r><mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
        f"<mc:Choice Requires=\"wps\"><w:drawing><wps:txbx {WPS_NS}>"
        f"<w:txbxContent><w:p>{_run(box)}</w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:textbox><w:txbxContent>"
        f"<w:p>{_run(box)}</w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        f"</mc:AlternateContent></w:r></w:p>"
        f"<w:p>{_run('在')}<w:smartTag w:uri=\"urn:schemas-microsoft-com:office:smarttags\" "
        f"w:element=\"place\">"
        f"{_run('山东省')}</w:smartTag>{_run('全面推进。')}</w:p>"
        f"<w:p>{_run('山东省人民政府办公厅')}</w:p><w:p>{_run('2025年3月6日')}</w:p>"
    )
    _docx_with_body_xml(tmp_path / "yijian.docx", body)
    row = report_of(tmp_path).loc["yijian"]
    assert row["status"] == "kept", row["reason"]
    text = row["text"]
    assert "省政府各部门、各直属机构" in text  # inline content control
    assert "坚持创新驱动发展" in text  # block content control
    assert "专精特新" in text and "强化金融支持" in text  # tracked insertions, block and run
    assert "此句已删除" not in text  # a tracked deletion is not the document's text
    assert text.count("数字化改造基本全覆盖") == 1  # the text box once, not its VML copy too
    assert "在山东省全面推进" in text  # smart tag
    assert row["region"] == "山东省" and row["date"] == "2025-03-06"


def _docx_bomb(path, inflated_mb: int, declare_small: bool) -> None:
    """A small .docx whose word/document.xml inflates to ``inflated_mb`` MB of XML; with
    ``declare_small`` its zip header lies about the size (only counting the bytes catches it)."""
    import struct
    import zipfile

    filler = "<w:p><w:r><w:t>制造业</w:t></w:r></w:p>" * 1000
    chunk = filler.encode("utf-8")
    body = (f"<?xml version=\"1.0\"?><w:document {W_NS}><w:body>".encode()
            + chunk * (inflated_mb * 1024 * 1024 // len(chunk) + 1) + b"</w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", body)
    if declare_small:  # rewrite the declared uncompressed size in both headers to 1 KB
        data = bytearray(path.read_bytes())
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = 0
            while (at := data.find(signature, at)) >= 0:
                local = signature == b"PK\x03\x04"
                name_length = struct.unpack_from("<H", data, at + (26 if local else 28))[0]
                name = bytes(data[at + (30 if local else 46):][:name_length])
                if name == b"word/document.xml":
                    struct.pack_into("<I", data, at + offset, 1024)
                at += 4
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("declare_small", [False, True])
def test_a_docx_bomb_is_a_report_row_naming_the_limit(tmp_path, declare_small):
    import time

    _docx_bomb(tmp_path / "bomb.docx", inflated_mb=3, declare_small=declare_small)
    assert (tmp_path / "bomb.docx").stat().st_size < 100_000
    study = tmp_path / "study.toml"
    study.write_text(f"[corpus]\npaths = [\"{tmp_path.as_posix()}\"]\nmax_document_mb = 0.1\n",
                     encoding="utf-8")
    started = time.perf_counter()
    report = document_report(tmp_path, load_study(study), progress=False).set_index("doc_id")
    assert time.perf_counter() - started < 30
    row = report.loc["bomb"]
    assert row["status"] == "dropped"
    if declare_small:  # zipfile inflates no more than the header declares, then fails its CRC
        assert "not a readable Word file" in row["reason"], row["reason"]
    else:
        # 0.1 MB of text: a Word file may unpack to 20 times that, 2 MB
        assert "max_document_mb" in row["reason"] and "2 MB" in row["reason"], row["reason"]


def test_a_word_files_text_over_the_limit_is_a_report_row(tmp_path):
    # The file is bounded at 20 times [corpus] max_document_mb, its text at the setting itself,
    # as a table cell's is (from a review: 6.9 MB of text came out of a 29 KB .docx).
    _docx_bomb(tmp_path / "long.docx", inflated_mb=1, declare_small=False)
    study = tmp_path / "study.toml"
    study.write_text(f"[corpus]\npaths = [\"{tmp_path.as_posix()}\"]\nmax_document_mb = 0.1\n",
                     encoding="utf-8")
    row = document_report(tmp_path, load_study(study), progress=False).set_index("doc_id").loc["long"]
    assert row["status"] == "dropped"
    assert row["reason"].startswith("over [corpus] max_document_mb (the file holds"), row["reason"]


def test_a_docx_within_the_limit_is_read(tmp_path):
    from policytopics.read.document_files import read_docx

    _docx_bomb(tmp_path / "big.docx", inflated_mb=1, declare_small=False)
    doc = read_docx(tmp_path / "big.docx", max_bytes=3 * 1024 * 1024)
    assert doc.error is None and doc.text.count("制造业") > 20_000


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


@pytest.mark.parametrize("stored", ["Microsoft Word - 附件1.doc", "标题", "yijian.docx", "Document1"])
def test_a_word_files_title_property_that_is_a_file_name_gives_way_to_the_text(tmp_path, stored):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.core_properties.title = stored
    for line in ["关于推动制造业高质量发展的意见", *BODY[:3]]:
        document.add_paragraph(line)
    document.save(tmp_path / "yijian.docx")
    row = report_of(tmp_path).loc["yijian"]
    assert row["title"] == "关于推动制造业高质量发展的意见"
    assert not row["text"].startswith("关于推动制造业")  # the title line is the title, not text


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
