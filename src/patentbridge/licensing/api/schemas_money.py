"""Request and response schemas of the money API (usage reports, receivables)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

__all__ = ["ReceivableOut", "UsageReportIn", "UsageReportOut", "UsageResultOut"]


class UsageReportIn(Schema):
    """One period's figures. ``period_start`` is the period's first day (YYYY-MM-DD) as listed by
    ``GET /api/licences/{id}/receivables``; figures are strings like ``"200000.00"`` (integers are
    accepted, floats refused so nothing is rounded in transit). The field of the royalty's base is
    required. Fields are loosely typed so that every refusal carries a Chinese reason."""

    period_start: Any = None
    units: Any = None
    sales: Any = None
    net_sales: Any = None
    profit: Any = None
    new_output_value: Any = None
    note: Any = ""


class ReceivableOut(Schema):
    id: int
    component: str
    component_label: str
    label: str
    period_start: dt.date | None
    period_end: dt.date | None
    due_date: dt.date | None
    amount_due: str | None
    amount_paid: str
    outstanding: str | None
    state: str
    state_label: str
    days_overdue: int
    computation: list[list[str]]


class UsageReportOut(Schema):
    id: int
    period_label: str
    period_start: dt.date
    period_end: dt.date
    units: str | None
    sales: str | None
    net_sales: str | None
    profit: str | None
    new_output_value: str | None


class UsageResultOut(Schema):
    """The stored report and the receivable it made due (None for the free trial's report)."""

    report: UsageReportOut
    receivable: ReceivableOut | None
