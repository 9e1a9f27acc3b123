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


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` or "" (a dict built by the view, read in a loop)."""
    if not isinstance(mapping, dict):
        return ""
    return mapping.get(key, "")
