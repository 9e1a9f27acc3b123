"""The ledger's section on the patent page (registered at start-up by ``wiring``): what burdens the
patent today and a link to its 权利负担台账, for the people who keep ledgers (the owner's TTO,
operators and admins)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core.panels import register_panel
from patentbridge.licensing.models import RightEvent
from patentbridge.licensing.services.ledger_display import burdens_on

__all__ = ["patent_ledger_panel", "register"]


def patent_ledger_panel(request: HttpRequest, patent: Any) -> dict[str, Any] | None:
    """Today's burdens and the event count; None for users who do not keep this patent's ledger."""
    user = request.user
    if not policies.can(user, "licensing.ledger"):
        return None
    if not policies.is_platform_wide(user):
        member = policies.membership_of(user)
        if member is None or member.org_id != patent.owner_org_id:
            return None
    today = timezone.localdate()
    _, burdens = burdens_on(patent, today)
    return {
        "patent": patent,
        "today": today,
        "burdens": burdens,
        "events": RightEvent.objects.filter(patent=patent).count(),
    }


def register() -> None:
    """Patent page: 权利负担 right after the deals panel."""
    register_panel(
        "patent", "licensing_ledger", "licensing/ledger/_patent_panel.html", patent_ledger_panel, order=31
    )
