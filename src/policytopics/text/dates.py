"""Dates: the publication date of an article, and the date its own header states.

Dates come from the header area (labelled publication dates, a dated source line, a
full date near the top), then from a dated lead (``4月24日``) only when the same
document states the year (:func:`extract_date`). A web page's own publication date (its
metadata, its ``发布时间：`` line or byline: :func:`page_date`, :func:`page_header_date`)
wins over a date merely found near the top, never over one the text states as its own
(:data:`STATED_DATE_SOURCES`). Related-article lists, footers and spam are never read (the
cleaner has marked them; the page reader removes them first). A table's date column is
read by :func:`parse_date_value` and checked against the delivery or issue date the
header states (:func:`stated_date`, :func:`dates_disagree`). Which of these a document
takes is :func:`policytopics.text.metadata.document_metadata`'s choice.

Examples
--------
>>> parse_date_value("2024年3月"), find_full_date("发布时间：2024-01-02 16:05")
(('2024-03', 'month'), '2024-01-02')
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from policytopics.common.chinese import date_span
from policytopics.text.pagetext import is_signature

_CN_DIGITS = {"〇": 0, "○": 0, "Ｏ": 0, "O": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_YMD = re.compile(
    r"(?<!\d)(?P<y>(19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)"
)
_CN_YMD = re.compile(r"(?P<y>[〇○ＯO零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月"
                     r"(?P<d>[一二三四五六七八九十]{1,3})日")
_YM = re.compile(r"(?<!\d)(?P<y>(19|20)\d{2})年(?P<m>\d{1,2})月(?!\d)")
_MD = re.compile(r"(?<![\d年])(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_YEAR = re.compile(r"(?<!\d)((19|20)\d{2})年")
_DELIVERED = re.compile(r"^[—―─–\-－(（]*\s*[\S ]{6,24}?日\s*在.{2,60}(会议|大会|会上)")
#: A delivery date alone on its line (``——2026年1月24日``), its venue on the next.
_DELIVERED_DATE = re.compile(r"^[—―─–\-－(（]+\s*[\S ]{6,24}?日$")
_VENUE = re.compile(r"^在.{2,60}(会议|大会|会上)")
#: The venue first, the date after it in brackets (``在四川省第十一届人民代表大会第三次会议上
#: （2010年1月26日）`` on one line, or the bracketed date alone on the next).
_VENUE_DATED = re.compile(r"^[—―─–\-－]*\s*在.{2,60}(会议上?|大会上?|会上)"
                          r"\s*[（(]\s*[^（()）]{6,24}?日\s*[)）]$")
_BRACKETED_DATE = re.compile(r"^[（(]\s*[^（()）]{6,24}?日\s*[)）]$")
#: How far down the lines (before the salutation) a delivery date is looked for.
DELIVERY_SEARCH_LINES = 15
_ISSUED = re.compile(r"成文日期\s*[:：]")
_LABELLED = re.compile(r"(发布时间|发布日期|发表时间|发布于|日期|时间)\s*[:：]?\s*")


@dataclass(frozen=True)
class DateResult:
    """A date in ISO form with its precision (day, month, year) and source."""

    date: str | None
    precision: str | None
    source: str


def _cn_number(text: str) -> int:
    if len(text) == 4:  # year, digit by digit
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if text.endswith("十"):
        return _CN_DIGITS[text[0]] * 10
    if "十" in text:
        return _CN_DIGITS[text[0]] * 10 + _CN_DIGITS[text[2]]
    return _CN_DIGITS[text]


#: The first year a date may have; the last is next year (:func:`last_year`).
FIRST_YEAR = 1900


def last_year() -> int:
    """The last year a date may have: next year (a page dated ahead of time happens)."""
    return dt.date.today().year + 1


def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not FIRST_YEAR <= year <= last_year():
        return False
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return False
    return True


def find_full_date(text: str) -> str | None:
    """First valid full date in ``text`` as ``YYYY-MM-DD`` (Arabic or Chinese numerals)."""
    hits = []
    for match in _YMD.finditer(text):
        y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
        if _valid(y, m, d):
            hits.append((match.start(), f"{y:04d}-{m:02d}-{d:02d}"))
            break
    for match in _CN_YMD.finditer(text):
        y, m, d = _cn_number(match["y"]), _cn_number(match["m"]), _cn_number(match["d"])
        if _valid(y, m, d):
            hits.append((match.start(), f"{y:04d}-{m:02d}-{d:02d}"))
            break
    return min(hits)[1] if hits else None


def parse_date_value(value: str | None) -> tuple[str | None, str | None]:
    """Normalise a date given in a table column: ``YYYY``, ``YYYY-MM``, full dates."""
    if not value:
        return None, None
    value = str(value).strip()
    full = find_full_date(value)
    if full:
        return full, "day"
    compact = re.fullmatch(r"((19|20)\d{2})(\d{2})(\d{2})", value)
    if compact and _valid(int(compact[1]), int(compact[3]), int(compact[4])):
        return f"{compact[1]}-{compact[3]}-{compact[4]}", "day"
    month = re.fullmatch(r"((19|20)\d{2})[-/.年](\d{1,2})月?", value)
    if month and _valid(int(month[1]), int(month[3])):
        return f"{month[1]}-{int(month[3]):02d}", "month"
    year = re.fullmatch(r"((19|20)\d{2})年?", value)
    if year and _valid(int(year[1]), 1):
        return year[1], "year"
    return None, None


_ANY_YEAR_DATE = re.compile(r"(?P<y>\d{4})(?:\s*[-/.年]\s*(?P<m>\d{1,2})"
                            r"(?:\s*[-/.月]\s*(?P<d>\d{1,2})日?)?月?)?年?"
                            r"|(?P<cy>\d{4})(?P<cm>\d{2})(?P<cd>\d{2})")


def date_out_of_range(value: str | None) -> bool:
    """Whether ``value`` is a real calendar date (``2099-06-01``, ``9999-12-31``,
    ``1899-12-30``, ``2150``) whose year lies outside :data:`FIRST_YEAR` to next year, the
    dates :func:`parse_date_value` reads: such a value is out of range, not "not a date".

    >>> date_out_of_range("2099-06-01"), date_out_of_range("1899-12-30"), date_out_of_range("2024-02-30")
    (True, True, False)
    """
    match = _ANY_YEAR_DATE.fullmatch(str(value or "").strip())
    if match is None:
        return False
    year, month, day = ((match["y"], match["m"], match["d"]) if match["y"]
                        else (match["cy"], match["cm"], match["cd"]))
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return not FIRST_YEAR <= int(year) <= last_year()


def not_a_date_reason(value: str, name: str) -> str:
    """Why the ``metadata.csv`` value of document ``name`` gives no date: out of range, or
    not a date."""
    if date_out_of_range(value):
        return f"{value!r} for {name} is out of range (dates from {FIRST_YEAR} to {last_year()} are read)"
    return f"{value!r} for {name} is not a date"


def extract_date(lines: list[tuple[str, str | None]], title: str | None = None,
                 header_lines: int = 6) -> DateResult:
    """Publication date from cleaned lines ``(line, rule)`` as made by the cleaner.

    In order of trust: a stated delivery or issue date (``——2026年1月27日在…会议上``,
    ``成文日期：``), a document's signature (the issuing office, the date on the next line),
    a labelled publication date (``发布时间：``, ``时间：`` with its value, joined
    by :mod:`policytopics.text.pagetext` when it stood on the next line), a dated source line, a
    full date near the top (Arabic or Chinese numerals). Only lines kept as article text or
    marked ``header`` are read; related lists, footers, crawler notes and spam never are.
    """
    headers, body = _readable(lines)
    top = body[:header_lines]

    # A stated delivery or issue date first: it is the document's own date; a page's
    # publication date comes later.
    stated = _stated_date(headers, body)
    if stated is not None:
        return stated
    for line, following in itertools.pairwise(body):
        if is_signature(line, following):
            found = find_full_date(following)
            if found:
                return DateResult(found, "day", "signature: issuing office and date")
    for line in headers + top:
        match = _LABELLED.search(line)
        if match:
            found = find_full_date(line[match.end():match.end() + 40])
            if found:
                return DateResult(found, "day", "header: labelled publication date")
    for line in headers:
        found = find_full_date(line)
        if found:
            return DateResult(found, "day", "header: dated source line")
    for line in ([title] if title else []) + top[:3]:
        found = find_full_date(line)
        if found:
            return DateResult(found, "day", "header: full date near the top")
    years = {m[1] for line in headers + top[:3] for m in _YEAR.finditer(line)}
    lead = top[1:3] if title and top and top[0] == title else top[:2]
    for line in lead:
        match = _MD.search(line)
        if match and len(years) == 1:
            year = int(next(iter(years)))
            if _valid(year, int(match["m"]), int(match["d"])):
                return DateResult(f"{year:04d}-{int(match['m']):02d}-{int(match['d']):02d}",
                                  "day", "lead: month and day, year stated in the header")
    for line in headers + top[:3]:
        match = _YM.search(line)
        if match and _valid(int(match["y"]), int(match["m"])):
            return DateResult(f"{match['y']}-{int(match['m']):02d}", "month",
                              "header: year and month")
    has_md = any(_MD.search(line) for line in lead)
    reason = "no year in the text (month and day only)" if has_md else "no date found"
    return DateResult(None, None, reason)


#: ``date_source`` of the dates a text states as its own (delivery, issue, signature, a
#: labelled publication date, a dated source line): a page's publication date never
#: overrides them. Other dates found in a text (a full date near the top, a lead's month
#: and day) are guesses that a page's stated date wins over.
STATED_DATE_SOURCES = ("header: delivery or issue date", "header: 成文日期", "signature:",
                       "header: labelled publication date", "header: dated source line")


def page_header_date(lines) -> DateResult | None:
    """A web page's publication date from the lines between its headline and its main text
    (:attr:`policytopics.read.records.RawDocument.page_header`): a ``成文日期：`` (the document's
    own date, in a government page's metadata table), a labelled date (``发布时间：``,
    ``发布日期：``, ``时间：``), else the first line holding a full date (the byline
    ``2024年01月02日08:12 | 来源：人民网``). Related lists and footers are not in those lines.

    >>> page_header_date(["发布时间：2024-01-02 16:05 信息来源：省发展改革委"]).source
    'page header: labelled publication date'
    >>> page_header_date(["2024年01月02日08:12 | 来源：人民网"]).date
    '2024-01-02'
    """
    for line in lines:  # a metadata table's 成文日期 is the document's own date
        match = _ISSUED.search(line)
        found = find_full_date(line[match.end():match.end() + 40]) if match else None
        if found:
            return DateResult(found, "day", "page header: 成文日期")
    for line in lines:
        match = _LABELLED.search(_ISSUED.sub("", line))
        found = find_full_date(_ISSUED.sub("", line)[match.end():match.end() + 40]) if match else None
        if found:
            return DateResult(found, "day", "page header: labelled publication date")
    for line in lines:
        found = find_full_date(line)
        if found:
            return DateResult(found, "day", "page header: dated byline")
    return None


def page_date(raw) -> DateResult | None:
    """The page's own date: a 成文日期 in its metadata table, its ``PubDate`` metadata, its
    header line, then htmldate's reading of the page (``fallback_date``)."""
    source = getattr(raw, "fallback_date_source", None) or "file metadata"
    fallback = getattr(raw, "fallback_date", None)
    date, precision = parse_date_value(fallback) if fallback else (None, None)
    header = page_header_date(getattr(raw, "page_header", ()))
    if header is not None and header.source == "page header: 成文日期":
        return header
    if date and source == "page metadata":
        return DateResult(date, precision, source)
    if header is not None:
        return header
    return DateResult(date, precision, source) if date else None


