"""Merging a new record into a stored one, and the fields derived from the merged result.

Merge rule: a field the incoming record leaves empty never erases a stored value. When both
sides carry a publication date, the newer publication wins (a B grant text supersedes its A
publication, whichever order the rows arrive in); otherwise the incoming value wins. This
makes importing the same file twice a no-op and keeps A/B pairs order-independent.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from patentbridge_engine.ids.orgs import applicant_kind, region_of
from patentbridge_engine.ingest.record import PatentRecord
from patentbridge_engine.ingest.rights import merge_right_records
from patentbridge_engine.legal.status import LegalState, status_as_of
from patentbridge_engine.legal.terms import PatentType, term_expiry

__all__ = ["MERGE_FIELDS", "Derived", "derive", "merge_fields", "publication_conflict"]

MERGE_FIELDS = tuple(f for f in PatentRecord.__slots__ if f not in ("warnings",))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def merge_fields(stored: dict[str, Any], incoming: PatentRecord) -> dict[str, Any]:
    """The merged field values (a new dict; ``stored`` is not modified)."""
    merged = dict(stored)
    given = incoming.given_fields()
    stored_pub = stored.get("publication_date")
    incoming_pub = given.get("publication_date")
    older = (
        isinstance(stored_pub, dt.date) and isinstance(incoming_pub, dt.date) and incoming_pub < stored_pub
    )
    for field, value in given.items():
        if field not in MERGE_FIELDS:
            continue
        if older and not _empty(stored.get(field)):
            continue  # an older publication only fills gaps
        if field == "right_records":
            # Right cells merge by column group, so an export of licences only keeps the pledges.
            merged[field] = merge_right_records(stored.get(field), value)
            continue
        merged[field] = value
    return merged


_IDENTITY_FIELDS = (("title", "专利名称"), ("applicants", "申请人"), ("inventors", "发明人"))
_NOISE = re.compile(r"[\s,，;；、·.。()（）]+")


def _identity_value(value: Any) -> Any:
    if isinstance(value, list):
        return frozenset(_NOISE.sub("", str(v)) for v in value if str(v).strip())
    return _NOISE.sub("", str(value or ""))


def publication_conflict(stored: dict[str, Any], incoming: PatentRecord) -> str:
    """For patents keyed by publication number (no application number known): ``""`` when the
    incoming row can be the same application as the stored one, else a Chinese reason naming what
    differs.

    An A publication and its B grant share the serial. Examination may amend the title or the
    inventor list (the real CNKI sample has one of each among 70 A/B pairs), rarely both, and a
    recorded change of applicant may add or drop a co-applicant (5 of ~800 pairs in the demo subset):
    the rows merge when the applicant lists share a name and at least one of title and inventors
    agrees. A field one side does not give cannot contradict the other.
    """
    different = {
        name: label
        for name, label in _IDENTITY_FIELDS
        if not _empty(stored.get(name))
        and not _empty(getattr(incoming, name))
        and _identity_value(stored.get(name)) != _identity_value(getattr(incoming, name))
    }
    if "applicants" in different and _identity_value(stored["applicants"]) & _identity_value(
        incoming.applicants
    ):
        del different["applicants"]  # a co-applicant added or dropped: still one application
    if "applicants" not in different and not ("title" in different and "inventors" in different):
        return ""
    return (
        f"与已有的同号公开文献（{stored.get('publication_number') or incoming.application_number}）"
        f"{'、'.join(different.values())}不一致，无法确认是同一件专利申请；请核对后分别补充申请号再导入"
    )


# 申请人类型 texts of commercial exports, mapped onto our kinds.
_KIND_TEXT = (
    ("大专院校", "university"),
    ("高校", "university"),
    ("大学", "university"),
    ("院校", "university"),
    ("科研", "institute"),
    ("机关团体", "institute"),
    ("企业", "enterprise"),
    ("公司", "enterprise"),
    ("个人", "individual"),
)


def _kind_from_text(text: str) -> str:
    for needle, kind in _KIND_TEXT:
        if needle in text:
            return kind
    return ""


@dataclass(frozen=True, slots=True)
class Derived:
    """Values computed from the merged fields, stored for filtering."""

    expiry_date: dt.date | None
    legal_status: str
    applicant_kind: str
    province: str
    city: str


def derive(fields: dict[str, Any], as_of: dt.date) -> Derived:
    """Expiry, legal status as of ``as_of``, first applicant's kind, and region."""
    ptype = PatentType(fields["patent_type"]) if fields.get("patent_type") else None
    filing = fields.get("filing_date")
    expiry = term_expiry(ptype, filing) if ptype is not None and isinstance(filing, dt.date) else None
    stated = LegalState(fields["stated_status"]) if fields.get("stated_status") else LegalState.UNKNOWN
    if stated is LegalState.UNKNOWN and fields.get("grant_number"):
        stated = LegalState.GRANTED  # a grant announcement without a later status text
    elif stated is LegalState.UNKNOWN and fields.get("publication_number"):
        stated = LegalState.PUBLISHED
    status = status_as_of([], as_of, patent_type=ptype, filing_date=filing, fallback=stated)
    names = tuple(fields.get("applicants") or fields.get("patentees") or ())
    kind = _kind_from_text(fields.get("applicant_kind_text", "")) or (
        applicant_kind(names[0]) if names else ""
    )
    region = region_of(fields.get("region_code", ""), fields.get("applicant_address", ""), names)
    return Derived(
        expiry_date=expiry,
        legal_status=status.value,
        applicant_kind=kind,
        province=region.province if region else "",
        city=region.city if region else "",
    )
