"""The gazetteer: China's provinces, prefecture-level cities and counties by name, from the
``cpca`` package's table of administrative divisions (read as data; cpca is not imported).

Region extraction (:mod:`policytopics.text.places`) looks names up here, the vocabulary's
place words (:mod:`policytopics.text.place_words`) are built from the same rows, and a
province's short form (``浙江省`` → ``浙江``) is its name without :data:`PROVINCE_SUFFIX`
(:mod:`policytopics.text.regions`).

Examples
--------
>>> names, _ = province_and_city_names()
>>> names["宁波"], names["浙江"].province
(Place(province='浙江省', city='宁波市'), '浙江省')
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata as importlib_metadata

from policytopics.common.chinese import CJK_RANGE, literal_union

#: Suffixes stripped to get a short form, tried in this order, per level.
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "维吾尔族自治区", "自治区", "特别行政区",
                     "省", "市")
PREFECTURE_SUFFIXES = ("自治州", "地区", "盟", "市")
COUNTY_SUFFIXES = ("自治县", "自治旗", "新区", "矿区", "林区", "特区", "县", "区", "市", "旗")
PROVINCE_SUFFIX = re.compile("(" + "|".join(PROVINCE_SUFFIXES) + ")$")
_CITY_SUFFIX = re.compile(rf"((?:[{CJK_RANGE}]{{1,4}}?族)+)?(自治州|地区|盟|市)$")
#: Short city names that are also common words; only their full name (with 市) counts.
_AMBIGUOUS_SHORT = {"大同", "安康", "长治", "白银", "中山", "黄山", "通化", "朝阳", "海东",
                    "吉安", "永州", "东方", "普洱", "和田", "阿里", "海北", "海西", "海南",
                    "白山", "宜春", "江门", "新余", "三明", "鹤壁", "长春"}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: the name as written and the units it belongs to."""

    province: str
    city: str | None


@lru_cache(maxsize=1)
def adcode_rows() -> tuple[dict[str, str], ...]:
    """cpca's table of administrative divisions (adcode, name, …), read as data once."""
    path = importlib_metadata.distribution("cpca").locate_file("cpca/resources/adcodes.csv")
    return tuple(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@lru_cache(maxsize=1)
def province_and_city_names() -> tuple[dict[str, Place], re.Pattern]:
    """Names → places, from cpca's adcodes table (read as data, cpca is not imported)."""
    rows = adcode_rows()
    provinces = {r["adcode"][:2]: r["name"] for r in rows if r["adcode"][2:6] == "0000"}
    names: dict[str, Place] = {}
    for row in rows:
        code, name = row["adcode"][:6], row["name"]
        province = provinces.get(code[:2])
        if province is None:
            continue
        if code[2:] == "0000":
            short = PROVINCE_SUFFIX.sub("", name)
            names[name] = Place(province, None)
            names[short] = Place(province, None)
            if name == "内蒙古自治区":
                names["内蒙古"] = Place(province, None)
        elif code[4:] == "00":
            short = _CITY_SUFFIX.sub("", name)
            for form in (name, short):
                if len(form) >= 2 and form not in names and (form == name or form not in _AMBIGUOUS_SHORT):
                    names[form] = Place(province, name)
    return names, first_char_union(names)


@lru_cache(maxsize=1)
def county_names() -> tuple[dict[str, Place], re.Pattern]:
    """County names (``…县``, ``…旗``) → their province and prefecture city, from cpca.

    Only full names of at least three characters that are unique across the country
    (竹山县, 巴林右旗): a short or repeated name would place stories by accident.
    """
    rows = adcode_rows()
    by_code = {r["adcode"][:6]: r["name"] for r in rows}
    seen = Counter(r["name"] for r in rows)
    known, _ = province_and_city_names()
    names: dict[str, Place] = {}
    for row in rows:
        code, name = row["adcode"][:6], row["name"]
        if (code[4:] == "00" or not name.endswith(("县", "旗")) or len(name) < 3
                or seen[name] > 1 or name in known):
            continue
        province = by_code.get(code[:2] + "0000")
        if province:
            names[name] = Place(province, by_code.get(code[:4] + "00"))
    return names, first_char_union(names)


def first_char_union(names) -> re.Pattern:
    """:func:`~policytopics.common.chinese.literal_union` of ``names`` behind a look-ahead for
    the characters a name starts with: the same matches, but a position where no name
    starts is passed over at once, not tried against each of a trie's hundreds of first
    branches (a third of the time of a scan of news text).

    >>> first_char_union(["北京", "北京市", "北海"]).findall("在北京市和北海")
    ['北京市', '北海']
    """
    first = sorted({name[0] for name in names if name})
    if not first:
        return literal_union(names)
    return re.compile("(?=[" + "".join(map(re.escape, first)) + "])" + literal_union(names).pattern)
