"""encumbrances(facts, events, as_of): what burdens a patent on a date (§1.1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from patentbridge_engine.legal.terms import PatentType
from patentbridge_engine.licensing.ledger import (
    FeeState,
    LicenceKind,
    PatentFacts,
    RightEvent,
    RightKind,
    encumbrances,
    licence_kind_of,
    patentees_as_of,
    split_parties,
)

D = dt.date
K = RightKind
FACTS = PatentFacts(
    application_number="CN202110000001.X",
    patent_type=PatentType.INVENTION,
    granted=True,
    valid=True,
    patentees=("山东大学",),
)


def ev(kind: RightKind, start: dt.date, end: dt.date | None = None, **kw: Any) -> RightEvent:
    return RightEvent(kind=kind, start=start, end=end, **kw)


# --- licences -------------------------------------------------------------------------------------


def test_no_events_means_no_burdens() -> None:
    enc = encumbrances(FACTS, [], D(2026, 1, 1))
    assert enc.as_of == D(2026, 1, 1)
    assert enc.exclusive_or_sole == enc.ordinary == enc.pledges == ()
    assert not (enc.suspended or enc.preserved or enc.lapsed or enc.invalidation_pending)
    assert enc.open_licence is None and enc.evaluation_report is None
    assert enc.fee_state is FeeState.UNKNOWN
    assert enc.co_owners == ()


@pytest.mark.parametrize(
    ("sub_kind", "bucket"),
    [
        ("exclusive", "exclusive_or_sole"),
        ("sole", "exclusive_or_sole"),
        ("ordinary", "ordinary"),
        ("", "ordinary"),
    ],
)
def test_licences_split_by_kind(sub_kind: str, bucket: str) -> None:
    lic = ev(K.LICENCE, D(2025, 1, 1), D(2025, 12, 31), sub_kind=sub_kind)
    enc = encumbrances(FACTS, [lic], D(2025, 6, 1))
    assert getattr(enc, bucket) == (lic,)
    other = "ordinary" if bucket == "exclusive_or_sole" else "exclusive_or_sole"
    assert getattr(enc, other) == ()


def test_licence_boundaries_start_and_end_inclusive() -> None:
    lic = ev(K.LICENCE, D(2025, 1, 1), D(2025, 12, 31), sub_kind="exclusive")
    assert encumbrances(FACTS, [lic], D(2024, 12, 31)).exclusive_or_sole == ()
    assert encumbrances(FACTS, [lic], D(2025, 1, 1)).exclusive_or_sole == (lic,)
    assert encumbrances(FACTS, [lic], D(2025, 12, 31)).exclusive_or_sole == (lic,)
    assert encumbrances(FACTS, [lic], D(2026, 1, 1)).exclusive_or_sole == ()


def test_open_ended_licence_stays_in_force() -> None:
    lic = ev(K.LICENCE, D(2020, 1, 1), sub_kind="ordinary")
    assert encumbrances(FACTS, [lic], D(2040, 1, 1)).ordinary == (lic,)


def test_overlapping_licences_are_all_listed_oldest_first() -> None:
    a = ev(K.LICENCE, D(2025, 3, 1), D(2026, 2, 28), counterparty="甲公司")
    b = ev(K.LICENCE, D(2025, 1, 1), D(2025, 6, 30), counterparty="乙公司")
    c = ev(K.LICENCE, D(2025, 5, 1), D(2025, 9, 30), sub_kind="sole", counterparty="丙公司")
    enc = encumbrances(FACTS, [a, b, c], D(2025, 6, 1))
    assert enc.ordinary == (b, a)
    assert enc.exclusive_or_sole == (c,)
    assert encumbrances(FACTS, [a, b, c], D(2025, 7, 1)).ordinary == (a,)


def test_licence_change_with_same_record_no_uses_the_latest_known_event() -> None:
    filed = ev(K.LICENCE, D(2024, 1, 1), D(2026, 12, 31), sub_kind="exclusive", record_no="2024370000001")
    changed = ev(K.LICENCE, D(2025, 1, 1), D(2026, 12, 31), sub_kind="ordinary", record_no="2024370000001")
    assert encumbrances(FACTS, [filed, changed], D(2024, 6, 1)).exclusive_or_sole == (filed,)
    enc = encumbrances(FACTS, [changed, filed], D(2025, 6, 1))
    assert enc.exclusive_or_sole == ()
    assert enc.ordinary == (changed,)


def test_licence_kind_of_defaults_to_ordinary() -> None:
    assert licence_kind_of(ev(K.LICENCE, D(2025, 1, 1), sub_kind=" Exclusive ")) is LicenceKind.EXCLUSIVE
    assert licence_kind_of(ev(K.LICENCE, D(2025, 1, 1), sub_kind="sole")) is LicenceKind.SOLE
    assert licence_kind_of(ev(K.LICENCE, D(2025, 1, 1), sub_kind="cross")) is LicenceKind.ORDINARY


# --- pledges, suspension, preservation, open licence ------------------------------------------------


def test_pledge_in_force_and_consent() -> None:
    pledge = ev(K.PLEDGE, D(2021, 3, 1), D(2024, 2, 28), counterparty="齐鲁银行", record_no="Y2021370000123")
    enc = encumbrances(FACTS, [pledge], D(2024, 2, 28))
    assert enc.pledges == (pledge,)
    assert enc.pledged_without_consent
    assert encumbrances(FACTS, [pledge], D(2024, 2, 29)).pledges == ()
    consented = ev(K.PLEDGE, D(2021, 3, 1), D(2024, 2, 28), consents=frozenset({"pledgee"}))
    assert not encumbrances(FACTS, [consented], D(2022, 1, 1)).pledged_without_consent


def test_pledge_released_early_by_a_later_event() -> None:
    reg = ev(K.PLEDGE, D(2021, 3, 1), D(2024, 2, 28), record_no="Y1", sub_kind="registered")
    release = ev(K.PLEDGE, D(2022, 5, 10), D(2022, 5, 10), record_no="Y1", sub_kind="released")
    events = [reg, release]
    assert encumbrances(FACTS, events, D(2022, 5, 9)).pledges == (reg,)  # release not yet known
    assert len(encumbrances(FACTS, events, D(2022, 5, 10)).pledges) == 1
    assert encumbrances(FACTS, events, D(2022, 5, 11)).pledges == ()
    assert encumbrances(FACTS, events, D(2023, 1, 1)).pledges == ()


def test_pledge_change_extends_the_term_and_keeps_consents() -> None:
    reg = ev(K.PLEDGE, D(2021, 3, 1), D(2024, 2, 28), record_no="Y2", consents=frozenset({"pledgee"}))
    change = ev(K.PLEDGE, D(2024, 1, 10), D(2026, 2, 28), record_no="Y2", sub_kind="changed")
    enc = encumbrances(FACTS, [reg, change], D(2025, 6, 1))
    assert [p.sub_kind for p in enc.pledges] == ["changed"]
    assert enc.pledges[0].consents == frozenset({"pledgee"})
    assert not enc.pledged_without_consent
    assert encumbrances(FACTS, [reg, change], D(2026, 3, 1)).pledges == ()


def test_suspension_and_preservation() -> None:
    sus = ev(K.SUSPENSION, D(2025, 4, 1), D(2025, 10, 1))
    pre = ev(K.PRESERVATION, D(2025, 5, 1))
    enc = encumbrances(FACTS, [sus, pre], D(2025, 6, 1))
    assert enc.suspended and enc.preserved
    enc = encumbrances(FACTS, [sus, pre], D(2025, 10, 2))
    assert not enc.suspended and enc.preserved
    enc = encumbrances(FACTS, [sus, pre], D(2025, 4, 30))
    assert enc.suspended and not enc.preserved


def test_open_licence_in_force_and_withdrawn() -> None:
    decl = ev(K.OPEN_LICENCE, D(2024, 9, 1), record_no="OL-1", source="declaration")
    withdrawn = ev(K.OPEN_LICENCE, D(2025, 3, 1), D(2025, 3, 1), record_no="OL-1", sub_kind="withdrawn")
    assert encumbrances(FACTS, [decl], D(2024, 8, 31)).open_licence is None
    assert encumbrances(FACTS, [decl], D(2024, 9, 1)).open_licence == decl
    assert encumbrances(FACTS, [decl, withdrawn], D(2025, 2, 28)).open_licence == decl
    assert encumbrances(FACTS, [decl, withdrawn], D(2025, 3, 2)).open_licence is None


# --- fee state ----------------------------------------------------------------------------------------


def test_fee_due_then_paid() -> None:
    due = ev(K.FEE_DUE, D(2025, 6, 1))
    paid = ev(K.FEE_PAID, D(2025, 6, 20))
    assert encumbrances(FACTS, [due, paid], D(2025, 5, 31)).fee_state is FeeState.UNKNOWN
    assert encumbrances(FACTS, [due, paid], D(2025, 6, 10)).fee_state is FeeState.DUE
    assert encumbrances(FACTS, [paid, due], D(2025, 6, 20)).fee_state is FeeState.PAID


def test_payment_on_the_due_day_counts_as_paid() -> None:
    events = [ev(K.FEE_PAID, D(2025, 6, 1)), ev(K.FEE_DUE, D(2025, 6, 1))]
    assert encumbrances(FACTS, events, D(2025, 6, 1)).fee_state is FeeState.PAID


def test_late_period_counts_months_from_its_start() -> None:
    late = ev(K.FEE_LATE_PERIOD, D(2025, 6, 2), D(2025, 12, 1))
    events = [ev(K.FEE_DUE, D(2025, 5, 1)), late]
    first = encumbrances(FACTS, events, D(2025, 6, 2))
    assert (first.fee_state, first.late_months) == (FeeState.LATE, 1)
    assert encumbrances(FACTS, events, D(2025, 7, 1)).late_months == 1
    assert encumbrances(FACTS, events, D(2025, 7, 2)).late_months == 2
    assert encumbrances(FACTS, events, D(2025, 12, 1)).late_months == 6
    assert not encumbrances(FACTS, events, D(2025, 12, 1)).lapsed


def test_late_period_paid_in_time() -> None:
    events = [ev(K.FEE_LATE_PERIOD, D(2025, 6, 2), D(2025, 12, 1)), ev(K.FEE_PAID, D(2025, 8, 15))]
    enc = encumbrances(FACTS, events, D(2026, 1, 1))
    assert (enc.fee_state, enc.late_months, enc.lapsed) == (FeeState.PAID, 0, False)


def test_late_period_ended_unpaid_is_a_lapse() -> None:
    events = [ev(K.FEE_LATE_PERIOD, D(2025, 6, 2), D(2025, 12, 1))]
    enc = encumbrances(FACTS, events, D(2025, 12, 2))
    assert enc.fee_state is FeeState.LAPSED
    assert enc.lapsed


def test_lapse_and_restoration() -> None:
    lapse = ev(K.LAPSE, D(2025, 12, 2))
    restore = ev(K.RESTORATION, D(2026, 3, 1))
    events = [lapse, restore]
    assert not encumbrances(FACTS, events, D(2025, 12, 1)).lapsed
    enc = encumbrances(FACTS, events, D(2026, 2, 1))
    assert enc.lapsed and enc.fee_state is FeeState.LAPSED
    enc = encumbrances(FACTS, events, D(2026, 3, 1))
    assert not enc.lapsed and enc.fee_state is FeeState.PAID


def test_a_payment_after_a_lapse_does_not_revive_the_patent() -> None:
    events = [ev(K.LAPSE, D(2025, 12, 2)), ev(K.FEE_PAID, D(2026, 1, 5))]
    enc = encumbrances(FACTS, events, D(2026, 2, 1))
    assert enc.lapsed and enc.fee_state is FeeState.LAPSED


def test_facts_lapse_date_and_restoration_after_it() -> None:
    facts = PatentFacts(application_number="X", patent_type=None, lapse_date=D(2025, 1, 1))
    assert not encumbrances(facts, [], D(2024, 12, 31)).lapsed
    enc = encumbrances(facts, [], D(2025, 1, 1))
    assert enc.lapsed and enc.fee_state is FeeState.LAPSED
    restored = [ev(K.RESTORATION, D(2025, 3, 1))]
    assert encumbrances(facts, restored, D(2025, 2, 1)).lapsed
    assert not encumbrances(facts, restored, D(2025, 3, 2)).lapsed


def test_expiry_ends_the_patent() -> None:
    facts = PatentFacts(application_number="X", patent_type=None, expiry_date=D(2030, 5, 31))
    assert not encumbrances(facts, [], D(2030, 5, 31)).lapsed
    assert encumbrances(facts, [], D(2030, 6, 1)).lapsed


# --- invalidation, evaluation report ------------------------------------------------------------------


def test_invalidation_pending_until_decided() -> None:
    req = ev(K.INVALIDATION_REQUEST, D(2025, 2, 1), counterparty="某公司")
    kept = ev(K.INVALIDATION_DECISION, D(2025, 9, 1), sub_kind="maintained")
    assert not encumbrances(FACTS, [req, kept], D(2025, 1, 31)).invalidation_pending
    assert encumbrances(FACTS, [req, kept], D(2025, 2, 1)).invalidation_pending
    enc = encumbrances(FACTS, [req, kept], D(2025, 9, 1))
    assert not enc.invalidation_pending and not enc.lapsed


def test_a_new_request_after_a_decision_is_pending_again() -> None:
    events = [
        ev(K.INVALIDATION_REQUEST, D(2024, 1, 1)),
        ev(K.INVALIDATION_DECISION, D(2024, 6, 1), sub_kind="maintained"),
        ev(K.INVALIDATION_REQUEST, D(2025, 1, 1)),
    ]
    assert not encumbrances(FACTS, events, D(2024, 12, 1)).invalidation_pending
    assert encumbrances(FACTS, events, D(2025, 1, 2)).invalidation_pending


def test_declared_invalid_is_lapsed() -> None:
    events = [
        ev(K.INVALIDATION_REQUEST, D(2025, 2, 1)),
        ev(K.INVALIDATION_DECISION, D(2025, 9, 1), sub_kind="invalid"),
    ]
    assert not encumbrances(FACTS, events, D(2025, 8, 31)).lapsed
    enc = encumbrances(FACTS, events, D(2025, 9, 1))
    assert enc.lapsed and not enc.invalidation_pending
    assert enc.fee_state is FeeState.UNKNOWN  # not a fee problem


def test_latest_evaluation_report_known_on_the_date() -> None:
    old = ev(K.EVALUATION_REPORT, D(2023, 1, 10), sub_kind="not_meets")
    new = ev(K.EVALUATION_REPORT, D(2025, 4, 1), sub_kind="meets_conditions")
    assert encumbrances(FACTS, [new, old], D(2022, 1, 1)).evaluation_report is None
    assert encumbrances(FACTS, [new, old], D(2024, 1, 1)).evaluation_report == old
    assert encumbrances(FACTS, [new, old], D(2025, 4, 1)).evaluation_report == new


# --- patentees, co-owners, transfers --------------------------------------------------------------------


def test_co_owners_from_facts_when_two_or_more() -> None:
    facts = PatentFacts(application_number="X", patent_type=None, patentees=("大学A", "企业B"))
    assert encumbrances(facts, [], D(2025, 1, 1)).co_owners == ("大学A", "企业B")
    assert encumbrances(FACTS, [], D(2025, 1, 1)).co_owners == ()


def test_transfer_changes_the_patentees_from_its_date() -> None:
    t1 = ev(K.TRANSFER, D(2023, 5, 1), counterparty="大学A；企业B", record_no="T1")
    t2 = ev(K.TRANSFER, D(2025, 5, 1), counterparty="企业C", record_no="T2")
    events = [t2, t1]
    assert patentees_as_of(FACTS, events, D(2023, 4, 30)) == ("山东大学",)
    assert patentees_as_of(FACTS, events, D(2023, 5, 1)) == ("大学A", "企业B")
    assert encumbrances(FACTS, events, D(2024, 1, 1)).co_owners == ("大学A", "企业B")
    assert patentees_as_of(FACTS, events, D(2025, 5, 1)) == ("企业C",)
    assert encumbrances(FACTS, events, D(2025, 5, 1)).co_owners == ()


def test_transfer_without_assignee_is_ignored_for_patentees() -> None:
    events = [ev(K.TRANSFER, D(2023, 5, 1), counterparty=" ")]
    assert patentees_as_of(FACTS, events, D(2024, 1, 1)) == ("山东大学",)


def test_split_parties() -> None:
    assert split_parties(" 大学A ; 企业B；大学A ") == ("大学A", "企业B")
    assert split_parties("") == ()
