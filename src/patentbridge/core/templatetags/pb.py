"""Template helpers: dict lookup, facet toggling, status colours."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from django import template

register = template.Library()

_STATUS_CLASS = {"granted": "ok", "published": "warn", "substantive_exam": "warn", "filed": "warn"}


@register.filter
def get(mapping: Any, key: str) -> Any:
    """``{{ dict|get:key }}``."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def status_class(status: str) -> str:
    """Colour class of a legal status tag."""
    return _STATUS_CLASS.get(status, "bad")


@register.simple_tag
def toggle_query(querystring: str, name: str, value: str) -> str:
    """The query string with facet ``name`` set to ``value``, or removed when it already is."""
    params = [(k, v) for k, v in parse_qsl(querystring) if k not in (name, "page")]
    current = dict(parse_qsl(querystring)).get(name)
    if current != value:
        params.append((name, value))
    return urlencode(params)
