"""The right-event ledger (权利负担台账, transactions-and-analytics.md §1.1): dated facts about a
patent's rights — licences, open licences, pledges, suspensions, transfers, fee state, evaluation
reports — and the one question every check asks of them: on date D, what burdens this patent?"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from patentbridge_engine.legal.terms import PatentType, add_months

__all__ = [
    "Encumbrances",
    "FeeState",
    "LicenceKind",
    "PatentFacts",
    "RightEvent",
    "RightKind",
    "encumbrances",
    "licence_kind_of",
    "patentees_as_of",
    "split_parties",
]


class RightKind(StrEnum):
    """Kinds of dated right events (§1.1)."""

    LICENCE = "licence"
    OPEN_LICENCE = "open_licence"
    PLEDGE = "pledge"
    PRESERVATION = "preservation"  # 保全
    SUSPENSION = "suspension"  # 中止, 细则 Art. 103
    TRANSFER = "transfer"
    INVALIDATION_REQUEST = "invalidation_request"
    INVALIDATION_DECISION = "invalidation_decision"
    FEE_DUE = "fee_due"
    FEE_PAID = "fee_paid"
    FEE_LATE_PERIOD = "fee_late_period"
    LAPSE = "lapse"
    RESTORATION = "restoration"
    EVALUATION_REPORT = "evaluation_report"


class LicenceKind(StrEnum):
    """独占 / 排他 / 普通 (ordinary when a contract does not say)."""

    EXCLUSIVE = "exclusive"
    SOLE = "sole"
    ORDINARY = "ordinary"

    @property
    def label(self) -> str:
        return {"exclusive": "独占许可", "sole": "排他许可", "ordinary": "普通许可"}[self.value]


class FeeState(StrEnum):
    """The annual-fee state on a date."""

    PAID = "paid"
    DUE = "due"
    LATE = "late"  # in the six-month late period (滞纳期)
    LAPSED = "lapsed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RightEvent:
    """One dated fact. Interval facts (a licence, a pledge) have ``end`` (None = open-ended);
    point facts (a transfer, a lapse, an evaluation report) have ``end = None`` and matter from
    ``start`` on. ``sub_kind``: licence exclusive|sole|ordinary; evaluation_report
    meets_conditions|not_meets; pledge registered|changed. ``consents`` names the consents on
    file for this event's patent, e.g. ``{"pledgee"}`` on a pledge whose pledgee agreed to
    licensing. ``ref`` identifies the source record (contract number, declaration id, import row)."""

    kind: RightKind
    start: dt.date
    end: dt.date | None = None
    sub_kind: str = ""
    counterparty: str = ""
    record_no: str = ""
    source: str = "manual"  # import | contract | declaration | pool | pledge | manual
    ref: str = ""
    consents: frozenset[str] = frozenset()
    territory: str = "CN"
    field_of_use: str = ""

    def in_force(self, as_of: dt.date) -> bool:
        """True when ``as_of`` lies in [start, end] (end inclusive; None = no end)."""
        return self.start <= as_of and (self.end is None or as_of <= self.end)


@dataclass(frozen=True)
class PatentFacts:
    """What the checks need to know about the patent itself, apart from the ledger."""

    application_number: str
    patent_type: PatentType | None
    title: str = ""
    granted: bool = False
    grant_date: dt.date | None = None
    expiry_date: dt.date | None = None
    lapse_date: dt.date | None = None
    valid: bool = False  # the legal status says 有效 (granted and in force) on the checked date
    patentees: tuple[str, ...] = ()


@dataclass(frozen=True)
class Encumbrances:
    """The answer of ``encumbrances(facts, events, as_of)``: everything that burdens the patent
    on ``as_of``. Lists hold the events in force; ``open_licence`` is the published declaration's
    event if one is in force; ``co_owners`` are the current patentees when there are two or more."""

    as_of: dt.date
    exclusive_or_sole: tuple[RightEvent, ...] = ()
    ordinary: tuple[RightEvent, ...] = ()
    pledges: tuple[RightEvent, ...] = ()
    suspended: bool = False
    preserved: bool = False
    open_licence: RightEvent | None = None
    fee_state: FeeState = FeeState.UNKNOWN
    late_months: int = 0
    lapsed: bool = False
    invalidation_pending: bool = False
    evaluation_report: RightEvent | None = None
    co_owners: tuple[str, ...] = field(default_factory=tuple)

    @property
    def pledged_without_consent(self) -> bool:
        return any("pledgee" not in p.consents for p in self.pledges)


# --- encumbrances(facts, events, as_of) (§1.1) --------------------------------------------------------

# Same-day fee events are read in this order, so a payment on its due day leaves the fee paid and a
# restoration on the lapse day restores.
_FEE_ORDER = {
    RightKind.FEE_DUE: 0,
    RightKind.FEE_LATE_PERIOD: 1,
    RightKind.FEE_PAID: 2,
    RightKind.LAPSE: 3,
    RightKind.RESTORATION: 4,
}
_PARTY_SPLIT = re.compile(r"\s*[;；]\s*")


def split_parties(text: str) -> tuple[str, ...]:
    """Names in a ``；``/``;``-separated party list, stripped, de-duplicated, order kept."""
    out: list[str] = []
    for name in _PARTY_SPLIT.split(text.strip()):
        if name and name not in out:
            out.append(name)
    return tuple(out)


def licence_kind_of(event: RightEvent) -> LicenceKind:
    """A licence event's kind; anything but exclusive/sole is ordinary (the default when unstated)."""
    try:
        return LicenceKind(event.sub_kind.strip().lower())
    except ValueError:
        return LicenceKind.ORDINARY


