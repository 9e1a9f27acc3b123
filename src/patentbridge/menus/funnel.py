"""The menu funnel (guide §5.d reports): DELIVERED → VIEWED → INTERESTED | NOT_RELEVANT →
TRIAL_REQUESTED → TRIAL → LICENSED, per delivery and summed per menu, county, chain and
university with conversion rates.

The first four stages are what the enterprise did on the menu; the last three are read from the
licence records of that enterprise on that patent — its applications (or open-licence
acceptances) and contracts — made after the delivery, or linked to it when the enterprise asked
for a trial from the menu. Nothing is typed twice: a contract signed on the licensing pages moves
the funnel by itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from patentbridge.accounts.regions import region_of
from patentbridge.licensing.choices import ContractStateChoices
from patentbridge.licensing.models import (
    ContractStep,
    LicenceApplication,
    LicenceContract,
    OpenLicenceAcceptance,
)
from patentbridge.menus.choices import NotRelevantReasonChoices, StageChoices
from patentbridge.menus.models import MenuDelivery

__all__ = [
    "FUNNEL_STEPS",
    "GROUPS",
    "FunnelRow",
    "Progress",
    "funnel",
    "funnel_by",
    "progress_of",
    "reasons_histogram",
]

_RANK = {
    StageChoices.DELIVERED: 0,
    StageChoices.VIEWED: 1,
    StageChoices.INTERESTED: 2,
    StageChoices.NOT_RELEVANT: 2,
    StageChoices.TRIAL_REQUESTED: 3,
    StageChoices.TRIAL: 4,
    StageChoices.LICENSED: 5,
}
# The funnel's columns: "trial" counts every delivery that reached a signed licence, a free trial
# or straight to a licence, so each column is never larger than the one before; "licensed" (正式许可)
# is a licence past any trial — converted, paid from the start, or an accepted open licence.
FUNNEL_STEPS: tuple[tuple[str, str], ...] = (
    ("delivered", "送达"),
    ("viewed", "查看"),
    ("interested", "有意向"),
    ("trial_requested", "申请试用/许可"),
    ("trial", "签约试用或许可"),
    ("licensed", "正式许可"),
)
_SIGNED = frozenset(
    {
        ContractStateChoices.SIGNED,
        ContractStateChoices.ACTIVE_TRIAL,
        ContractStateChoices.CONVERSION_DUE,
        ContractStateChoices.ACTIVE_PAID,
        ContractStateChoices.TRIAL_ENDED,
        ContractStateChoices.SUSPENDED,
        ContractStateChoices.TERMINATED,
        ContractStateChoices.EXPIRED,
        ContractStateChoices.ENDED_BY_PATENT,
    }
)


@dataclass
class Progress:
    """Where one delivery stands, and the licence records that put it there."""

    stage: str
    applications: list[Any] = field(default_factory=list)
    contracts: list[Any] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(StageChoices(self.stage).label)

    def reached(self, step: str) -> bool:
        rank = _RANK[StageChoices(self.stage)]
        if step == "delivered":
            return True
        if step == "interested":
            return self.stage == StageChoices.INTERESTED or rank >= 3
        return rank >= _RANK[StageChoices(step)]


def _contract_stage(contract: Any, paid: set[int]) -> str:
    """A draft contract is still a request; a signed one is a licence in its trial phase until it
    enters (or has been in) the paid phase — read from the state or the timeline, never from the
    planned ``paid_start`` a trial contract carries from signing."""
    if contract.state not in _SIGNED and contract.signed_at is None:
        return StageChoices.TRIAL_REQUESTED
    if contract.state == ContractStateChoices.ACTIVE_PAID or contract.pk in paid:
        return StageChoices.LICENSED
    return StageChoices.TRIAL


def progress_of(deliveries: Iterable[MenuDelivery]) -> dict[int, Progress]:
    """The stage of every delivery (delivery pk → Progress), reading the licence records of the
    enterprises on the patents in three queries."""
    deliveries = list(deliveries)
    orgs = {d.enterprise_id for d in deliveries}
    patents = {d.item.patent_id for d in deliveries}
    apps: dict[tuple[int, int], list[Any]] = defaultdict(list)
    through = LicenceApplication.patents.through
    for alink in through.objects.filter(
        licenceapplication__applicant_org_id__in=orgs, patent_id__in=patents
    ).select_related("licenceapplication"):
        app = alink.licenceapplication
        apps[(app.applicant_org_id, alink.patent_id)].append(app)
    for acc in OpenLicenceAcceptance.objects.filter(
        licensee_org_id__in=orgs, declaration__patent_id__in=patents
    ).select_related("declaration"):
        apps[(acc.licensee_org_id, acc.declaration.patent_id)].append(acc)
    contracts: dict[tuple[int, int], list[Any]] = defaultdict(list)
    cthrough = LicenceContract.patents.through
    for clink in cthrough.objects.filter(
        licencecontract__licensee_org_id__in=orgs, patent_id__in=patents
    ).select_related("licencecontract"):
        c = clink.licencecontract
        contracts[(c.licensee_org_id, clink.patent_id)].append(c)
    paid = set(
        ContractStep.objects.filter(
            contract_id__in={c.pk for cs in contracts.values() for c in cs},
            to_state=ContractStateChoices.ACTIVE_PAID,
        ).values_list("contract_id", flat=True)
    )
    out: dict[int, Progress] = {}
    for d in deliveries:
        key = (d.enterprise_id, d.item.patent_id)
        mine_apps = [a for a in apps[key] if a.pk == d.application_id or a.created_at >= d.delivered_at]
        app_ids = {a.pk for a in mine_apps if isinstance(a, LicenceApplication)}
        mine_contracts = [
            c for c in contracts[key] if c.application_id in app_ids or c.created_at >= d.delivered_at
        ]
        stage = StageChoices.DELIVERED.value
        if d.viewed_on is not None:
            stage = StageChoices.VIEWED.value
        if d.response:
            stage = d.response
        if mine_apps:
            stage = StageChoices.TRIAL_REQUESTED.value
        for c in mine_contracts:
            derived = _contract_stage(c, paid)
            if _RANK[StageChoices(derived)] > _RANK[StageChoices(stage)]:
                stage = derived
        out[d.pk] = Progress(stage=str(stage), applications=mine_apps, contracts=mine_contracts)
    return out


@dataclass
class FunnelRow:
    """One group's funnel: counts per step, not-relevant answers and distinct enterprises."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: {s: 0 for s, _ in FUNNEL_STEPS})
    not_relevant: int = 0
    enterprises: set[int] = field(default_factory=set)

    def rate(self, step: str) -> float | None:
        """Share of deliveries that reached ``step`` (None without deliveries)."""
        total = self.counts["delivered"]
        return round(self.counts[step] / total, 4) if total else None

    def steps(self) -> list[dict[str, Any]]:
        """Each step with its count, share of deliveries and share of the previous step."""
        out, previous = [], None
        for key, label in FUNNEL_STEPS:
            count = self.counts[key]
            out.append(
                {
                    "key": key,
                    "label": label,
                    "count": count,
                    "rate": self.rate(key),
                    "step_rate": round(count / previous, 4) if previous else None,
                }
            )
            previous = count
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "enterprises": len(self.enterprises),
            "not_relevant": self.not_relevant,
            "steps": self.steps(),
        }


