"""What needs add to other pages: an organisation's technology needs (registered in ``ready()``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from patentbridge.core.panels import register_panel
from patentbridge.core.restrict import restrict
from patentbridge.demands.models import TechNeed

__all__ = ["register"]

_SHOWN = 10


def _needs(request: HttpRequest, org: Any) -> dict[str, Any] | None:
    """The organisation's needs the viewer may see, newest first; nothing when there are none."""
    visible = restrict(TechNeed.objects.filter(org=org), request.user).order_by("-created_at", "-id")
    total = visible.count()
    if not total:
        return None
    return {"needs": list(visible[:_SHOWN]), "more": max(0, total - _SHOWN)}


def register() -> None:
    register_panel("organization", "needs", "demands/_org_needs.html", _needs, order=20)
