"""一月一链路演 indicator (RS-FUNNEL): events held → patents presented → enterprises registered →
intentions → deals (the linked licence contract signed), as of the day. An event is placed in a
region by the region it is aimed at (``region_code``); a supply-side organisation sees the events
it organised, a demand-side one the registrations and intentions of its own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from patentbridge.analytics.indicators.context import Context
from patentbridge.analytics.indicators.registry import register
from patentbridge.roadshows.models import RoadshowEvent, RoadshowIntention, RoadshowItem, RoadshowRegistration
from patentbridge_engine.analytics import Row, Value, indicator

__all__: list[str] = []


def _events(ctx: Context) -> QuerySet[Any]:
    qs = RoadshowEvent.objects.filter(event_date__lte=ctx.as_of)
    if ctx.scope.region:
        qs = qs.filter(region_code__startswith=ctx.scope.region)
    return qs


@register("RS-FUNNEL")
def funnel(ctx: Context) -> Value:
    s, day = ctx.scope, ctx.as_of
    events = _events(ctx)
    own: dict[str, Any] = {}
    if s.inventor_id is not None:
        events = events.none()
    elif s.org_id is not None and s.org_side == "demand":
        own = {"org_id": s.org_id}
        events = events.filter(registrations__org_id=s.org_id).distinct()
    elif s.org_id is not None:
        events = events.filter(organiser_org_id=s.org_id)
    ids = events.values("pk")
    items = RoadshowItem.objects.filter(event_id__in=ids)
    registered = RoadshowRegistration.objects.filter(event_id__in=ids, registered_on__lte=day, **own)
    intentions = RoadshowIntention.objects.filter(event_id__in=ids, recorded_on__lte=day, **own)
    deals = intentions.filter(contract__signed_at__isnull=False, contract__signed_at__lte=day)
    presented = items.count()
    rows = [
        Row("events", "已举办路演（场）", events.count()),
        Row("items", "路演专利（项）", presented),
        Row("registered", "报名企业（家）", registered.count()),
        Row("intentions", "意向（项）", intentions.count()),
        Row("deals", "成交：已签许可合同（项）", deals.count()),
    ]
    return Value(indicator("RS-FUNNEL"), presented, rows)
