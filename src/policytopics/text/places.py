"""Places: the gazetteer's provinces, cities and counties, the region of a text, and the
place words kept out of the vocabulary.

Regions are province-level units from the ``cpca`` gazetteer (provinces and
prefecture-level cities, 宁波 → 浙江省; counties such as 竹山县 find their city), weighted
toward the title and lead, and left empty when no unit clearly dominates. The same
gazetteer gives :func:`place_name_words`, which segmentation drops so that topics do not
restate the metadata.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata as importlib_metadata

from policytopics.common.chinese import CJK_RANGE, literal_union

# --- regions ---------------------------------------------------------------------------

#: Suffixes stripped to get a short form, tried in this order, per level.
_PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "维吾尔族自治区", "自治区", "特别行政区",
                      "省", "市")
_PREFECTURE_SUFFIXES = ("自治州", "地区", "盟", "市")
_COUNTY_SUFFIXES = ("自治县", "自治旗", "新区", "矿区", "林区", "特区", "县", "区", "市", "旗")
_PROVINCE_SUFFIX = re.compile("(" + "|".join(_PROVINCE_SUFFIXES) + ")$")
_CITY_SUFFIX = re.compile(rf"((?:[{CJK_RANGE}]{{1,4}}?族)+)?(自治州|地区|盟|市)$")
# Short city names that are also common words; only their full name (with 市) counts.
_AMBIGUOUS_SHORT = {"大同", "安康", "长治", "白银", "中山", "黄山", "通化", "朝阳", "海东",
                    "吉安", "永州", "东方", "普洱", "和田", "阿里", "海北", "海西", "海南",
                    "白山", "宜春", "江门", "新余", "三明", "鹤壁", "长春"}
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
# Bulletins of several unrelated items (新闻联播's 国内联播快讯): one local item would
# otherwise take all the mentions.
_ROUNDUP_TITLE = re.compile(r"联播快讯|快讯$")


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: the name as written and the units it belongs to."""

    province: str
    city: str | None


@dataclass(frozen=True)
class RegionResult:
    """Province (and city) an article is about, with how it was decided."""

    region: str | None
    city: str | None
    source: str


@lru_cache(maxsize=1)
def _adcode_rows() -> tuple[dict[str, str], ...]:
    """cpca's table of administrative divisions (adcode, name, …), read as data once."""
    path = importlib_metadata.distribution("cpca").locate_file("cpca/resources/adcodes.csv")
    return tuple(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, Place], re.Pattern]:
    """Names → places, from cpca's adcodes table (read as data, cpca is not imported)."""
    rows = _adcode_rows()
    provinces = {r["adcode"][:2]: r["name"] for r in rows if r["adcode"][2:6] == "0000"}
    names: dict[str, Place] = {}
    for row in rows:
        code, name = row["adcode"][:6], row["name"]
        province = provinces.get(code[:2])
        if province is None:
            continue
        if code[2:] == "0000":
            short = _PROVINCE_SUFFIX.sub("", name)
            names[name] = Place(province, None)
            names[short] = Place(province, None)
            if name == "内蒙古自治区":
                names["内蒙古"] = Place(province, None)
        elif code[4:] == "00":
            short = _CITY_SUFFIX.sub("", name)
            for form in (name, short):
                if len(form) >= 2 and form not in names and (form == name or form not in _AMBIGUOUS_SHORT):
                    names[form] = Place(province, name)
    return names, literal_union(names)


@lru_cache(maxsize=1)
def _counties() -> tuple[dict[str, Place], re.Pattern]:
    """County names (``…县``, ``…旗``) → their province and prefecture city, from cpca.

    Only full names of at least three characters that are unique across the country
    (竹山县, 巴林右旗): a short or repeated name would place stories by accident.
    """
    rows = _adcode_rows()
    by_code = {r["adcode"][:6]: r["name"] for r in rows}
    seen = Counter(r["name"] for r in rows)
    known, _ = _gazetteer()
    names: dict[str, Place] = {}
    for row in rows:
        code, name = row["adcode"][:6], row["name"]
        if (code[4:] == "00" or not name.endswith(("县", "旗")) or len(name) < 3
                or seen[name] > 1 or name in known):
            continue
        province = by_code.get(code[:2] + "0000")
        if province:
            names[name] = Place(province, by_code.get(code[:4] + "00"))
    return names, literal_union(names)