def _known(events: Sequence[RightEvent], kind: RightKind, as_of: dt.date) -> list[RightEvent]:
    """Events of ``kind`` that had happened by ``as_of``, oldest first (input order on ties)."""
    return sorted((e for e in events if e.kind is kind and e.start <= as_of), key=lambda e: e.start)


def _records_in_force(events: Sequence[RightEvent], kind: RightKind, as_of: dt.date) -> list[RightEvent]:
    """Interval records of ``kind`` in force on ``as_of``. Events sharing a non-empty ``record_no`` are
    one record (registration, later change or release): the latest one known on ``as_of`` says when the
    record ends, so a release recorded later ends a pledge without rewriting history; consents given
    on any of them count."""
    chains: dict[str, list[RightEvent]] = {}
    out: list[RightEvent] = []
    for e in _known(events, kind, as_of):
        if e.record_no.strip():
            chains.setdefault(e.record_no.strip(), []).append(e)
        elif e.in_force(as_of):
            out.append(e)
    for chain in chains.values():
        latest = chain[-1]
        if latest.end is None or as_of <= latest.end:
            consents = frozenset().union(*(e.consents for e in chain))
            out.append(replace(latest, consents=consents) if consents != latest.consents else latest)
    return sorted(out, key=lambda e: e.start)


def _restored_after(events: Sequence[RightEvent], since: dt.date, as_of: dt.date) -> bool:
    return any(since <= e.start for e in _known(events, RightKind.RESTORATION, as_of))


def _late_month(start: dt.date, as_of: dt.date) -> int:
    """Which month of the late period ``as_of`` falls in: 1 from its first day, 2 from the
    corresponding day a month later, and so on (细则 Art. 5)."""
    n = 1
    while add_months(start, n) <= as_of:
        n += 1
    return n


