"""What menus add to other pages (registered in ``MenusConfig.ready``): on the patent page, the
menus the patent is on and how far it got with enterprises — aggregate counts only, for its
owner's TTO, its inventor and operators (guide §5.d roles); on an organisation's page, the way to
its menus (publisher), its region's menus (officer) or its menu inbox (enterprise)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.core.panels import register_panel
from patentbridge.menus.choices import ItemStateChoices
from patentbridge.menus.funnel import funnel
from patentbridge.menus.models import MenuDelivery, MenuItem

__all__ = ["register"]


def _may_see_patent_reach(user: Any, patent: Any) -> bool:
    if policies.is_platform_wide(user):
        return True
    role, member = policies.role_of(user), policies.membership_of(user)
    if role == RoleChoices.TTO:
        return member is not None and patent.owner_org_id == member.org_id
    if role == RoleChoices.INVENTOR:
        return bool(patent.submitted_by_id == user.pk)
    return False


def _patent_menus(request: HttpRequest, patent: Any) -> dict[str, Any] | None:
    if not _may_see_patent_reach(request.user, patent):
        return None
    items = list(
        MenuItem.objects.filter(patent=patent, state=ItemStateChoices.INCLUDED).select_related(
            "menu__publisher_org", "chain"
        )
    )
    # Another publisher's draft stays private: its title and target are shown only once published.
    own_org = getattr(policies.membership_of(request.user), "org_id", None)
    if not policies.is_platform_wide(request.user):
        items = [i for i in items if i.menu.state != "draft" or i.menu.publisher_org_id == own_org]
    if not items:
        return None
    deliveries = MenuDelivery.objects.filter(item__in=items).select_related("item", "enterprise")
    return {"items": items, "reach": funnel(deliveries, "合计")}


def _org_menus(request: HttpRequest, org: Any) -> dict[str, Any] | None:
    member = policies.membership_of(request.user)
    if member is None or member.org_id != org.pk:
        return None
    role = policies.role_of(request.user)
    if role == RoleChoices.ENTERPRISE:
        count = MenuDelivery.objects.filter(enterprise=org, viewed_on__isnull=True).count()
        return {"kind": "inbox", "unseen": count}
    if policies.can(request.user, "menus.view"):
        return {"kind": "officer" if role == RoleChoices.GOV_OFFICER else "publisher"}
    return None


def register() -> None:
    register_panel("patent", "menus", "menus/_patent_panel.html", _patent_menus, order=70)
    register_panel("organization", "menus", "menus/_org_panel.html", _org_menus, order=60)
