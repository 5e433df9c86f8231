"""Word files read as Word shows them: paragraphs, tables, tracked insertions, content
controls, text boxes; zip bombs, old .doc and WPS files are one report row each."""

from __future__ import annotations

import pytest
from document_samples import BODY, report_of

from policytopics import load_study
from policytopics.text.documents import document_report


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
    from policytopics.read.word import read_docx

    _docx_bomb(tmp_path / "big.docx", inflated_mb=1, declare_small=False)
    doc = read_docx(tmp_path / "big.docx", max_bytes=3 * 1024 * 1024)
    assert doc.error is None and doc.text.count("制造业") > 20_000


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
