"""专利池 indicator (POOL-FUNNEL): applications → patents admitted → still in the pool → outbound
licences, as of the day. A pool is placed in a region by its own ``region_code``; a supply-side
organisation sees its own applications and contributed patents, a demand-side one the pool
licences it took; an inventor the pool entries of its own patents."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from patentbridge.analytics.indicators.context import Context
from patentbridge.analytics.indicators.registry import register
from patentbridge.pools.models import MemberApplication, PoolLicence, PoolPatent
from patentbridge_engine.analytics import Row, Value, indicator

__all__: list[str] = []


def _side(ctx: Context, qs: QuerySet[Any], supply: str, demand: str, patent_path: str) -> QuerySet[Any]:
    """Region by the pool's code, then the scope's organisation side ("" = that side sees none)."""
    s = ctx.scope
    if s.region:
        qs = qs.filter(pool__region_code__startswith=s.region)
    if s.inventor_id is not None:
        return ctx.patents(qs, patent_path) if patent_path else qs.none()
    if s.org_id is not None:
        field = demand if s.org_side == "demand" else supply
        return qs.filter(**{field: s.org_id}) if field else qs.none()
    return qs


@register("POOL-FUNNEL")
def funnel(ctx: Context) -> Value:
    day = ctx.as_of
    applied = _side(ctx, MemberApplication.objects.filter(submitted_on__lte=day), "org_id", "", "patent__")
    entries = _side(ctx, PoolPatent.objects.filter(admitted_on__lte=day), "member__org_id", "", "patent__")
    staying = entries.filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
    licences = _side(
        ctx,
        PoolLicence.objects.filter(contract__signed_at__isnull=False, contract__signed_at__lte=day),
        "pool__agency_org_id",
        "contract__licensee_org_id",
        "",
    )
    in_pool = staying.count()
    rows = [
        Row("applied", "入池申请（件）", applied.count()),
        Row("admitted", "已入池专利（件）", entries.count()),
        Row("in_pool", "统计日在池专利（件）", in_pool),
        Row("licensed", "池外统一许可合同（份）", licences.count()),
    ]
    return Value(indicator("POOL-FUNNEL"), in_pool, rows)
