"""What every roadshow service checks: the organiser's right over the event, the event's status,
text and amount limits."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.accounts import policies
from patentbridge.core.restrict import restrict
from patentbridge.roadshows.models import RoadshowEvent

__all__ = [
    "MAX_AMOUNT",
    "clean_amount",
    "clean_month",
    "clean_text",
    "locked_event",
    "org_of",
    "require_organiser",
    "require_status",
]

# 意向金额 and asking prices above a trillion yuan are typing mistakes (the field holds 14 digits).
MAX_AMOUNT = Decimal("999999999999.99")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def org_of(user: Any) -> Any:
    member = policies.membership_of(user)
    return None if member is None else member.org


def locked_event(event: RoadshowEvent) -> RoadshowEvent:
    """The event row locked for the rest of the transaction (two organisers never interleave)."""
    return RoadshowEvent.objects.select_for_update().select_related("chain", "organiser_org").get(pk=event.pk)


def require_organiser(actor: Any, event: RoadshowEvent) -> None:
    """The organiser's TTO or a platform role."""
    policies.require(actor, "roadshows.organise")
    if not restrict(RoadshowEvent.objects.filter(pk=event.pk), actor, "change").exists():
        raise PermissionDenied("只能处理本单位主办的路演")


def require_status(event: RoadshowEvent, *statuses: str, doing: str) -> None:
    if event.status not in statuses:
        raise ValidationError({"status": f"路演当前为「{event.get_status_display()}」，不能{doing}"})


def clean_text(value: Any, name: str, limit: int, *, required: bool = False, label: str = "") -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({name: f"请填写{label or '该项'}"})
    if len(text) > limit:
        raise ValidationError({name: f"{label or '该项'}最多 {limit} 个字符"})
    return text


def clean_amount(value: Any, name: str, label: str, *, required: bool = True) -> Decimal | None:
    """A yuan amount with at most two decimals, 0 ≤ amount ≤ MAX_AMOUNT (commas allowed)."""
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")[:30]
    if not text:
        if required:
            raise ValidationError({name: f"请填写{label}"})
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError({name: f"{label}应为金额（元），如 200000 或 150000.50"}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError({name: f"{label}应在 0 至 {MAX_AMOUNT:,.2f} 元之间"})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({name: f"{label}最多保留两位小数"})
    return amount.quantize(Decimal("0.01"))


def clean_month(value: Any) -> tuple[str, dt.date, dt.date]:
    """``YYYY-MM`` → (month, first day, last day)."""
    match = _MONTH.match(str(value or "").strip()[:10])
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise ValidationError({"month": "月份应写作 YYYY-MM，如 2026-11"})
    year, month = int(match.group(1)), int(match.group(2))
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return f"{year:04d}-{month:02d}", first, nxt - dt.timedelta(days=1)
