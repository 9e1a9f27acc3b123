"""What the deal screens add to other apps' pages (registered at start-up by ``wiring``): on the
patent page the offers and licences of that patent the viewer may see, with 申请试用 for an
enterprise; on an organisation's page its offers and licences (granted or taken)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from patentbridge.accounts import policies
from patentbridge.core.panels import register_panel
from patentbridge.core.restrict import restrict
from patentbridge.licensing.choices import ModeChoices, OfferStateChoices
from patentbridge.licensing.models import LicenceContract, LicenceOffer

__all__ = ["register"]

_SHOWN = 10


def _patent_deals(request: HttpRequest, patent: Any) -> dict[str, Any] | None:
    """Offers and licences of ``patent`` the viewer may see; None when there is nothing to show
    and the viewer cannot publish one (a TTO of the owner may start an offer from here)."""
    user = request.user
    if not policies.can(user, "licensing.view"):
        return None
    offers = list(
        restrict(LicenceOffer.objects.filter(patents=patent), user)
        .select_related("publisher_org")
        .order_by("-created_at")[:_SHOWN]
    )
    licences = list(
        restrict(LicenceContract.objects.filter(patents=patent), user)
        .select_related("licensee_org")
        .order_by("-created_at")[:_SHOWN]
    )
    member = policies.membership_of(user)
    may_offer = policies.can(user, "licensing.offer") and (
        policies.is_platform_wide(user) or (member is not None and member.org_id == patent.owner_org_id)
    )
    may_offer = may_offer and patent.library_status == "in_library"
    if not (offers or licences or may_offer):
        return None
    enterprise = policies.can(user, "licensing.apply")
    trial_offer = next(
        (
            o
            for o in offers
            if o.state == OfferStateChoices.PUBLISHED and ModeChoices.TRIAL_THEN_PAID in o.modes
        ),
        None,
    )
    return {
        "patent": patent,
        "offers": offers,
        "licences": licences,
        "may_offer": may_offer,
        "trial_offer": trial_offer if enterprise else None,
    }


def _organization_deals(request: HttpRequest, org: Any) -> dict[str, Any] | None:
    """The organisation's published (or, for its own staff and operators, all) offers and the
    licences it granted or holds that the viewer may see."""
    user = request.user
    if not policies.can(user, "licensing.view"):
        return None
    offers = restrict(LicenceOffer.objects.filter(publisher_org=org), user).order_by("-created_at")
    granted = restrict(LicenceContract.objects.filter(licensor_org=org), user).select_related("licensee_org")
    taken = restrict(LicenceContract.objects.filter(licensee_org=org), user).select_related("licensor_org")
    counts = (offers.count(), granted.count(), taken.count())
    if not any(counts):
        return None
    return {
        "org": org,
        "offers": list(offers[:_SHOWN]),
        "granted": list(granted.order_by("-created_at")[:_SHOWN]),
        "taken": list(taken.order_by("-created_at")[:_SHOWN]),
        "counts": counts,
    }


def register() -> None:
    """Patent page: 许可与试用 after the grade card. Organisation page: 许可交易."""
    register_panel("patent", "licensing_deals", "licensing/deals/_patent_panel.html", _patent_deals, order=30)
    register_panel(
        "organization", "licensing_deals", "licensing/deals/_org_panel.html", _organization_deals, order=40
    )
