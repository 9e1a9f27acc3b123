"""Licensing dates: 细则 Art. 5 month arithmetic, working days, filing and trial deadlines (§13)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.legal.terms import add_years
from patentbridge_engine.licensing.dates import (
    add_months,
    days_overdue,
    filing_deadline_effective,
    is_working_day,
    licence_filing_due,
    next_working_day,
    reminder_dates,
    trial_end,
)

D = dt.date
dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31))
month_counts = st.integers(min_value=-240, max_value=240)


# --- §13 vectors -----------------------------------------------------------------------------


def test_filing_due_vector_corresponding_day_missing() -> None:
    # 2025-11-30 + 3 months: February 2026 has no 30th → its last day (细则 Art. 5).
    assert licence_filing_due(D(2025, 11, 30)) == D(2026, 2, 28)


def test_filing_deadline_rolls_off_the_weekend() -> None:
    assert D(2026, 2, 28).weekday() == 5  # Saturday
    assert filing_deadline_effective(D(2025, 11, 30)) == D(2026, 3, 2)


def test_filing_deadline_rolls_over_holidays_too() -> None:
    holidays = frozenset({D(2026, 3, 2), D(2026, 3, 3)})
    assert filing_deadline_effective(D(2025, 11, 30), holidays=holidays) == D(2026, 3, 4)


def test_filing_deadline_on_a_working_day_stays() -> None:
    # 2026-01-15 + 3 months = 2026-04-15, a Wednesday.
    assert filing_deadline_effective(D(2026, 1, 15)) == licence_filing_due(D(2026, 1, 15)) == D(2026, 4, 15)


def test_filing_months_come_from_the_caller() -> None:
    assert licence_filing_due(D(2026, 1, 31), months=1) == D(2026, 2, 28)
    assert licence_filing_due(D(2026, 1, 31), months=2) == D(2026, 3, 31)


def test_trial_end_and_reminders_vector() -> None:
    end = trial_end(D(2026, 1, 15), 6)
    assert end == D(2026, 7, 15)
    assert reminder_dates(end) == [D(2026, 6, 15), D(2026, 7, 8)]
    assert reminder_dates(end, days=(7, 30, 7)) == [D(2026, 6, 15), D(2026, 7, 8)]


def test_trial_end_refuses_a_non_positive_length() -> None:
    with pytest.raises(ValueError, match="试用期限"):
        trial_end(D(2026, 1, 15), 0)


def test_reminders_refuse_negative_offsets() -> None:
    with pytest.raises(ValueError, match="提醒天数"):
        reminder_dates(D(2026, 7, 15), days=(30, -1))


# --- working days ------------------------------------------------------------------------------


def test_next_working_day_weekend_and_make_up_workday() -> None:
    saturday = D(2026, 2, 28)
    assert next_working_day(saturday) == D(2026, 3, 2)
    assert next_working_day(D(2026, 3, 2)) == D(2026, 3, 2)
    # 调休: a Saturday declared a working day is one.
    assert next_working_day(saturday, extra_workdays=frozenset({saturday})) == saturday
    assert is_working_day(D(2026, 3, 2))
    assert not is_working_day(D(2026, 3, 2), holidays=frozenset({D(2026, 3, 2)}))


def test_next_working_day_over_a_golden_week() -> None:
    golden = frozenset(D(2026, 10, d) for d in range(1, 9))
    assert next_working_day(D(2026, 10, 1), golden) == D(2026, 10, 9)


def test_days_overdue() -> None:
    due = D(2026, 3, 2)
    assert days_overdue(due, D(2026, 3, 1)) == 0
    assert days_overdue(due, due) == 0
    assert days_overdue(due, D(2026, 3, 3)) == 1
    assert days_overdue(due, D(2026, 4, 1)) == 30


# --- month arithmetic --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 8, 31), 1, D(2025, 9, 30)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),  # year boundary
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -13, D(2024, 12, 15)),
        (D(2026, 5, 20), 0, D(2026, 5, 20)),
    ],
)
def test_add_months_examples(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


@given(dates, month_counts)
def test_add_months_lands_in_the_right_month(start: dt.date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months


@given(dates, month_counts)
def test_add_months_corresponding_day_or_last_day(start: dt.date, months: int) -> None:
    result = add_months(start, months)
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day <= start.day
    # Either the same day of the month, or the month has no such day and it is the last day.
    assert result.day == start.day or (result.day == last_day and start.day > last_day)


@given(dates, st.integers(min_value=-20, max_value=20))
def test_add_months_by_whole_years_agrees_with_add_years(start: dt.date, years: int) -> None:
    assert add_months(start, 12 * years) == add_years(start, years)


@given(dates.filter(lambda d: d.day <= 28), month_counts)
def test_add_months_round_trips_when_the_day_exists_everywhere(start: dt.date, months: int) -> None:
    assert add_months(add_months(start, months), -months) == start


@given(dates, st.integers(min_value=1, max_value=24))
def test_filing_deadline_is_the_first_working_day_on_or_after_the_due_date(
    effective: dt.date, months: int
) -> None:
    due = licence_filing_due(effective, months=months)
    deadline = filing_deadline_effective(effective, months=months)
    assert deadline >= due
    assert deadline.weekday() < 5
    assert (deadline - due).days <= 2
    assert all((due + dt.timedelta(days=k)).weekday() >= 5 for k in range((deadline - due).days))
