"""Request and response schemas of the open-licence API. Request fields are loosely typed (``Any``)
so that every malformed value is refused with a Chinese reason by the route, not with the
validator's English message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Schema

__all__ = [
    "AcceptIn",
    "AcceptOut",
    "DeclarationIn",
    "DeclarationOut",
    "FindingOut",
    "OpenListOut",
    "OpenRowOut",
    "PublishIn",
    "WithdrawIn",
    "parse_bool",
    "parse_date",
    "parse_int",
    "parse_names",
    "parse_text",
]


class FindingOut(Schema):
    code: str
    severity: str
    reason: str
    source: str
    patent: str = ""


class OpenRowOut(Schema):
    """One catalogue row: public facts only."""

    id: int
    version: int
    application_number: str
    title: str
    patent_type: str
    patentees: list[str]
    licensor: str
    fee_type: str
    fee_type_label: str
    fee: str
    term: str
    chains: list[str]
    grade: str
    ipc: str
    published_at: dt.date | None
    announcement_no: str
    expiry_date: dt.date | None
    contact: str
    is_demo: bool


class OpenListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[OpenRowOut]


class DeclarationIn(Schema):
    """A declaration on one of the caller's organisation's patents. ``fee_schedule`` is the
    engine's FeeSchedule dict ({"free": true, "components": []} for a free licence); ``term_kind``
    years_from_licence (with ``term_years``) | until_date (with ``term_until``) |
    until_patent_expiry; ``signed_by`` names the patentees who signed (all must); ``as_of`` is the
    self-check date (default today)."""

    application_number: Any = None
    fee_schedule: Any = None
    fee_text: Any = ""
    term_kind: Any = "until_patent_expiry"
    term_years: Any = None
    term_until: Any = None
    other_terms: Any = ""
    signed_by: Any = None
    evaluation_report_no: Any = ""
    evaluation_issued_at: Any = None
    evaluation_conclusion: Any = ""
    pledgee_consent: Any = False
    contact: Any = ""
    origin: Any = "platform"
    as_of: Any = None


class DeclarationOut(Schema):
    id: int
    version: int
    state: str
    state_label: str
    application_number: str
    title: str
    declarant: str
    patentees: list[str]
    signed_by: list[str]
    fee_schedule: dict[str, Any]
    fee: str
    fee_type: str
    fee_text: str
    term_kind: str
    term: str
    term_years: int | None
    term_until: dt.date | None
    other_terms: str
    contact: str
    origin: str
    submitted_at: dt.date | None
    published_at: dt.date | None
    announcement_no: str
    withdrawal_reason: str
    withdrawal_submitted_at: dt.date | None
    withdrawal_published_at: dt.date | None
    findings: list[FindingOut]
    public_url: str


class PublishIn(Schema):
    """CNIPA's announcement: date and number; ``submitted_at`` (default the announcement date) is
    recorded first when the declaration was not yet marked as submitted."""

    published_at: Any = None
    announcement_no: Any = ""
    submitted_at: Any = None


class AcceptIn(Schema):
    """The enterprise's written notice (default date: today; never in the future)."""

    notified_at: Any = None
    intended_use: Any = ""


class AcceptOut(Schema):
    acceptance_id: int
    state: str
    state_label: str
    declaration_id: int
    licensee: str
    notified_at: dt.date
    contract_id: int
    contract_no: str
    contract_state: str
    contract_state_label: str
    effective_at: dt.date | None
    start_date: dt.date
    end_date: dt.date
    filing_due: dt.date | None


class WithdrawIn(Schema):
    """A withdrawal: the legitimate reason, the submission date (default today), every co-owner's
    consent, and — when CNIPA has announced it — the announcement date."""

    reason: Any = ""
    submitted_at: Any = None
    coowners_consent: Any = False
    published_at: Any = None


# --- reading the loosely typed fields, refusing in Chinese -------------------------------------


def parse_date(value: Any, field: str, label: str, default: dt.date | None = None) -> dt.date | None:
    """A ``YYYY-MM-DD`` string as a date (``default`` when absent); anything else is refused."""
    if value in (None, ""):
        return default
    problem = ValidationError({field: f"{label}须为 YYYY-MM-DD 格式的日期"})
    if not isinstance(value, str) or len(value) != 10:
        raise problem
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise problem from None


def parse_text(value: Any, field: str, label: str, limit: int) -> str:
    """A string of at most ``limit`` characters ("" when absent)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: f"{label}须为文字"})
    if len(value) > limit:
        raise ValidationError({field: f"{label}不能超过 {limit} 个字符"})
    return value


def parse_bool(value: Any, field: str, label: str) -> bool:
    """A JSON true/false (strings like "yes" are refused, not guessed)."""
    if isinstance(value, bool):
        return value
    raise ValidationError({field: f"{label}须为 true 或 false"})


def parse_int(value: Any, field: str, label: str) -> int | None:
    """A non-negative integer of at most four digits (None when absent)."""
    if value in (None, ""):
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | str)
        or not str(value).isdigit()
        or len(str(value)) > 4
    ):
        raise ValidationError({field: f"{label}须为正整数"})
    return int(value)


def parse_names(value: Any) -> tuple[str, ...]:
    """A list of at most 50 patentee names, blanks dropped, order kept."""
    if value is None:
        return ()
    if (
        not isinstance(value, list)
        or len(value) > 50
        or not all(isinstance(v, str) and len(v) <= 200 for v in value)
    ):
        raise ValidationError({"signed_by": "signed_by 须为专利权人名称列表（每个不超过 200 个字符）"})
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