def _county_mentions(masked: str) -> list[Place]:
    """Counties named in ``masked`` (text after ``_MASKED``), as places with their
    prefecture city."""
    if "县" not in masked and "旗" not in masked:
        return []  # every county name ends so: most lines need no scan of the county trie
    names, pattern = _counties()
    return [names[m.group(0)] for m in pattern.finditer(masked)]


def place_mentions(text: str) -> list[Place]:
    """Places named in ``text`` (leftmost-longest), after masking non-locating phrases."""
    return [place for place, _ in _weighted_mentions(_MASKED.sub("", text), 1.0)]


def _weighted_mentions(masked: str, weight: float) -> list[tuple[Place, float]]:
    """Places named in ``masked`` (text after ``_MASKED``) with their weight: ``weight``,
    or less inside a venue phrase."""
    names, pattern = _gazetteer()
    # Venue phrases do not overlap and come in order: the one a mention may fall in is the
    # last that starts at or before it (a bisection; testing every venue for every mention
    # took 97 s on a 2 MB text written as one line).
    venues = [m.span(m.lastgroup) for m in _VENUE.finditer(masked)]
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
        masked = _MASKED.sub("", text)  # once per line, for provinces and counties alike
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


# --- place names kept out of the vocabulary --------------------------------------------
#
# Topics led by 海南·全省·广东 restate the region a document is already labelled with. The
# segmenter drops the words below (``[segment] drop_place_names``); region extraction
# above does not use them and is unaffected.

#: Official names of the 56 ethnic groups (without 族), as they appear inside the names of
#: autonomous prefectures, counties and banners (延边朝鲜族自治州, 元江哈尼族彝族傣族自治县).
#: 各族 as in 隆林各族自治县.
_ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
    "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
)
_ETHNIC_TAIL = re.compile(
    "(?:" + "|".join(sorted(_ETHNIC_GROUPS.split(), key=len, reverse=True)) + ")族?$")
#: Rows of cpca's table that are groupings, not places.
_NOT_PLACES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

#: Short forms (and a few full names) of prefectures, counties and districts that stay in the
#: vocabulary: ordinary or theme words whose main use in policy and news text is not the
#: place. Read from every short form that occurs as a token in gwr_national,
#: policy_central_shandong or 20,000 xwlb stories, and every short form jieba's dictionary
#: lists at least 100 times with a name tag (place ns, person nr, other proper noun nz).
ORDINARY_PLACE_WORDS = frozenset({
    # peace, politics and society (和平区, 新华区, 共和县, 红旗区, 惠农区, 兴业县 ...)
    "和平", "新华", "共和", "红旗", "红星", "友谊", "解放区", "惠民", "惠农", "兴业", "乐业", "民乐",
    "安康", "来宾", "长安", "太平", "安宁", "兴国", "兴隆", "长寿", "吉利", "同仁", "方正", "高明",
    "向阳", "阳春",
    # towns and districts in general (城关镇 is the seat of many counties; 市中区 ×4)
    "城关", "市中", "新建", "新城", "新城区", "老城", "老城区", "古城", "商城", "上街", "南郊",
    "城东", "城西", "天桥", "海港", "河口", "路桥", "温泉", "牡丹",
    # landscape, seas and lakes, regions named in national strategies (绿水青山就是金山银山,
    # 南海, 太湖治理, 南湖红船, 中原城市群, 三河三湖, 天河 supercomputers)
    "金山", "青山", "江山", "平原", "中原", "江南", "南海", "东海", "太湖", "南湖", "盐湖", "湖滨",
    "滨海", "江海", "三江", "三河", "天河",
})
#: County and district short forms that jieba's dictionary lists with an ordinary part of
#: speech at least 100 times but that are places (石首市, 仙桃市, 神农架林区 ...): dropped.
PLACES_TAGGED_AS_WORDS = frozenset({
    "石首", "仙桃", "神农架", "监利", "赤壁", "大冶", "应城", "金台", "平遥", "保康", "河间", "金门",
    "常熟", "高密", "新野", "镇远", "灵台", "临清", "库车", "宝应", "文峰", "建平", "桃源", "当阳",
    "方城", "双桥", "月湖", "二道", "太白", "定远", "大观", "龙口", "六合", "三门", "二七",
    "五峰", "峰峰", "民和", "融水", "永新",
})
#: Tags of jieba's dictionary that mark a name: place, person, organisation, other proper noun.
_NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt"})
#: A county short form that jieba's dictionary lists at least this often with a tag that
#: is not a name tag is an ordinary word (合作市 → 合作, 资源县 → 资源, 比如县 → 比如).
COMMON_WORD_MIN_FREQ = 100


