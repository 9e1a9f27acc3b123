"""More status and admission cases on frozen dates: fee late periods that end unpaid, restorations
after a lapse (removal stays final), record-numbered pledges released later, co-owner transfers,
several burdens at once, and the change days the timeline looks at."""

from __future__ import annotations

import datetime as dt

from patentbridge_engine.legal.terms import PatentType
from patentbridge_engine.licensing.ledger import PatentFacts, RightEvent, RightKind, encumbrances
from patentbridge_engine.pools.admission import Candidate, Criteria, blocking_burdens, check_admission
from patentbridge_engine.pools.status import PoolStatus, days_in_status, pool_status, status_timeline

D = dt.date
FACTS = PatentFacts(
    "202110000003.1",
    PatentType.INVENTION,
    granted=True,
    grant_date=D(2023, 5, 1),
    expiry_date=D(2041, 3, 1),
    valid=True,
    patentees=("甲大学",),
)


def test_late_period_that_ends_unpaid_removes_the_day_after_it_ends() -> None:
    late = RightEvent(RightKind.FEE_LATE_PERIOD, D(2026, 3, 1), D(2026, 8, 31))
    assert pool_status(FACTS, (late,), D(2026, 8, 31)).status is PoolStatus.ADMITTED
    removed = pool_status(FACTS, (late,), D(2026, 9, 1))
    assert removed.status is PoolStatus.REMOVED and removed.kinds == ("lapsed",)
    timeline = status_timeline(FACTS, (late,), D(2026, 1, 1), D(2026, 12, 31))
    assert [(s.on, s.status) for s in timeline] == [
        (D(2026, 1, 1), PoolStatus.ADMITTED),
        (D(2026, 9, 1), PoolStatus.REMOVED),
    ]


def test_paid_late_fee_keeps_the_patent_in() -> None:
    events = (
        RightEvent(RightKind.FEE_LATE_PERIOD, D(2026, 3, 1), D(2026, 8, 31)),
        RightEvent(RightKind.FEE_PAID, D(2026, 5, 10)),
    )
    assert status_timeline(FACTS, events, D(2026, 1, 1), D(2026, 12, 31))[-1].status is PoolStatus.ADMITTED


def test_restoration_after_lapse_reads_admitted_but_the_timeline_stays_removed() -> None:
    events = (RightEvent(RightKind.LAPSE, D(2026, 4, 1)), RightEvent(RightKind.RESTORATION, D(2026, 6, 1)))
    assert pool_status(FACTS, events, D(2026, 6, 2)).status is PoolStatus.ADMITTED
    timeline = status_timeline(FACTS, events, D(2026, 1, 1), D(2026, 12, 31))
    assert timeline[-1].status is PoolStatus.REMOVED and timeline[-1].on == D(2026, 4, 1)


def test_lapse_date_on_the_facts_removes() -> None:
    facts = PatentFacts("x", PatentType.INVENTION, granted=True, valid=True, lapse_date=D(2026, 5, 5))
    assert pool_status(facts, (), D(2026, 5, 4)).status is PoolStatus.ADMITTED
    assert pool_status(facts, (), D(2026, 5, 5)).status is PoolStatus.REMOVED
    assert status_timeline(facts, (), D(2026, 1, 1), D(2026, 12, 31))[-1].on == D(2026, 5, 5)


def test_pledge_release_recorded_later_restores_from_the_release() -> None:
    pledge = RightEvent(RightKind.PLEDGE, D(2026, 2, 1), None, record_no="Y1")
    release = RightEvent(RightKind.PLEDGE, D(2026, 2, 1), D(2026, 6, 30), record_no="Y1")
    timeline = status_timeline(FACTS, (pledge, release), D(2026, 1, 1), D(2026, 12, 31))
    assert [(s.on, s.status) for s in timeline] == [
        (D(2026, 1, 1), PoolStatus.ADMITTED),
        (D(2026, 2, 1), PoolStatus.SUSPENDED),
        (D(2026, 7, 1), PoolStatus.ADMITTED),
    ]


def test_pledgee_consent_on_a_later_change_lifts_the_suspension() -> None:
    pledge = RightEvent(RightKind.PLEDGE, D(2026, 2, 1), None, record_no="Y2")
    consent = RightEvent(
        RightKind.PLEDGE, D(2026, 3, 15), None, record_no="Y2", consents=frozenset({"pledgee"})
    )
    assert pool_status(FACTS, (pledge, consent), D(2026, 3, 1)).status is PoolStatus.SUSPENDED
    assert pool_status(FACTS, (pledge, consent), D(2026, 3, 15)).status is PoolStatus.ADMITTED


