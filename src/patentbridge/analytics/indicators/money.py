"""Money indicators (许可收入): fees received, receivables outstanding and overdue, inventors'
income. Amounts are Decimal yuan; a receivable's balance on ``as_of`` is its amount less the
payments dated on or before ``as_of``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from patentbridge.analytics.indicators.context import Context
from patentbridge.analytics.indicators.registry import register
from patentbridge.licensing.choices import ReceivableStateChoices
from patentbridge.licensing.models import IncomeLine, Payment, Receivable
from patentbridge.licensing.services.money import COMPONENT_LABELS
from patentbridge_engine.analytics import Row, Value, indicator

__all__: list[str] = []

ZERO = Decimal("0.00")


def component_label(code: str) -> str:
    return COMPONENT_LABELS.get(code, "其他费用")


@register("MON-RECEIVED")
def received(ctx: Context) -> Value:
    qs = Payment.objects.filter(paid_on__lte=ctx.as_of)
    rows_in = ctx.contracts(qs, "receivable__contract__").values_list("receivable__component", "amount")
    per: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for component, amount in rows_in:
        per[component] += amount
    rows = [Row(k, component_label(k), v) for k, v in sorted(per.items(), key=lambda kv: -kv[1])]
    return Value(indicator("MON-RECEIVED"), sum(per.values(), ZERO), rows)


def balances(ctx: Context) -> list[tuple[int, Decimal, dt.date | None]]:
    """(receivable id, balance on ``as_of``, due date) of the scope's receivables with a balance."""
    qs = Receivable.objects.filter(
        contract__signed_at__isnull=False, contract__signed_at__lte=ctx.as_of, amount_due__isnull=False
    ).exclude(state=ReceivableStateChoices.WAIVED)
    qs = ctx.contracts(qs, "contract__")
    # amount_due is never None here (filtered above); the stubs cannot know.
    dues: list[tuple[int, Any, dt.date | None]] = list(qs.values_list("pk", "amount_due", "due_date"))
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    payments = Payment.objects.filter(receivable_id__in=[pk for pk, _, _ in dues], paid_on__lte=ctx.as_of)
    for pk, amount in payments.values_list("receivable_id", "amount"):
        paid[pk] += amount
    return [(pk, due - paid[pk], day) for pk, due, day in dues if due - paid[pk] > 0]


@register("MON-OUTSTANDING")
def outstanding(ctx: Context) -> Value:
    rows_in = balances(ctx)
    due_later = sum((b for _, b, day in rows_in if day is None or day >= ctx.as_of), ZERO)
    overdue = sum((b for _, b, day in rows_in if day is not None and day < ctx.as_of), ZERO)
    rows = [Row("not_due", "未到期", due_later), Row("overdue", "已逾期", overdue)]
    return Value(indicator("MON-OUTSTANDING"), due_later + overdue, rows)


@register("MON-OVERDUE")
def overdue(ctx: Context) -> Value:
    rows_in = [(b, day) for _, b, day in balances(ctx) if day is not None and day < ctx.as_of]
    buckets = {"1–30 天": ZERO, "31–90 天": ZERO, "90 天以上": ZERO}
    for balance, day in rows_in:
        late = (ctx.as_of - day).days
        key = "1–30 天" if late <= 30 else "31–90 天" if late <= 90 else "90 天以上"
        buckets[key] += balance
    rows = [Row(k, f"逾期 {k}", v) for k, v in buckets.items()]
    return Value(indicator("MON-OVERDUE"), sum(buckets.values(), ZERO), rows)


@register("MON-INVENTOR")
def inventor_income(ctx: Context) -> Value:
    qs = IncomeLine.objects.filter(
        distribution__state="approved",
        distribution__approved_at__isnull=False,
        distribution__approved_at__lt=ctx.cutoff,
    )
    if ctx.scope.inventor_id is not None:
        qs = qs.filter(user_id=ctx.scope.inventor_id).filter(
            ctx.org_q("distribution__payment__receivable__contract__licensee_org_id")
        )
    else:
        qs = ctx.contracts(qs, "distribution__payment__receivable__contract__")
    per: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for person, amount in qs.values_list("person", "amount"):
        per[person] += amount
    rows = [Row(p, p, v) for p, v in sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))]
    return Value(indicator("MON-INVENTOR"), sum(per.values(), ZERO), rows)
