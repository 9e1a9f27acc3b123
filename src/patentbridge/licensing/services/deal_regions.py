"""GB/T 2260 region codes as the deal screens need them: validating an offer's target regions and
naming a licensee's county on the pipeline board.

The site has no region table yet (``Organization.region_code`` is a bare code), so this module
names provinces and Shandong's prefecture-level cities — the regions directed licences target
(guide §1.3) — and a few counties the demo uses; any other code is shown with its nearest named
parent and the code itself, never guessed."""

from __future__ import annotations

import re

from patentbridge.accounts.divisions import full_division_name
from patentbridge_engine.licensing.rules_common import region_prefix

__all__ = ["REGION_CODE", "parse_region_codes", "region_label", "region_prefix", "within"]

# A GB/T 2260 prefix: province (2 digits), city (4) or county (6).
REGION_CODE = re.compile(r"^\d{2}(\d{2}(\d{2})?)?$")
# Most codes one offer may target: a province has ~140 counties; more is a paste accident.
MAX_REGIONS = 50

_PROVINCES = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}
# Shandong's prefecture-level cities (3712 莱芜 merged into 济南 in 2019) and the provincial
# capitals of the demo universities.
_CITIES = {
    "3701": "济南市",
    "3702": "青岛市",
    "3703": "淄博市",
    "3704": "枣庄市",
    "3705": "东营市",
    "3706": "烟台市",
    "3707": "潍坊市",
    "3708": "济宁市",
    "3709": "泰安市",
    "3710": "威海市",
    "3711": "日照市",
    "3713": "临沂市",
    "3714": "德州市",
    "3715": "聊城市",
    "3716": "滨州市",
    "3717": "菏泽市",
    "4401": "广州市",
    "6101": "西安市",
    "3401": "合肥市",
    "4101": "郑州市",
}
# Counties the seeds and the demo name (莘县 is seed-000's county).
_COUNTIES = {
    "370102": "济南市历下区",
    "370212": "青岛市崂山区",
    "370902": "泰安市泰山区",
    "370911": "泰安市岱岳区",
    "371522": "聊城市莘县",
}


def region_label(code: str) -> str:
    """``370900`` → 泰安市, ``371522`` → 聊城市莘县, ``370999`` → 泰安市（370999）; "" → 未知地区."""
    full = (code or "").strip()
    if not full:
        return "未知地区"
    if full in _COUNTIES:
        return _COUNTIES[full]
    if len(full) == 6 and full.isdigit() and not full.endswith("00"):
        county = full_division_name(full)
        if county:
            return county
    prefix = region_prefix(full)
    if prefix in _CITIES:
        return _CITIES[prefix]
    if prefix in _PROVINCES:
        return _PROVINCES[prefix]
    for size in (4, 2):
        parent = prefix[:size]
        named = _CITIES.get(parent) or _PROVINCES.get(parent)
        if named:
            return f"{named}（{full}）"
    return f"地区 {full}"


def parse_region_codes(raw: str | list[str] | tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Target regions from a form's text (separated by commas, spaces or 、) or a JSON list:
    (prefixes, problems). ``370900`` is kept as ``3709`` so prefix matching works; duplicates go."""
    items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,，、;；]+", raw or "")
    codes: list[str] = []
    problems: list[str] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not REGION_CODE.match(text):
            problems.append(f"地区代码应为 2、4 或 6 位数字（GB/T 2260）：{text[:20]}")
            continue
        prefix = region_prefix(text)
        if prefix not in codes:
            codes.append(prefix)
    if len(codes) > MAX_REGIONS:
        problems.append(f"定向地区最多 {MAX_REGIONS} 个，收到 {len(codes)} 个")
    return codes, problems


def within(region_code: str, targets: list[str] | tuple[str, ...]) -> bool:
    """True when ``region_code`` lies in one of the target prefixes (no targets → everywhere)."""
    wanted = [region_prefix(t) for t in targets if str(t).strip()]
    if not wanted:
        return True
    own = region_prefix(region_code or "")
    return bool(own) and any(own.startswith(t) for t in wanted)
