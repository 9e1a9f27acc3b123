"""Request and response schemas of the licences API. Request fields are loosely typed (``Any``) so
that every malformed value is refused by the route with a Chinese reason (422), never with the
validator's English message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

__all__ = [
    "ActionIn",
    "ActionOut",
    "ApplicationOut",
    "CreatedOut",
    "DecisionIn",
    "DocumentOut",
    "FilingOut",
    "FindingOut",
    "LicenceCreateIn",
    "LicenceDetailOut",
    "LicenceListOut",
    "LicenceOut",
    "LicensedPatentOut",
    "OrgOut",
    "PatentRef",
    "StepOut",
]


class OrgOut(Schema):
    id: int
    name: str
    region_code: str = ""
    region_label: str = ""


class PatentRef(Schema):
    application_number: str
    title: str


class LicensedPatentOut(PatentRef):
    """A patent of a contract's scope. A patent that lapsed, expired or was invalidated while the
    contract runs on for the others left the scope on ``left_on`` (``left_reason`` in Chinese);
    it is no longer licensed from that day."""

    in_scope: bool = True
    left_on: dt.date | None = None
    left_reason: str = ""


class LicenceOut(Schema):
    """One contract in the list (the board's card, as data)."""

    id: int
    contract_no: str
    state: str
    state_label: str
    stage: str
    kind: str
    kind_label: str
    origin: str
    origin_label: str
    licensor: OrgOut
    licensee: OrgOut
    patents: list[LicensedPatentOut]
    start_date: dt.date
    end_date: dt.date
    trial_months: int | None
    trial_end: dt.date | None
    next_deadline: dt.date | None
    next_deadline_label: str
    out_of_region: bool
    is_demo: bool
    url: str


class LicenceListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[LicenceOut]


class FindingOut(Schema):
    code: str
    severity: str
    reason: str
    source: str
    patent: str = ""


class FilingOut(Schema):
    id: int
    kind: str
    state: str
    state_label: str
    due_date: dt.date
    submitted_at: dt.date | None
    filed_by_side: str
    record_no: str
    filed_at: dt.date | None
    hold_reason: str
    refusal_reason: str


class StepOut(Schema):
    event: str
    label: str
    from_state: str
    to_state: str
    on_date: dt.date
    note: str
    actor: str


class DocumentOut(Schema):
    id: int
    name: str
    kind: str
    sha256: str
    size: int


class ActionOut(Schema):
    event: str
    label: str


class LicenceDetailOut(LicenceOut):
    """A contract with its terms, rule check, filing, timeline and the caller's possible actions."""

    licensors: list[dict[str, str]]
    territory: str
    field_of_use: str
    sublicence_allowed: bool
    paid_start: dt.date | None
    fee_schedule: dict[str, Any]
    fee_text: str
    price_method: str
    conversion_mode: str
    usage_report_required: bool
    trial_extensions_allowed: int
    trial_extensions_used: int
    signed_at: dt.date | None
    effective_at: dt.date | None
    end_reason: str
    offer_id: int | None
    application_id: int | None
    check: str
    findings: list[FindingOut]
    filings: list[FilingOut]
    timeline: list[StepOut]
    documents: list[DocumentOut]
    allowed_actions: list[ActionOut]


class LicenceCreateIn(Schema):
    """Two shapes (see the route): an enterprise's application (``offer_id``, ``requested_mode``,
    optional ``patents`` and ``intended_use``) or a TTO's/operator's contract draft."""

    offer_id: Any = None
    requested_mode: Any = None
    intended_use: Any = None
    licensor_org_id: Any = None
    licensee_org_id: Any = None
    patents: Any = None
    kind: Any = None
    origin: Any = None
    start: Any = None
    end: Any = None
    trial_months: Any = None
    fee_schedule: Any = None
    price_method: Any = None
    field_of_use: Any = None
    territory: Any = None
    conversion_mode: Any = None
    extensions_allowed: Any = None
    usage_report_required: Any = None


class ApplicationOut(Schema):
    id: int
    state: str
    state_label: str
    offer_id: int
    applicant: OrgOut
    requested_mode: str
    requested_mode_label: str
    patents: list[PatentRef]
    intended_use: str
    out_of_region: bool
    needs_region_confirmation: bool
    decision_reason: str
    contract_id: int | None
    url: str


class CreatedOut(Schema):
    """What ``POST /licences`` made: ``kind`` = ``application`` or ``contract``, with that record."""

    kind: str
    application: ApplicationOut | None = None
    contract: LicenceDetailOut | None = None


class ActionIn(Schema):
    """Inputs of a contract action; which ones are read depends on the event."""

    on: Any = None
    note: Any = None
    reason: Any = None
    reason_code: Any = None
    months: Any = None
    result_name: Any = None
    proposed_price: Any = None
    objections: Any = None
    fee_schedule: Any = None


class DecisionIn(Schema):
    """Deciding an application: ``on``/``end`` for accept, ``reason`` for reject."""

    on: Any = None
    end: Any = None
    reason: Any = None
