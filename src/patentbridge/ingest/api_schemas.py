"""Response schemas of the imports API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

__all__ = ["BatchOut", "IssueOut"]


class IssueOut(Schema):
    row_number: int
    label: str
    field: str
    value: str
    reason: str
    severity: str


class BatchOut(Schema):
    id: int
    original_name: str
    format: str
    status: str
    rows_estimated: int | None
    rows_read: int
    imported: int
    updated: int
    unchanged: int
    rejected: int
    warnings: int
    percent: int
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
