"""Place names kept out of the vocabulary: topics led by 海南·全省·广东 restate the region a
document is already labelled with.

The segmenter drops the words of :func:`place_name_words` and the tokens
:func:`is_place_token` accepts (``[segment] drop_place_names``); region extraction
(:mod:`policytopics.text.places`) does not use them and is unaffected. Built from the
gazetteer's rows (:mod:`policytopics.text.gazetteer`), with the short forms that are
ordinary words (:data:`ORDINARY_PLACE_WORDS`, jieba's dictionary) kept in the vocabulary.
"""

from __future__ import annotations

import re
from functools import lru_cache

from policytopics.text.gazetteer import COUNTY_SUFFIXES, PREFECTURE_SUFFIXES, PROVINCE_SUFFIXES, adcode_rows

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
    for row in adcode_rows():
        code, name = row["adcode"][:6], row["name"]
        if name in _NOT_PLACES:
            continue
        if code[2:] == "0000":
            full.add(name)
            short.add(_short_form(name, PROVINCE_SUFFIXES))
            major |= {name, _short_form(name, PROVINCE_SUFFIXES)}
            continue
        county = code[4:] != "00"
        core = _short_form(name, COUNTY_SUFFIXES if county else PREFECTURE_SUFFIXES)
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
