import codecs
import re

import pytest

from policytopics.common.chinese import cjk_count
from policytopics.common.encoding import decode_bytes

TEXT = "推动制造业高质量发展，加快建设现代化产业体系。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16"])
def test_decode_common_encodings(encoding):
    source = "推動製造業高質量發展" if encoding == "big5" else TEXT
    text, _, error = decode_bytes(source.encode(encoding))
    assert error is None
    assert text == source


def test_crlf_is_normalised():
    text, _, _ = decode_bytes("第一行\r\n第二行\r\n".encode())
    assert text == "第一行\n第二行\n"


def test_gbk_file_with_a_few_bad_bytes_is_read_and_flagged():
    data = (TEXT * 5).encode("gbk")
    damaged = data[:20] + b"\xff" + data[20:50] + b"\x80" + data[50:]
    text, encoding, error = decode_bytes(damaged)
    assert error is None
    assert encoding == "gb18030 (2 damaged places)"
    assert text.replace("\ufffd", "") == TEXT * 5


def test_truncated_utf8_file_is_read():
    text, encoding, error = decode_bytes((TEXT * 3).encode("utf-8")[:-1])
    assert error is None and encoding.startswith("utf-8 (") and text.startswith(TEXT)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding):
    source = "第一行：推动制造业高质量发展。\nSecond line 2024.\n"
    text, _, error = decode_bytes(source.encode(encoding))
    assert error is None and text == source


def test_utf16_with_bom_and_crlf():
    text, _, error = decode_bytes("第一行\r\n第二行\r\n".encode("utf-16"))
    assert (text, error) == ("第一行\n第二行\n", None)


def test_utf8_bom_and_crlf():
    text, encoding, _ = decode_bytes(codecs.BOM_UTF8 + "第一行\r\n第二行".encode())
    assert (text, encoding) == ("第一行\n第二行", "utf-8-sig")


def test_big5_traditional_article():
    source = ("國務院關於推動製造業高質量發展的指導意見。"
              "各地區、各部門要認真貫徹落實，加快建設現代化產業體系。\n") * 3
    text, encoding, error = decode_bytes(source.encode("big5"))
    assert error is None and encoding == "big5" and text == source


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-8"])
def test_mostly_english_file(encoding):
    source = ("This report covers the manufacturing sector in detail, with figures for 2024. "
              * 10 + "製造業")
    text, _, error = decode_bytes(source.encode(encoding))
    assert error is None and text == source


def test_undecodable_bytes_are_reported():
    data = bytes(range(0x80, 0x100)) * 8  # no NUL, yet no encoding reads it as text
    text, _, error = decode_bytes(data)
    assert text == "" and error.startswith("undecodable")


def test_two_damaged_bytes_cost_two_characters_not_the_article(tmp_path):
    """#31: one bad byte inside a three-byte UTF-8 character gives three U+FFFD; two of them
    in a 468-character article must not make the whole article undecodable."""
    from policytopics import document_report, load_study

    article = (TEXT * 21)[:468]
    data = bytearray(article.encode("utf-8"))
    data[3 * 100 + 1] = 0xFF  # the middle byte of character 100
    data[3 * 300 + 1] = 0xFE  # and of character 300
    text, encoding, error = decode_bytes(bytes(data))
    assert error is None and encoding == "utf-8 (2 damaged places)"
    assert re.sub("\ufffd+", "", text) == article[:100] + article[101:300] + article[301:]
    (tmp_path / "damaged.txt").write_bytes(bytes(data))
    row = document_report(tmp_path, load_study(None), progress=False).iloc[0]
    assert row["status"] == "kept", row["reason"]
    assert row["n_chars"] >= cjk_count(article) - 2


def test_korean_is_read_as_korean_and_reported_not_kept_as_garbage_chinese(tmp_path):
    """#31: EUC-KR decodes "cleanly" as GBK into common Chinese characters (대한민국 →
    措茄刮惫); it must be read as Korean, and the report drops it as not Chinese."""
    from policytopics import document_report, load_study

    korean = "대한민국 정부는 제조업의 고품질 발전을 추진하고 현대적 산업 체계를 구축한다.\n" * 5
    text, encoding, error = decode_bytes(korean.encode("euc-kr"))
    assert (text, encoding, error) == (korean, "euc-kr", None)
    (tmp_path / "korean.txt").write_bytes(korean.encode("euc-kr"))
    (tmp_path / "chinese.txt").write_bytes((TEXT * 5).encode("gbk"))
    report = document_report(tmp_path, load_study(None), progress=False).set_index("doc_id")
    assert report.loc["korean", "encoding"] == "euc-kr"
    assert report.loc["korean", "status"] == "dropped"
    assert report.loc["korean", "reason"].startswith("not mainly Chinese (0% Chinese")
    assert report.loc["chinese", ["encoding", "status"]].tolist() == ["gb18030", "kept"]


@pytest.mark.parametrize("declared,encoding,expected", [
    ("gb2312", "gbk", "gb18030"), ("utf-8", "utf-8", "utf-8"), ("iso-8859-1", "utf-8", "utf-8"),
    ("utf-16", "utf-8", "utf-8"), ("iso-8859-1", "gbk", "gb18030"), ("big5", "big5", "big5"),
])
def test_a_page_is_decoded_by_its_bytes_before_its_declared_charset(declared, encoding, expected):
    from policytopics.common.encoding import decode_page

    source = "推動製造業高質量發展" if encoding == "big5" else TEXT
    page = f'<html><head><meta charset="{declared}"></head><body><p>{source * 3}</p></body></html>'
    data = page.encode(encoding)
    data += b" " * (len(data) % 2)  # even length: a UTF-8 page also decodes "cleanly" as UTF-16
    html, found, error = decode_page(data)
    assert error is None and found.startswith(expected) and source * 3 in html


def test_two_files_of_two_encodings_joined_decode_line_by_line():
    """cat utf8.csv gbk.csv > joined.csv (#37): each line in its own encoding, not one
    "undecodable" file; the encoding names both and the lines of the second."""
    first = "".join(f"第{n}行，{TEXT}\n" for n in range(10)).encode("utf-8")
    second = "".join(f"第{n}行，深入实施创新驱动发展战略。\r\n" for n in range(10, 20)).encode("gbk")
    text, encoding, error = decode_bytes(first + second)
    assert error is None
    assert text.splitlines() == [f"第{n}行，{TEXT}" for n in range(10)] + [
        f"第{n}行，深入实施创新驱动发展战略。" for n in range(10, 20)]
    assert encoding == "utf-8 + gb18030 (lines 11-20)"
    # One damaged byte in a UTF-8 file is still one damaged place, not a second encoding.
    damaged = first[:30] + b"\xff" + first[30:]
    assert decode_bytes(damaged)[1] == "utf-8 (1 damaged places)"


def test_a_text_in_no_chinese_encoding_is_taken_when_it_reads_as_plain_text():
    """Neither GB18030 nor Big5 reads common Chinese here; the best guess is kept because it
    holds almost no Chinese (common.chinese.cjk_ratio) and is printable, not dropped as undecodable."""
    data = "Straße und Café am Markt, schön.\n".encode("latin-1") * 5
    text, encoding, error = decode_bytes(data)
    assert error is None and encoding == "cp1250" and text.startswith("Straße und Café")
