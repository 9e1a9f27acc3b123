"""The public implementation list (专利公开实施清单) for fiscally funded patents.

A valid, fiscally funded patent with no recorded implementation, transfer or licence enters a
jurisdiction's list N years after its anchor date (grant by default; Shandong 3, Jinan 5 in the
shipped policy). The rule is the policy's; the date arithmetic follows 细则 Art. 5 (29 February).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from patentbridge_engine.grading.policy import GradingPolicy
from patentbridge_engine.legal.status import LegalState
from patentbridge_engine.legal.terms import add_years

__all__ = ["ListCandidate", "ListEntry", "list_entries"]


@dataclass(frozen=True)
class ListCandidate:
    """What the list rule reads of a patent."""

    id: str
    fiscal_funded: bool | None
    legal_status: str | None
    grant_date: dt.date | None
    filing_date: dt.date | None
    province: str = ""
    city: str = ""
    implemented_on: dt.date | None = None  # first recorded implementation, transfer or licence
    transfer_count: int | None = None
    license_count: int | None = None


@dataclass(frozen=True)
class ListEntry:
    """A patent on a jurisdiction's list on the as-of date, why, and since when."""

    id: str
    jurisdiction: str
    jurisdiction_label: str
    policy_version: str
    since: dt.date
    reason: str
    government_use: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "application_number": self.id,
            "jurisdiction": self.jurisdiction,
            "jurisdiction_label": self.jurisdiction_label,
            "policy_version": self.policy_version,
            "since": self.since.isoformat(),
            "reason": self.reason,
            "government_use": self.government_use,
        }


def _in_jurisdiction(rule: dict[str, Any], patent: ListCandidate) -> bool:
    if rule.get("province") and not patent.province.startswith(str(rule["province"])):
        return False
    return not (rule.get("city") and not patent.city.startswith(str(rule["city"])))


def list_entries(patents: Iterable[ListCandidate], as_of: dt.date, policy: GradingPolicy) -> list[ListEntry]:
    """Every (patent, jurisdiction) on the list on ``as_of`` under ``policy``."""
    rules: dict[str, dict[str, Any]] = policy.public_list.get("jurisdictions", {})
    out = []
    for patent in patents:
        if patent.fiscal_funded is not True or patent.legal_status != LegalState.GRANTED:
            continue
        implemented = patent.implemented_on is not None and patent.implemented_on <= as_of
        if implemented or (patent.transfer_count or 0) > 0 or (patent.license_count or 0) > 0:
            continue
        for code, rule in rules.items():
            if not _in_jurisdiction(rule, patent):
                continue
            anchor = (
                patent.grant_date if rule.get("anchor", "grant_date") == "grant_date" else patent.filing_date
            )
            if anchor is None:
                continue
            years = int(rule["years"])
            since = add_years(anchor, years)
            if as_of < since:
                continue
            anchor_label = "授权" if rule.get("anchor", "grant_date") == "grant_date" else "申请"
            out.append(
                ListEntry(
                    id=patent.id,
                    jurisdiction=code,
                    jurisdiction_label=str(rule.get("label", code)),
                    policy_version=policy.version,
                    since=since,
                    reason=(
                        f"财政资助专利，{anchor_label}于 {anchor.isoformat()}，满 {years} 年"
                        f"（{since.isoformat()}）仍无实施、转让或许可记录"
                    ),
                    government_use=bool(rule.get("government_use", False)),
                )
            )
    return out
