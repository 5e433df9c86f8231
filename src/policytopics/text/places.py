"""The region of a text: the province (and city) an article is about, from the places it names.

Regions are province-level units from the gazetteer (:mod:`policytopics.text.gazetteer`:
provinces and prefecture-level cities, 宁波 → 浙江省; counties such as 竹山县 find their
city), weighted toward the title and lead, and left empty when no unit clearly dominates
(:func:`extract_region`). Places inside names that do not locate a story (北京时间,
辽宁舰, bank branches) are not counted; a place that is only a venue counts half.

Examples
--------
>>> extract_region("宁波推进数字经济", ["宁波市召开会议。", "浙江省宁波市数字经济发展。"]).region
'浙江省'
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from policytopics.common.chinese import CJK_RANGE
from policytopics.text.gazetteer import Place, county_names, province_and_city_names

# Phrases whose place names do not say where the article is about.
_MASKED = re.compile(r"北京时间|上海合作组织|上合组织|中山大学|北京大学|南京大学|浙江大学|香港特区政府?"
                     r"|台湾问题|新疆棉|西藏自治区成立"
                     # a ship, the multi-province military regions before 2016, a crude oil
                     r"|辽宁舰|辽宁号|(?:沈阳|北京|兰州|济南|南京|广州|成都)军区|北海布伦特"
                     # bank branches: 中国银行黑龙江省分行哈尔滨河松街支行
                     rf"|[{CJK_RANGE}]{{0,4}}银行[{CJK_RANGE}]{{2,6}}?分行|[{CJK_RANGE}]{{2,8}}?支行")
# A place that is only where something happens to take place does not say what the story
# is about: it counts 0.5, so such a mention alone never places a story. Venues of meetings
# and engagements (在北京举行, 在上海会见), travel (离开北京, 抵达北京) and the host city in
# an event's name (贵阳国际论坛, 杭州峰会).
_VENUE = re.compile(r"在(?P<place>[^,。;,；，、]{1,14}?)(?:举行|开幕|召开|闭幕|举办|出席|会见|揭牌)"
                    r"|(?:离开|抵达|到达|飞抵|返回|回到)(?P<travel>北京)"
                    rf"|(?P<event>[{CJK_RANGE}]{{2,3}})(?=(?:国际)?(?:论坛|峰会|博览会|世锦赛|年会))")
_VENUE_WEIGHT = 0.5
# Every branch of _MASKED holds one of these words, every branch of _VENUE one of those: a
# line with none of them (three in four lines of news for _MASKED, half for _VENUE) is not
# scanned by the pattern, whose character classes are tried at every position.
_MASKED_WORDS = ("北京时间", "上海合作组织", "上合组织", "大学", "香港特区", "台湾问题", "新疆棉",
                 "西藏自治区成立", "辽宁", "军区", "北海布伦特", "银行", "支行")
_VENUE_WORDS = ("在", "北京", "论坛", "峰会", "博览会", "世锦赛", "年会")


def _masked(text: str) -> str:
    """``text`` without the phrases of ``_MASKED`` (a text without its words as it is)."""
    return _MASKED.sub("", text) if any(word in text for word in _MASKED_WORDS) else text
# Bulletins of several unrelated items (新闻联播's 国内联播快讯): one local item would
# otherwise take all the mentions.
_ROUNDUP_TITLE = re.compile(r"联播快讯|快讯$")


@dataclass(frozen=True)
class RegionResult:
    """Province (and city) an article is about, with how it was decided."""

    region: str | None
    city: str | None
    source: str


def _county_mentions(masked: str) -> list[Place]:
    """Counties named in ``masked`` (text after ``_MASKED``), as places with their
    prefecture city."""
    if "县" not in masked and "旗" not in masked:
        return []  # every county name ends so: most lines need no scan of the county trie
    names, pattern = county_names()
    return [names[m.group(0)] for m in pattern.finditer(masked)]


def place_mentions(text: str) -> list[Place]:
    """Places named in ``text`` (leftmost-longest), after masking non-locating phrases."""
    return [place for place, _ in _weighted_mentions(_masked(text), 1.0)]


def _weighted_mentions(masked: str, weight: float) -> list[tuple[Place, float]]:
    """Places named in ``masked`` (text after ``_MASKED``) with their weight: ``weight``,
    or less inside a venue phrase."""
    names, pattern = province_and_city_names()
    # Venue phrases do not overlap and come in order: the one a mention may fall in is the
    # last that starts at or before it (a bisection; testing every venue for every mention
    # took 97 s on a 2 MB text written as one line).
    venues = ([m.span(m.lastgroup) for m in _VENUE.finditer(masked)]
              if any(word in masked for word in _VENUE_WORDS) else [])
    starts = [a for a, _ in venues]

    def in_venue(position: int) -> bool:
        i = bisect.bisect_right(starts, position) - 1
        return i >= 0 and position < venues[i][1]

    return [(names[m.group(0)], min(weight, _VENUE_WEIGHT) if in_venue(m.start()) else weight)
            for m in pattern.finditer(masked)]


def extract_region(title: str | None, body_lines: list[str], *, min_share: float = 0.6,
                   min_score: float = 2.0, chars_per_mention: int = 2500) -> RegionResult:
    """Province the article is about: weighted mentions (title ×3, lead ×2, rest ×1).

    Returns an empty region with the reason when nothing is named, when no province
    reaches ``min_share`` of the weighted mentions, or when the leading province is
    named too rarely for the length of the text (less than one weighted mention per
    ``chars_per_mention`` characters: a national report that names 台湾 five times in
    28,000 characters is not about Taiwan).

    Not counted: places inside names that do not locate the story (北京时间, 辽宁舰,
    成都军区, bank branches …). Counted only 0.5: a place that is just the venue of a
    meeting (``在北京举行``). A bulletin of several items (title ``国内联播快讯``) gets
    no region. Counties (竹山县 → 湖北省 十堰市) find the city and support a province
    that is named anyway, but never place a story on their own: national stories often
    give one county as an example.
    """
    if title and _ROUNDUP_TITLE.search(title):
        return RegionResult(None, None, "news roundup: several unrelated items")
    scores: Counter = Counter()
    city_scores: Counter = Counter()
    parts = ([(title, 3.0)] if title else []) + [
        (line, 2.0 if i == 0 else 1.0) for i, line in enumerate(body_lines)
    ]
    county_scores: Counter = Counter()
    for text, weight in parts:
        masked = _masked(text)  # once per line, for provinces and counties alike
        for place, counted in _weighted_mentions(masked, weight):
            scores[place.province] += counted
            if place.city:
                city_scores[(place.province, place.city)] += counted
        for place in _county_mentions(masked):
            county_scores[place.province] += weight
            if place.city:
                city_scores[(place.province, place.city)] += weight
    if not scores:
        return RegionResult(None, None, "no place named")
    for province_named in list(scores):  # counties only back up provinces named anyway
        scores[province_named] += county_scores[province_named]
    total = sum(scores.values())
    province, best = scores.most_common(1)[0]
    named = ", ".join(p for p, _ in scores.most_common(4))
    if best / total < min_share or best < min_score:
        return RegionResult(None, None, f"no dominant region ({named})")
    length = sum(len(line) for line in body_lines)
    if best < length / chars_per_mention:
        return RegionResult(None, None, f"places named too rarely for the text's length ({named})")
    in_province = {c: s for (p, c), s in city_scores.items() if p == province}
    city = None
    if in_province:
        top_city, top_score = max(in_province.items(), key=lambda kv: kv[1])
        if top_score / sum(in_province.values()) >= min_share and top_city != province:
            city = top_city
    where = "title" if title and any(p.province == province for p in place_mentions(title)) else "text"
    return RegionResult(province, city, f"gazetteer: {best / total:.0%} of mentions, named in {where}")
