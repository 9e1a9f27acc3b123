"""Template helpers: dict lookup, facet toggling, status colours."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from django import template

from patentbridge.core import labels
from patentbridge.core.panels import render_panels

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


@register.filter
def highlight(text: str, terms: Any) -> Any:
    """``text`` escaped, with each matched term wrapped in <mark> (longest terms first)."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    words = sorted({str(t) for t in terms or () if t}, key=len, reverse=True)
    if not words:
        return escape(text or "")
    import re

    pattern = re.compile("|".join(re.escape(w) for w in words))
    out: list[str] = []
    last = 0
    for found in pattern.finditer(text or ""):
        out.append(escape(text[last : found.start()]))
        out.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    out.append(escape((text or "")[last:]))
    # Safe: every piece above went through escape().
    return mark_safe("".join(out))


@register.filter
def action_label(action: str) -> str:
    """``{{ event.action|action_label }}``: the Chinese name of an audit action."""

    return labels.action_label(action)


@register.filter
def field_label(field: str) -> str:
    """``{{ name|field_label }}``: the Chinese name of a record field."""

    return labels.field_label(field)


@register.filter
def value_label(value: Any, field: str) -> Any:
    """``{{ value|value_label:field }}``: a stored choice value as its Chinese label."""

    return labels.value_label(field, value)


@register.simple_tag(takes_context=True)
def panels(context: Any, page: str, obj: Any, slot: str = "main") -> Any:
    """``{% panels "patent" patent %}``: the sections other apps registered for this page."""

    return render_panels(page, context["request"], obj, slot)
