"""Edges of the contract core: contract numbers, negotiated conversions, trials without a paid
phase, extensions past the term, stale objects, unreadable stored fees, consents and clauses
recorded on a contract, and the end-by-patent subscription's date rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract
from patentbridge.licensing.services import contracts, numbers
from patentbridge.licensing.subscriptions import end_contracts_of_ended_patents
from web.licensing.factories import fee_royalty, make_contract, make_granted_patent

START = dt.date(2026, 1, 15)
TRIAL_END = dt.date(2026, 7, 15)
END = dt.date(2028, 12, 31)


# --- numbers --------------------------------------------------------------------------------------


def test_next_number_ignores_foreign_formats_and_counts_per_year(parties, patent):
    c = make_contract(parties, [patent], start=START, end=END)
    LicenceContract.objects.filter(pk=c.pk).update(contract_no="XK-2026-000041")
    d = make_contract(parties, [patent], start=START, end=END)
    LicenceContract.objects.filter(pk=d.pk).update(contract_no="XK-2026-DEMO")
    assert numbers.next_contract_no(2026) == "XK-2026-000042"
    assert numbers.next_contract_no(2025) == "XK-2025-000001"


def test_allocate_retries_with_a_fresh_number_after_a_collision(parties, patent, monkeypatch):
    make_contract(parties, [patent], start=START, end=END)  # takes XK-2026-000001
    calls: list[str] = []
    real = numbers.next_contract_no

    def stale_then_real(year: int) -> str:
        # The first answer is one another writer already stored (as a race would leave it).
        calls.append("x")
        return "XK-2026-000001" if len(calls) == 1 else real(year)

    monkeypatch.setattr(numbers, "next_contract_no", stale_then_real)
    c = make_contract(parties, [patent], start=START, end=END)
    assert c.contract_no == "XK-2026-000002" and len(calls) == 2


def test_allocate_gives_up_on_errors_that_are_not_collisions(parties):
    def broken(number: str) -> Any:
        raise IntegrityError("其他约束失败")

    with pytest.raises(IntegrityError):
        numbers.allocate(2026, broken)


# --- trials and conversions ------------------------------------------------------------------------


def test_negotiated_trial_signs_without_paid_terms_and_converts_with_them(parties, patent):
    c = make_contract(
        parties,
        [patent],
        trial_months=6,
        conversion_mode="negotiate",
        fee_schedule={},
        stage="conversion_due",
        start=START,
        end=END,
    )
    assert c.state == "conversion_due" and c.fee_schedule == {}
    contracts.convert(parties.tto, c, on=TRIAL_END, fee_schedule=fee_royalty("0.02"))
    assert c.state == "active_paid"
    assert c.fee_schedule["components"][1]["rates"][0]["rate"] == "0.02"
    assert c.filings.filter(kind="change").exists()


def test_trial_only_contract_has_no_paid_phase_to_convert_to(parties, patent):
    c = make_contract(parties, [patent], trial_months=6, stage="conversion_due", start=START, end=TRIAL_END)
    assert c.paid_start is None
    with pytest.raises(LicensingRefused) as refused:
        contracts.convert(parties.enterprise_user, c, on=TRIAL_END)
    assert refused.value.code == "NO_PAID_PHASE"
    contracts.decline(parties.enterprise_user, c, on=TRIAL_END, reason_code="not_suitable")
    assert c.state == "trial_ended"


def test_extension_past_the_contract_end_is_refused(parties, patent):
    c = make_contract(
        parties,
        [patent],
        trial_months=6,
        extensions_allowed=2,
        stage="conversion_due",
        start=START,
        end=dt.date(2026, 9, 30),
    )
    with pytest.raises(LicensingRefused) as refused:
        contracts.extend_trial(parties.tto, c, on=TRIAL_END, months=3)
    assert refused.value.code == "L10" and "2026-10-15" in refused.value.reason
    with pytest.raises(ValidationError, match="延长的月数"):
        contracts.extend_trial(parties.tto, c, on=TRIAL_END, months=0)
    c.refresh_from_db()
    assert (c.state, c.trial_extensions_used) == ("conversion_due", 0)


def test_convert_is_checked_against_licences_signed_since_the_trial(parties, patent):
    c = make_contract(parties, [patent], trial_months=6, stage="conversion_due", start=START, end=END)
    from patentbridge.licensing.services.ledger import record_right_event

    record_right_event(
        None,
        patent,
        kind="licence",
        start=dt.date(2026, 8, 1),
        sub_kind="exclusive",
        counterparty="某公司",
        record_no="2026370000777",
        source="import",
        source_ref="row-9",
    )
    with pytest.raises(LicensingRefused) as refused:
        contracts.convert(parties.enterprise_user, c, on=TRIAL_END)
    assert refused.value.code == "L3" and "2026370000777" in refused.value.reason
    c.refresh_from_db()
    assert c.state == "conversion_due"


# --- stale objects and stored data -------------------------------------------------------------------


def test_a_stale_object_is_judged_by_the_stored_state(parties, patent):
    c = make_contract(parties, [patent], stage="approved", start=START, end=END)
    stale = LicenceContract.objects.get(pk=c.pk)
    contracts.sign(parties.tto, c, on=START)
    assert stale.state == "approved"
    with pytest.raises(LicensingRefused) as refused:
        contracts.sign(parties.tto, stale, on=START)
    assert refused.value.code == "STATE" and "付费实施中" in refused.value.reason
    assert c.steps.filter(event="sign").count() == 1


def test_unreadable_stored_fees_block_signing_with_l9(parties, patent):
    c = make_contract(parties, [patent], stage="approved", start=START, end=END)
    LicenceContract.objects.filter(pk=c.pk).update(fee_schedule={"free": "maybe"})
    with pytest.raises(LicensingRefused) as refused:
        contracts.sign(parties.tto, c, on=START)
    assert refused.value.code == "L9" and "无法读取" in refused.value.reason


# --- consents, clauses, confirmations ------------------------------------------------------------------


def test_record_consents_writes_a_step_with_the_consents(parties, patent):
    c = make_contract(parties, [patent], start=START, end=END)
    contracts.record_consents(parties.tto, c, on=START, coowner=True, pledgee=False, note="书面同意已存档")
    assert (c.coowner_consent, c.pledgee_consent) == (True, False)
    step = c.steps.get(event="consents")
    assert step.note == "全体共有人同意：已取得；质权人同意：未取得；书面同意已存档"


def test_sublicence_terms_only_in_draft(parties, patent):
    c = make_contract(parties, [patent], start=START, end=END)
    with pytest.raises(ValidationError, match="分许可的范围"):
        contracts.set_sublicence_terms(parties.tto, c, on=START, scope=" ")
    contracts.set_sublicence_terms(parties.tto, c, on=START, scope="可许可关联公司实施")
    assert c.sublicence_allowed is True
    contracts.submit(parties.tto, c, on=START)
    with pytest.raises(LicensingRefused) as refused:
        contracts.set_sublicence_terms(parties.tto, c, on=START, scope="扩大到任何第三方")
    assert refused.value.code == "STATE"
    assert list(c.steps.filter(event="sublicence_terms").values_list("note", flat=True)) == [
        "可许可关联公司实施"
    ]


def test_allowed_actions_during_the_notice(parties, patent):
    c = make_contract(parties, [patent], price_method="agreement", stage="approved", start=START, end=END)
    assert [e for e, _ in contracts.allowed_actions(parties.tto, c)] == ["start_notice"]
    contracts.start_public_notice(parties.tto, c, on=START, result_name="成果", proposed_price="¥1")
    assert [e for e, _ in contracts.allowed_actions(parties.tto, c)] == ["notice_passed", "notice_objected"]


# --- the end-by-patent subscription ---------------------------------------------------------------


def test_expired_patent_ends_contracts_on_its_expiry_date(parties):
    p = make_granted_patent(parties.university)
    c = make_contract(parties, [p], stage="signed", start=START, end=END)
    p.legal_status, p.expiry_date = "expired", dt.date(2027, 2, 1)
    p.save()
    assert end_contracts_of_ended_patents([p.application_number]) == 1
    c.refresh_from_db()
    assert c.state == "ended_by_patent" and "期限届满" in c.end_reason
    assert c.steps.get(event="patent_ended").on_date == dt.date(2027, 2, 1)
    assert end_contracts_of_ended_patents([p.application_number]) == 0  # already ended


def test_lapse_without_a_date_or_a_valid_patent_ends_nothing(parties, patent):
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    assert end_contracts_of_ended_patents([patent.application_number]) == 0
    patent.legal_status = "lapsed_non_payment"
    patent.save()
    assert end_contracts_of_ended_patents([patent.application_number, "nonsense"]) == 0
    c.refresh_from_db()
    assert c.state == "active_paid"
