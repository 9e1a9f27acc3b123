"""Template filters of the pool pages: money as people read it."""

from __future__ import annotations

from decimal import Decimal

from django import template

from patentbridge_engine.licensing.money import format_cny

register = template.Library()


@register.filter
def cny(amount: Decimal | None) -> str:
    """``¥300,000.00``; "—" for no amount."""
    return "—" if amount is None else format_cny(Decimal(amount))


@register.filter
def percent(rate: Decimal | None) -> str:
    """``0.1000`` → ``10%``, ``0.0825`` → ``8.25%`` (two decimals at most)."""
    if rate is None:
        return "—"
    value = (Decimal(rate) * 100).quantize(Decimal("0.01")).normalize()
    return f"{value:f}%"
