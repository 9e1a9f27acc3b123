"""Who sees and acts on which menu rows (the ``core.restrict`` rules of this app).

- operators and admins: everything;
- a TTO: the menus its organisation publishes (view and change);
- a gov_officer: published or closed menus whose target region lies inside its organisation's
  region prefix (county 371522 ⊂ city 3715 ⊂ province 37) — view and select, nothing else; an
  officer whose organisation has no region sees nothing;
- an enterprise: the menus and items delivered to it, and its own deliveries;
- inventors, viewers, anonymous users: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.accounts.regions import officer_prefix, region_prefix
from patentbridge.core.restrict import register_rule
from patentbridge.menus.choices import ItemStateChoices, MenuStateChoices

__all__ = [
    "delivery_rule",
    "item_rule",
    "menu_q",
    "menu_rule",
    "officer_may_act",
    "register_rules",
]

_NOTHING = Q(pk__in=[])
_RELEASED = (MenuStateChoices.PUBLISHED, MenuStateChoices.CLOSED)


def _org_id(user: Any) -> int | None:
    member = policies.membership_of(user)
    return None if member is None else int(member.org_id)


def menu_q(user: Any, action: str = "view", path: str = "") -> Q | None:
    """The filter on menus (reached through ``path``, e.g. ``menu__``) that ``user`` may
    ``action``; None means every menu (platform roles). Enterprises are handled by each rule."""
    if policies.is_platform_wide(user):
        return None
    role = policies.role_of(user)
    org_id = _org_id(user)
    if org_id is None:
        return _NOTHING
    if role == RoleChoices.TTO and action in ("view", "change"):
        return Q(**{f"{path}publisher_org_id": org_id})
    if role == RoleChoices.GOV_OFFICER and action in ("view", "select"):
        prefix = officer_prefix(user) or ""
        if not prefix:
            return _NOTHING
        return Q(**{f"{path}state__in": _RELEASED, f"{path}target_region__startswith": prefix})
    return _NOTHING


def _apply(queryset: QuerySet[Any], q: Q | None) -> QuerySet[Any]:
    return queryset if q is None else queryset.filter(q)


def menu_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    if policies.role_of(user) == RoleChoices.ENTERPRISE:
        org_id = _org_id(user)
        if action != "view" or org_id is None:
            return queryset.none()
        return queryset.filter(deliveries__enterprise_id=org_id).distinct()
    return _apply(queryset, menu_q(user, action))


def item_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """Items follow their menu; officers and enterprises see included items only, and an
    enterprise only those delivered to it."""
    role = policies.role_of(user)
    if role == RoleChoices.ENTERPRISE:
        org_id = _org_id(user)
        if action != "view" or org_id is None:
            return queryset.none()
        return queryset.filter(deliveries__enterprise_id=org_id).distinct()
    scoped = _apply(queryset, menu_q(user, action, "menu__"))
    if role == RoleChoices.GOV_OFFICER:
        scoped = scoped.filter(state=ItemStateChoices.INCLUDED)
    return scoped


def delivery_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """The enterprise's own deliveries (view, respond); the publisher's and the region's officer's
    view of the menus they may see."""
    if policies.role_of(user) == RoleChoices.ENTERPRISE:
        org_id = _org_id(user)
        if org_id is None or action not in ("view", "respond"):
            return queryset.none()
        return queryset.filter(enterprise_id=org_id)
    if action != "view":
        return _apply(queryset, menu_q(user, "change", "menu__"))
    return _apply(queryset, menu_q(user, "view", "menu__"))


def _menu_child_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """Supplements, selections and pushes: whoever may see the menu (enterprises never)."""
    if policies.role_of(user) == RoleChoices.ENTERPRISE:
        return queryset.none()
    return _apply(queryset, menu_q(user, action, "menu__"))


def officer_may_act(user: Any, target_region: str) -> bool:
    """A gov_officer acts on a region only inside its own prefix."""
    prefix = officer_prefix(user)
    target = region_prefix(target_region)
    return bool(prefix) and bool(target) and target.startswith(prefix or "")


def register_rules() -> None:
    from patentbridge.menus import models

    register_rule(models.PatentMenu, menu_rule)
    register_rule(models.MenuItem, item_rule)
    register_rule(models.MenuDelivery, delivery_rule)
    register_rule(models.SupplementRequest, _menu_child_rule)
    register_rule(models.MenuSelection, _menu_child_rule)
    register_rule(models.MenuPush, _menu_child_rule)
