"""Licence filings (实施许可合同备案): due dates across month ends (细则 Arts. 5, 15), the trial
policy switch, holds from L5/L6, submission and CNIPA's answer by either party, change filings on
conversion, the CNIPA form prefill and the due list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceFiling, RightEvent
from patentbridge.licensing.services import contracts, filing
from patentbridge.licensing.services.ledger import record_right_event
from patentbridge_engine.licensing import policy
from web.licensing.factories import fee_royalty, make_contract, make_coowned_patent

START = dt.date(2026, 1, 15)
END = dt.date(2028, 12, 31)


@pytest.mark.parametrize(
    ("signed", "due"),
    [
        (dt.date(2025, 11, 30), dt.date(2026, 2, 28)),  # §13: no 30 February → last day of the month
        (dt.date(2026, 1, 31), dt.date(2026, 4, 30)),
        (dt.date(2027, 11, 30), dt.date(2028, 2, 29)),  # leap year
        (dt.date(2026, 3, 15), dt.date(2026, 6, 15)),
    ],
)
def test_filing_due_three_months_after_signing_on_the_corresponding_day(parties, patent, signed, due):
    c = make_contract(parties, [patent], stage="signed", start=signed, end=END)
    f = c.filings.get()
    assert (f.kind, f.state, f.due_date) == ("initial", "due", due)
    [event] = AuditEvent.objects.filter(action="licensing.filing.opened")
    assert event.data["effective"] == signed.isoformat() and event.data["months"] == 3


def test_open_filing_is_idempotent_per_kind(parties, patent):
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    first = c.filings.get()
    again = filing.open_filing(c, kind="initial", effective=dt.date(2026, 5, 1))
    assert (again.pk, again.due_date) == (first.pk, dt.date(2026, 4, 15))
    with pytest.raises(ValidationError, match="未知的备案类型"):
        filing.open_filing(c, kind="secret", effective=START)


def test_trial_filing_follows_the_policy_switch(parties, patent, monkeypatch):
    real = policy.value

    def no_trial_filing(key: str, **kw: Any) -> Any:
        return False if key == "FILE_TRIAL_LICENCES" else real(key, **kw)

    monkeypatch.setattr(policy, "value", no_trial_filing)
    c = make_contract(parties, [patent], trial_months=6, stage="signed", start=START, end=END)
    assert not c.filings.exists()
    contracts.end_trial(None, c, on=dt.date(2026, 7, 15))
    contracts.convert(parties.enterprise_user, c, on=dt.date(2026, 7, 20))
    f = c.filings.get()
    assert (f.kind, f.due_date) == ("initial", dt.date(2026, 10, 20))


def test_trial_is_filed_by_default(parties, patent):
    c = make_contract(parties, [patent], trial_months=6, stage="signed", start=START, end=END)
    assert c.filings.get().due_date == dt.date(2026, 4, 15)


def _pledged(parties: Any, patent: Any) -> Any:
    record_right_event(
        None,
        patent,
        kind="pledge",
        start=dt.date(2025, 5, 1),
        counterparty="某银行",
        source="import",
        source_ref="p1",
    )
    return make_contract(parties, [patent], stage="signed", start=START, end=END)


def test_a_held_filing_cannot_be_submitted_until_the_consent_arrives(parties, patent):
    c = _pledged(parties, patent)
    f = c.filings.get()
    assert f.hold_reason
    with pytest.raises(LicensingRefused) as refused:
        filing.submit_filing(parties.tto, f, side="licensor", on=dt.date(2026, 2, 1))
    assert refused.value.code == "L5" and "质权人" in refused.value.reason
    f.refresh_from_db()
    assert f.state == "due"
    contracts.record_consents(parties.tto, c, on=dt.date(2026, 2, 2), pledgee=True)
    filing.submit_filing(parties.tto, f, side="licensor", on=dt.date(2026, 2, 3))
    assert (f.state, f.submitted_at, f.filed_by_side, f.hold_reason) == (
        "submitted",
        dt.date(2026, 2, 3),
        "licensor",
        "",
    )


def test_a_late_fee_hold_clears_when_the_ledger_shows_payment(parties, patent):
    record_right_event(
        None,
        patent,
        kind="fee_late_period",
        start=dt.date(2025, 12, 1),
        end=dt.date(2026, 5, 31),
        source="import",
        source_ref="fee-late",
    )
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    f = c.filings.get()
    assert "滞纳期" in f.hold_reason
    record_right_event(
        None, patent, kind="fee_paid", start=dt.date(2026, 2, 10), source="import", source_ref="fee-paid"
    )
    filing.refresh_hold(f, as_of=dt.date(2026, 2, 10), actor=parties.tto)
    assert f.hold_reason == ""
    [event] = AuditEvent.objects.filter(action="licensing.filing.hold")
    assert event.data["after"] == "" and event.actor == parties.tto


def test_submit_record_filed_writes_the_number_into_the_ledger(parties, patent):
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    f = c.filings.get()
    filing.submit_filing(parties.enterprise_user, f, side="licensee", on=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError, match="早于提交日期"):
        filing.record_filed(
            parties.enterprise_user, f, record_no="2026370000123", filed_on=dt.date(2026, 1, 31)
        )
    filing.record_filed(
        parties.enterprise_user, f, record_no=" 2026370000123 ", filed_on=dt.date(2026, 2, 20)
    )
    assert (f.state, f.record_no, f.filed_at) == ("filed", "2026370000123", dt.date(2026, 2, 20))
    assert RightEvent.objects.get(source_ref=c.contract_no).record_no == "2026370000123"
    [event] = AuditEvent.objects.filter(action="licensing.filing.accept")
    assert event.actor == parties.enterprise_user and event.data["ledger_rows"] == 1
    # the ledger still sees exactly one licence, now under its record number
    from patentbridge.licensing.services.ledger import encumbrances_for

    assert len(encumbrances_for(patent, dt.date(2026, 3, 1)).ordinary) == 1


def test_refused_filing_can_be_corrected_and_resubmitted(parties, patent):
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    f = c.filings.get()
    with pytest.raises(LicensingRefused) as wrong_state:
        filing.record_filed(parties.tto, f, record_no="1", filed_on=START)
    assert wrong_state.value.code == "STATE" and "待备案" in wrong_state.value.reason
    filing.submit_filing(parties.tto, f, side="agency", on=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError, match="理由"):
        filing.record_refused(parties.tto, f, reason=" ", on=dt.date(2026, 2, 15))
    filing.record_refused(parties.tto, f, reason="许可人名称与专利权人不一致", on=dt.date(2026, 2, 15))
    assert (f.state, f.refusal_reason) == ("refused", "许可人名称与专利权人不一致")
    filing.submit_filing(parties.tto, f, side="licensor", on=dt.date(2026, 2, 20))
    assert f.state == "submitted"


@pytest.mark.parametrize("record_no", ["", "   ", "9" * 65])
def test_record_number_is_required_and_bounded(parties, patent, record_no):
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    f = c.filings.get()
    filing.submit_filing(parties.tto, f, side="licensor", on=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError, match="备案号"):
        filing.record_filed(parties.tto, f, record_no=record_no, filed_on=dt.date(2026, 2, 2))


def test_filing_permissions(parties, patent):
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    f = c.filings.get()
    with pytest.raises(PermissionDenied, match="被许可方或委托代理机构"):
        filing.submit_filing(parties.enterprise_user, f, side="licensor", on=START)
    with pytest.raises(PermissionDenied, match="被许可人不是本企业"):
        filing.submit_filing(parties.other_enterprise_user, f, side="licensee", on=START)
    with pytest.raises(PermissionDenied, match="许可方"):
        filing.submit_filing(parties.other_tto, f, side="licensor", on=START)
    with pytest.raises(PermissionDenied):
        filing.submit_filing(parties.inventor, f, side="licensor", on=START)
    with pytest.raises(ValidationError, match="未知的备案方"):
        filing.submit_filing(parties.tto, f, side="cnipa", on=START)
    f.refresh_from_db()
    assert f.state == "due"
    filing.submit_filing(parties.operator, f, side="agency", on=START)
    assert f.state == "submitted"


def test_change_filing_on_conversion_is_due_from_the_conversion_and_marks_the_initial_changed(
    parties, patent
):
    c = make_contract(parties, [patent], trial_months=6, stage="conversion_due", start=START, end=END)
    initial = c.filings.get()
    filing.submit_filing(parties.tto, initial, side="licensor", on=dt.date(2026, 2, 1))
    filing.record_filed(parties.tto, initial, record_no="2026370000001", filed_on=dt.date(2026, 2, 10))
    contracts.convert(parties.tto, c, on=dt.date(2026, 8, 31), fee_schedule=fee_royalty("0.05"))
    change = c.filings.get(kind="change")
    assert (change.state, change.due_date) == ("due", dt.date(2026, 11, 30))
    filing.submit_filing(parties.enterprise_user, change, side="licensee", on=dt.date(2026, 9, 5))
    filing.record_filed(
        parties.enterprise_user, change, record_no="2026370000999", filed_on=dt.date(2026, 9, 20)
    )
    initial.refresh_from_db()
    assert (initial.state, change.state) == ("changed", "filed")
    assert RightEvent.objects.get(source_ref=c.contract_no).record_no == "2026370000999"


def test_filing_form_prefill(parties):
    shared = make_coowned_patent(parties.university, "某某研究院有限公司", title="一种高温热泵机组")
    licensors = [
        {"name": parties.university.name, "share": "0.6"},
        {"name": "某某研究院有限公司", "share": "0.4"},
    ]
    c = make_contract(parties, [shared], stage="signed", licensors=licensors, start=START, end=END)
    form = filing.filing_form(c)
    assert form["contract_no"] == c.contract_no
    assert form["licensee"] == {
        "name": parties.enterprise.name,
        "uscc": parties.enterprise.uscc,
        "address": "山东泰安",
        "region_code": "370902",
    }
    assert form["co_licensors"] == [{"name": "某某研究院有限公司", "share": "0.4"}]
    [p] = form["patents"]
    assert p["patent_no"] == f"ZL{shared.application_number}"
    assert (p["title"], p["filing_date"], p["grant_date"], p["patent_type"]) == (
        "一种高温热泵机组",
        "2022-03-01",
        "2024-03-01",
        "发明",
    )
    assert (form["kind_label"], form["start_date"], form["end_date"], form["signed_at"]) == (
        "普通许可",
        "2026-01-15",
        "2028-12-31",
        "2026-01-15",
    )
    assert "¥120,000.00" in form["fee"]
    assert form["payment_type"] == "fixed"


def test_filings_due_lists_what_is_open_within_the_window_for_whom_may_see_it(parties, patent):
    soon = make_contract(parties, [patent], stage="signed", start=dt.date(2026, 1, 10), end=END)  # due 04-10
    later = make_contract(parties, [patent], stage="signed", start=dt.date(2026, 3, 1), end=END)  # due 06-01
    done = make_contract(parties, [patent], stage="signed", start=dt.date(2025, 12, 1), end=END)  # due 03-01
    filing.submit_filing(parties.tto, done.filings.get(), side="licensor", on=dt.date(2026, 1, 5))
    as_of = dt.date(2026, 3, 20)
    assert [f.contract_id for f in filing.filings_due(parties.tto, as_of=as_of)] == [soon.pk]
    assert [f.contract_id for f in filing.filings_due(parties.tto, as_of=as_of, within_days=90)] == [
        soon.pk,
        later.pk,
    ]
    assert [f.contract_id for f in filing.filings_due(parties.enterprise_user, as_of=as_of)] == [soon.pk]
    assert list(filing.filings_due(parties.other_tto, as_of=as_of)) == []
    assert list(filing.filings_due(parties.other_enterprise_user, as_of=as_of)) == []
    assert list(filing.filings_due(parties.inventor, as_of=as_of)) == []
    overdue = filing.filings_due(parties.operator, as_of=dt.date(2026, 5, 1), within_days=0)
    assert [f.contract_id for f in overdue] == [soon.pk]
    assert LicenceFiling.objects.count() == 3


def test_filing_form_uses_the_registered_address_when_known(parties):
    """A registered street address replaces the province-and-city fallback on the form."""
    parties.enterprise.address = "山东省泰安市泰山区东岳大街1号"
    parties.enterprise.save(update_fields=["address"])
    patent = make_coowned_patent(parties.university, "某某研究院有限公司", title="一种换热器")
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    form = filing.filing_form(c)
    assert form["licensee"]["address"] == "山东省泰安市泰山区东岳大街1号"
    assert form["licensor"]["address"] == f"{parties.university.province}{parties.university.city}"
