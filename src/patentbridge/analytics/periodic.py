"""The monthly or quarterly statistics report of a region: what happened in the period (flows),
where the region stands at its end (the full indicator report as of the last day), the licences
signed month by month, and — in a separate section — the official figures dated by then.

A flow is the change of a cumulative indicator over the period: its value as of the last day
minus its value as of the day before the first. Only indicators that count records by their own
date and never go down qualify (``FLOW_IDS``); current-state indicators (trials in progress,
outstanding receivables, rates) are reported as of the period's end only.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from patentbridge.analytics.indicators import Context, compute
from patentbridge.analytics.report import Report, build_report
from patentbridge.analytics.scope import EARLIEST, ScopeError
from patentbridge.analytics.series import monthly_rows
from patentbridge_engine.analytics import Scope, Value, format_value
from patentbridge_engine.analytics.values import Number

__all__ = ["FLOW_IDS", "Flow", "Period", "PeriodReport", "build_period_report", "parse_period"]

# Cumulative by record date (catalogue definitions say "截至统计日…按…日期"): value(end) −
# value(start − 1 day) is what was added in the period.
FLOW_IDS = (
    "LIB-APPROVED",
    "MAT-NEEDS",
    "MAT-PUSHED",
    "LIC-OFFERS",
    "LIC-LICENCES",
    "LIC-TRIALS",
    "LIC-FILED",
    "OL-PUBLISHED",
    "OL-ACCEPTED",
    "PL-ENTERED",
    "MON-RECEIVED",
    "MON-INVENTOR",
)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")


@dataclass(frozen=True)
class Period:
    """A calendar month (``2026-10``) or quarter (``2026-Q3``); ``end`` is clipped to today for
    the running period (then ``partial`` is true)."""

    code: str
    kind: str
    start: dt.date
    end: dt.date
    partial: bool

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            text = f"{self.start.year} 年第 {(self.start.month - 1) // 3 + 1} 季度"
        else:
            text = f"{self.start.year} 年 {self.start.month} 月"
        return f"{text}（截至 {self.end.isoformat()}）" if self.partial else text

    @property
    def kind_label(self) -> str:
        return "季度报告" if self.kind == "quarter" else "月度报告"


def parse_period(text: str, today: dt.date) -> Period:
    """``YYYY-MM`` or ``YYYY-Qn`` → Period; empty → this month. ScopeError (Chinese) for anything
    else, a period starting after today, or one before 1985."""
    raw = (text or "").strip()[:12]
    if not raw:
        raw = f"{today.year}-{today.month:02d}"
    month, quarter = _MONTH.match(raw), _QUARTER.match(raw)
    if month:
        year, first = int(month.group(1)), int(month.group(2))
        if not 1 <= first <= 12:
            raise ScopeError(f"月份无效：{raw}")
        months, kind, code = 1, "month", f"{year}-{first:02d}"
    elif quarter:
        year, q = int(quarter.group(1)), int(quarter.group(2))
        first, months, kind, code = 3 * q - 2, 3, "quarter", f"{year}-Q{q}"
    else:
        raise ScopeError(f"统计期格式应为 YYYY-MM（月度）或 YYYY-Qn（季度）：{raw}")
    if not 1985 <= year <= 9999:
        raise ScopeError(f"年份无效：{year}")
    start = dt.date(year, first, 1)
    last_month = first + months - 1
    end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    if start > today:
        raise ScopeError(f"统计期尚未开始：{code}")
    if end < EARLIEST:
        raise ScopeError(f"统计期不能早于 {EARLIEST.isoformat()}")
    return Period(code, kind, start, min(end, today), end > today)


@dataclass(frozen=True)
class Flow:
    """One indicator's change over the period."""

    value: Value
    before: Number
    after: Number

    @property
    def change(self) -> Number:
        if self.before is None or self.after is None:
            return None
        if isinstance(self.before, Decimal) or isinstance(self.after, Decimal):
            return Decimal(self.after) - Decimal(self.before)
        return self.after - self.before

    @property
    def display(self) -> str:
        return format_value(self.change, self.value.definition.unit)

    @property
    def total_display(self) -> str:
        return format_value(self.after, self.value.definition.unit)


@dataclass(frozen=True)
class PeriodReport:
    """Flows, the as-of-end report (platform and official kept apart) and the licences signed in
    each of the twelve months ending with the period (``trend``; the period's months are ``months``)."""

    period: Period
    flows: list[Flow]
    report: Report
    trend: list[tuple[str, int, int]]

    @property
    def months(self) -> list[tuple[str, int, int]]:
        first = self.period.start.strftime("%Y-%m")
        return [row for row in self.trend if row[0] >= first]

    @property
    def scope(self) -> Scope:
        return self.report.scope

    @property
    def by_region(self) -> Value:
        return next(v for v in self.report.values if v.id == "LIB-BY-REGION")


def build_period_report(scope: Scope, period: Period) -> PeriodReport:
    """The report of ``period`` for ``scope`` (its as-of date is replaced by the period's end)."""
    end_scope = replace(scope, as_of=period.end)
    report = build_report(end_scope)
    after = {v.id: v for v in report.values}
    before_day = period.start - dt.timedelta(days=1)
    before = {v.id: v.value for v in compute(replace(scope, as_of=before_day), FLOW_IDS)}
    flows = [Flow(after[i], before[i], after[i].value) for i in FLOW_IDS]
    return PeriodReport(period, flows, report, monthly_rows(Context(end_scope)))
