"""Panels: detail pages (patent, need, organisation) render sections that other apps register, so
the page's own app never imports them (architecture.md §3 rule 6).

An app registers in ``AppConfig.ready()``::

    register_panel("patent", "grade", "grading/_patent_panel.html", grade_panel, order=20)

``context(request, obj)`` returns the template context of the panel, or None to leave it out for
this user and object (for instance a role that may not see it). ``slot`` lets a page place groups of
panels at different spots ("lead" right under the header, "main" further down).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

__all__ = ["PAGES", "Panel", "panels_for", "register_panel", "render_panels"]

PAGES = ("patent", "need", "organization", "contract")
PanelContext = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    """One section another app contributes to a detail page."""

    key: str
    template: str
    context: PanelContext
    order: int = 50
    slot: str = "main"


_registry: dict[str, dict[str, Panel]] = {page: {} for page in PAGES}


def register_panel(
    page: str, key: str, template: str, context: PanelContext, *, order: int = 50, slot: str = "main"
) -> None:
    """Add (or replace, by key) a panel on ``page``."""
    if page not in _registry:
        raise KeyError(f"unknown page {page!r}")
    _registry[page][key] = Panel(key, template, context, order, slot)


def panels_for(page: str, slot: str = "main") -> list[Panel]:
    """The panels of a page's slot in display order."""
    return sorted((p for p in _registry[page].values() if p.slot == slot), key=lambda p: (p.order, p.key))


def render_panels(page: str, request: HttpRequest, obj: Any, slot: str = "main") -> SafeString:
    """The HTML of every panel of ``page``/``slot`` that has something to show for this request."""
    parts = []
    for panel in panels_for(page, slot):
        context = panel.context(request, obj)
        if context is not None:
            parts.append(render_to_string(panel.template, context, request=request))
    # Safe: each part is the output of a Django template with autoescaping.
    return mark_safe("".join(parts))
