"""What a contract licenses on a given day, for the documents generated from it (the CNIPA filing
prefill, the statements, the contract page's list of patentees).

A patent of a multi-patent licence that lapsed, expired or was invalidated leaves the contract's
scope on that day (``ContractPatent.ended_on``) while the contract runs on for the rest. From that
day on the documents list only the patents still in scope, say which patent left, when and why,
and stop naming as co-patentee (共有专利权人) a licensor who owned only patents that left: that
licensor no longer grants anything under the contract."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from patentbridge.licensing.models import ContractPatent, LicenceContract
from patentbridge.patents.models import Patent

__all__ = ["ContractScope", "LeftPatent", "contract_scope", "left_text"]


@dataclass(frozen=True)
class LeftPatent:
    """A patent that left the contract's scope: the day and the reason the scope row keeps."""

    patent: Patent
    ended_on: dt.date
    reason: str


@dataclass(frozen=True)
class ContractScope:
    """The contract on a day: the patents in scope, those that had left by then, the licensors
    still granting (entries of ``contract.licensors``) and the names of those no longer granting."""

    patents: list[Patent]
    left: list[LeftPatent]
    licensors: list[Mapping[str, Any]]
    left_licensors: list[str]


def _owners(patent: Patent) -> set[str]:
    """The patent's right holders by name: its current patentees, else its applicants."""
    names = patent.patentees or patent.applicants or []
    return {str(n).strip() for n in names if str(n).strip()}


def contract_scope(contract: LicenceContract, *, as_of: dt.date | None = None) -> ContractScope:
    """The scope of ``contract`` on ``as_of`` (None: every recorded end counts). A patent whose
    scope row ends after ``as_of`` was still licensed that day and counts as in scope.

    A licensor entry leaves with its patents when its name is a right holder of some patent that
    left and of none still in scope. The licensor organisation itself always stays (it signs the
    contract), and an entry named on no patent at all stays too: nothing says it left."""
    rows = list(
        ContractPatent.objects.filter(licencecontract=contract)
        .select_related("patent")
        .order_by("patent__application_number")
    )
    patents: list[Patent] = []
    left: list[LeftPatent] = []
    for row in rows:
        if row.ended_on is not None and (as_of is None or row.ended_on <= as_of):
            left.append(LeftPatent(row.patent, row.ended_on, row.end_reason or "专利权终止"))
        else:
            patents.append(row.patent)
    live_owners: set[str] = set().union(*(_owners(p) for p in patents))
    gone_owners: set[str] = set().union(*(_owners(x.patent) for x in left))
    kept: list[Mapping[str, Any]] = []
    dropped: list[str] = []
    for entry in contract.licensors or []:
        if not isinstance(entry, Mapping) or not entry.get("name"):
            continue
        name = str(entry["name"]).strip()
        if name != contract.licensor_org.name and name in gone_owners and name not in live_owners:
            dropped.append(name)
        else:
            kept.append(entry)
    return ContractScope(patents=patents, left=left, licensors=kept, left_licensors=dropped)


def left_text(item: LeftPatent) -> str:
    """One line naming a patent that left: 「ZL… 名称：YYYY-MM-DD 起退出许可范围（原因）」."""
    return f"ZL{item.patent.application_number} {item.patent.title}：{item.ended_on:%Y-%m-%d} 起退出许可范围（{item.reason}）"
