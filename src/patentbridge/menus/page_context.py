"""What the menu pages show beyond the rows: running a service call with a message, the composer's
suggestions and coverage per chain, the officer's view and the funnel chart's bars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from patentbridge.accounts import policies
from patentbridge.core.actions import error_text
from patentbridge.core.restrict import restrict
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.menus.access import officer_may_act
from patentbridge.menus.candidates import availability, candidates_for
from patentbridge.menus.choices import ItemStateChoices, MenuStateChoices
from patentbridge.menus.coverage import DEFAULT_MIN_ITEMS, min_items
from patentbridge.menus.funnel import FunnelRow, funnel
from patentbridge.menus.models import MenuSelection, PatentMenu
from patentbridge.menus.queries import deliveries_for, included_items, region_name
from patentbridge.menus.services.release import officers_for

__all__ = ["chart_bars", "menu_page", "run"]

T = TypeVar("T")
# Suggestions shown per chain on the composer's page.
_SUGGESTIONS = 8


def run(
    request: HttpRequest, call: Callable[[], T], success: str | Callable[[T], str] = ""
) -> tuple[bool, T | None]:
    """A service call whose refusal (ValidationError, or a licensing rule) becomes an error message;
    services are atomic, so a refusal changed nothing. PermissionDenied goes to the 403 page."""
    try:
        result = call()
    except LicensingRefused as exc:
        messages.error(request, exc.display())
        return False, None
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False, None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return True, result


def chart_bars(row: FunnelRow, width: int = 520) -> list[dict[str, Any]]:
    """Bars of the funnel chart (inline SVG: no script, so the CSP needs nothing): each step's
    width is its share of the deliveries."""
    total = row.counts["delivered"] or 1
    bars = []
    for i, step in enumerate(row.steps()):
        w = round(width * step["count"] / total)
        bars.append(
            {
                **step,
                "y": 8 + i * 34,
                "w": max(w, 2 if step["count"] else 0),
                "x": 150 + (width - w) // 2,
                "text_x": 150 + width + 10,
            }
        )
    return bars


def _coverage(menu: PatentMenu, items: list[Any], on: dt.date) -> list[dict[str, Any]]:
    out = []
    for chain in menu.target_chains.order_by("position", "code"):
        mine = [i for i in items if i.chain_id == chain.pk]
        own = sum(1 for i in mine if not i.is_supplement)
        out.append(
            {
                "chain": chain,
                "own": own,
                "supplement": len(mine) - own,
                "short": max(0, menu.min_per_chain - len(mine)),
            }
        )
    return out


def menu_page(request: HttpRequest, menu: PatentMenu, on: dt.date) -> dict[str, Any]:
    """The context of a menu's page for the composer, the officer or a platform role."""
    user = request.user
    composer = (
        policies.can(user, "menus.compose")
        and restrict(PatentMenu.objects.filter(pk=menu.pk), user, "change").exists()
    )
    items = included_items(menu)
    selection = MenuSelection.objects.filter(menu=menu).select_related("selector_org", "selected_by").first()
    selected = set(selection.items.values_list("pk", flat=True)) if selection else set()
    _, from_policy = min_items(as_of=on, region_code=menu.target_region)
    context: dict[str, Any] = {
        "menu": menu,
        "items": items,
        "removed": menu.items.filter(state=ItemStateChoices.REMOVED).select_related("patent"),
        "supplements": menu.supplements.select_related("chain"),
        "selection": selection,
        "selected": selected,
        "pushes": menu.pushes.select_related("sent_by"),
        "region": region_name(menu.target_region),
        "composer": composer,
        "draft": menu.state == MenuStateChoices.DRAFT,
        "officer": policies.can(user, "menus.select") and officer_may_act(user, menu.target_region),
        "officers": [m.org.name for m in officers_for(menu)],
        "coverage": _coverage(menu, items, on),
        "min_from_policy": from_policy,
        "default_min": DEFAULT_MIN_ITEMS,
        "chains": list(menu.target_chains.order_by("position", "code")),
        # Items whose patent lapsed or got an exclusive licence since composing are flagged.
        "unavailable": availability([i.patent for i in items], on),
    }
    if composer and menu.state == MenuStateChoices.DRAFT:
        on_menu = set(menu.items.values_list("patent_id", flat=True))
        context["suggestions"] = [
            (chain, candidates_for(menu, as_of=on, chains=[chain], exclude=on_menu)[:_SUGGESTIONS])
            for chain in context["chains"]
        ]
    if menu.state != MenuStateChoices.DRAFT and policies.can(user, "menus.funnel"):
        row = funnel(deliveries_for(user, PatentMenu.objects.filter(pk=menu.pk)), menu.title)
        context["funnel"], context["bars"] = row, chart_bars(row)
    return context
