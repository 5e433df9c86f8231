"""Regions as the study groups them: a province however a table writes it, its short form,
and the National Bureau of Statistics' four economic areas.

A region column or ``metadata.csv`` may write one province many ways (``浙江``, ``Zhejiang``,
``廣東省``): :func:`canonical_region` makes each the full simplified name extraction gives.
Weights, effects and figures order and colour regions by area (:func:`region_area`,
:func:`region_sort_key`, :data:`AREA_ORDER`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from policytopics.text.gazetteer import PROVINCE_SUFFIX

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
    for form in (name, PROVINCE_SUFFIX.sub("", name))
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
        forms[name] = forms[PROVINCE_SUFFIX.sub("", name)] = name
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
    short = PROVINCE_SUFFIX.sub("", compact)
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
    return PROVINCE_SUFFIX.sub("", name) if name in REGION_AREAS or name in _OTHER_PROVINCES else name
