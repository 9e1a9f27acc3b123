"""The terms of a directed licence offer as the offer services accept them: text limits, modes and
licence kind, GB/T 2260 target regions, trial terms (the policy's default length), the fee schedule
(the engine's FeeSchedule dict, refused field by field in Chinese) and the package of patents —
the publisher's own in-library patents, named by application number in any common spelling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from patentbridge.licensing.choices import LicenceKindChoices, ModeChoices, PriceMethodChoices
from patentbridge.licensing.services.deal_regions import parse_region_codes
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.fees import FeeSchedule, FeeScheduleError

__all__ = ["MAX_PATENTS", "clean_fee_schedule", "clean_offer_values", "offer_patents", "resolve_patents"]

TRIAL = ModeChoices.TRIAL_THEN_PAID.value
# Longest free trial one offer may grant: three years is already more than any seed mentions.
MAX_TRIAL_MONTHS = 36
MAX_EXTENSIONS = 5
MAX_PATENTS = 200
_TEXT_LIMITS = {"title": 200, "description": 5000, "territory": 60, "field_of_use": 200}


def clean_fee_schedule(raw: Any, *, field: str = "paid_terms") -> dict[str, Any]:
    """The canonical FeeSchedule dict of ``raw`` ({} stays {}); a malformed one is a
    ValidationError on ``field`` naming the JSON path and the engine's Chinese reason."""
    if raw in (None, "", {}):
        return {}
    if not isinstance(raw, Mapping):
        raise ValidationError({field: "付费条件格式不正确"})
    try:
        return FeeSchedule.from_dict(raw).to_dict()
    except FeeScheduleError as exc:
        raise ValidationError({field: f"{exc.field}：{exc.reason}"}) from None


def _text(values: Mapping[str, Any], name: str, errors: dict[str, str], *, required: bool = False) -> str:
    text = str(values.get(name) or "").strip()
    if required and not text:
        errors[name] = "必填"
    elif len(text) > _TEXT_LIMITS[name]:
        errors[name] = f"最多 {_TEXT_LIMITS[name]} 个字符"
    return text


def _small_int(raw: Any, name: str, low: int, high: int, errors: dict[str, str]) -> int | None:
    if raw in (None, ""):
        return None
    try:
        number = int(str(raw).strip()[:12])
    except ValueError:
        errors[name] = "应为整数"
        return None
    if not low <= number <= high:
        errors[name] = f"应在 {low}–{high} 之间"
        return None
    return number


def clean_offer_values(values: Mapping[str, Any], org: Any, *, on: dt.date) -> dict[str, Any]:
    """Validated model values from ``values`` for ``org``'s offer; ValidationError lists every
    problem by field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {
        name: _text(values, name, errors, required=name == "title") for name in _TEXT_LIMITS
    }
    out["territory"] = out["territory"] or "中国境内"
    modes = [str(m) for m in values.get("modes") or () if str(m)]
    if not modes or any(m not in ModeChoices.values for m in modes):
        errors["modes"] = "请至少选择一种许可方式"
    out["modes"] = list(dict.fromkeys(modes))
    kind = str(values.get("licence_kind") or LicenceKindChoices.ORDINARY)
    if kind not in LicenceKindChoices.values:
        errors["licence_kind"] = "许可类型无效"
    elif TRIAL in modes and kind != LicenceKindChoices.ORDINARY:
        errors["licence_kind"] = "限时免费试用只能是普通许可（规则 L10）；独占或排他许可请只选“付费许可”"
    out["licence_kind"] = kind
    regions, problems = parse_region_codes(values.get("target_regions") or [])
    if problems:
        errors["target_regions"] = "；".join(problems)
    out["target_regions"] = regions
    out["region_only"] = bool(values.get("region_only"))
    trial = TRIAL in modes
    months = _small_int(values.get("trial_months"), "trial_months", 1, MAX_TRIAL_MONTHS, errors)
    if trial and months is None and "trial_months" not in errors:
        months = int(policy.value("TRIAL_DEFAULT_MONTHS", as_of=on, region_code=org.region_code or ""))
    out["trial_months"] = months if trial else None
    out["trial_usage_report_required"] = bool(values.get("trial_usage_report_required", True))
    conversion = str(values.get("trial_conversion_mode") or "") or str(
        policy.value("TRIAL_CONVERSION_DEFAULT", as_of=on)
    )
    if conversion not in ("pre_agreed", "negotiate"):
        errors["trial_conversion_mode"] = "转化方式应为“按预先约定的付费条件”或“试用结束后协商”"
    out["trial_conversion_mode"] = conversion
    ext = _small_int(
        values.get("trial_extensions_allowed"), "trial_extensions_allowed", 0, MAX_EXTENSIONS, errors
    )
    out["trial_extensions_allowed"] = ext or 0
    out["max_trials_per_patent"] = _small_int(
        values.get("max_trials_per_patent"), "max_trials_per_patent", 1, 1000, errors
    )
    method = str(values.get("price_method") or "")
    if method not in PriceMethodChoices.values:
        errors["price_method"] = "定价方式无效"
    out["price_method"] = method
    try:
        out["paid_terms"] = clean_fee_schedule(values.get("paid_terms"))
    except ValidationError as exc:
        errors.update({k: "；".join(v) for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return out


def offer_patents(org: Any, patents: Iterable[Any]) -> list[Any]:
    """The chosen patents, each one of ``org``'s in-library patents (ValidationError otherwise)."""
    chosen = list(dict.fromkeys(patents))
    if not chosen:
        raise ValidationError({"patents": "请至少选择一件专利"})
    if len(chosen) > MAX_PATENTS:
        raise ValidationError({"patents": f"一个项目最多 {MAX_PATENTS} 件专利"})
    for patent in chosen:
        if patent.owner_org_id != org.pk:
            raise ValidationError(
                {"patents": f"专利 {patent.application_number} 不属于{org.name}，不能由其发布"}
            )
        if patent.library_status != LibraryStatusChoices.IN_LIBRARY:
            raise ValidationError({"patents": f"专利 {patent.application_number} 尚未入库，不能发布许可"})
    return chosen


def resolve_patents(org: Any, numbers: Iterable[str]) -> list[Any]:
    """``org``'s in-library patents named by application numbers in any common spelling
    (CN/ZL prefix, dots, full-width); ValidationError on ``patents`` naming each number that is
    malformed or not one of them (no hint whether it exists elsewhere)."""
    from patentbridge.patents.models import Patent
    from patentbridge_engine.errors import InvalidNumberError
    from patentbridge_engine.ids import parse_application_number

    wanted: list[str] = []
    problems: list[str] = []
    for raw in list(numbers)[: MAX_PATENTS + 1]:
        try:
            wanted.append(parse_application_number(str(raw)[:40]).canonical)
        except InvalidNumberError as exc:
            problems.append(str(exc))
    if len(wanted) > MAX_PATENTS:
        problems.append(f"一个项目最多 {MAX_PATENTS} 件专利")
    found = {
        p.application_number: p
        for p in Patent.objects.filter(
            owner_org=org, library_status=LibraryStatusChoices.IN_LIBRARY, application_number__in=wanted
        )
    }
    missing = [n for n in wanted if n not in found]
    if missing:
        problems.append(f"以下专利不是{org.name}的已入库专利：{'、'.join(missing[:10])}")
    if problems:
        raise ValidationError({"patents": "；".join(problems)})
    return [found[n] for n in dict.fromkeys(wanted)]
