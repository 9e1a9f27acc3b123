"""Template filters of the roadshow pages: amounts as ¥12,345.00 and region codes by name."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from patentbridge.licensing.services.money import cny
from patentbridge.roadshows.queries import region_name

__all__ = ["region", "register", "yuan"]

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    """``Decimal('200000')`` → ``¥200,000.00``; "—" for no amount."""
    if value is None or value == "":
        return "—"
    return cny(Decimal(str(value)))


@register.filter
def region(code: Any) -> str:
    """``370921`` → 泰安市宁阳县 (the code itself when the name is unknown)."""
    return region_name(str(code or "")) or str(code or "")
