"""Rule L13: what a licensee owes for one paid report period (transactions-and-analytics.md §2.d,
DR §5.2), plus the period, plan and ageing helpers re-exported from ``receivables``.

    royalty = clamp(rate(t) × base, min_annual × fraction, cap_annual × fraction)
    then limited to cap_total − royalties already due in earlier periods;
    total  = royalty + the entry fee when the caller bills it with this period (first paid period).

Trial periods are free licences (rule L10): callers do not compute royalties for them at all —
usage reports are still collected, but no amount is due, so there is nothing to call here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from patentbridge_engine.legal.terms import add_years
from patentbridge_engine.licensing.fees import FeeSchedule, Royalty, RoyaltyBase, Tier, UnitPrice, YearRate
from patentbridge_engine.licensing.money import ZERO, format_cny, format_rate, money
from patentbridge_engine.licensing.receivables import (
    AGEING_BUCKETS,
    Period,
    PlannedReceivable,
    ageing,
    due_date,
    payment_plan,
    report_periods,
)

__all__ = [
    "AGEING_BUCKETS",
    "LINE_CAP_ANNUAL",
    "LINE_CAP_TOTAL",
    "LINE_ENTRY_FEE",
    "LINE_MINIMUM",
    "Period",
    "PlannedReceivable",
    "RoyaltyComputation",
    "ageing",
    "contract_year_of",
    "due_date",
    "payment_plan",
    "report_periods",
    "royalty_for_period",
]

LINE_ENTRY_FEE = "入门费"
LINE_MINIMUM = "年最低提成补足"
LINE_CAP_ANNUAL = "封顶调整"
LINE_CAP_TOTAL = "累计封顶调整"

JsonValue = str | int | bool | None | list[dict[str, str]]


@dataclass(frozen=True)
class RoyaltyComputation:
    """The amount due for one period, its Chinese statement lines (they sum to ``amount``) and
    every input used, as JSON-able values, so the stored receivable can be re-derived (§1.5)."""

    amount: Decimal
    lines: list[tuple[str, Decimal]] = field(default_factory=list)
    inputs: dict[str, JsonValue] = field(default_factory=dict)


def contract_year_of(paid_start: dt.date, day: dt.date) -> int:
    """Contract year (1, 2, …) of ``day``, counted in anniversaries of the paid phase's start —
    the year that picks the rate step ("from_year"). A trial before conversion does not count."""
    if day < paid_start:
        raise ValueError("日期早于付费期开始日")
    year = 1
    while add_years(paid_start, year) <= day:
        year += 1
    return year


def royalty_for_period(
    schedule: FeeSchedule,
    *,
    contract_year: int,
    base_value: Decimal,
    period_fraction: Decimal = Decimal(1),
    paid_so_far_total: Decimal = ZERO,
    include_entry_fee: bool,
) -> RoyaltyComputation:
    """Amount due for one paid report period (rule L13).

    ``base_value`` is the reported figure for the schedule's base (net sales, sales, profit, new
    output value in CNY, or a number of units); a negative profit counts as 0, any other negative
    base is refused. ``period_fraction`` is the period's share of a year (0.25 for a quarter, less
    for a period clipped by the contract; see ``Period.fraction``): the yearly minimum and yearly
    cap are scaled by it. Tiered rates apply to the period's base as reported. ``paid_so_far_total``
    is the royalty already due in earlier periods (entry fee and fixed amounts excluded), so the
    total cap is never exceeded. ``include_entry_fee`` adds the entry fee line: pass True only in
    the first paid period, and only when the entry fee is billed with it rather than as its own
    receivable (``payment_plan`` lists it separately). Raises ``ValueError`` for a royalty that
    rule L9 would block, or for out-of-range arguments."""
    if contract_year < 1:
        raise ValueError("合同年度必须从 1 开始")
    if not Decimal(0) < period_fraction <= Decimal(1):
        raise ValueError("报告期占全年的比例必须大于 0 且不超过 1")
    if paid_so_far_total < 0:
        raise ValueError("已计提成总额不能为负数")
    inputs: dict[str, JsonValue] = {
        "free": schedule.free,
        "contract_year": contract_year,
        "base_value": str(base_value),
        "period_fraction": str(period_fraction),
        "paid_so_far_total": str(money(paid_so_far_total)),
        "include_entry_fee": include_entry_fee,
    }
    lines: list[tuple[str, Decimal]] = []
    entry = schedule.entry_fee
    if include_entry_fee and entry is not None:
        lines.append((LINE_ENTRY_FEE, entry.amount))
        inputs["entry_fee"] = str(entry.amount)
    royalty = schedule.royalty
    if royalty is not None:
        lines += _royalty_lines(
            royalty, contract_year, base_value, period_fraction, paid_so_far_total, inputs
        )
    return RoyaltyComputation(amount=sum((a for _, a in lines), ZERO), lines=lines, inputs=inputs)


def _royalty_lines(
    r: Royalty,
    year: int,
    base_value: Decimal,
    fraction: Decimal,
    paid_so_far: Decimal,
    inputs: dict[str, JsonValue],
) -> list[tuple[str, Decimal]]:
    if not r.is_measurable or r.base is None:
        raise ValueError("提成约定不完整（缺少计提基数、报告周期或比例），无法计算（规则 L9）")
    base = base_value
    if base < 0:
        if r.base is not RoyaltyBase.PROFIT:
            raise ValueError(f"{r.base.label}不能为负数")
        base = Decimal(0)  # a loss-making period owes no profit royalty (the minimum still applies)
    inputs["base"] = r.base.value
    inputs["base_used"] = str(base)
    label, raw = _raw(r, year, base, inputs)
    lines = [(label, raw)]
    due = raw
    if r.min_annual is not None:
        floor = money(r.min_annual * fraction)
        inputs["min_annual"], inputs["period_minimum"] = str(r.min_annual), str(floor)
        if due < floor:
            lines.append((LINE_MINIMUM, floor - due))
            due = floor
    if r.cap_annual is not None:
        ceiling = money(r.cap_annual * fraction)
        inputs["cap_annual"], inputs["period_cap"] = str(r.cap_annual), str(ceiling)
        if due > ceiling:
            lines.append((LINE_CAP_ANNUAL, ceiling - due))
            due = ceiling
    if r.cap_total is not None:
        remaining = max(ZERO, money(r.cap_total - paid_so_far))
        inputs["cap_total"], inputs["cap_total_remaining"] = str(r.cap_total), str(remaining)
        if due > remaining:
            lines.append((LINE_CAP_TOTAL, remaining - due))
            due = remaining
    inputs["royalty"] = str(due)
    return lines


def _raw(r: Royalty, year: int, base: Decimal, inputs: dict[str, JsonValue]) -> tuple[str, Decimal]:
    """The uncapped royalty and its statement label, e.g. ``提成 (净销售额 ¥200,000.00 × 3%)``."""
    assert r.base is not None  # checked by the caller (is_measurable)
    first = r.rates[0]
    if isinstance(first, Tier):
        tiers = [s for s in r.rates if isinstance(s, Tier)]
        parts: list[tuple[Decimal, Decimal]] = []
        for i, tier in enumerate(tiers):
            upper = tiers[i + 1].from_amount if i + 1 < len(tiers) else None
            portion = (base if upper is None else min(base, upper)) - tier.from_amount
            if portion > 0:
                parts.append((portion, tier.rate))
        inputs["tiers"] = [{"from_amount": str(t.from_amount), "rate": str(t.rate)} for t in tiers]
        raw = money(sum((p * rate for p, rate in parts), Decimal(0)))
        detail = " + ".join(f"{format_cny(p)} × {format_rate(rate)}" for p, rate in parts) or "不足首档"
        return f"提成 ({r.base.label} {format_cny(base)}，分段累进：{detail})", raw
    step = max((s for s in r.rates if not isinstance(s, Tier) and s.from_year <= year), key=_year)
    if isinstance(step, UnitPrice):
        inputs["per_unit"] = str(step.per_unit)
        units = f"{base.normalize():,f}"
        return f"提成 ({r.base.label} {units} 件 × {format_cny(step.per_unit)})", money(step.per_unit * base)
    inputs["rate"] = str(step.rate)
    return f"提成 ({r.base.label} {format_cny(base)} × {format_rate(step.rate)})", money(step.rate * base)


def _year(step: YearRate | UnitPrice) -> int:
    return step.from_year
