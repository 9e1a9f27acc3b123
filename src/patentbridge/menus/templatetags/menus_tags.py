"""Template filters of the menu pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(rate: Any) -> str:
    """0.125 → 12.5%; None (no deliveries) → —."""
    if rate is None or rate == "":
        return "—"
    value = round(float(rate) * 100, 1)
    return f"{value:g}%"