def _readable(lines: list[tuple[str, str | None]]) -> tuple[list[str], list[str]]:
    """``(header lines, body lines)`` of cleaned lines: only lines kept as article text or
    marked ``header`` are read; related lists, footers, crawler notes and spam never are."""
    readable = [(line.strip(), rule) for line, rule in lines
                if line.strip() and rule in (None, "header")]
    return ([line for line, rule in readable if rule == "header"],
            [line for line, rule in readable if rule is None])


def _stated_date(headers: list[str], body: list[str]) -> DateResult | None:
    """The delivery or issue date a document's header states, or None: a report's
    ``——2026年1月27日在…会议上`` (or its date and venue on two lines, or the venue first and
    the date after it in brackets), a document's ``成文日期``. Looked for above the
    salutation (各位代表)."""
    salutation = next((i for i, line in enumerate(body) if line.startswith(("各位代表", "同志们"))),
                      len(body))
    upper = body[:min(salutation, DELIVERY_SEARCH_LINES)]
    joined = []
    for i, line in enumerate(upper):
        following = upper[i + 1] if i + 1 < len(upper) else ""
        if (_DELIVERED_DATE.match(line) and _VENUE.match(following)) or (
                _VENUE.match(line) and _BRACKETED_DATE.match(following)):
            line += following
        joined.append(line)
    for line in headers + joined:
        delivered = _DELIVERED.search(line) or _VENUE_DATED.search(line)
        if delivered or _ISSUED.search(line):
            found = find_full_date(line)
            if found:
                return DateResult(found, "day", "header: delivery or issue date" if delivered
                                  else "header: 成文日期")
    return None


