"""Report periods, payment due dates, the receivable plan of a paid phase and receivables ageing
(transactions-and-analytics.md §2.d Receivable, reports "receivables ageing"). Re-exported by
``royalty``, which computes the royalty amounts these receivables wait for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from patentbridge_engine.licensing.fees import EntryFeeDue, FeeSchedule, ReportPeriod
from patentbridge_engine.licensing.money import ZERO, money

__all__ = [
    "AGEING_BUCKETS",
    "Period",
    "PlannedReceivable",
    "ageing",
    "due_date",
    "payment_plan",
    "report_periods",
]

# Ageing buckets of the receivables report, as (label, last overdue day of the bucket).
AGEING_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("未到期", 0),
    ("逾期1-30天", 30),
    ("逾期31-90天", 90),
    ("逾期91-180天", 180),
    ("逾期180天以上", None),
)
# Six places are finer than any amount they scale (10^12 × 10^-6 = ¥1 at the very worst, and
# only for clipped periods; full periods are exact: 1/4, 1/2, 1).
_FRACTION_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Period:
    """One calendar report period clipped to the contract phase. ``fraction`` is its share of a
    year — 1/4, 1/2 or 1 for a full quarter, half or year, scaled by the days kept when clipped —
    which is what ``royalty_for_period`` scales the yearly minimum and cap by."""

    label: str
    start: dt.date
    end: dt.date
    fraction: Decimal


@dataclass(frozen=True)
class PlannedReceivable:
    """One expected payment. ``amount`` None means it is computed from the licensee's usage
    report for the period; ``due_date`` None means it falls due on an event (a milestone)."""

    component: str  # entry_fee | lump_sum | royalty | milestone
    label: str
    period_start: dt.date | None
    period_end: dt.date | None
    due_date: dt.date | None
    amount: Decimal | None


def _calendar_period(day: dt.date, period: ReportPeriod) -> tuple[str, dt.date, dt.date]:
    y = day.year
    if period is ReportPeriod.YEAR:
        return f"{y}年度", dt.date(y, 1, 1), dt.date(y, 12, 31)
    if period is ReportPeriod.HALF:
        if day.month <= 6:
            return f"{y}年上半年", dt.date(y, 1, 1), dt.date(y, 6, 30)
        return f"{y}年下半年", dt.date(y, 7, 1), dt.date(y, 12, 31)
    q = (day.month - 1) // 3 + 1
    first = dt.date(y, 3 * q - 2, 1)
    last = dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)
    return f"{y}年第{q}季度", first, last - dt.timedelta(days=1)


def report_periods(start: dt.date, end: dt.date, period: str) -> list[Period]:
    """Calendar quarters, halves or years ("quarter" | "half" | "year") overlapping
    [``start``, ``end``], each clipped to that range, labelled like ``2026年第1季度``,
    ``2026年上半年`` or ``2026年度``."""
    try:
        kind = ReportPeriod(period)
    except ValueError:
        raise ValueError("报告周期应为季度、半年或年") from None
    if end < start:
        raise ValueError("结束日期早于开始日期")
    out: list[Period] = []
    day = start
    while day <= end:
        label, first, last = _calendar_period(day, kind)
        clipped_start, clipped_end = max(first, start), min(last, end)
        share = Decimal(1) / kind.per_year
        kept, full = (clipped_end - clipped_start).days + 1, (last - first).days + 1
        if kept != full:
            share = (share * kept / full).quantize(_FRACTION_PLACES, rounding=ROUND_HALF_UP)
        out.append(Period(label, clipped_start, clipped_end, share))
        day = last + dt.timedelta(days=1)
    return out


def due_date(period_end: dt.date, pay_within_days: int) -> dt.date:
    """Payment due date: ``pay_within_days`` calendar days after the period ends (a contract
    term, so 细则 Art. 5's holiday rule for CNIPA deadlines does not apply)."""
    if pay_within_days < 0:
        raise ValueError("付款期限天数不能为负数")
    return period_end + dt.timedelta(days=pay_within_days)


def payment_plan(
    schedule: FeeSchedule, *, paid_start: dt.date, paid_end: dt.date, signing_date: dt.date
) -> list[PlannedReceivable]:
    """Every receivable of a paid phase [``paid_start``, ``paid_end``], by due date (milestones,
    which have none, last): the entry fee at signing or at conversion (= ``paid_start``); the lump
    sum's instalments (or the whole lump sum at signing); one royalty receivable per report
    period with the amount left to the usage report; each milestone. A free schedule owes nothing.
    Raises ``ValueError`` for a royalty that rule L9 would block."""
    if paid_end < paid_start:
        raise ValueError("付费期结束日期早于开始日期")
    plan: list[PlannedReceivable] = []
    entry = schedule.entry_fee
    if entry is not None:
        when = signing_date if entry.due is EntryFeeDue.SIGNING else paid_start
        plan.append(PlannedReceivable("entry_fee", "入门费", None, None, when, entry.amount))
    lump = schedule.lump_sum
    if lump is not None and not lump.instalments:
        plan.append(PlannedReceivable("lump_sum", "一次性许可费", None, None, signing_date, lump.amount))
    elif lump is not None:
        n = len(lump.instalments)
        for i, part in enumerate(lump.instalments, start=1):
            label = f"一次性许可费（第{i}期，共{n}期）"
            plan.append(PlannedReceivable("lump_sum", label, None, None, part.date, part.amount))
    royalty = schedule.royalty
    if royalty is not None:
        if royalty.report_period is None or not royalty.is_measurable:
            raise ValueError("提成约定不完整（缺少计提基数、报告周期或比例），无法排定应收（规则 L9）")
        for p in report_periods(paid_start, paid_end, royalty.report_period):
            when = due_date(p.end, royalty.pay_within_days)
            plan.append(PlannedReceivable("royalty", f"提成（{p.label}）", p.start, p.end, when, None))
    dated = sorted((r for r in plan if r.due_date is not None), key=lambda r: r.due_date or dt.date.max)
    events = [
        PlannedReceivable("milestone", f"里程碑：{m.event}", None, None, None, m.amount)
        for m in schedule.milestones
    ]
    return dated + events


def ageing(items: Sequence[tuple[dt.date, Decimal]], as_of: dt.date) -> dict[str, Decimal]:
    """Outstanding amounts by how long they are overdue on ``as_of``: "未到期" (due on or after
    ``as_of``), "逾期1-30天", "逾期31-90天", "逾期91-180天", "逾期180天以上". ``items`` are
    (due date, outstanding amount); every bucket is present, empty ones as 0.00."""
    totals = {label: ZERO for label, _ in AGEING_BUCKETS}
    for due, amount in items:
        if amount < 0:
            raise ValueError("未收金额不能为负数")
        overdue = (as_of - due).days
        label = next(lbl for lbl, last in AGEING_BUCKETS if last is None or overdue <= last)
        totals[label] = money(totals[label] + amount)
    return totals
