"""What every pool service checks: the actor's right over the pool, ids and text limits."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from patentbridge.accounts import policies
from patentbridge.core.restrict import restrict
from patentbridge.pools.access import is_agency_staff
from patentbridge.pools.models import Pool

__all__ = [
    "MAX_PK",
    "clean_decimal",
    "clean_list",
    "clean_text",
    "get_visible",
    "locked_pool",
    "org_of",
    "require_agency",
]

# Primary keys beyond this are probes (a 40-digit id overflows the database integer).
MAX_PK = 2**62


def org_of(user: Any) -> Any:
    member = policies.membership_of(user)
    return None if member is None else member.org


def require_agency(actor: Any, pool: Pool) -> None:
    """The pool's managing agency staff or a platform role, holding ``pools.manage``."""
    policies.require(actor, "pools.manage")
    if not is_agency_staff(actor, pool):
        raise PermissionDenied("只有专利池的运营管理机构可以办理此项操作")


def locked_pool(pool: Pool) -> Pool:
    """The pool row locked for the rest of the transaction (reviews never interleave)."""
    return Pool.objects.select_for_update().get(pk=pool.pk)


def get_visible(queryset: QuerySet[Any], user: Any, pk: object, action: str = "view") -> Any:
    """The row ``pk`` of ``queryset`` if ``user`` may ``action`` it; a Chinese 404 otherwise (a
    malformed or out-of-range id included), so another organisation's rows are not revealed."""
    try:
        key = int(str(pk)[:25])
    except (TypeError, ValueError):
        raise Http404("未找到该记录") from None
    if not 0 < key < MAX_PK:
        raise Http404("未找到该记录")
    row: Model | None = restrict(queryset, user, action).filter(pk=key).first()
    if row is None:
        raise Http404("未找到该记录，或无权查看")
    return row


def clean_text(value: Any, name: str, limit: int, *, required: bool = False, label: str = "") -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({name: f"请填写{label or '该项'}"})
    if len(text) > limit:
        raise ValidationError({name: f"{label or '该项'}最多 {limit} 个字符"})
    return text


def clean_list(value: Any, name: str, *, limit: int = 30, item_limit: int = 40, label: str = "") -> list[str]:
    """A list of short strings from a list or a text separated by commas, 、 or new lines."""
    if isinstance(value, str):
        for sep in ("，", "、", "\n", ";", "；"):
            value = value.replace(sep, ",")
        value = value.split(",")
    if not isinstance(value, list | tuple):
        raise ValidationError({name: f"{label or '该项'}格式不正确"})
    items = [str(v).strip() for v in value if str(v).strip()]
    if len(items) > limit or any(len(i) > item_limit for i in items):
        raise ValidationError({name: f"{label or '该项'}最多 {limit} 项，每项不超过 {item_limit} 个字符"})
    return list(dict.fromkeys(items))


def clean_decimal(value: Any, name: str, *, low: Decimal, high: Decimal, label: str) -> Decimal:
    """A decimal in [low, high) given as a number or a string like ``"0.05"`` or ``"5%"``."""
    text = str(value if value is not None else "").strip()
    percent = text.endswith("%")
    try:
        number = Decimal(text.rstrip("%").strip()[:20] or "0")
    except InvalidOperation:
        raise ValidationError({name: f"{label}须为数字"}) from None
    if not number.is_finite():
        raise ValidationError({name: f"{label}须为数字"})
    if percent:
        number = number / 100
    if not low <= number < high:
        raise ValidationError({name: f"{label}须不小于 {low} 且小于 {high}"})
    return number