def test_two_burdens_overlap_and_the_patent_returns_only_when_both_end() -> None:
    events = (
        RightEvent(RightKind.SUSPENSION, D(2026, 2, 1), D(2026, 3, 31)),
        RightEvent(RightKind.LICENCE, D(2026, 3, 1), D(2026, 5, 31), sub_kind="exclusive"),
    )
    timeline = status_timeline(FACTS, events, D(2026, 1, 1), D(2026, 12, 31))
    assert [(s.on, s.status, s.kinds) for s in timeline] == [
        (D(2026, 1, 1), PoolStatus.ADMITTED, ()),
        (D(2026, 2, 1), PoolStatus.SUSPENDED, ("suspension",)),
        (D(2026, 3, 1), PoolStatus.SUSPENDED, ("exclusive", "suspension")),
        (D(2026, 4, 1), PoolStatus.SUSPENDED, ("exclusive",)),
        (D(2026, 6, 1), PoolStatus.ADMITTED, ()),
    ]
    changes = [(s.on, s.status.value) for s in timeline]
    # Admitted 1 Jan – 31 Jan (31 days) and 1 Jun – 31 Dec (214 days).
    assert days_in_status(changes, D(2026, 1, 1), D(2026, 12, 31)) == 31 + 214


def test_invalidation_request_suspends_until_the_decision_upholds() -> None:
    events = (
        RightEvent(RightKind.INVALIDATION_REQUEST, D(2026, 2, 1)),
        RightEvent(RightKind.INVALIDATION_DECISION, D(2026, 9, 1), sub_kind="upheld"),
    )
    timeline = status_timeline(FACTS, events, D(2026, 1, 1), D(2026, 12, 31))
    assert [(s.on, s.status) for s in timeline] == [
        (D(2026, 1, 1), PoolStatus.ADMITTED),
        (D(2026, 2, 1), PoolStatus.SUSPENDED),
        (D(2026, 9, 1), PoolStatus.ADMITTED),
    ]


def test_expiry_inside_the_period_removes_the_next_day() -> None:
    timeline = status_timeline(FACTS, (), D(2041, 1, 1), D(2041, 12, 31))
    assert [(s.on, s.status) for s in timeline] == [
        (D(2041, 1, 1), PoolStatus.ADMITTED),
        (D(2041, 3, 2), PoolStatus.REMOVED),
    ]


def test_timeline_of_a_patent_admitted_while_burdened_starts_suspended() -> None:
    pledge = RightEvent(RightKind.PLEDGE, D(2025, 1, 1), D(2026, 2, 28))
    timeline = status_timeline(FACTS, (pledge,), D(2026, 1, 1), D(2026, 12, 31))
    assert [(s.on, s.status) for s in timeline] == [
        (D(2026, 1, 1), PoolStatus.SUSPENDED),
        (D(2026, 3, 1), PoolStatus.ADMITTED),
    ]


def test_withdrawal_before_the_start_removes_at_once() -> None:
    timeline = status_timeline(FACTS, (), D(2026, 1, 1), D(2026, 12, 31), withdrawn_on=D(2025, 12, 1))
    assert [(s.on, s.status) for s in timeline] == [(D(2026, 1, 1), PoolStatus.REMOVED)]


def test_blocking_burdens_names_every_kind() -> None:
    events = (
        RightEvent(RightKind.LICENCE, D(2026, 1, 1), None, sub_kind="sole"),
        RightEvent(RightKind.PLEDGE, D(2026, 1, 1), None),
        RightEvent(RightKind.SUSPENSION, D(2026, 1, 1), None),
        RightEvent(RightKind.PRESERVATION, D(2026, 1, 1), None),
        RightEvent(RightKind.INVALIDATION_REQUEST, D(2026, 1, 1)),
    )
    burdens = blocking_burdens(encumbrances(FACTS, events, D(2026, 2, 1)), valid=False)
    assert list(burdens) == ["invalid", "exclusive", "pledge", "suspension", "preservation", "invalidation"]
    assert burdens["exclusive"].startswith("存在有效的排他许可")


def test_transfer_to_co_owners_is_seen_by_the_ledger() -> None:
    transfer = RightEvent(RightKind.TRANSFER, D(2026, 1, 10), counterparty="甲大学；乙公司")
    enc = encumbrances(FACTS, (transfer,), D(2026, 2, 1))
    assert enc.co_owners == ("甲大学", "乙公司")
    # The engine check itself does not know the consent; the service adds the co-owner rule.
    result = check_admission(Candidate("x", title="热泵", valid=True), Criteria(keywords=("热泵",)), enc)
    assert result.admissible


def test_admission_reports_every_block_at_once() -> None:
    lapse = RightEvent(RightKind.LAPSE, D(2026, 1, 1))
    result = check_admission(
        Candidate("x", title="数据库", ipc=("G06F",), grade="D", valid=True),
        Criteria(ipc_prefixes=("F25B",), min_grade="B", essential_required=True),
        encumbrances(FACTS, (lapse,), D(2026, 2, 1)),
    )
    assert len(result.blocks) == 4
    assert result.blocks[0].startswith("专利权已终止")
    assert "技术领域不符合" in result.blocks[1]
    assert "D 可放弃/待处置" in result.blocks[2]
    assert "必要专利" in result.blocks[3]


def test_keywords_match_in_the_abstract_case_insensitively() -> None:
    result = check_admission(
        Candidate("x", title="一种系统", text="采用 CO2 跨临界循环的 Heat Pump", valid=True),
        Criteria(keywords=("heat pump",)),
        encumbrances(FACTS, (), D(2026, 2, 1)),
    )
    assert result.matched == ("heat pump",)
