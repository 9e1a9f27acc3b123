"""Licensing indicators (许可交易): offers, reach, trials and their conversion, licences by kind
and origin, filings by payment type. A contract counts from its signing day (``signed_at``); a
trial converts on the day its timeline entered the paid phase."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import QuerySet

from patentbridge.analytics.indicators.context import Context, per_context
from patentbridge.analytics.indicators.registry import register
from patentbridge.licensing.choices import (
    ContractStateChoices,
    FilingStateChoices,
    LicenceKindChoices,
    OriginChoices,
)
from patentbridge.licensing.models import ContractStep, LicenceContract, LicenceFiling, LicenceOffer
from patentbridge_engine.analytics import Row, Value, indicator, median_days, rate
from patentbridge_engine.licensing.fees import FeeSchedule, FeeScheduleError

__all__ = ["paid_on", "scope_trials", "signed_contracts", "trial_outcomes"]

_PAYMENT_LABELS = {"fixed": "固定或可折算金额", "royalty": "提成", "free": "免费", "": "付费条件未知"}


def signed_contracts(ctx: Context) -> QuerySet[Any]:
    """Contracts of the scope signed on or before ``as_of``."""
    qs = LicenceContract.objects.filter(signed_at__isnull=False, signed_at__lte=ctx.as_of)
    return ctx.contracts(qs)


def paid_on(contract_ids: set[int] | QuerySet[Any], as_of: dt.date) -> dict[int, dt.date]:
    """Contract id → first day it entered the paid phase, on or before ``as_of`` (``contract_ids``
    a set, or a query of contract ids — a subquery, not a list of thousands of ids)."""
    out: dict[int, dt.date] = {}
    steps = ContractStep.objects.filter(
        contract_id__in=contract_ids, to_state=ContractStateChoices.ACTIVE_PAID, on_date__lte=as_of
    ).values_list("contract_id", "on_date")
    for pk, day in steps:
        if pk not in out or day < out[pk]:
            out[pk] = day
    return out


def _trials(ctx: Context, qs: QuerySet[Any]) -> tuple[list[tuple[int, dt.date, dt.date]], dict[int, dt.date]]:
    """(id, start, trial end) of the trial contracts of ``qs``, and their first paid day."""
    with_trial = qs.filter(trial_end__isnull=False)
    trials = list(with_trial.values_list("pk", "start_date", "trial_end"))
    return trials, paid_on(with_trial.values("pk"), ctx.as_of)


@per_context
def scope_trials(ctx: Context) -> tuple[list[tuple[int, dt.date, dt.date]], dict[int, dt.date]]:
    """``_trials`` of the scope's signed contracts, read once per report (three indicators)."""
    return _trials(ctx, signed_contracts(ctx))


def trial_outcomes(ctx: Context, contracts: QuerySet[Any] | None = None) -> tuple[int, int, list[int]]:
    """(trials decided by ``as_of``, converted by ``as_of``, days from start to conversion).

    Decided: the trial period ended on or before ``as_of``, or the trial converted early."""
    trials, paid = scope_trials(ctx) if contracts is None else _trials(ctx, contracts)
    decided = [t for t in trials if t[2] <= ctx.as_of or t[0] in paid]
    days = [(paid[pk] - start).days for pk, start, _ in decided if pk in paid and paid[pk] >= start]
    return len(decided), sum(1 for t in decided if t[0] in paid), days


