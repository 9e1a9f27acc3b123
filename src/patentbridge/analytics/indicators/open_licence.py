"""Open-licence indicators (开放许可, Patent Law Arts. 50–52): declarations published and withdrawn
(by their gazette dates), and acceptances that became licences (by the contract's signing day)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import QuerySet

from patentbridge.analytics.indicators.context import Context
from patentbridge.analytics.indicators.registry import register
from patentbridge.licensing.models import OpenLicenceAcceptance, OpenLicenceDeclaration
from patentbridge_engine.analytics import Row, Value, indicator

__all__: list[str] = []

_ORIGINS = dict(OpenLicenceDeclaration._meta.get_field("origin").choices or [])


def declarations(ctx: Context) -> QuerySet[Any]:
    """Declarations of the scope: declarant in the region; the declarant's side (a university)
    or, for an enterprise, the declarations it accepted; an inventor's own patents."""
    qs = OpenLicenceDeclaration.objects.all()
    if ctx.scope.inventor_id is not None:
        return ctx.patents(qs, "patent__")
    return ctx.by_org(
        qs, "declarant_org_id", supply="declarant_org_id", demand="acceptances__licensee_org_id"
    )


@register("OL-PUBLISHED")
def published(ctx: Context) -> Value:
    qs = declarations(ctx).filter(published_at__isnull=False, published_at__lte=ctx.as_of)
    per = Counter(dict(qs.distinct().values_list("pk", "origin")).values())
    rows = [Row(k, str(_ORIGINS.get(k, k)), n) for k, n in sorted(per.items(), key=lambda kv: -kv[1])]
    return Value(indicator("OL-PUBLISHED"), sum(per.values()), rows)


@register("OL-WITHDRAWN")
def withdrawn(ctx: Context) -> Value:
    qs = declarations(ctx).filter(
        withdrawal_published_at__isnull=False, withdrawal_published_at__lte=ctx.as_of
    )
    return Value(indicator("OL-WITHDRAWN"), len(set(qs.values_list("pk", flat=True))))


def _free(schedule: dict[str, Any]) -> bool:
    return bool(schedule.get("free")) if schedule else True


@register("OL-ACCEPTED")
def accepted(ctx: Context) -> Value:
    qs = OpenLicenceAcceptance.objects.filter(
        contract__isnull=False, contract__signed_at__isnull=False, contract__signed_at__lte=ctx.as_of
    )
    if ctx.scope.inventor_id is not None:
        qs = ctx.patents(qs, "declaration__patent__")
    else:
        qs = ctx.by_org(
            qs, "licensee_org_id", supply="declaration__declarant_org_id", demand="licensee_org_id"
        )
    schedules = list(qs.values_list("declaration__fee_schedule", flat=True))
    free = sum(1 for s in schedules if _free(s or {}))
    rows = [Row("free", "免费许可", free), Row("paid", "付费许可", len(schedules) - free)]
    return Value(indicator("OL-ACCEPTED"), len(schedules), rows)
