"""Licensing dates: filing deadlines, trial ends, reminders and overdue days (细则 Arts. 5, 15).

Two deadlines are kept apart on purpose. ``licence_filing_due`` is the corresponding-day date of
细则 Art. 5 (effective 2025-11-30 + 3 months → 2026-02-28, §13): it is what the platform shows and
counts reminders from, so users aim for it. ``filing_deadline_effective`` applies Art. 5's second
rule — a period that ends on a holiday ends on the next working day — and is the last day a filing
is still on time, so "overdue" is counted from it (2026-02-28 is a Saturday → 2026-03-02). CNIPA
treats weekends as rest days for this rule; official holidays and make-up working days (调休) are
not computable from the calendar, so callers pass them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from patentbridge_engine.legal.terms import add_months

__all__ = [
    "add_months",
    "days_overdue",
    "filing_deadline_effective",
    "is_working_day",
    "licence_filing_due",
    "next_working_day",
    "reminder_dates",
    "trial_end",
]

_NO_DATES: frozenset[dt.date] = frozenset()


def is_working_day(
    d: dt.date, holidays: frozenset[dt.date] = _NO_DATES, extra_workdays: frozenset[dt.date] = _NO_DATES
) -> bool:
    """Monday–Friday and not in ``holidays``; a date in ``extra_workdays`` (a Saturday or Sunday
    worked under 调休) is a working day whatever its weekday."""
    if d in extra_workdays:
        return True
    return d.weekday() < 5 and d not in holidays


def next_working_day(
    d: dt.date, holidays: frozenset[dt.date] = _NO_DATES, extra_workdays: frozenset[dt.date] = _NO_DATES
) -> dt.date:
    """``d`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(d, holidays, extra_workdays):
        d += dt.timedelta(days=1)
    return d


def licence_filing_due(effective: dt.date, *, months: int = 3) -> dt.date:
    """The filing date the platform targets: ``months`` (policy ``LICENCE_FILING_MONTHS``) after the
    contract took effect, on the corresponding day (细则 Art. 15 ¶2 with Art. 5)."""
    return add_months(effective, months)


def filing_deadline_effective(
    effective: dt.date,
    *,
    months: int = 3,
    holidays: frozenset[dt.date] = _NO_DATES,
    extra_workdays: frozenset[dt.date] = _NO_DATES,
) -> dt.date:
    """The last day a filing is on time: ``licence_filing_due`` moved to the next working day when
    it falls on a weekend or holiday (细则 Art. 5)."""
    return next_working_day(licence_filing_due(effective, months=months), holidays, extra_workdays)


def trial_end(start: dt.date, months: int) -> dt.date:
    """End date of a ``months``-long free trial starting on ``start`` (corresponding-day rule):
    2026-01-15 + 6 months → 2026-07-15."""
    if months < 1:
        raise ValueError(f"试用期限必须至少 1 个月，收到 {months}")
    return add_months(start, months)


def reminder_dates(deadline: dt.date, days: Iterable[int] = (30, 7)) -> list[dt.date]:
    """The dates ``days`` before ``deadline``, earliest first, without duplicates: for 2026-07-15 and
    (30, 7) → 2026-06-15, 2026-07-08."""
    offsets = sorted(set(days), reverse=True)
    if any(k < 0 for k in offsets):
        raise ValueError("提醒天数不能为负数")
    return [deadline - dt.timedelta(days=k) for k in offsets]


def days_overdue(due: dt.date, as_of: dt.date) -> int:
    """Whole days past ``due`` on ``as_of`` (0 on or before the due day)."""
    return max(0, (as_of - due).days)
