"""The deal pipeline board (guide §2.d reports: trial pipeline and conversion funnel): applications
and contracts in columns by stage, each card with its patents, parties, county, days in the stage
and the next deadline; the conversion funnel over the same filtered set. Read-only; every query
goes through ``restrict``."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min, QuerySet

from patentbridge.core.restrict import restrict
from patentbridge.licensing.choices import ApplicationStateChoices, ContractStateChoices, FilingStateChoices
from patentbridge.licensing.models import ContractStep, LicenceApplication, LicenceContract
from patentbridge.licensing.services.contract_states import DECLINE_REASONS
from patentbridge.licensing.services.deal_filter import DealFilter
from patentbridge.licensing.services.deal_regions import region_label
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.states import ContractEvent

__all__ = [
    "COLUMN_LABELS",
    "STAGE_OF_STATE",
    "Board",
    "Card",
    "Funnel",
    "board",
    "funnel",
    "next_deadline",
    "visible_contracts",
]

_C = ContractStateChoices
# Board column → the contract states it shows ("applying" holds submitted applications).
COLUMN_LABELS: dict[str, str] = {
    "applying": "申请中",
    "approval": "审批/公示",
    "trial": "试用中",
    "conversion": "待转化",
    "paid": "付费实施",
    "ended": "已结束",
}
STAGE_OF_STATE: dict[str, str] = {
    _C.DRAFT: "approval",
    _C.IN_APPROVAL: "approval",
    _C.PUBLIC_NOTICE: "approval",
    _C.APPROVED: "approval",
    _C.SIGNED: "approval",
    _C.ACTIVE_TRIAL: "trial",
    _C.CONVERSION_DUE: "conversion",
    _C.ACTIVE_PAID: "paid",
    _C.SUSPENDED: "paid",
    _C.TRIAL_ENDED: "ended",
    _C.TERMINATED: "ended",
    _C.EXPIRED: "ended",
    _C.ENDED_BY_PATENT: "ended",
}
# Cards per column: a board is for scanning; the API list pages through everything.
CARDS_PER_COLUMN = 40
_MODE_SHORT = {"trial_then_paid": "申请免费试用", "paid": "申请付费许可"}
_OPEN_FILINGS = (FilingStateChoices.DUE, FilingStateChoices.SUBMITTED, FilingStateChoices.REFUSED)


@dataclass
class Card:
    """One deal on the board."""

    kind: str  # "application" | "contract"
    pk: int
    title: str
    patent_count: int
    licensee: str
    university: str
    county: str
    state_label: str
    days_in_stage: int
    deadline: dt.date | None = None
    deadline_label: str = ""
    days_left: int | None = None
    out_of_region: bool = False
    is_demo: bool = False
    contract_no: str = ""


@dataclass
class Board:
    """Columns in order with their cards and true counts (cards may be capped)."""

    columns: list[tuple[str, str, int, list[Card]]] = field(default_factory=list)


def _title(patents: list[Any]) -> str:
    if not patents:
        return "（未列明专利）"
    first = patents[0].title or patents[0].application_number
    return first if len(patents) == 1 else f"{first} 等 {len(patents)} 件"


def next_deadline(contract: LicenceContract, *, as_of: dt.date) -> tuple[dt.date | None, str]:
    """The earliest open deadline of a contract: 公示 end, trial end, the answer to a conversion,
    an open filing, or the contract's end (for live contracts)."""
    found: list[tuple[dt.date, str]] = []
    state = contract.state
    notice = getattr(contract, "public_notice", None) if state == _C.PUBLIC_NOTICE else None
    if notice is not None:
        found.append((notice.end_date, "公示结束"))
    if state == _C.ACTIVE_TRIAL and contract.trial_end:
        found.append((contract.trial_end, "试用到期"))
    if state == _C.CONVERSION_DUE and contract.trial_end:
        grace = int(policy.value("CONVERSION_GRACE_DAYS", as_of=as_of))
        found.append((contract.trial_end + dt.timedelta(days=grace), "转化答复期限"))
    if STAGE_OF_STATE.get(state) in ("trial", "conversion", "paid"):
        for filing in contract.filings.all():
            if filing.state in _OPEN_FILINGS:
                found.append((filing.due_date, "备案期限"))
        found.append((contract.end_date, "合同到期"))
    if not found:
        return None, ""
    return min(found)


