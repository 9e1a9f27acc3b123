"""Distribution statements (guide §4.d P6): the income received in a period on the pool's outbound
contracts, the agency's management fee first, the rest shared among members by the pool's rule,
with each patent counted for the days it was in the pool (its status history)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from patentbridge.core import audit
from patentbridge.licensing.models import Payment
from patentbridge.pools.choices import PatentStatusChoices
from patentbridge.pools.models import Pool, PoolDistribution, PoolDistributionLine, PoolMember, PoolPatent
from patentbridge.pools.services.common import locked_pool, require_agency
from patentbridge.pools.services.ledger import refresh_patent
from patentbridge_engine.pools.distribution import DistributionError, Holding, SharingRule, distribute
from patentbridge_engine.pools.status import days_in_status

__all__ = ["compute_distribution", "holdings_of", "income_for", "payments_for"]


def payments_for(pool: Pool, start: dt.date, end: dt.date) -> list[Payment]:
    """Payments received in [start, end] on the pool's outbound contracts."""
    return list(
        Payment.objects.filter(receivable__contract__pool_licence__pool=pool, paid_on__range=(start, end))
        .select_related("receivable__contract")
        .order_by("paid_on", "pk")
    )


def income_for(pool: Pool, start: dt.date, end: dt.date) -> Decimal:
    """Gross income of the period (Decimal, 0.00 when nothing came in)."""
    total = Payment.objects.filter(
        receivable__contract__pool_licence__pool=pool, paid_on__range=(start, end)
    ).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def holdings_of(pool: Pool, start: dt.date, end: dt.date) -> list[Holding]:
    """Each pool patent's days in the pool (status ADMITTED) within [start, end], keyed by the
    contributing organisation's id."""
    out: list[Holding] = []
    rows = PoolPatent.objects.filter(pool=pool).select_related("patent", "member").prefetch_related("changes")
    for pp in rows.order_by("pk"):
        changes = [(c.on_date, c.to_status) for c in pp.changes.all()]
        days = days_in_status(changes, start, end, PatentStatusChoices.ADMITTED)
        grade = getattr(getattr(pp.patent, "grade", None), "final", "") if hasattr(pp.patent, "grade") else ""
        out.append(Holding(str(pp.member.org_id), pp.patent.application_number, days, str(grade or "")))
    return out


@transaction.atomic
def compute_distribution(
    actor: Any, pool: Pool, *, start: dt.date, end: dt.date, on: dt.date, is_demo: bool = False
) -> PoolDistribution:
    """The statement of [start, end] (one per period), computed on ``on`` (after the period)."""
    require_agency(actor, pool)
    pool = locked_pool(pool)
    if end < start:
        raise ValidationError({"end": "期间结束日不能早于开始日"})
    if end > on:
        raise ValidationError({"end": "只能对已经结束的期间分配收益"})
    if (end - start).days > 3 * 366:
        raise ValidationError({"end": "一个分配期间不超过三年"})
    if PoolDistribution.objects.filter(pool=pool, period_start=start, period_end=end).exists():
        raise ValidationError({"period": f"{start} 至 {end} 的收益分配单已经生成"})
    for pp in PoolPatent.objects.filter(pool=pool).exclude(status=PatentStatusChoices.REMOVED):
        refresh_patent(pp, end, actor=actor)
    payments = payments_for(pool, start, end)
    gross = income_for(pool, start, end)
    if gross <= 0:
        raise ValidationError({"period": "本期池外许可没有收到许可费，无需分配"})
    holdings = holdings_of(pool, start, end)
    members = {str(m.org_id): m for m in PoolMember.objects.filter(pool=pool).select_related("org")}
    weights = {k: Decimal(str(v)) for k, v in (pool.grade_weights or {}).items()} or None
    agreed = {k: m.agreed_share for k, m in members.items() if m.agreed_share}
    try:
        statement = distribute(
            gross,
            holdings,
            rule=SharingRule(pool.sharing_rule),
            fee_rate=pool.mgmt_fee_rate,
            grade_weights=weights,
            agreed=agreed,
        )
    except DistributionError as exc:
        raise ValidationError({"period": str(exc)}) from None
    inputs = {
        "payments": [
            {
                "contract": p.receivable.contract.contract_no,
                "paid_on": p.paid_on.isoformat(),
                "amount": str(p.amount),
            }
            for p in payments
        ],
        "holdings": [
            {
                "member": members[h.member].org.name if h.member in members else h.member,
                "patent": h.patent,
                "days": h.days,
                "grade": h.grade,
            }
            for h in holdings
        ],
        "grade_weights": {k: str(v) for k, v in (weights or {}).items()},
        "agreed": {members[k].org.name: str(v) for k, v in agreed.items() if k in members},
    }
    dist = PoolDistribution.objects.create(
        pool=pool,
        period_start=start,
        period_end=end,
        gross=statement.gross,
        mgmt_fee_rate=statement.fee_rate,
        mgmt_fee=statement.fee,
        distributable=statement.distributable,
        sharing_rule=pool.sharing_rule,
        inputs=inputs,
        is_demo=is_demo,
        created_by=actor,
    )
    for line in statement.lines:
        PoolDistributionLine.objects.create(
            distribution=dist,
            org=members[line.member].org,
            patents=line.patents,
            weight=line.weight.quantize(Decimal("0.000001")),
            share=line.share.quantize(Decimal("0.00000001")),
            amount=line.amount,
        )
    audit.record(
        "pools.distribution.computed",
        actor=actor,
        target=pool,
        org=pool.agency_org,
        data={
            "period": f"{start.isoformat()}–{end.isoformat()}",
            "gross": str(statement.gross),
            "fee": str(statement.fee),
            "lines": {members[line.member].org.name: str(line.amount) for line in statement.lines},
        },
    )
    return dist
