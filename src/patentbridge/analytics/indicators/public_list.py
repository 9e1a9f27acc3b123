"""Public implementation list indicators (财政资助专利公开实施清单): entered, left, and the entries
on the list on ``as_of`` by the route the patentee chose."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import QuerySet

from patentbridge.analytics.indicators.context import Context
from patentbridge.analytics.indicators.registry import register
from patentbridge.grading.models import PublicListEntry
from patentbridge_engine.analytics import Row, Value, indicator

__all__: list[str] = []


def entries(ctx: Context) -> QuerySet[Any]:
    """Entries of the scope's patents that were due on or before ``as_of``."""
    return ctx.patents(PublicListEntry.objects.filter(since__lte=ctx.as_of), "patent__")


@register("PL-ENTERED")
def entered(ctx: Context) -> Value:
    per = Counter(entries(ctx).values_list("jurisdiction_label", flat=True))
    rows = [Row(k, k or "地区未知", n) for k, n in sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))]
    return Value(indicator("PL-ENTERED"), sum(per.values()), rows)


@register("PL-LEFT")
def left(ctx: Context) -> Value:
    n = entries(ctx).filter(left_on__isnull=False, left_on__lte=ctx.as_of).count()
    return Value(indicator("PL-LEFT"), n)


@register("PL-ACTIVE")
def active(ctx: Context) -> Value:
    qs = entries(ctx).exclude(left_on__isnull=False, left_on__lte=ctx.as_of)
    # The route is today's choice; a route chosen after as_of is shown as not chosen yet.
    routes: Counter[str] = Counter()
    for route, route_at in qs.values_list("route", "route_at"):
        chosen = route and route_at is not None and route_at < ctx.cutoff
        routes[route if chosen else ""] += 1
    rows = [Row(r.value, str(r.label), routes.get(r.value, 0)) for r in PublicListEntry.Route]
    return Value(indicator("PL-ACTIVE"), sum(routes.values()), rows)
