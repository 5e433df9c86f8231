"""Decode crawled bytes: byte-order marks, UTF-8, GB18030/GBK, Big5, UTF-16, or a guess.

:func:`decode_bytes` is what every reader of files and delimited tables calls; it never
raises on odd bytes, it says what went wrong.
"""

from __future__ import annotations

import codecs
import os
import re

from policytopics.common.chinese import CJK_RE, cjk_count, cjk_ratio

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, *, lines: bool = True) -> tuple[str, str, str | None]:
    """Decode a crawled file, returning ``(text, encoding, error)``.

    Byte-order marks win; then strict UTF-8; then Korean (EUC-KR/CP949), which GBK would
    also decode "cleanly" into common Chinese characters (대한민국 → 措茄刮惫): read as
    Korean, the text is then dropped as not Chinese instead of kept as garbage; then
    GB18030 and Big5 when they decode cleanly into mostly Chinese text; then
    charset-normalizer's best guess, accepted only if the result looks like text; then
    (with ``lines``) line by line, for two files of different encodings joined into one
    (:func:`_decode_mixed_lines`); last, a file damaged in a few places. Line endings are
    normalised to ``\\n``.
    """
    if not data.strip():
        return "", "", "empty file"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return newlines(data.decode(encoding)), encoding, None
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:4096]:
        guess = _utf16_without_bom(data)
        if guess is not None:
            return newlines(guess[0]), guess[1], None
        return "", "", "binary file"
    try:
        return newlines(data.decode("utf-8")), "utf-8", None
    except UnicodeDecodeError:
        pass
    korean = _korean(data)
    if korean is not None:
        return newlines(korean[0]), korean[1], None
    readable = _most_readable(data)
    if readable is not None:
        return newlines(readable[0]), readable[1], None
    if lines:
        mixed = _decode_mixed_lines(data)
        if mixed is not None:
            return newlines(mixed[0]), mixed[1], None
    lenient = _decode_with_few_bad_bytes(data)
    if lenient is not None:
        return newlines(lenient[0]), lenient[1], None
    return "", "", "undecodable: no encoding gives readable text"


def _most_readable(data: bytes) -> tuple[str, str] | None:
    """The text of ``data`` in the most readable of GB18030, Big5 and charset-normalizer's
    guess (:func:`_readability`), if it reads as common Chinese or as plain non-Chinese text;
    else ``None``."""
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_readability(text), encoding, text))
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            text = str(best)
            candidates.append((_readability(text), best.encoding, text))
    except Exception:
        pass
    if candidates:
        # Highest readability wins; on a tie the earlier candidate (GB18030) does.
        share, encoding, text = max(candidates, key=lambda c: c[0])
        if share > 0.5 or (cjk_ratio(text[:20000]) < 0.05 and _printable_share(text) > 0.95):
            return text, encoding
    return None


def _decode_mixed_lines(data: bytes) -> tuple[str, str] | None:
    """Two exports of different encodings joined into one file (10 UTF-8 rows, then 10 GBK
    rows): the lines that are UTF-8 read as UTF-8, the others in the one encoding they all
    decode in cleanly (:func:`decode_bytes` on them alone), as JSON lines are read line by
    line. ``None`` unless both parts are there and each decodes without a damaged byte.

    A line break is byte 0x0A in UTF-8, GBK, GB18030 and Big5 alike, never part of a
    character, so the file splits at line breaks before decoding. The encoding is given as
    ``"utf-8 + gb18030 (lines 12-21)"``.
    """
    if b"\x00" in data:  # UTF-16: a line break is two bytes
        return None
    lines = data.replace(b"\r\n", b"\n").split(b"\n")
    other: list[int] = []
    for number, line in enumerate(lines):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
    if not other or len(other) == len(lines):
        return None
    rest, encoding, error = decode_bytes(b"\n".join(lines[n] for n in other), lines=False)
    if error or encoding.startswith(("utf-8", "utf-16")) or "damaged" in encoding:
        return None
    decoded = dict(zip(other, rest.split("\n"), strict=False))
    if len(decoded) != len(other) or len(rest.split("\n")) != len(other):
        return None  # the other encoding's text had line breaks of its own (\r alone): unsafe
    text = "\n".join(decoded.get(n) if n in decoded else line.decode("utf-8") for n, line in enumerate(lines))
    return text, f"utf-8 + {encoding} (lines {_ranges([n + 1 for n in other])})"


