"""Applicant names: normalisation, kind (university/institute/enterprise/individual) and region.

Kind is decided from the name alone because that is all most exports carry; a corporate
research entity ("…研究院有限公司") is an enterprise, a hospital counts as an institute.
Region comes from the 国省代码 column (``山东(37)``), then the address, then the name. The city is
the first known city the address's start names, and only when it lies in the province reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from patentbridge_engine.text.width import to_halfwidth

__all__ = ["PROVINCES", "OrgKind", "applicant_kind", "normalize_org_name", "region_of"]

PROVINCES = (
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "台湾",
    "香港",
    "澳门",
)
# Prefecture-level cities that start many applicant names and addresses, mapped to their province.
_CITIES = {
    "济南": "山东",
    "青岛": "山东",
    "淄博": "山东",
    "枣庄": "山东",
    "东营": "山东",
    "烟台": "山东",
    "潍坊": "山东",
    "济宁": "山东",
    "泰安": "山东",
    "威海": "山东",
    "日照": "山东",
    "临沂": "山东",
    "德州": "山东",
    "聊城": "山东",
    "滨州": "山东",
    "菏泽": "山东",
    "广州": "广东",
    "深圳": "广东",
    "珠海": "广东",
    "佛山": "广东",
    "东莞": "广东",
    "杭州": "浙江",
    "宁波": "浙江",
    "南京": "江苏",
    "苏州": "江苏",
    "无锡": "江苏",
    "常州": "江苏",
    "合肥": "安徽",
    "武汉": "湖北",
    "长沙": "湖南",
    "郑州": "河南",
    "西安": "陕西",
    "成都": "四川",
    "沈阳": "辽宁",
    "大连": "辽宁",
    "哈尔滨": "黑龙江",
    "长春": "吉林",
    "石家庄": "河北",
    "太原": "山西",
    "福州": "福建",
    "厦门": "福建",
    "南昌": "江西",
    "昆明": "云南",
    "贵阳": "贵州",
    "兰州": "甘肃",
    "南宁": "广西",
    "海口": "海南",
}
_CODE = re.compile(r"^\s*([\u4e00-\u9fff]{2,3})\s*[(（]\s*(\d{2})\s*[)）]")


class OrgKind:
    """Applicant kinds (string constants shared with the web layer's choices)."""

    UNIVERSITY = "university"
    INSTITUTE = "institute"
    ENTERPRISE = "enterprise"
    INDIVIDUAL = "individual"
    UNKNOWN = "unknown"


@lru_cache(maxsize=65_536)
def normalize_org_name(name: str) -> str:
    """Fold width and brackets so ``中国科学院理化技术研究所`` variants compare equal."""
    text = to_halfwidth(name or "").strip()
    text = text.replace("(", "（").replace(")", "）")
    return re.sub(r"\s+", "", text)


def applicant_kind(name: str) -> str:
    """Classify an applicant by its name; see module docstring for the rules' order."""
    n = normalize_org_name(name)
    if not n:
        return OrgKind.UNKNOWN
    if any(w in n for w in ("有限公司", "有限责任公司", "股份", "集团", "公司", "厂", "企业")):
        return OrgKind.ENTERPRISE
    if "大学" in n:
        return OrgKind.UNIVERSITY
    # Before 学院: "中国科学院…研究所" contains 学院 but is an institute.
    if any(w in n for w in ("研究院", "研究所", "科学院", "研究中心", "实验室", "医院", "中心")):
        return OrgKind.INSTITUTE
    if any(w in n for w in ("学院", "学校", "高等专科")):
        return OrgKind.UNIVERSITY
    if re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", n):
        return OrgKind.INDIVIDUAL
    return OrgKind.UNKNOWN


@dataclass(frozen=True, slots=True)
class Region:
    """Province (short name, e.g. 山东) and city when known, with where it came from."""

    province: str
    city: str
    source: str


def _first_city(text: str) -> str:
    """The known city ``text`` names first (by position: 青岛市市北区济南路 is in 青岛), or ""."""
    found = [(pos, -len(c), c) for c in _CITIES if (pos := text.find(c)) >= 0]
    return min(found)[2] if found else ""


@lru_cache(maxsize=65_536)
def region_of(region_code: str = "", address: str = "", names: tuple[str, ...] = ()) -> Region | None:
    """Best region for a patent's first applicant; None when nothing points anywhere."""
    match = _CODE.match(region_code or "")
    text = re.sub(r"^\d{6}", "", normalize_org_name(address))
    city = _first_city(text[:12])
    if match and match.group(1) in PROVINCES:
        # The contact address may be an agency's in another province: its city is not the applicant's.
        province = match.group(1)
        return Region(province, city if _CITIES.get(city) == province else "", "国省代码")
    for province in PROVINCES:
        if text.startswith(province):
            return Region(province, city if _CITIES.get(city) == province else "", "地址")
    if city:
        return Region(_CITIES[city], city, "地址")
    for name in names:
        n = normalize_org_name(name)
        for province in PROVINCES:
            if n.startswith(province) or n.startswith("中国" + province):
                return Region(province, "", "申请人名称")
        for candidate, province in _CITIES.items():
            if n.startswith(candidate):
                return Region(province, candidate, "申请人名称")
    return None
