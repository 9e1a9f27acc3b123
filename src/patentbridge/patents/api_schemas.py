"""Response schemas of the patents API (the library list and a patent)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

__all__ = ["ClassOut", "PatentDetailOut", "PatentListOut", "PatentOut"]


class ClassOut(Schema):
    scheme: str
    code: str
    name: str
    method: str
    reason: str
    score: float | None = None


class PatentOut(Schema):
    application_number: str
    publication_number: str
    title: str
    patent_type: str
    applicants: list[str]
    filing_date: dt.date | None
    grant_date: dt.date | None
    legal_status: str
    ipc_main: str
    province: str
    applicant_kind: str
    library_status: str


class PatentDetailOut(PatentOut):
    grant_number: str
    abstract: str
    main_claim: str
    claims: str
    claims_count: int | None
    ipc: list[str]
    cpc: list[str]
    patentees: list[str]
    inventors: list[str]
    publication_date: dt.date | None
    expiry_date: dt.date | None
    legal_status_text: str
    fiscal_funded: bool | None
    fiscal_project: str
    transfer_count: int | None
    license_count: int | None
    pledge_count: int | None
    citations: list[str]
    family: list[str]
    self_assessment: str
    source_batch_id: int | None
    source_row: int | None
    source_form: bool
    classes: list[ClassOut]

    @staticmethod
    def resolve_classes(obj: object) -> list[object]:
        return list(obj.classes.all())  # type: ignore[attr-defined]


class PatentListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[PatentOut]
    facets: dict[str, list[dict[str, object]]]