def _fee_state(events: Sequence[RightEvent], as_of: dt.date) -> tuple[FeeState, int]:
    """The fee state and late month on ``as_of``: the latest fee event wins, except that after a
    lapse only a restoration brings the patent back; a late period that ended unpaid is a lapse
    (专利法 Art. 44 ¶1(1))."""
    known = [e for e in events if e.kind in _FEE_ORDER and e.start <= as_of]
    if not known:
        return FeeState.UNKNOWN, 0
    lapses = [e for e in known if e.kind is RightKind.LAPSE]
    if lapses and not _restored_after(events, max(e.start for e in lapses), as_of):
        return FeeState.LAPSED, 0
    latest = max(known, key=lambda e: (e.start, _FEE_ORDER[e.kind]))
    if latest.kind is RightKind.FEE_DUE:
        return FeeState.DUE, 0
    if latest.kind is RightKind.FEE_LATE_PERIOD:
        if latest.end is not None and as_of > latest.end:
            return FeeState.LAPSED, 0
        return FeeState.LATE, _late_month(latest.start, as_of)
    return FeeState.PAID, 0  # FEE_PAID, or RESTORATION (which requires paying the fees due)


def _invalidation(events: Sequence[RightEvent], as_of: dt.date) -> tuple[bool, bool]:
    """(request pending, declared wholly invalid) on ``as_of``."""
    decisions = _known(events, RightKind.INVALIDATION_DECISION, as_of)
    requests = _known(events, RightKind.INVALIDATION_REQUEST, as_of)
    pending = bool(requests) and not any(d.start >= requests[-1].start for d in decisions)
    invalid = any(d.sub_kind.strip().lower() == "invalid" for d in decisions)
    return pending, invalid


def patentees_as_of(facts: PatentFacts, events: Sequence[RightEvent], as_of: dt.date) -> tuple[str, ...]:
    """The patentees on ``as_of``: the assignees (``；``/``;``-separated ``counterparty``) of the latest
    transfer recorded by then, else ``facts.patentees``. Transfers carry no assignor, so before the
    first recorded transfer this can only answer with the patentees on record."""
    transfers = [e for e in _known(events, RightKind.TRANSFER, as_of) if split_parties(e.counterparty)]
    if transfers:
        return split_parties(transfers[-1].counterparty)
    return tuple(dict.fromkeys(p.strip() for p in facts.patentees if p.strip()))


def encumbrances(facts: PatentFacts, events: Sequence[RightEvent], as_of: dt.date) -> Encumbrances:
    """Everything that burdens the patent on ``as_of`` (§1.1), from its facts and its ledger events.

    ``lapsed`` is true after an unrestored lapse (ledger event or ``facts.lapse_date``), after a
    decision declaring the patent wholly invalid (sub_kind ``invalid``) and after ``facts.expiry_date``.
    """
    licences = _records_in_force(events, RightKind.LICENCE, as_of)
    exclusive = tuple(e for e in licences if licence_kind_of(e) is not LicenceKind.ORDINARY)
    ordinary = tuple(e for e in licences if licence_kind_of(e) is LicenceKind.ORDINARY)
    open_licences = _records_in_force(events, RightKind.OPEN_LICENCE, as_of)
    reports = _known(events, RightKind.EVALUATION_REPORT, as_of)

    fee_state, late_months = _fee_state(events, as_of)
    if (
        facts.lapse_date is not None
        and facts.lapse_date <= as_of
        and not _restored_after(events, facts.lapse_date, as_of)
    ):
        fee_state, late_months = FeeState.LAPSED, 0
    pending, invalid = _invalidation(events, as_of)
    expired = facts.expiry_date is not None and facts.expiry_date < as_of
    patentees = patentees_as_of(facts, events, as_of)
    return Encumbrances(
        as_of=as_of,
        exclusive_or_sole=exclusive,
        ordinary=ordinary,
        pledges=tuple(_records_in_force(events, RightKind.PLEDGE, as_of)),
        suspended=bool(_records_in_force(events, RightKind.SUSPENSION, as_of)),
        preserved=bool(_records_in_force(events, RightKind.PRESERVATION, as_of)),
        open_licence=open_licences[-1] if open_licences else None,
        fee_state=fee_state,
        late_months=late_months,
        lapsed=fee_state is FeeState.LAPSED or invalid or expired,
        invalidation_pending=pending and not invalid,
        evaluation_report=reports[-1] if reports else None,
        co_owners=patentees if len(patentees) >= 2 else (),
    )
