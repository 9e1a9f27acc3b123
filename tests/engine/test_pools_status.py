"""A pool patent's status from the rights ledger on frozen dates (guide §4.d P3): suspended while
a burden lasts and back when it ends, removed for good on lapse, expiry, invalidation or withdrawal;
the pool's own cross-licences never burden it."""

from __future__ import annotations

import datetime as dt

from patentbridge_engine.legal.terms import PatentType
from patentbridge_engine.licensing.ledger import PatentFacts, RightEvent, RightKind
from patentbridge_engine.pools.status import (
    PoolStatus,
    days_in_status,
    lapse_kinds,
    pool_status,
    status_timeline,
)

FACTS = PatentFacts(
    "202010000002.X",
    PatentType.INVENTION,
    granted=True,
    grant_date=dt.date(2022, 1, 1),
    expiry_date=dt.date(2040, 1, 1),
    valid=True,
)
D = dt.date


def test_clean_patent_is_admitted() -> None:
    assert pool_status(FACTS, (), D(2026, 1, 1)).status is PoolStatus.ADMITTED


def test_exclusive_licence_suspends_then_restores_when_it_ends() -> None:
    licence = RightEvent(
        RightKind.LICENCE, D(2026, 3, 1), D(2026, 5, 31), sub_kind="exclusive", counterparty="乙公司"
    )
    assert pool_status(FACTS, (licence,), D(2026, 2, 28)).status is PoolStatus.ADMITTED
    during = pool_status(FACTS, (licence,), D(2026, 3, 1))
    assert during.status is PoolStatus.SUSPENDED and during.kinds == ("exclusive",)
    assert "乙公司" in during.reasons[0]
    assert pool_status(FACTS, (licence,), D(2026, 5, 31)).status is PoolStatus.SUSPENDED
    assert pool_status(FACTS, (licence,), D(2026, 6, 1)).status is PoolStatus.ADMITTED


def test_pool_sourced_rows_do_not_burden() -> None:
    own = RightEvent(RightKind.LICENCE, D(2026, 1, 1), None, sub_kind="exclusive", source="pool")
    assert pool_status(FACTS, (own,), D(2026, 2, 1)).status is PoolStatus.ADMITTED


def test_pledge_without_consent_suspends_and_release_restores() -> None:
    pledge = RightEvent(RightKind.PLEDGE, D(2026, 4, 1), None, record_no="Y2026001")
    release = RightEvent(RightKind.PLEDGE, D(2026, 4, 1), D(2026, 8, 15), record_no="Y2026001")
    assert pool_status(FACTS, (pledge,), D(2026, 9, 1)).status is PoolStatus.SUSPENDED
    assert pool_status(FACTS, (pledge, release), D(2026, 8, 15)).status is PoolStatus.SUSPENDED
    assert pool_status(FACTS, (pledge, release), D(2026, 8, 16)).status is PoolStatus.ADMITTED


def test_lapse_and_expiry_and_invalidation_remove() -> None:
    lapse = RightEvent(RightKind.LAPSE, D(2026, 7, 1))
    assert pool_status(FACTS, (lapse,), D(2026, 6, 30)).status is PoolStatus.ADMITTED
    removed = pool_status(FACTS, (lapse,), D(2026, 7, 1))
    assert removed.status is PoolStatus.REMOVED and removed.kinds == ("lapsed",)
    assert pool_status(FACTS, (), D(2040, 1, 2)).status is PoolStatus.REMOVED
    assert pool_status(FACTS, (), D(2040, 1, 1)).status is PoolStatus.ADMITTED
    invalid = RightEvent(RightKind.INVALIDATION_DECISION, D(2026, 9, 1), sub_kind="invalid")
    assert pool_status(FACTS, (invalid,), D(2026, 9, 1)).status is PoolStatus.REMOVED
    assert RightKind.LAPSE in lapse_kinds()


def test_withdrawal_removes_from_its_day() -> None:
    before = pool_status(FACTS, (), D(2026, 4, 30), withdrawn_on=D(2026, 5, 1))
    after = pool_status(FACTS, (), D(2026, 5, 1), withdrawn_on=D(2026, 5, 1))
    assert before.status is PoolStatus.ADMITTED
    assert after.status is PoolStatus.REMOVED and after.reasons == ("成员于 2026-05-01 撤回该专利",)


def test_timeline_lists_each_change_and_stops_at_removal() -> None:
    events = (
        RightEvent(RightKind.PRESERVATION, D(2026, 2, 10), D(2026, 3, 9)),
        RightEvent(RightKind.LAPSE, D(2026, 10, 1)),
        RightEvent(RightKind.RESTORATION, D(2026, 12, 1)),
    )
    timeline = status_timeline(FACTS, events, D(2026, 1, 1), D(2026, 12, 31))
    assert [(s.on, s.status) for s in timeline] == [
        (D(2026, 1, 1), PoolStatus.ADMITTED),
        (D(2026, 2, 10), PoolStatus.SUSPENDED),
        (D(2026, 3, 10), PoolStatus.ADMITTED),
        (D(2026, 10, 1), PoolStatus.REMOVED),
    ]


def test_days_in_status_counts_inclusive_days_inside_the_period() -> None:
    changes = [
        (D(2026, 1, 1), "admitted"),
        (D(2026, 2, 10), "suspended"),
        (D(2026, 3, 10), "admitted"),
        (D(2026, 10, 1), "removed"),
    ]
    # Admitted 1 Jan – 9 Feb (40 days) and 10 Mar – 30 Sep (205 days).
    assert days_in_status(changes, D(2026, 1, 1), D(2026, 12, 31)) == 40 + 205
    assert days_in_status(changes, D(2026, 2, 1), D(2026, 2, 28)) == 9
    assert days_in_status(changes, D(2026, 2, 1), D(2026, 2, 28), "suspended") == 19
    assert days_in_status([], D(2026, 1, 1), D(2026, 12, 31)) == 0
    assert days_in_status(changes, D(2026, 5, 1), D(2026, 4, 1)) == 0
    # Admitted in the middle of the period: only from that day.
    assert days_in_status([(D(2026, 12, 30), "admitted")], D(2026, 1, 1), D(2026, 12, 31)) == 2
