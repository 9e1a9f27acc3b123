"""Reading and validating what a contract is created with: kinds, dates, co-licensors and the fee
schedule. Hostile input (unknown codes, huge strings, negative months, a malformed schedule) is
refused with a Chinese ``ValidationError`` before anything is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from patentbridge.licensing.choices import LicenceKindChoices, OriginChoices, PriceMethodChoices
from patentbridge_engine.licensing.fees import FeeSchedule, FeeScheduleError

__all__ = [
    "CONVERSION_MODES",
    "MAX_EXTENSIONS",
    "MAX_TRIAL_MONTHS",
    "clean_licensors",
    "clean_schedule",
    "validate_terms",
]

CONVERSION_MODES = ("", "pre_agreed", "negotiate")
MAX_TRIAL_MONTHS = 60
MAX_EXTENSIONS = 12


def clean_schedule(data: Any) -> dict[str, Any]:
    """The canonical stored form of a posted fee schedule ({} when none is given)."""
    if data is None or data == {}:
        return {}
    if not isinstance(data, dict):
        raise ValidationError("许可使用费条款格式不正确")
    try:
        return FeeSchedule.from_dict(data).to_dict()
    except FeeScheduleError as exc:
        raise ValidationError(f"许可使用费条款有误：{exc}") from exc


def clean_licensors(licensors: Sequence[Any] | None, licensor_org: Any) -> list[dict[str, str]]:
    """The granting patentees with their fee shares (专利法 Art. 14). None = the licensor
    organisation alone with the whole fee. Each entry: {"name", "share"?, "uscc"?}; shares are
    fractions that must not add up to more than 1."""
    if licensors is None:
        return [{"name": licensor_org.name, "share": "1", "uscc": licensor_org.uscc}]
    if not isinstance(licensors, list | tuple) or not licensors or len(licensors) > 20:
        raise ValidationError("许可人名单须为 1 至 20 个专利权人")
    out: list[dict[str, str]] = []
    total = Decimal("0")
    for i, entry in enumerate(licensors, start=1):
        if not isinstance(entry, dict):
            raise ValidationError(f"第 {i} 个许可人格式不正确")
        name = str(entry.get("name", "")).strip()
        if not name or len(name) > 200:
            raise ValidationError(f"第 {i} 个许可人须填写名称（不超过 200 个字符）")
        item = {"name": name, "uscc": str(entry.get("uscc", "")).strip()[:18]}
        if entry.get("share") not in (None, ""):
            try:
                share = Decimal(str(entry["share"]))
            except InvalidOperation as exc:
                raise ValidationError(f"许可人 {name} 的分成比例不是数字") from exc
            if not share.is_finite() or share < 0 or share > 1:
                raise ValidationError(f"许可人 {name} 的分成比例须在 0 到 1 之间")
            total += share
            item["share"] = str(share)
        out.append(item)
    if total > 1:
        raise ValidationError(f"许可人分成比例合计 {total} 超过 1")
    if len({o["name"] for o in out}) != len(out):
        raise ValidationError("许可人名单中有重复的名称")
    return out


def validate_terms(
    *,
    licensor_org: Any,
    licensee_org: Any,
    patents: Sequence[Any],
    kind: str,
    origin: str,
    start: dt.date,
    end: dt.date,
    trial_months: int | None,
    price_method: str,
    territory: str,
    field_of_use: str,
    conversion_mode: str,
    extensions_allowed: int,
) -> None:
    """Refuse malformed terms with a Chinese reason (the legal rules come later, in the checks)."""
    if licensor_org is None or licensee_org is None:
        raise ValidationError("须指定许可方和被许可方")
    if licensor_org.pk == licensee_org.pk:
        raise ValidationError("许可方和被许可方不能是同一机构")
    if not patents:
        raise ValidationError("许可合同须至少包含一件专利")
    if len(patents) > 500:
        raise ValidationError("一份许可合同最多包含 500 件专利")
    if kind not in LicenceKindChoices.values:
        raise ValidationError(f"未知的许可类型：{str(kind)[:40]}")
    if origin not in OriginChoices.values:
        raise ValidationError(f"未知的合同来源：{str(origin)[:40]}")
    if price_method not in PriceMethodChoices.values:
        raise ValidationError(f"未知的定价方式：{str(price_method)[:40]}")
    if conversion_mode not in CONVERSION_MODES:
        raise ValidationError(f"未知的试用后转化方式：{str(conversion_mode)[:40]}")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise ValidationError("许可开始日和结束日须为日期")
    if end < start:
        raise ValidationError(f"许可结束日 {end} 早于开始日 {start}")
    if trial_months is not None and not (
        isinstance(trial_months, int) and 1 <= trial_months <= MAX_TRIAL_MONTHS
    ):
        raise ValidationError(f"免费试用期须为 1 至 {MAX_TRIAL_MONTHS} 个月")
    if not (isinstance(extensions_allowed, int) and 0 <= extensions_allowed <= MAX_EXTENSIONS):
        raise ValidationError(f"可延长试用次数须为 0 至 {MAX_EXTENSIONS} 次")
    if len(territory) > 60 or len(field_of_use) > 200:
        raise ValidationError("地域范围不超过 60 个字符，实施领域不超过 200 个字符")