def _ranges(numbers: list[int]) -> str:
    """``[12, 13, 14, 20]`` → ``"12-14, 20"``."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in spans)


def _decode_with_few_bad_bytes(data: bytes, max_bad: float = 0.01) -> tuple[str, str] | None:
    """A UTF-8, GB18030 or Big5 file damaged in a few places (a truncated download, a bad copy).

    The bad bytes become U+FFFD, which the mojibake repair in cleaning then handles: a
    damaged byte costs the character it belonged to, never the document. A damaged place
    is a run of U+FFFD (one bad byte inside a three-byte UTF-8 character gives three);
    accepted only if at most ``max_bad`` of the characters are damaged places (at least
    two allowed) and the rest reads as common Chinese. Of the encodings that qualify, the
    most readable is taken. The encoding is reported as ``"gb18030 (3 damaged places)"``.
    """
    readings = []
    for encoding in ("utf-8", "gb18030", "big5"):
        text = data.decode(encoding, errors="replace")
        bad = damaged_places(text)
        share = _readability(text)
        if bad <= max(2, max_bad * len(text)) and share > 0.5:
            readings.append((share, -bad, text, f"{encoding} ({bad} damaged places)"))
    if not readings:
        return None
    _, _, text, encoding = max(readings, key=lambda reading: reading[:2])
    return text, encoding


#: One damaged place of a leniently decoded text: consecutive replacement characters.
_DAMAGED_RUN = re.compile("\ufffd+")


def damaged_places(text: str) -> int:
    """Damaged places of a text decoded with ``errors="replace"``: runs of U+FFFD (one bad
    byte inside a three-byte UTF-8 character gives three).

    >>> damaged_places("制造\ufffd\ufffd\ufffd业发\ufffd展")
    2
    """
    return len(_DAMAGED_RUN.findall(text))


#: A Korean text: this many Hangul syllables at least, this share of Hangul among Hangul
#: and Chinese characters. Chinese GBK text read as CP949 gives Hangul for about two
#: characters in three and Chinese characters (Hanja) for the rest; modern Korean is Hangul.
KOREAN_MIN_HANGUL = 20
KOREAN_MIN_SHARE = 0.95
_HANGUL_RE = re.compile("[\uac00-\ud7a3]")


def _korean(data: bytes) -> tuple[str, str] | None:
    """The text of a Korean file (EUC-KR, or CP949, its Windows superset), else ``None``."""
    text = data.decode("cp949", errors="replace")
    hangul = len(_HANGUL_RE.findall(text[:20000]))
    chinese = cjk_count(text[:20000])
    if hangul < KOREAN_MIN_HANGUL or hangul < KOREAN_MIN_SHARE * (hangul + chinese):
        return None
    if damaged_places(text) > max(2, 0.01 * len(text)):
        return None
    try:
        data.decode("euc_kr")
        return text, "euc-kr"
    except UnicodeDecodeError:
        return text, "cp949"


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _printable_share(text) > 0.95:
            return text, encoding
    return None


def _readability(text: str) -> float:
    """Share of Chinese characters that are common ones (GB2312 after t2s).

    A wrong two-byte encoding still decodes "cleanly" into Chinese characters, but
    mostly rare ones (Big5 read as GBK: 崩笆籹硑穨...); the right one reads as common
    characters once traditional forms are simplified.
    """
    from policytopics.common.chinese import to_simplified

    chars = CJK_RE.findall(text[:20000])
    if not chars:
        return 0.0
    common = 0
    for char in to_simplified("".join(chars)):
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(chars)


def _printable_share(text: str) -> float:
    sample = text[:20000]
    return sum(c.isprintable() or c.isspace() for c in sample) / max(1, len(sample))


def file_name_text(name: str) -> str:
    """A file name as text, whatever bytes the file system holds.

    Python gives a name that is not UTF-8 (a GBK name from a zip made on Chinese Windows)
    with its bytes as lone surrogates, which no table or JSON file can hold. Such a name is
    decoded as GB18030, else its odd bytes are written ``\\xb1``.

    >>> import os
    >>> file_name_text(os.fsdecode(b"\\xb1\\xa8\\xb8\\xe6.txt"))
    '报告.txt'
    >>> file_name_text("报告.txt")
    '报告.txt'
    """
    data = os.fsencode(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("utf-8", "backslashreplace")


_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_:.-]+)", re.I)
#: Declared charsets read as another (the WHATWG Encoding Standard's labels): a page cannot be
#: UTF-16 if its ``<meta>`` is readable as ASCII, so browsers read such a page as UTF-8.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8", "unicode": "utf-8",
                    "utf8": "utf-8"}
#: Western single-byte charsets: any bytes decode, so a Chinese page that declares one (a
#: template's leftover) is told by its bytes instead.
_SINGLE_BYTE = {"iso-8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252", "us-ascii", "ascii",
                "iso8859-1", "iso_8859-1"}


def decode_page(data: bytes) -> tuple[str, str, str | None]:
    """Decode a saved web page as a browser would, returning ``(html, encoding, error)``.

    A byte-order mark wins, then bytes that are valid UTF-8 (beyond ASCII), whatever the page
    declares: a UTF-8 page whose template still says ``iso-8859-1`` or ``gb2312`` is UTF-8.
    Then the ``<meta charset>`` (``gb2312``/``gbk`` read as GB18030; ``utf-16``, which an
    ASCII-readable ``<meta>`` cannot be, as UTF-8, as the HTML standard's prescan does), unless
    it is a Western single-byte charset that would turn Chinese bytes into Latin letters; then
    :func:`decode_bytes`' detection.

    >>> page = '<meta charset="iso-8859-1"><p>制造业</p>'.encode("utf-8")
    >>> decode_page(page)[1]
    'utf-8'
    """
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return decode_bytes(data)
    if not data.isascii():
        try:
            return newlines(data.decode("utf-8")), "utf-8", None
        except UnicodeDecodeError:
            pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = _CHARSET_ALIASES.get(name, name)
        if name not in _SINGLE_BYTE or data.isascii():
            try:
                return newlines(data.decode(name)), name, None
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_bytes(data)


def newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
