"""What the library adds to other pages: an organisation's patents (registered in ``ready()``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from patentbridge.core.panels import register_panel
from patentbridge.core.restrict import restrict
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge.patents.models import Patent

__all__ = ["register"]


def _portfolio(request: HttpRequest, org: Any) -> dict[str, Any] | None:
    """The organisation's patents the viewer may see: counts by library status and the latest ten."""
    visible = restrict(Patent.objects.filter(owner_org=org), request.user)
    counts = dict(visible.order_by().values_list("library_status").annotate(n=Count("pk")))
    labels = dict(LibraryStatusChoices.choices)
    return {
        "total": sum(counts.values()),
        "by_status": [(labels.get(k, k), n) for k, n in sorted(counts.items())],
        "recent": list(visible.order_by("-filing_date", "application_number")[:10]),
    }


def register() -> None:
    register_panel("organization", "portfolio", "patents/_org_portfolio.html", _portfolio, order=10)
