"""Reading an open-licence declaration's free text (transactions-and-analytics.md §3.b items 2 and 6,
§3.d): wording that narrows the territory below the whole of China, that filters who may accept, that
leaves the fee to negotiation, or that advertises (细则 Art. 85 ¶3). Word lists are module constants so
reviewers can extend them; every scan folds width and drops whitespace first (「面 议」 = 「面议」)."""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "ADVERTISING_PATTERNS",
    "AMBIGUOUS_LIMIT_PATTERN",
    "CHINA_WIDE_WORDS",
    "FEE_NEGOTIATION_WORDS",
    "LICENSEE_FILTER_PATTERNS",
    "LICENSEE_FILTER_WORDS",
    "PROVINCE_NAMES",
    "TERRITORY_LIMIT_PATTERNS",
    "TERRITORY_LIMIT_WORDS",
    "advertising_words",
    "ambiguous_limits",
    "fold",
    "licensee_filters",
    "names_all_of_china",
    "negotiation_words",
    "territory_limits",
]

# A territory text must say the whole country: "中国境内任何单位或者个人" is the form's wording (S8).
CHINA_WIDE_WORDS = ("中华人民共和国", "中国", "全国", "我国", "境内")

# Province-level names, so "仅限山东" is caught without the word 省.
PROVINCE_NAMES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
)  # fmt: skip

# Words that by themselves confine the licence to one locality.
TERRITORY_LIMIT_WORDS = ("本省", "省内", "本市", "本县", "县内", "本区", "辖区", "本地区", "区域内", "园区内")

_SEP = r"[^,.;:。!?()]"  # stay inside one clause (after folding, full-width punctuation is ASCII)
_LIMITERS = r"(?:仅限|只限|仅在|只在|(?<!不)限于|限在|限定在?|局限于)"
_NOT_CHINA = r"(?!(?:于|在)*(?:" + "|".join(CHINA_WIDE_WORDS) + "))"
# A region word must end a place name: 市 followed by 场 is 市场, not a city.
_PLACE = (
    r"(?:[省市县区州盟旗镇](?=内|范围|境|辖|以内|$|[,.;、的和及企单地])|" + "|".join(PROVINCE_NAMES) + ")"
)

TERRITORY_LIMIT_PATTERNS = (
    re.compile(_LIMITERS + _NOT_CHINA + _SEP + r"{0,15}?" + _PLACE),
    # "在聊城市范围内": two or more characters of place name before the region word, so 在城市内 is not one.
    re.compile(r"[在于]" + _NOT_CHINA + _SEP + r"{2,10}?[省市县区](?:内|范围内|境内|辖区内|以内)"),
)

# Classes of licensee an open licence may not single out: terms are the same for all (S9 "一视同仁").
LICENSEE_FILTER_WORDS = (
    "中小企业", "小微企业", "规上企业", "规模以上企业", "高新技术企业", "专精特新", "国有企业", "国企",
    "民营企业", "外资企业", "本地企业", "当地企业", "省内企业", "市内企业", "会员单位", "会员企业",
    "指定企业", "合作企业", "定向许可", "优先许可",
)  # fmt: skip

_WHO_WORDS = "企业|单位|公司|机构|个人|高校|院所|用户|会员"
_WHO = "(?:" + _WHO_WORDS + ")"
LICENSEE_FILTER_PATTERNS = (
    re.compile(r"(?:仅|只)(?:对|向)" + _SEP + r"{0,15}?(?:" + _WHO_WORDS + r"|开放|许可)"),
    re.compile(r"(?:仅|只)(?:允许|许可给|授权给)"),
    # "不得许可给" names who is excluded; "不得许可给第三方/他人" is a sub-licence ban, not a filter.
    re.compile(r"不[得予能会]?(?:许可|授权)给(?!第三方|第三人|他人|任何第三|其他人)"),
    re.compile(r"(?:不|禁止)(?:向|对)" + _SEP + r"{0,12}?" + _WHO + r"(?:许可|授权|开放)"),
    re.compile(
        r"(?:仅限|只限|(?<!不)限于|须为|必须为|必须是|应为|应当为|须是)(?!(?:于|在)*(?:"
        + "|".join(CHINA_WIDE_WORDS)
        + r"|任何))"
        + _SEP
        + r"{0,15}?"
        + _WHO
    ),
    re.compile(r"注册(?:地|在)|营业执照所在地|纳税(?:地|在)"),
)

# "仅限…" that neither pattern explains is shown to a human rather than guessed at.
AMBIGUOUS_LIMIT_PATTERN = re.compile(r"(?:仅限|只限|(?<!不)限于)" + _NOT_CHINA + _SEP + r"{0,10}")

# Fee wording that leaves the amount to later bargaining (专利法 Arts. 50–51: payable from the published
# standard alone).
FEE_NEGOTIATION_WORDS = (
    "面议",
    "面谈",
    "议价",
    "另议",
    "协商",
    "商定",
    "另行约定",
    "待定",
    "视情况",
    "洽谈",
    "电话咨询",
)

# Commercial advertising wording (细则 Art. 85 ¶3); 第一 only when it is not an ordinal (第一年, 第一期 …).
ADVERTISING_PATTERNS = tuple(
    re.compile(p)
    for p in (
        "最佳", "最好", "最优", "最先进", "最强", "最高水平", "国际领先", "国内领先", "世界领先", "全球领先",
        "行业领先", "领先水平", "国际一流", "世界一流", "国际先进", "顶级", "顶尖", "颠覆性", "革命性",
        "唯一", "独一无二", "独家", "首创", "全球首", "国内首", "填补空白", "填补国内空白", "百分之百",
        "万能", "极致", "王牌", r"第一(?![年期次条款项个阶季笔批部位])",
    )
)  # fmt: skip


def fold(text: str) -> str:
    """Full-width to half-width (NFKC) and no whitespace, so spacing and width never hide a word."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def names_all_of_china(text: str) -> bool:
    """True when a territory text mentions the whole country (中国境内, 全国 …)."""
    folded = fold(text)
    return any(w in folded for w in CHINA_WIDE_WORDS)


def territory_limits(text: str) -> list[str]:
    """The phrases that confine the territory below all of China ("仅限山东省", "省内")."""
    folded = fold(text)
    found = [w for w in TERRITORY_LIMIT_WORDS if w in folded]
    found += [m.group(0) for p in TERRITORY_LIMIT_PATTERNS for m in p.finditer(folded)]
    return _unique(found)


def licensee_filters(text: str) -> list[str]:
    """The phrases that restrict who may accept the open licence ("中小企业", "仅对…企业", "不得许可给…")."""
    folded = fold(text)
    found = [w for w in LICENSEE_FILTER_WORDS if w in folded]
    found += [m.group(0) for p in LICENSEE_FILTER_PATTERNS for m in p.finditer(folded)]
    return _unique(found)


def ambiguous_limits(text: str) -> list[str]:
    """ "仅限…/限于…" phrases that are not toward the whole of China, for a human to judge."""
    return _unique([m.group(0) for m in AMBIGUOUS_LIMIT_PATTERN.finditer(fold(text))])


def negotiation_words(text: str) -> list[str]:
    """Fee wording that needs negotiation ("面议", "协商" …)."""
    folded = fold(text)
    return [w for w in FEE_NEGOTIATION_WORDS if w in folded]


def advertising_words(text: str) -> list[str]:
    """Advertising words found in the text ("国际领先", "第一" but not "第一年")."""
    folded = fold(text)
    return _unique([m.group(0) for p in ADVERTISING_PATTERNS for m in p.finditer(folded)])


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
