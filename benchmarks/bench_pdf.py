r"""Which PDF text extractor keeps Chinese text and its order: pypdf or pdfplumber?

Government documents are published as PDFs written by Word or WPS: a title, a body in
paragraphs with first-line indents, a running header, page numbers such as ``— 3 —`` in
the footer. No such PDFs are stored here, so this benchmark makes them the way they are
made: each of the first ``--reports`` national Government Work Reports
(``../shared/corpora/gwr_national.jsonl.gz``, official documents) becomes a Word file
(python-docx: the title, the body paragraphs with a first-line indent, the header
``政府工作报告``, a centred ``— N —`` page number field), and LibreOffice converts it to PDF
(``soffice --headless --convert-to pdf``: TrueType CID fonts with their ToUnicode maps, as
Word's and WPS's PDFs have), in Noto Sans CJK (Debian's ``fonts-noto-cjk``). Both
extractors then read every PDF, and each is scored against the report's own text:

- **recall**: the share of the report's Chinese characters found, in order
  (``difflib.SequenceMatcher`` matching blocks over the Chinese characters only);
- **order**: the share of paragraphs whose first 12 Chinese characters are found in the
  extracted text after the previous paragraph's;
- **furniture**: lines left that are only a page number or the running header (the
  cleaner removes them; fewer is still better);
- **lines per paragraph** and **paragraphs whole** (the share of paragraphs that are one
  line of the output): a paragraph wrapped at the page edge is many lines, and a word cut at
  a line end is two words to the segmenter;
- **s/page**: seconds per page.

Needs LibreOffice (``apt install libreoffice-writer-nogui fonts-noto-cjk``) and pdfplumber
(``pip install pdfplumber``); neither is a dependency of the package.

    python benchmarks/bench_pdf.py --reports 12 [--write]
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpora" / "gwr_national.jsonl.gz"
sys.path.insert(0, str(HERE))

CJK = re.compile(r"[\u4e00-\u9fff]")
PAGE_NUMBER = re.compile(r"^\s*[—\-－–]*\s*\d{1,3}\s*[—\-－–]*\s*$")


def cjk(text: str) -> str:
    return "".join(CJK.findall(text))


def make_docx(title: str, paragraphs: list[str], path: Path) -> None:
    """A Word file as a ministry writes one: title, indented body, header, page numbers."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Noto Sans CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    style.font.size = Pt(14)
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = "政府工作报告"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.text = text
        run._r.append(element)
    footer.add_run(" —")
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(title).font.size = Pt(22)
    for text in paragraphs:
        paragraph = doc.add_paragraph(text)
        paragraph.paragraph_format.first_line_indent = Pt(28)
    doc.save(path)


def to_pdf(docx: Path, folder: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                   check=True, capture_output=True, timeout=300)
    return folder / (docx.stem + ".pdf")


def extract_pypdf(path: Path) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


def extract_pdfplumber(path: Path) -> tuple[str, int]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages), len(pdf.pages)


def extract_policytopics(path: Path) -> tuple[str, int]:
    """What the study reads: pypdf's pages as paragraphs (policytopics.read.pdf.pdf_paragraphs)."""
    from pypdf import PdfReader

    from policytopics.read.pdf import pdf_paragraphs

    reader = PdfReader(str(path))
    return pdf_paragraphs([page.extract_text() or "" for page in reader.pages]), len(reader.pages)


EXTRACTORS = {"pypdf": extract_pypdf, "pdfplumber": extract_pdfplumber,
              "pypdf + pdf_paragraphs (the study)": extract_policytopics}


def score(text: str, paragraphs: list[str]) -> dict[str, float]:
    source = cjk("\n".join(paragraphs))
    found = cjk(text)
    matcher = difflib.SequenceMatcher(None, source, found, autojunk=False)
    recall = sum(block.size for block in matcher.get_matching_blocks()) / max(len(source), 1)
    position, in_order, counted = 0, 0, 0
    for paragraph in paragraphs:
        key = cjk(paragraph)[:12]
        if len(key) < 6:
            continue
        counted += 1
        at = found.find(key, position)
        if at >= 0:
            in_order += 1
            position = at + len(key)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    furniture = sum(1 for line in lines if PAGE_NUMBER.match(line) or line == "政府工作报告")
    body_lines = len(lines) - furniture
    # A paragraph is whole when it is one line of the extracted text.
    whole_lines = {cjk(line) for line in lines}
    whole = sum(1 for p in paragraphs if cjk(p) in whole_lines) / max(len(paragraphs), 1)
    return {"recall": recall, "order": in_order / max(counted, 1), "furniture": furniture,
            "lines_per_paragraph": body_lines / max(len(paragraphs), 1), "whole": whole}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=12)
    parser.add_argument("--write", action="store_true", help="write the section 'pdf' of results.md")
    args = parser.parse_args(argv)
    if shutil.which("soffice") is None:
        print("LibreOffice (soffice) is needed: apt install libreoffice-writer-nogui fonts-noto-cjk")
        return 2
    reports = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            paragraphs = [p.strip() for p in record["text"].split("\n") if p.strip()]
            reports.append((record["id"], record["title"], paragraphs))
    # Every decade: the reports spread over the seven decades.
    step = max(1, len(reports) // args.reports)
    reports = reports[::step][:args.reports]
    totals = {name: {"recall": 0.0, "order": 0.0, "furniture": 0, "lines_per_paragraph": 0.0, "whole": 0.0,
                     "seconds": 0.0, "pages": 0} for name in EXTRACTORS}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for doc_id, title, paragraphs in reports:
            docx = folder / f"{doc_id}.docx"
            make_docx(title, paragraphs, docx)
            pdf = to_pdf(docx, folder)
            for name, extract in EXTRACTORS.items():
                started = time.perf_counter()
                text, pages = extract(pdf)
                seconds = time.perf_counter() - started
                result = score(text, paragraphs)
                total = totals[name]
                for key in ("recall", "order", "lines_per_paragraph", "whole"):
                    total[key] += result[key] / len(reports)
                total["furniture"] += result["furniture"]
                total["seconds"] += seconds
                total["pages"] += pages
            print(f"  {doc_id}: {pages} pages", file=sys.stderr)
    header = ["extractor", "recall", "order", "furniture lines", "lines per paragraph", "paragraphs whole",
              "s/page"]
    rows = [[name, f"{t['recall']:.4f}", f"{t['order']:.4f}", t["furniture"],
             f"{t['lines_per_paragraph']:.2f}",
             f"{t['whole']:.3f}", f"{t['seconds'] / max(t['pages'], 1):.3f}"] for name, t in totals.items()]
    from _markdown import markdown_table

    table = markdown_table(header, rows)
    pages = totals["pypdf"]["pages"]
    print(table)
    print(f"{len(reports)} reports, {pages} pages")
    if args.write:
        from bench_coherence import write_section

        write_section("\n".join([
            "## PDF text: pypdf or pdfplumber", "",
            f"- date: {time.strftime('%Y-%m-%d')}; command: `python benchmarks/bench_pdf.py --reports "
            f"{args.reports} --write`",
            f"- {len(reports)} national Government Work Reports (one every few years), each a Word file "
            f"(python-docx) converted to PDF by LibreOffice in Noto Sans CJK: {pages} pages", "", table]),
            "pdf")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
