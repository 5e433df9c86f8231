"""PDF files read as researchers have them: the text layer as paragraphs, page furniture
dropped; scans, passwords and broken files are one report row each, with what to do."""

from __future__ import annotations

import pytest
from document_samples import BODY, report_of


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
    from policytopics.read.pdf import read_pdf

    document = read_pdf(tmp_path / "report.pdf")
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

    from policytopics.read.pdf import read_pdf

    _pdf_with_text(tmp_path / "plain.pdf", BODY)
    data = (tmp_path / "plain.pdf").read_bytes()
    tail = data.rfind(b"startxref")
    (tmp_path / "moved.pdf").write_bytes(data[:tail] + regex.sub(rb"startxref\s+\d+", b"startxref\n123",
                                                                 data[tail:]))
    with caplog.at_level("WARNING"):
        document = read_pdf(tmp_path / "moved.pdf")
    assert "新质生产力" in document.text
    assert {record.name for record in caplog.records} == {"policytopics"}
    (message,) = [record.getMessage() for record in caplog.records]
    assert message.startswith("moved.pdf: pypdf: incorrect startxref pointer")