@register("LIC-OFFERS")
def offers(ctx: Context) -> Value:
    qs = LicenceOffer.objects.filter(published_at__isnull=False, published_at__lt=ctx.cutoff)
    s = ctx.scope
    if s.inventor_id is not None:
        from patentbridge.patents.models import Patent

        qs = qs.filter(patents__in=ctx.patents(Patent.objects.all()).values("pk"))
    elif s.org_id is not None and s.org_side == "demand":
        qs = qs.filter(applications__applicant_org_id=s.org_id)
    elif s.org_id is not None:
        qs = qs.filter(publisher_org_id=s.org_id)
    # Joins (applications, patents) may repeat an offer; keep one row per offer.
    unique = {
        pk: (org, targets) for pk, org, targets in qs.values_list("pk", "publisher_org_id", "target_regions")
    }
    rows_in: list[tuple[int, list[str]]] = list(unique.values())
    prefix = ctx.scope.region
    if prefix:
        orgs = ctx.region_orgs or set()
        rows_in = [
            (org, targets)
            for org, targets in rows_in
            if org in orgs or any(str(t).startswith(prefix) for t in targets or [])
        ]
    per = Counter(org for org, _ in rows_in)
    rows = [
        Row(str(org), ctx.org_names.get(org, ""), n)
        for org, n in sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return Value(indicator("LIC-OFFERS"), len(rows_in), rows)


@register("LIC-REACH")
def reach(ctx: Context) -> Value:
    contracts = signed_contracts(ctx)
    licensees = set(contracts.values_list("licensee_org_id", flat=True))
    counties = {ctx.org_regions.get(org, "") for org in licensees} - {""}
    patents = set(contracts.values_list("patents", flat=True)) - {None}
    offers_value = offers(ctx)
    universities = len(offers_value.rows)
    rows = [
        Row("universities", "发布定向许可的高校/机构", universities),
        Row("enterprises", "签订许可的企业", len(licensees)),
        Row("counties", "被许可企业所在区县", len(counties)),
        Row("patents", "被许可专利", len(patents)),
    ]
    return Value(indicator("LIC-REACH"), len(licensees), rows, "主值为签订许可的企业数")


@register("LIC-TRIALS")
def trials(ctx: Context) -> Value:
    qs = signed_contracts(ctx).filter(trial_end__isnull=False)
    states = Counter(qs.values_list("state", flat=True))
    rows = [
        Row(s.value, f"{s.label}（当前）", states[s.value])
        for s in ContractStateChoices
        if states.get(s.value)
    ]
    return Value(indicator("LIC-TRIALS"), sum(states.values()), rows)


@register("LIC-CONVERSION")
def conversion(ctx: Context) -> Value:
    decided, converted, _ = trial_outcomes(ctx)
    rows = [Row("decided", "试用期已届满或已转化", decided), Row("converted", "已转为付费许可", converted)]
    value = rate(converted, decided)
    return Value(
        indicator("LIC-CONVERSION"),
        value,
        rows,
        "" if value is not None else "统计日前没有到期或转化的试用合同",
    )


@register("LIC-CONVERSION-DAYS")
def conversion_days(ctx: Context) -> Value:
    _, converted, days = trial_outcomes(ctx)
    value = median_days((dt.date.min, dt.date.min + dt.timedelta(days=d)) for d in days)
    rows = [Row("converted", "已转化合同数", converted)]
    return Value(
        indicator("LIC-CONVERSION-DAYS"),
        value,
        rows,
        "" if value is not None else "统计日前没有转为付费的试用合同",
    )


@register("LIC-LICENCES")
def licences(ctx: Context) -> Value:
    kinds = Counter(signed_contracts(ctx).values_list("kind", flat=True))
    rows = [Row(k.value, str(k.label), kinds.get(k.value, 0)) for k in LicenceKindChoices]
    return Value(indicator("LIC-LICENCES"), sum(kinds.values()), rows)


@register("LIC-BY-ORIGIN")
def by_origin(ctx: Context) -> Value:
    origins = Counter(signed_contracts(ctx).values_list("origin", flat=True))
    rows = [Row(o.value, str(o.label), origins.get(o.value, 0)) for o in OriginChoices]
    return Value(indicator("LIC-BY-ORIGIN"), sum(origins.values()), rows)


def payment_type(schedule: dict[str, Any]) -> str:
    """CNIPA's payment vocabulary for a stored fee schedule ("" when it cannot be read)."""
    if not schedule:
        return "free"
    try:
        return FeeSchedule.from_dict(schedule).payment_type
    except FeeScheduleError:
        return ""


@register("LIC-FILED")
def filed(ctx: Context) -> Value:
    qs = LicenceFiling.objects.filter(
        kind="initial",
        state__in=(FilingStateChoices.FILED, FilingStateChoices.CHANGED),
        filed_at__isnull=False,
        filed_at__lte=ctx.as_of,
    )
    schedules = ctx.contracts(qs, "contract__").values_list("contract__fee_schedule", flat=True)
    per = Counter(payment_type(s or {}) for s in schedules)
    rows = [Row(k, label, per.get(k, 0)) for k, label in _PAYMENT_LABELS.items() if k or per.get(k)]
    return Value(indicator("LIC-FILED"), sum(per.values()), rows)