def _contract_cards(contracts: list[LicenceContract], *, as_of: dt.date) -> list[Card]:
    entered = dict(
        ContractStep.objects.filter(contract__in=[c.pk for c in contracts])
        .values_list("contract_id")
        .annotate(last=Max("on_date"))
    )
    cards = []
    for c in contracts:
        since = entered.get(c.pk) or c.created_at.date()
        deadline, label = next_deadline(c, as_of=as_of)
        patents = list(c.patents.all())
        cards.append(
            Card(
                kind="contract",
                pk=c.pk,
                title=_title(patents),
                patent_count=len(patents),
                licensee=c.licensee_org.name,
                university=c.licensor_org.name,
                county=region_label(c.licensee_org.region_code),
                state_label=c.get_state_display(),
                days_in_stage=max(0, (as_of - since).days),
                deadline=deadline,
                deadline_label=label,
                days_left=None if deadline is None else (deadline - as_of).days,
                out_of_region=c.out_of_region,
                is_demo=c.is_demo,
                contract_no=c.contract_no,
            )
        )
    return cards


def _application_cards(apps: list[LicenceApplication], *, as_of: dt.date) -> list[Card]:
    cards = []
    for a in apps:
        patents = list(a.patents.all())
        cards.append(
            Card(
                kind="application",
                pk=a.pk,
                title=_title(patents),
                patent_count=len(patents),
                licensee=a.applicant_org.name,
                university=a.offer.publisher_org.name,
                county=region_label(a.applicant_org.region_code),
                state_label=_MODE_SHORT.get(a.requested_mode, a.get_requested_mode_display()),
                days_in_stage=max(0, (as_of - a.created_at.date()).days),
                out_of_region=a.out_of_region,
                is_demo=a.is_demo,
            )
        )
    return cards


def visible_contracts(user: Any, flt: DealFilter) -> QuerySet[LicenceContract]:
    """The contracts ``user`` may see, filtered."""
    return flt.contracts(restrict(LicenceContract.objects.all(), user))


def board(user: Any, flt: DealFilter, *, as_of: dt.date) -> Board:
    """The board for ``user`` with ``flt`` on ``as_of``: every column, newest first within it."""
    related = ("licensor_org", "licensee_org", "public_notice")
    contracts = visible_contracts(user, flt).select_related(*related).prefetch_related("patents", "filings")
    applications = (
        flt.applications(restrict(LicenceApplication.objects.all(), user))
        .filter(state=ApplicationStateChoices.SUBMITTED)
        .select_related("applicant_org", "offer__publisher_org")
        .prefetch_related("patents")
        .order_by("-created_at", "-pk")
    )
    result = Board()
    for key, label in COLUMN_LABELS.items():
        if key == "applying":
            count = applications.count()
            cards = _application_cards(list(applications[:CARDS_PER_COLUMN]), as_of=as_of)
        else:
            states = [s for s, stage in STAGE_OF_STATE.items() if stage == key]
            column = contracts.filter(state__in=states).order_by("-updated_at", "-pk")
            count = column.count()
            cards = _contract_cards(list(column[:CARDS_PER_COLUMN]), as_of=as_of)
        result.columns.append((key, label, count, cards))
    return result


@dataclass(frozen=True)
class Funnel:
    """Trial → licence conversion over a set of contracts. ``conversion_rate`` is converted / decided
    (converted + declined): a trial still running has not failed; None when nothing is decided."""

    trials_started: int
    running: int
    converted: int
    declined: int
    conversion_rate: float | None
    median_days_to_convert: float | None
    decline_reasons: list[tuple[str, int]]


def funnel(contracts: QuerySet[LicenceContract]) -> Funnel:
    """The funnel of the trial contracts in ``contracts`` (already restricted and filtered): a trial
    started when it was signed, converted when its ``convert`` step was taken (days counted from
    the licence start to that step's business date), declined when it ended unconverted."""
    trials = contracts.filter(trial_months__isnull=False, signed_at__isnull=False).order_by()
    rows = list(trials.values_list("pk", "state", "start_date", "end_reason"))
    converted_on = dict(
        ContractStep.objects.filter(contract__in=[r[0] for r in rows], event=ContractEvent.CONVERT.value)
        .values_list("contract_id")
        .annotate(first=Min("on_date"))
    )
    days = [(converted_on[pk] - start).days for pk, _, start, _ in rows if pk in converted_on]
    declined = [reason for pk, state, _, reason in rows if state == _C.TRIAL_ENDED and pk not in converted_on]
    running = sum(1 for _, state, *_ in rows if state in (_C.ACTIVE_TRIAL, _C.CONVERSION_DUE))
    decided = len(days) + len(declined)
    reasons = Counter(_decline_label(r) for r in declined)
    return Funnel(
        trials_started=len(rows),
        running=running,
        converted=len(days),
        declined=len(declined),
        conversion_rate=(len(days) / decided) if decided else None,
        median_days_to_convert=float(statistics.median(days)) if days else None,
        decline_reasons=reasons.most_common(5),
    )


def _decline_label(end_reason: str) -> str:
    """The reason's label (``end_reason`` starts with one of DECLINE_REASONS' labels)."""
    for label in DECLINE_REASONS.values():
        if end_reason.startswith(label):
            return label
    return "未说明原因"
