"""What the calendar and an event page show to each role: the organiser's forms, the officer's
invitation list, the enterprise's registration and its own intentions, and the funnel's bars."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from django.http import HttpRequest

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.core.restrict import restrict
from patentbridge.licensing.services.money import cny
from patentbridge.menus.choices import ItemStateChoices
from patentbridge.menus.models import MenuItem
from patentbridge.pools.models import Pool
from patentbridge.roadshows.choices import EventStatusChoices, IntentionModeChoices
from patentbridge.roadshows.funnel import EventFunnel, deal_amount, event_funnel, is_deal
from patentbridge.roadshows.models import RoadshowEvent
from patentbridge.roadshows.queries import (
    intentions_for,
    invitations_for,
    region_name,
    registrations_for,
    sees_records,
)
from patentbridge.roadshows.services.intentions import outcome_choices
from patentbridge.roadshows.services.people import region_invitees

__all__ = ["SKIP_WARN_MONTHS", "by_month", "chain_coverage", "chart_bars", "event_page", "last_months"]

# 常态化: a chain without a roadshow in this many months running is flagged on the calendar
# (guide §6.d "warn if a chain is skipped for > N months"; N is not published [U], 2 chosen here).
SKIP_WARN_MONTHS = 2

_NEXT_LABEL = {
    EventStatusChoices.PLANNED: (EventStatusChoices.OPEN, "开放报名"),
    EventStatusChoices.OPEN: (EventStatusChoices.HELD, "登记为已举办"),
    EventStatusChoices.HELD: (EventStatusChoices.CLOSED, "结束路演"),
}


def by_month(events: list[RoadshowEvent]) -> list[tuple[str, list[RoadshowEvent]]]:
    """The calendar: events grouped by month, newest month first."""
    months: OrderedDict[str, list[RoadshowEvent]] = OrderedDict()
    for event in events:
        months.setdefault(event.month, []).append(event)
    return list(months.items())


def last_months(today: dt.date, n: int = 12) -> list[str]:
    """The ``n`` months ending with ``today``'s, oldest first, as ``YYYY-MM``."""
    year, month = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def chain_coverage(
    events: list[RoadshowEvent], chains: list[Any], today: dt.date, n: int = 12
) -> dict[str, Any]:
    """一月一链 coverage over the last ``n`` months: per chain, the months that had an event and
    whether the last ``SKIP_WARN_MONTHS`` months (this one included) had none."""
    months = last_months(today, n)
    held: dict[int, set[str]] = {}
    for event in events:
        held.setdefault(event.chain_id, set()).add(event.month)
    rows = []
    for chain in chains:
        done = held.get(chain.pk, set())
        rows.append(
            {
                "chain": chain,
                "cells": [m in done for m in months],
                "count": sum(1 for m in months if m in done),
                "skipped": not any(m in done for m in months[-SKIP_WARN_MONTHS:]),
            }
        )
    return {"months": months, "rows": rows, "warn_months": SKIP_WARN_MONTHS}


def chart_bars(row: EventFunnel, width: int = 480) -> list[dict[str, Any]]:
    """Bars of the inline-SVG funnel (no script: the CSP allows only vendored scripts)."""
    total = max(row.items, row.registered, row.intentions, row.deals, 1)
    bars = []
    for i, step in enumerate(row.steps()):
        w = max(2, round(width * step["count"] / total)) if step["count"] else 0
        bars.append({**step, "w": w, "x": 150, "y": 8 + i * 36, "text_x": 150 + w + 8})
    return bars


def _menu_items(user: Any, event: RoadshowEvent) -> list[MenuItem]:
    """Menu items of the event's chain the organiser may pick (on menus it may see)."""
    taken = set(event.items.values_list("patent_id", flat=True))
    rows = (
        restrict(MenuItem.objects.filter(chain=event.chain, state=ItemStateChoices.INCLUDED), user)
        .select_related("patent", "menu")
        .order_by("-menu__created_at", "rank")[:200]
    )
    return [r for r in rows if r.patent_id not in taken]


def event_page(request: HttpRequest, event: RoadshowEvent, today: dt.date) -> dict[str, Any]:
    """The event page's context for ``request.user``."""
    user = request.user
    role = policies.role_of(user)
    organiser = restrict(RoadshowEvent.objects.filter(pk=event.pk), user, "change").exists()
    officer = role == RoleChoices.GOV_OFFICER
    may_invite = restrict(RoadshowEvent.objects.filter(pk=event.pk), user, "invite").exists()
    member = policies.membership_of(user)
    own_org_id = member.org_id if member is not None else None
    intentions = intentions_for(user, event)
    registrations = registrations_for(user, event)
    items = list(
        event.items.select_related("patent__owner_org", "menu_item__menu").prefetch_related("presenters")
    )
    # Only the rows the user may read count: another university's TTO sees no one's 意向金额.
    funnel = event_funnel(event, intentions)
    records = sees_records(user, event)
    rows = []
    for intention in intentions:
        apps, contracts = outcome_choices(intention) if organiser else ([], [])
        rows.append(
            {
                "i": intention,
                "deal": is_deal(intention),
                "deal_amount": cny(deal_amount(intention)) if is_deal(intention) else "",
                "apps": apps,
                "contracts": contracts,
            }
        )
    registered = own_org_id is not None and any(r.org_id == own_org_id for r in registrations)
    invited_ids = {i.org_id for i in invitations_for(user, event)}
    return {
        "event": event,
        "region": region_name(event.region_code),
        "items": items,
        "organiser": organiser,
        "officer": officer,
        "may_invite": may_invite and event.status in (EventStatusChoices.PLANNED, EventStatusChoices.OPEN),
        "is_enterprise": role == RoleChoices.ENTERPRISE,
        "records": records,
        "registered": registered,
        "registrations": registrations,
        "invitations": invitations_for(user, event),
        "invitees": [o for o in region_invitees(event) if o.pk not in invited_ids] if may_invite else [],
        "intentions": rows,
        "funnel": funnel,
        "bars": chart_bars(funnel),
        "intention_amount": cny(funnel.intention_amount),
        "deal_total": cny(funnel.deal_amount),
        "next_status": _NEXT_LABEL.get(EventStatusChoices(event.status)) if organiser else None,
        "menu_items": _menu_items(user, event) if organiser and event.status in ("planned", "open") else [],
        "pools": list(restrict(Pool.objects.order_by("name"), user)[:100]) if organiser else [],
        "modes": IntentionModeChoices.choices,
        "today": today,
        "held": event.status == EventStatusChoices.HELD,
    }
