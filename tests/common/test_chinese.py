"""The CJK range, written once in common/chinese.py, and the helpers that read it."""

import re
import sys
from pathlib import Path

import pytest

from policytopics.common import chinese
from policytopics.common.chinese import (
    CJK_FIRST,
    CJK_LAST,
    CJK_RANGE,
    CJK_RE,
    WIDE_CHARS_ABOVE,
    cjk_count,
    cjk_ratio,
    display_width,
    is_cjk,
)

#: Every spelling of the range the package used before it was written once.
_OLD_CLASS = re.compile("[\u4e00-\u9fff]")


def test_the_range_is_the_cjk_unified_ideographs_block():
    assert (CJK_FIRST, CJK_LAST) == ("\u4e00", "\u9fff")
    assert CJK_RANGE == "\u4e00-\u9fff"
    assert CJK_RE.pattern == "[\u4e00-\u9fff]"


def test_every_test_of_a_chinese_character_agrees_on_every_code_point():
    # is_cjk, CJK_RE, cjk_count and the range as it used to be written give one answer.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        expected = 0x4E00 <= code <= 0x9FFF
        assert is_cjk(char) is expected, hex(code)
        assert bool(CJK_RE.fullmatch(char)) is expected, hex(code)
        assert bool(_OLD_CLASS.fullmatch(char)) is expected, hex(code)
    text = "".join(map(chr, range(0x2E00, 0xA100)))
    assert cjk_count(text) == 0x9FFF - 0x4E00 + 1


@pytest.mark.parametrize(("char", "expected"), [
    ("一", True), ("鿿", True), ("〇", False), ("㐀", False),  # 〇 and Extension A are outside
    ("，", False), ("A", False), ("가", False), ("\uf900", False),
])
def test_is_cjk_edges(char, expected):
    assert is_cjk(char) is expected


def test_cjk_ratio_counts_against_visible_characters():
    assert cjk_ratio("报告 report") == pytest.approx(2 / 8)
    assert cjk_ratio(" \n\u3000") == 0.0
    assert cjk_ratio("") == 0.0


def test_cjk_ratio_of_a_sample_is_the_share_the_decoder_computes():
    # common/encoding.py's _cjk_share(text) is this, on the first 20,000 characters.
    text = ("政府工作报告 2026\u3000年 abc\n" * 3000)
    sample = text[:20000]
    visible = [c for c in sample if not c.isspace()]
    assert cjk_ratio(sample) == len(CJK_RE.findall(sample)) / max(1, len(visible))


def test_display_width_is_a_width_rule_not_the_script_range():
    # Full-width punctuation and kana count one character wide though they are not CJK_RANGE.
    assert WIDE_CHARS_ABOVE == 0x2E80
    assert display_width("，。ア") == 3.0
    assert display_width("2026年报告") == 5.0
    assert display_width("ab", narrow=0.62) == pytest.approx(1.24)
    assert display_width(chr(WIDE_CHARS_ABOVE)) == 0.5  # the bound itself is narrow
    assert display_width(chr(WIDE_CHARS_ABOVE + 1)) == 1.0


def test_no_module_of_the_package_spells_the_range_again():
    # One home: the block's bounds appear in common/chinese.py only.
    package = Path(chinese.__file__).parent.parent
    spellings = re.compile(r"\\u4e00|\\u9fff|0x4e00|0x9fff|一-龥|一-鿿|0x2e80", re.IGNORECASE)
    offenders = [str(path) for path in package.rglob("*.py")
                 if path.name != "chinese.py" and spellings.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
