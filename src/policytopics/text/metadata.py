"""The metadata of one whole document: its date, region and city, with where each came from.

A table's own date and region columns win over extraction; otherwise the date comes from
the text (:mod:`policytopics.text.dates`) and the region from the title and body
(:mod:`policytopics.text.places`), then from the web site's name for a page that names no
place (:func:`site_region`, never for a central document: :func:`central_document`).
``metadata.csv`` beside the inputs wins over both (:func:`read_overrides`,
:func:`apply_overrides`). Called once per document, never per passage: passages inherit
these values.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from policytopics.text.dates import (
    FIRST_YEAR,
    STATED_DATE_SOURCES,
    date_out_of_range,
    extract_date,
    last_year,
    not_a_date_reason,
    page_date,
    parse_date_value,
    stated_date,
)
from policytopics.text.places import RegionResult, extract_region, place_mentions
from policytopics.text.regions import canonical_region

log = logging.getLogger("policytopics")

# --- the region of a page that names no place ------------------------------------------

#: A central body issuing or addressing a document: a provincial portal's repost of a State
#: Council notice is no provincial document.
_CENTRAL = re.compile(r"国务院|中共中央|党中央|中央军委|全国人民代表大会|全国人大常委会"
                      r"|^各省、自治区、直辖市")


def central_document(title: str | None, body: list[str]) -> bool:
    """Whether the title or the first or last lines of ``body`` (the addressees, the issuer)
    name a central body (国务院, 中共中央 ...): such a page takes no province from its site.

    >>> central_document("国务院关于推动制造业高质量发展的意见", [])
    True
    >>> central_document("关于印发全省数字经济行动方案的通知", ["各市人民政府：", "省发展改革委"])
    False
    """
    lines = ([title] if title else []) + list(body[:3]) + list(body[-3:])
    return any(_CENTRAL.search(line.strip()) for line in lines)


def site_region(site: str) -> RegionResult | None:
    """The province a web site's name names (``浙江省人民政府``, ``湖北日报``), for a page whose
    text names no place; None for a national site (``中国政府网``, ``新华网``) or one naming two.

    >>> site_region("浙江省人民政府").region, site_region("中国政府网")
    ('浙江省', None)
    """
    places = place_mentions(site)
    provinces = {place.province for place in places}
    if len(provinces) != 1:
        return None
    cities = {place.city for place in places if place.city}
    return RegionResult(provinces.pop(), cities.pop() if len(cities) == 1 else None,
                        f"page: site name ({site})")


# --- one document's metadata --------------------------------------------------------

#: ``region_source`` of a document whose source table states no region (a national
#: report): its ``national`` flag is set, and the weights put it in the national group.
NATIONAL_SOURCE = "column: no region stated"


def document_metadata(raw, lines: list[tuple[str, str | None]], title: str | None,
                      body: list[str]) -> dict:
    """Date, region and city of one whole document, with where each came from.

    A value stated by the source table wins over extraction: ``raw.date`` is parsed (a
    value that is no date, or a date out of range such as ``2099-06-01``, gives way to the
    text's date, and ``date_source`` says why first), and a table
    with a region column is trusted, an empty value included (``national``: about no
    province). Otherwise the date comes from the cleaned ``lines`` (:func:`extract_date`)
    and the region from the title and ``body`` (:func:`extract_region`). ``text_date`` is
    the delivery or issue date the header states (:func:`stated_date`), whatever the date's
    source: a date column that it contradicts is flagged by the document stage. Called once
    per document, never per passage: passages inherit these values.
    """
    stated = stated_date(lines)
    meta: dict = {"national": False, "text_date": stated.date if stated else None}
    date, precision = parse_date_value(raw.date) if raw.date else (None, None)
    if date:
        meta.update(date=date, date_precision=precision, date_source="column")
    else:
        # No column, or a value that is no date or out of range (2099-06-01): the text's.
        found = extract_date(lines, title)
        meta.update(date=found.date, date_precision=found.precision, date_source=found.source)
        if not found.source.startswith(STATED_DATE_SOURCES):
            # A page's own publication date (its PubDate, its 发布时间 line or byline, which the
            # main-text extractor left out): after a date the text states, before a guess.
            page = page_date(raw)
            if page is not None:
                meta.update(date=page.date, date_precision=page.precision, date_source=page.source)
        if raw.date:
            why = (f"column value out of range ({FIRST_YEAR} to {last_year()})" if date_out_of_range(raw.date)
                   else "column value not a date") + f": {raw.date!r}"
            meta["date_source"] = f"{why}; {meta['date_source']}" if meta["date"] else why
    if raw.region_given:
        # One province however the table writes it (浙江, 浙江省, Zhejiang, 廣東省).
        region = canonical_region(raw.region)
        meta.update(region=region, city=None, region_source="column" if region else NATIONAL_SOURCE,
                    national=not region)
    else:
        region = extract_region(title, body)
        if (region.region is None and region.source == "no place named" and getattr(raw, "site", None)
                and not central_document(title, body)):
            region = site_region(raw.site) or region
        meta.update(region=region.region, city=region.city, region_source=region.source)
    return meta


# --- metadata.csv overrides ------------------------------------------------------------

OVERRIDES_FILE = "metadata.csv"


def override_files(paths) -> list[Path]:
    """The ``metadata.csv`` files that apply to the inputs ``paths``: the one in each folder
    given, and the one beside each file given (the documents stage's key holds them)."""
    folders = {Path(p) if Path(p).is_dir() else Path(p).parent for p in paths}
    return [folder / OVERRIDES_FILE for folder in sorted(folders) if (folder / OVERRIDES_FILE).is_file()]


def read_overrides(paths, sources: dict[str, Path] | None = None) -> dict[str, dict[str, str]]:
    """Values of ``metadata.csv`` files beside the inputs, by ``doc_id`` (or file stem).

    Columns ``doc_id`` or ``file``, and any of ``date``, ``region``, ``title``; empty cells
    are ignored. Read in any common encoding (:func:`policytopics.read.delimited.read_settings_table`);
    a missing key column or a date that is not one is an error naming the file.
    ``sources``, when given, receives the file each key came from
    (:func:`unused_overrides` names it).
    """
    from policytopics.read.delimited import read_settings_table

    found: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}  # key → "metadata.csv row 3", for a repeated key's message
    for table in override_files(paths):
        frame = read_settings_table(table)
        key = "doc_id" if "doc_id" in frame else "file" if "file" in frame else None
        if key is None:
            raise ValueError(f"{table} needs a 'doc_id' or 'file' column")
        for row_number, record in enumerate(frame.to_dict("records"), start=2):
            name = record[key]
            values = {k: v for k, v in record.items() if k in ("date", "region", "title") and v}
            if "date" in values and parse_date_value(values["date"])[0] is None:
                raise ValueError(f"{table}: {not_a_date_reason(values['date'], name)}")
            stem = Path(name).stem if key == "file" else name
            if stem in found and found[stem] != values:
                # The last row used to win silently: which one the researcher meant is unclear.
                raise ValueError(f"{table} row {row_number}: {name} has other values in {where[stem]} "
                                 f"({found[stem]} against {values}); keep one row per document")
            found[stem], where[stem] = values, f"{table} row {row_number}"
            if sources is not None:
                sources[stem] = table
    return found


def unused_overrides(sources: dict[str, Path], doc_ids, source_paths, limit: int = 0) -> list[str]:
    """Log, per ``metadata.csv``, the keys that matched no document read; return them.

    A key matches a document by its ``doc_id`` or its file's stem, as :func:`overrides_for`
    matches them. ``limit``: only the first documents were read (said in the warning).
    """
    if not sources:  # no metadata.csv: no document's path is looked at (74,542 stems: a second)
        return []
    matched = set(doc_ids) | {Path(source).stem for source in source_paths}
    unmatched = [key for key in sources if key not in matched]
    for table in dict.fromkeys(sources[key] for key in unmatched):
        keys = [key for key in unmatched if sources[key] == table]
        shown = ", ".join(keys[:20]) + (f" ... ({len(keys)} in all)" if len(keys) > 20 else "")
        log.warning("%s: %d row(s) match no document read%s, so their values are not used: %s",
                    table, len(keys), f" (only the first {limit} documents were read)" if limit else "",
                    shown)
    return unmatched


def overrides_for(raw, overrides: dict[str, dict[str, str]]) -> dict[str, str]:
    """The override values of one document (by its ``doc_id``, else its file's stem).

    A document whose id was taken by an earlier one (``report~2`` beside ``report``: two
    files named ``report``) matches by its own id only: the row for ``report`` is the first
    file's, not both (a warning says so and how to reach the second).
    """
    from policytopics.read.files import REPEAT_MARK

    if not overrides:  # no metadata.csv: the path is not parsed (a tenth of the reading's time)
        return {}
    if raw.doc_id in overrides:
        return overrides[raw.doc_id]
    stem = Path(raw.source).stem
    if stem in overrides and REPEAT_MARK in raw.doc_id and raw.doc_id.split(REPEAT_MARK)[0] == stem:
        log.warning("%s: the %s row for %r is the first document of that name; %s (%s) does not take "
                    "its values: add a row with doc_id %s for it", OVERRIDES_FILE, OVERRIDES_FILE, stem,
                    raw.doc_id, raw.source, raw.doc_id)
        return {}
    return overrides.get(stem) or {}


def apply_overrides(row: dict, values: dict[str, str], doc_id: str) -> None:
    """Put a document's ``metadata.csv`` values into its report ``row`` (in place)."""
    if "date" in values:
        date, precision = parse_date_value(values["date"])
        if date is None:
            raise ValueError(f"{OVERRIDES_FILE}: {not_a_date_reason(values['date'], doc_id)}")
        row.update(date=date, date_precision=precision, date_source=OVERRIDES_FILE)
    if "region" in values:
        # A value that says "no province" (全国, N/A) makes the document national, as an
        # empty region cell of its source table does.
        region = canonical_region(values["region"])
        row.update(region=region, city=None, region_source=OVERRIDES_FILE, national=region is None)
    if "title" in values:
        row.update(title=values["title"])
