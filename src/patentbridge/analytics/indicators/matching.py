"""Matching indicators (供需匹配): needs posted, patents pushed, the share marked interesting."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from patentbridge.analytics.indicators.context import Context
from patentbridge.analytics.indicators.registry import register
from patentbridge.demands.choices import NeedStatusChoices
from patentbridge.demands.models import TechNeed
from patentbridge.matching.choices import CurationChoices, FeedbackChoices
from patentbridge.matching.models import MatchItem
from patentbridge_engine.analytics import Row, Value, indicator, rate

__all__: list[str] = []


def pushed_items(ctx: Context) -> QuerySet[Any]:
    """Pushed need–patent items of the scope, pushed on or before ``as_of``."""
    qs = MatchItem.objects.filter(
        state=CurationChoices.PUSHED, push__isnull=False, push__created_at__lt=ctx.cutoff
    )
    if ctx.scope.inventor_id is not None:
        return ctx.patents(qs, "patent__")
    return ctx.by_org(qs, "need__org_id", supply="patent__owner_org_id", demand="need__org_id")


@register("MAT-NEEDS")
def needs(ctx: Context) -> Value:
    qs = TechNeed.objects.filter(created_at__lt=ctx.cutoff)
    if ctx.scope.inventor_id is not None:
        qs = qs.none()
    # A university sees the needs its patents were pushed to (it posts none itself).
    pushed_to = pushed_items(ctx).values("need_id") if ctx.scope.org_side == "supply" else None
    qs = (
        ctx.by_org(qs, "org_id", supply="", demand="org_id")
        if pushed_to is None
        else qs.filter(pk__in=pushed_to)
    )
    states = dict.fromkeys(NeedStatusChoices.values, 0)
    for status in qs.values_list("status", flat=True):
        states[status] = states.get(status, 0) + 1
    rows = [Row(s.value, f"{s.label}（当前）", states[s.value]) for s in NeedStatusChoices]
    return Value(indicator("MAT-NEEDS"), sum(states.values()), rows)


@register("MAT-PUSHED")
def pushed(ctx: Context) -> Value:
    items = list(pushed_items(ctx).values_list("feedback", "feedback_at"))
    counts = {"interested": 0, "not_relevant": 0, "": 0}
    for feedback, at in items:
        answered = feedback and at is not None and at < ctx.cutoff
        counts[feedback if answered else ""] += 1
    rows = [
        Row(key, str(FeedbackChoices(key).label), counts[key]) for key in ("interested", "not_relevant", "")
    ]
    return Value(indicator("MAT-PUSHED"), len(items), rows)


@register("MAT-INTEREST")
def interest(ctx: Context) -> Value:
    items = list(pushed_items(ctx).values_list("feedback", "feedback_at"))
    yes = sum(1 for f, at in items if f == FeedbackChoices.INTERESTED and at is not None and at < ctx.cutoff)
    value = rate(yes, len(items))
    return Value(indicator("MAT-INTEREST"), value, note="" if value is not None else "统计日前没有推送记录")
