"""Reading menus for pages, the API and exports: look-ups that 404 outside the user's scope, hostile
ids, region names and what a menu page shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from patentbridge.core.ids import MAX_PK, safe_pk
from patentbridge.core.restrict import restrict
from patentbridge.licensing.services.deal_regions import region_label
from patentbridge.menus.choices import ItemStateChoices
from patentbridge.menus.models import MenuDelivery, MenuItem, PatentMenu

__all__ = [
    "MAX_PK",
    "clean_ids",
    "deliveries_for",
    "get_delivery",
    "get_menu",
    "included_items",
    "menus_for",
    "region_name",
    "safe_pk",
]


def clean_ids(values: Iterable[Any]) -> list[int]:
    """The plausible ids of a posted list (others dropped; the service then sees what is left)."""
    out = []
    for value in list(values)[:2000]:
        pk = safe_pk(value)
        if pk is not None:
            out.append(pk)
    return list(dict.fromkeys(out))


def menus_for(user: Any, action: str = "view") -> QuerySet[PatentMenu]:
    """The menus ``user`` may ``action``, with their item and delivery counts."""
    return (
        restrict(PatentMenu.objects.select_related("publisher_org"), user, action)
        .annotate(
            item_count=Count("items", filter=Q(items__state=ItemStateChoices.INCLUDED), distinct=True),
            delivery_count=Count("deliveries", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def get_menu(user: Any, pk: Any, action: str = "view") -> PatentMenu:
    """One menu in the user's scope, else 404 (another county's menu does not exist for you)."""
    number = safe_pk(pk)
    if number is None:
        raise Http404("未找到")
    menu = (
        restrict(PatentMenu.objects.select_related("publisher_org"), user, action).filter(pk=number).first()
    )
    if menu is None:
        raise Http404("未找到")
    return menu


def get_delivery(user: Any, pk: Any, action: str = "view") -> MenuDelivery:
    number = safe_pk(pk)
    if number is None:
        raise Http404("未找到")
    found = restrict(MenuDelivery.objects.select_related("menu", "item__patent"), user, action).filter(
        pk=number
    )
    delivery = found.first()
    if delivery is None:
        raise Http404("未找到")
    return delivery


def included_items(menu: PatentMenu) -> list[MenuItem]:
    return list(
        menu.items.filter(state=ItemStateChoices.INCLUDED)
        .select_related("patent__owner_org", "chain", "team", "offer", "supplement")
        .order_by("chain__position", "rank", "pk")
    )


def deliveries_for(user: Any, menus: QuerySet[PatentMenu] | None = None) -> QuerySet[MenuDelivery]:
    """Deliveries the user may see (of ``menus`` when given), ready for the funnel."""
    qs = restrict(MenuDelivery.objects.all(), user, "view")
    if menus is not None:
        qs = qs.filter(menu__in=menus)
    return qs.select_related("menu", "enterprise", "item__chain", "item__patent__owner_org")


def region_name(code: str) -> str:
    """``371522`` → 聊城市莘县 (the licensing app keeps the site's region names)."""
    return region_label(code)