def _short_form(name: str, suffixes: tuple[str, ...]) -> str:
    """``name`` without its administrative suffix and, for autonomous units, without the
    ethnic groups before it (延边朝鲜族自治州 → 延边, 东乡族自治县 → 东乡); the name itself
    when it has no known suffix (西沙群岛)."""
    suffix = next((s for s in suffixes if name.endswith(s) and len(name) > len(s)), None)
    if suffix is None:
        return name
    core = name[:-len(suffix)]
    if suffix.startswith("自治") or "族" in suffix:
        while (match := _ETHNIC_TAIL.search(core)) and match.start() >= 2:
            core = core[:match.start()]
        if core.endswith("族") and len(core) > 2:
            core = core[:-1]
    return core


@lru_cache(maxsize=1)
def _jieba_dictionary() -> dict[str, tuple[int, str]]:
    """Words of jieba's main dictionary with their frequency and part-of-speech tag."""
    import jieba

    words = {}
    with jieba.get_dict_file() as fh:
        for line in fh:
            parts = line.decode("utf-8").split()
            if len(parts) == 3:
                words[parts[0]] = (int(parts[1]), parts[2])
    return words


def _is_common_word(word: str) -> bool:
    freq, tag = _jieba_dictionary().get(word, (0, "ns"))
    return freq >= COMMON_WORD_MIN_FREQ and tag not in _NAME_TAGS and word not in PLACES_TAGGED_AS_WORDS