def stated_date(lines: list[tuple[str, str | None]]) -> DateResult | None:
    """The delivery or issue date the document's own header states (cleaned lines ``(line,
    rule)``, as :func:`extract_date` reads them), or None. A table's date column is checked
    against it (:func:`dates_disagree`).

    >>> lines = ["政府工作报告", "在四川省第十一届人民代表大会第三次会议上（2010年1月26日）", "各位代表："]
    >>> stated_date([(line, None) for line in lines]).date
    '2010-01-26'
    """
    return _stated_date(*_readable(lines))


#: A month or day column may stand DATE_TOLERANCE_DAYS from the header's date and agree: a
#: publication date follows a delivery or issue date by days or weeks (a report delivered
#: 2024-03-05 and posted 2024-03-12). A year column has none: 2009 against 2010-01-26 is the
#: report filed under the year it reviews.
DATE_TOLERANCE_DAYS = 31


def dates_disagree(date: str | None, text_date: str | None) -> bool:
    """Whether ``text_date`` falls outside the span ``date`` stands for at its own precision
    (a month or day widened by :data:`DATE_TOLERANCE_DAYS`): a year column ``2009`` and a
    header's ``2010-01-26`` disagree, ``2010`` and ``2010-01-26`` do not. False when either
    is missing.

    >>> dates_disagree("2009", "2010-01-26"), dates_disagree("2010", "2010-01-26")
    (True, False)
    >>> dates_disagree("2010-01", "2010-01-26"), dates_disagree("2024-03-12", "2024-03-05")
    (False, False)
    >>> dates_disagree("2024-06-01", "2024-03-05")
    True
    """
    if not date or not text_date:
        return False
    start, end = date_span(date)
    first, last = date_span(text_date)
    if len(str(date)) > 4:  # a month or a day: widened by the tolerance
        first_day = dt.date.fromisoformat(start)
        next_month = (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        last_day = first_day if len(str(date)) > 7 else next_month - dt.timedelta(days=1)
        widen = dt.timedelta(days=DATE_TOLERANCE_DAYS)
        start, end = (first_day - widen).isoformat(), (last_day + widen).isoformat()
    return not (start <= first and last <= end)
