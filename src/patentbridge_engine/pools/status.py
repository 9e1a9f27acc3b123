"""A pool patent's status on a date, read from the rights ledger (guide §4.d rule P3).

ADMITTED while nothing burdens it; SUSPENDED while an exclusive or sole licence outside the pool,
a pledge without the pledgee's consent, a suspension (细则 Art. 103), a preservation or an
invalidation request is in force — and ADMITTED again when that burden ends; REMOVED for good
from the day the patent lapses (unpaid fees, expiry, declared invalid) or its member withdraws it.
The pool's own ledger rows (its royalty-free cross-licences, source ``pool``) never burden it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from patentbridge_engine.licensing.ledger import PatentFacts, RightEvent, RightKind, encumbrances
from patentbridge_engine.pools.admission import blocking_burdens

__all__ = [
    "PoolStatus",
    "StatusOn",
    "days_in_status",
    "pool_status",
    "status_timeline",
]

_ONE_DAY = dt.timedelta(days=1)
# Burden kinds that remove a patent for good (the rest suspend it while they last).
_REMOVING = ("lapsed",)


class PoolStatus(StrEnum):
    """入池 / 暂停 / 移出."""

    ADMITTED = "admitted"
    SUSPENDED = "suspended"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return {"admitted": "在池", "suspended": "暂停", "removed": "已移出"}[self.value]


@dataclass(frozen=True)
class StatusOn:
    """The status on ``on`` and the Chinese reasons for anything but ADMITTED; ``kinds`` names the
    burdens (``lapsed``, ``exclusive``, ``pledge``, ``suspension``, ``preservation``,
    ``invalidation``, ``withdrawn``)."""

    on: dt.date
    status: PoolStatus
    reasons: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


def _outside(events: Sequence[RightEvent]) -> list[RightEvent]:
    return [e for e in events if e.source != "pool"]


def pool_status(
    facts: PatentFacts,
    events: Sequence[RightEvent],
    as_of: dt.date,
    *,
    withdrawn_on: dt.date | None = None,
) -> StatusOn:
    """The status of an admitted patent on ``as_of`` (not sticky: see ``status_timeline``)."""
    if withdrawn_on is not None and withdrawn_on <= as_of:
        return StatusOn(
            as_of, PoolStatus.REMOVED, (f"成员于 {withdrawn_on.isoformat()} 撤回该专利",), ("withdrawn",)
        )
    enc = encumbrances(facts, _outside(events), as_of)
    burdens = blocking_burdens(enc, valid=True)
    removing = {k: v for k, v in burdens.items() if k in _REMOVING}
    if removing:
        return StatusOn(as_of, PoolStatus.REMOVED, tuple(removing.values()), tuple(removing))
    if burdens:
        return StatusOn(as_of, PoolStatus.SUSPENDED, tuple(burdens.values()), tuple(burdens))
    return StatusOn(as_of, PoolStatus.ADMITTED)


def _change_days(
    facts: PatentFacts,
    events: Sequence[RightEvent],
    start: dt.date,
    end: dt.date,
    withdrawn_on: dt.date | None,
) -> list[dt.date]:
    """Every day in [start, end] on which the answer may change: event starts, the day after an
    interval ends, a late period's end, the day after expiry, the lapse date, the withdrawal."""
    days = {start}
    for e in _outside(events):
        days.add(e.start)
        if e.end is not None:
            days.add(e.end + _ONE_DAY)
    if facts.expiry_date is not None:
        days.add(facts.expiry_date + _ONE_DAY)
    if facts.lapse_date is not None:
        days.add(facts.lapse_date)
    if withdrawn_on is not None:
        days.add(withdrawn_on)
    return sorted(d for d in days if start <= d <= end)


def status_timeline(
    facts: PatentFacts,
    events: Sequence[RightEvent],
    start: dt.date,
    end: dt.date,
    *,
    withdrawn_on: dt.date | None = None,
) -> list[StatusOn]:
    """The status changes of a patent admitted on ``start`` up to ``end``: the first entry is the
    status on ``start``, each further one a change. Removal is final (a restored patent must apply
    again), so the timeline stops there."""
    out: list[StatusOn] = []
    for day in _change_days(facts, events, start, end, withdrawn_on):
        now = pool_status(facts, events, day, withdrawn_on=withdrawn_on)
        if not out or (now.status, now.kinds) != (out[-1].status, out[-1].kinds):
            out.append(now)
        if now.status is PoolStatus.REMOVED:
            break
    return out


def days_in_status(
    changes: Sequence[tuple[dt.date, str]],
    start: dt.date,
    end: dt.date,
    status: str = PoolStatus.ADMITTED,
) -> int:
    """Days of [start, end] (both inclusive) the patent spent in ``status``, given its status
    changes ``(from_day, status)`` oldest first; before the first change it was not in the pool."""
    if end < start:
        return 0
    ordered = sorted(changes, key=lambda c: c[0])
    total = 0
    for i, (since, state) in enumerate(ordered):
        if state != status:
            continue
        until = ordered[i + 1][0] - _ONE_DAY if i + 1 < len(ordered) else end
        lo, hi = max(since, start), min(until, end)
        if hi >= lo:
            total += (hi - lo).days + 1
    return total


def lapse_kinds() -> tuple[RightKind, ...]:
    """Ledger kinds whose appearance can remove a patent (for callers listing removal causes)."""
    return (RightKind.LAPSE, RightKind.INVALIDATION_DECISION)