@lru_cache(maxsize=1)
def _place_forms() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Full names; short forms; and the names (full and short) of provinces and prefectures."""
    full: set[str] = set()
    short: set[str] = set()
    major: set[str] = set()
    for row in _adcode_rows():
        code, name = row["adcode"][:6], row["name"]
        if name in _NOT_PLACES:
            continue
        if code[2:] == "0000":
            full.add(name)
            short.add(_short_form(name, _PROVINCE_SUFFIXES))
            major |= {name, _short_form(name, _PROVINCE_SUFFIXES)}
            continue
        county = code[4:] != "00"
        core = _short_form(name, _COUNTY_SUFFIXES if county else _PREFECTURE_SUFFIXES)
        if (len(core) < 2 and name.endswith("区")) or name in ORDINARY_PLACE_WORDS:
            continue  # 城区, 郊区, 矿区: words, not names
        full.add(name)
        if not county:
            major.add(name)
        if (len(core) < 2 or core == name or core in ORDINARY_PLACE_WORDS
                or (county and _is_common_word(core))):
            continue  # 忠县 has no short form; 和平, 合作 are words
        short.add(core)
        if not county:
            major.add(core)
    short.add("内蒙")  # the usual short form of 内蒙古
    major.add("内蒙")
    return frozenset(full), frozenset(short), frozenset(major)


@lru_cache(maxsize=2)
def place_name_words(full_only: bool = False) -> frozenset[str]:
    """Chinese place names to keep out of the vocabulary, from cpca's gazetteer.

    Provinces, prefecture-level units, counties and districts, in full and short forms
    (浙江省, 浙江, 宁波市, 宁波, 竹山县, 竹山, 内蒙古自治区, 内蒙古, 内蒙, 延边朝鲜族自治州,
    延边). Which short forms are places:

    - a province's short form always is (浙江, 广西, 新疆, 西藏, 香港, 台湾);
    - a prefecture's short form is, unless it is in :data:`ORDINARY_PLACE_WORDS`
      (安康 as in 幸福安康, 来宾 as in 中外来宾);
    - a county's or district's short form (at least two characters) is, unless it is in
      :data:`ORDINARY_PLACE_WORDS` (和平, 新华, 长安, 城关, 南海 …) or jieba's main
      dictionary lists it at least :data:`COMMON_WORD_MIN_FREQ` times with a tag that is
      not a name (合作, 资源, 比如, 振兴, 复兴, 平安, 中方 …), except the places jieba
      tags as ordinary words (:data:`PLACES_TAGGED_AS_WORDS`: 石首, 仙桃, 神农架 …).

    Full names are places too (忠县, whose short form would be one character, included),
    except the generic district names whose short form is a single character (城区,
    郊区, 矿区, 东区, 西区) and the full names listed as ordinary
    (解放区, 老城区, 新城区). Words that contain a place name but are not one stay
    (京津冀, 长三角, 粤港澳, 港澳, 两岸), and so do foreign places; tokens that join a
    place name to another or to an admin word (广西南宁, 浙江省委) are
    :func:`is_place_token`'s.

    Parameters
    ----------
    full_only
        Only the full names (at least three characters), for the tokenizer's dictionary:
        added there, ``宁波市`` is cut as one token and dropped whole.

    Examples
    --------
    >>> words = place_name_words()
    >>> [w in words for w in ("浙江", "宁波市", "宁波", "竹山", "内蒙古", "和平", "长安", "创新")]
    [True, True, True, True, True, False, False, False]
    """
    full, short, _ = _place_forms()
    if full_only:
        return frozenset(w for w in full if len(w) >= 3)
    return full | short


#: What may follow a province's or prefecture's name inside one token that is still only a
#: place: an administrative suffix (甘孜州, 山南地区, 北京地区) or its government (香港特区政府).
PLACE_TOKEN_SUFFIXES = frozenset({"省", "市", "区", "县", "州", "盟", "旗", "地区", "特区", "新区",
                                  "政府", "人民政府", "特区政府", "特别行政区政府"})


def is_place_token(token: str, admin_words: frozenset[str] = frozenset()) -> bool:
    """Whether a token only names a Chinese place or its administration.

    True for a word of :func:`place_name_words`, and for the compounds jieba's dictionary
    holds as one word: a province's or prefecture's name followed by another place name,
    an admin word or an administrative suffix (:data:`PLACE_TOKEN_SUFFIXES`: 广西南宁,
    上海浦东, 浙江省委, 北京市政府, 甘孜州, 北京地区, 香港特区政府), and any place name
    followed by an admin word (竹山县委). Compounds that say more than where stay: 台湾同胞,
    南京大屠杀, 新疆生产建设兵团, 香港基本法, 北京大学, and 大城市 (大城县's short form
    takes no suffix: only provinces and prefectures do).

    Parameters
    ----------
    token
        One token.
    admin_words
        Administrative self-reference (全省, 省委 …; ``[segment] admin_words``).

    Examples
    --------
    >>> [is_place_token(t, frozenset({"省委"})) for t in ("宁波", "浙江省委", "甘孜州", "台湾同胞", "大城市")]
    [True, True, True, False, False]
    """
    words = place_name_words()
    if token in words:
        return True
    _, _, major = _place_forms()
    for cut in range(2, len(token)):
        head, tail = token[:cut], token[cut:]
        if tail in admin_words and head in words:
            return True
        if head in major and (tail in words or tail in PLACE_TOKEN_SUFFIXES):
            return True
    return False


# The National Bureau of Statistics' four economic areas (国家统计局《东西中部和东北地区划分
# 方法》, 2011), provinces in the Bureau's own order.
_AREA_PROVINCES = {
    "东部": ("北京市", "天津市", "河北省", "上海市", "江苏省", "浙江省", "福建省", "山东省",
             "广东省", "海南省"),
    "中部": ("山西省", "安徽省", "江西省", "河南省", "湖北省", "湖南省"),
    "西部": ("内蒙古自治区", "广西壮族自治区", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区",
             "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"),
    "东北": ("辽宁省", "吉林省", "黑龙江省"),
}

#: Area of every group outside the four: the national group (全国), 香港, 澳门, 台湾,
#: and cities when the "region" groups are cities.
OTHER_AREA = "其他"

#: The areas in the order figures and tables show them; :data:`OTHER_AREA` last.
AREA_ORDER = (*_AREA_PROVINCES, OTHER_AREA)

#: Province name → area, in full form (``浙江省``, ``内蒙古自治区``, as
#: :func:`policytopics.text.places.extract_region` gives them) and short form (``浙江``,
#: ``内蒙古``, as a metadata column may give them). Ordered as the Bureau lists them.
REGION_AREAS: dict[str, str] = {
    form: area
    for area, provinces in _AREA_PROVINCES.items()
    for name in provinces
    for form in (name, _PROVINCE_SUFFIX.sub("", name))
}
_REGION_POSITION = {name: i for i, name in enumerate(REGION_AREAS)}


def region_area(name: str | None) -> str:
    """Area of a region: ``东部``, ``中部``, ``西部``, ``东北``, or :data:`OTHER_AREA`.

    Examples
    --------
    >>> region_area("浙江省"), region_area("内蒙古"), region_area("全国")
    ('东部', '西部', '其他')
    """
    return REGION_AREAS.get(name, OTHER_AREA) if isinstance(name, str) else OTHER_AREA


def region_sort_key(name: str) -> tuple[int, int, str]:
    """Sort key that orders regions by area, then as the Bureau lists them, then by name."""
    return (AREA_ORDER.index(region_area(name)), _REGION_POSITION.get(name, len(_REGION_POSITION)),
            str(name))


# --- a region as a table or metadata.csv writes it --------------------------------------

#: Province-level units outside the four areas, in full form.
_OTHER_PROVINCES = ("香港特别行政区", "澳门特别行政区", "台湾省")
#: English names (pinyin, with the usual exceptions), lower case without spaces or hyphens.
_ENGLISH_NAMES = {
    "beijing": "北京市", "tianjin": "天津市", "hebei": "河北省", "shanghai": "上海市",
    "jiangsu": "江苏省", "zhejiang": "浙江省", "fujian": "福建省", "shandong": "山东省",
    "guangdong": "广东省", "hainan": "海南省", "shanxi": "山西省", "anhui": "安徽省",
    "jiangxi": "江西省", "henan": "河南省", "hubei": "湖北省", "hunan": "湖南省",
    "innermongolia": "内蒙古自治区", "neimenggu": "内蒙古自治区", "neimongol": "内蒙古自治区",
    "guangxi": "广西壮族自治区", "chongqing": "重庆市", "sichuan": "四川省", "guizhou": "贵州省",
    "yunnan": "云南省", "tibet": "西藏自治区", "xizang": "西藏自治区", "shaanxi": "陕西省",
    "gansu": "甘肃省", "qinghai": "青海省", "ningxia": "宁夏回族自治区",
    "xinjiang": "新疆维吾尔自治区", "liaoning": "辽宁省", "jilin": "吉林省",
    "heilongjiang": "黑龙江省", "hongkong": "香港特别行政区", "macau": "澳门特别行政区",
    "macao": "澳门特别行政区", "taiwan": "台湾省",
    # the official English names that keep the autonomous region's people
    "guangxizhuang": "广西壮族自治区", "ningxiahui": "宁夏回族自治区", "xinjianguyghur": "新疆维吾尔自治区",
    "xinjianguygur": "新疆维吾尔自治区", "xinjianguighur": "新疆维吾尔自治区",
    "tibetxizang": "西藏自治区", "xizangtibet": "西藏自治区",
}
#: Values a region column or ``metadata.csv`` uses to say "no province": read as an empty
#: cell, that is a document about the country as a whole (``national``; the weights put it
#: in the ``[weights] national_label`` group), never a region group of its own. Compared
#: in lower case without spaces.
NO_REGION_VALUES = frozenset({
    "n/a", "na", "n.a.", "none", "null", "nil", "nan", "-", "--", "—", "/", "无", "空", "暂无", "不详",
    "未知", "全国", "中国", "中华人民共和国", "国家", "中央", "china", "prc", "national", "nationwide",
})
#: Characters that only steer display (zero-width spaces and joiners, right-to-left marks,
#: the BOM: category Cf) or control it (NUL, category Cc): invisible in a figure, yet two
#: values that differ by one are two groups.
_INVISIBLE_CATEGORIES = ("Cf", "Cc", "Zl", "Zp")
_ENGLISH_NOISE = re.compile(r"[\s\-_.'’]+|province$|municipality$|autonomousregion$|"
                            r"specialadministrativeregion$|sar$|city$|shi$|sheng$")


@lru_cache(maxsize=1)
def _province_forms() -> dict[str, str]:
    """Every written form of a province-level unit → its full name (浙江, 浙江省 → 浙江省)."""
    forms: dict[str, str] = {}
    for name in (*(n for names in _AREA_PROVINCES.values() for n in names), *_OTHER_PROVINCES):
        forms[name] = forms[_PROVINCE_SUFFIX.sub("", name)] = name
    return forms


def canonical_region(value: str | None) -> str | None:
    """The province a region value names, in the full simplified form extraction gives.

    A region column or ``metadata.csv`` may write one province many ways: ``浙江``,
    ``浙江省``, ``Zhejiang``, ``Zhejiang Province`` or traditional ``廣東省``. Each is one
    group of the study, so each becomes the full simplified name (``浙江省``, ``广东省``).
    Full-width characters and stray spaces are normalised (NFKC), traditional characters
    simplified (OpenCC), invisible characters removed (zero-width spaces, right-to-left
    marks, NUL: Unicode categories Cf and Cc), and a short or differently suffixed form
    (``广西``, ``广西自治区``, ``新疆維吾爾族自治區``) or an official English name
    (``Guangxi Zhuang Autonomous Region``) completed. A value that says "no province"
    (:data:`NO_REGION_VALUES`: ``N/A``, ``无``, ``全国``, ``中国``, ``China``,
    ``national`` ...) is ``None``, as an empty value is: the document is national. A value
    that names no province-level unit (a city, a foreign country) comes back normalised but
    otherwise as written.

    >>> [canonical_region(v) for v in ("浙江", "浙江省", "Zhejiang", "廣東省", " 內蒙古 ")]
    ['浙江省', '浙江省', '浙江省', '广东省', '内蒙古自治区']
    >>> canonical_region("Inner Mongolia Autonomous Region"), canonical_region("宁波市")
    ('内蒙古自治区', '宁波市')
    >>> canonical_region("Ningxia Hui Autonomous Region"), canonical_region("N/A"), canonical_region("全国")
    ('宁夏回族自治区', None, None)
    """
    import unicodedata

    from policytopics.common.chinese import to_simplified

    if value is None:
        return None
    text = "".join(" " if c in "\t\n\r" else "" if unicodedata.category(c) in _INVISIBLE_CATEGORIES else c
                   for c in unicodedata.normalize("NFKC", str(value)))
    text = re.sub(r"\s+", " ", to_simplified(text)).strip()
    if not text or text.lower().replace(" ", "") in NO_REGION_VALUES:
        return None
    forms = _province_forms()
    compact = re.sub(r"\s+", "", text)
    if compact in forms:
        return forms[compact]
    short = _PROVINCE_SUFFIX.sub("", compact)
    if short in forms:
        return forms[short]
    english = _ENGLISH_NOISE.sub("", text.lower())
    english = _ENGLISH_NOISE.sub("", english)  # "Zhejiang Sheng Province" has two
    return _ENGLISH_NAMES.get(english, text)


def short_region_name(name: str) -> str:
    """A province's short form for crowded axes (``内蒙古自治区`` → ``内蒙古``); other names as given.

    >>> short_region_name("新疆维吾尔自治区"), short_region_name("北京市"), short_region_name("全国")
    ('新疆', '北京', '全国')
    """
    return _PROVINCE_SUFFIX.sub("", name) if name in REGION_AREAS or name in _OTHER_PROVINCES else name