def _county(d: MenuDelivery) -> tuple[str, str]:
    code = region_of(d.enterprise).code
    return code or "-", code or "地区未知"


_GROUPS: dict[str, Callable[[MenuDelivery], tuple[str, str]]] = {
    "menu": lambda d: (str(d.menu_id), d.menu.title),
    "county": _county,
    "chain": lambda d: (d.item.chain.code, d.item.chain.name) if d.item.chain else ("-", "未归入产业链"),
    "university": lambda d: (
        (str(d.item.patent.owner_org_id), d.item.patent.owner_org.name)
        if d.item.patent.owner_org
        else ("-", "权利人未登记")
    ),
}
GROUPS = tuple(_GROUPS)


def funnel_by(deliveries: Iterable[MenuDelivery], group: str) -> list[FunnelRow]:
    """Funnel rows per ``group`` (menu, county, chain, university), largest first."""
    if group not in _GROUPS:
        raise ValueError(f"unknown group {group!r}")
    deliveries = list(deliveries)
    stages = progress_of(deliveries)
    rows: dict[str, FunnelRow] = {}
    keyer = _GROUPS[group]
    for d in deliveries:
        key, label = keyer(d)
        row = rows.setdefault(key, FunnelRow(key=key, label=label))
        _count(row, d, stages[d.pk])
    return sorted(rows.values(), key=lambda r: (-r.counts["delivered"], r.label))


def funnel(deliveries: Iterable[MenuDelivery], label: str = "合计") -> FunnelRow:
    """One funnel over all ``deliveries``."""
    deliveries = list(deliveries)
    stages = progress_of(deliveries)
    row = FunnelRow(key="all", label=label)
    for d in deliveries:
        _count(row, d, stages[d.pk])
    return row


def _count(row: FunnelRow, d: MenuDelivery, progress: Progress) -> None:
    row.enterprises.add(d.enterprise_id)
    for step, _ in FUNNEL_STEPS:
        if progress.reached(step):
            row.counts[step] += 1
    if progress.stage == StageChoices.NOT_RELEVANT:
        row.not_relevant += 1


def reasons_histogram(deliveries: Iterable[MenuDelivery]) -> list[tuple[str, int]]:
    """不相关 answers by reason (the fixed list, in its order, zeros included): what the next menu
    should leave out."""
    counts = {value: 0 for value in NotRelevantReasonChoices.values}
    for d in deliveries:
        if d.response == StageChoices.NOT_RELEVANT and d.reason in counts:
            counts[d.reason] += 1
    return [(str(NotRelevantReasonChoices(v).label), n) for v, n in counts.items()]
