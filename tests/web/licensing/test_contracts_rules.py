"""Rules L1–L11 through the contract services: the engine tests cover the logic; these prove the
services feed it the right facts from the database — the ledger (own contracts, imports,
declarations, pledges, fee state), the patent record, the co-owners, the 公示, the offer's regions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceOffer
from patentbridge.licensing.services import contracts
from patentbridge.licensing.services.ledger import record_right_event
from web.licensing.factories import (
    fee_free,
    fee_lump_sum,
    make_contract,
    make_coowned_patent,
    make_granted_patent,
)

START = dt.date(2026, 1, 15)
END = dt.date(2028, 12, 31)


def refused(call: Any) -> LicensingRefused:
    with pytest.raises(LicensingRefused) as info:
        call()
    return info.value


def approved(parties: Any, patents: list[Any], **kw: Any) -> Any:
    kw.setdefault("start", START)
    kw.setdefault("end", END)
    return make_contract(parties, patents, stage="approved", **kw)


def sign_refused(parties: Any, contract: Any, on: dt.date = START) -> LicensingRefused:
    error = refused(lambda: contracts.sign(parties.tto, contract, on=on))
    contract.refresh_from_db()
    assert contract.state == "approved"  # nothing written
    assert not contract.filings.exists()
    return error


def ledger(patent: Any, kind: str, *, start: dt.date, end: dt.date | None = None, **kw: Any) -> Any:
    kw.setdefault("source", "import")
    kw.setdefault("source_ref", f"batch-1:{kind}:{start}")
    return record_right_event(None, patent, kind=kind, start=start, end=end, **kw)


# --- L1 validity and term ------------------------------------------------------------------------


def test_l1_patent_not_granted_is_refused(parties):
    from web.factories import make_patent

    pending = make_patent(
        owner=parties.university, legal_status="substantive_exam", applicants=[parties.university.name]
    )
    error = sign_refused(parties, approved(parties, [pending]))
    assert error.code == "L1" and "尚未授权" in error.reason and pending.application_number in error.reason


def test_l1_term_beyond_the_patent_expiry_is_refused(parties):
    short = make_granted_patent(
        parties.university, patent_type="utility_model", filing_date=dt.date(2017, 6, 1)
    )
    assert short.expiry_date == dt.date(2027, 6, 1)
    error = sign_refused(parties, approved(parties, [short]))
    assert error.code == "L1" and "2027-06-01" in error.reason


def test_l1_a_lapse_recorded_in_the_ledger_is_refused(parties, patent):
    ledger(patent, "lapse", start=dt.date(2025, 9, 1))
    error = sign_refused(parties, approved(parties, [patent]))
    assert error.code == "L1" and "不是有效" in error.reason


# --- L2 open licence ------------------------------------------------------------------------------


def test_l2_open_licence_in_the_ledger_blocks_exclusive_but_not_ordinary(parties, patent):
    ledger(patent, "open_licence", start=dt.date(2025, 6, 1), source="declaration", source_ref="decl-7")
    error = sign_refused(parties, approved(parties, [patent], kind="exclusive"))
    assert error.code == "L2" and "decl-7" in error.reason
    ordinary = approved(parties, [patent], kind="ordinary")
    contracts.sign(parties.tto, ordinary, on=START)
    assert ordinary.state == "active_paid"


def test_l2_open_licence_published_later_in_the_term_also_blocks(parties, patent):
    ledger(patent, "open_licence", start=dt.date(2027, 1, 1), source="declaration", source_ref="decl-9")
    error = sign_refused(parties, approved(parties, [patent], kind="sole"))
    assert error.code == "L2"


# --- L3 overlapping licences ------------------------------------------------------------------------


def test_l3_exclusive_signed_then_ordinary_refused(parties, patent):
    first = make_contract(parties, [patent], kind="exclusive", stage="signed", start=START, end=END)
    error = sign_refused(
        parties, approved(parties, [patent], kind="ordinary", licensee_org=parties.other_enterprise)
    )
    assert error.code == "L3"
    assert first.contract_no in error.reason and parties.enterprise.name in error.reason


def test_l3_ordinary_signed_then_exclusive_refused(parties, patent):
    make_contract(parties, [patent], kind="ordinary", stage="signed", start=START, end=END)
    error = sign_refused(
        parties, approved(parties, [patent], kind="exclusive", licensee_org=parties.other_enterprise)
    )
    assert error.code == "L3" and "普通许可" in error.reason


def test_l3_two_ordinary_licences_coexist(parties, patent):
    make_contract(parties, [patent], kind="ordinary", stage="signed", start=START, end=END)
    second = approved(parties, [patent], kind="ordinary", licensee_org=parties.other_enterprise)
    contracts.sign(parties.tto, second, on=START)
    assert second.state == "active_paid"


def test_l3_exclusive_terms_that_do_not_overlap_are_fine(parties, patent):
    make_contract(parties, [patent], kind="exclusive", stage="signed", start=START, end=dt.date(2026, 12, 31))
    later = approved(
        parties, [patent], kind="exclusive", start=dt.date(2027, 1, 1), licensee_org=parties.other_enterprise
    )
    contracts.sign(parties.tto, later, on=dt.date(2026, 12, 1))
    assert later.state == "active_paid"


def test_l3_an_imported_exclusive_licence_starting_later_blocks(parties, patent):
    ledger(
        patent,
        "licence",
        start=dt.date(2027, 3, 1),
        sub_kind="exclusive",
        counterparty="某公司",
        record_no="2027990000123",
    )
    error = sign_refused(parties, approved(parties, [patent], kind="ordinary"))
    assert error.code == "L3" and "2027990000123" in error.reason


def test_l3_ended_trial_frees_the_patent_for_an_exclusive_licence(parties, patent):
    make_contract(parties, [patent], trial_months=6, stage="trial_ended", start=START, end=END)
    exclusive = approved(
        parties, [patent], kind="exclusive", start=dt.date(2026, 8, 1), licensee_org=parties.other_enterprise
    )
    contracts.sign(parties.tto, exclusive, on=dt.date(2026, 8, 1))
    assert exclusive.state == "active_paid"


def test_l3_a_trial_is_refused_when_its_paid_phase_would_collide(parties, patent):
    ledger(patent, "licence", start=dt.date(2026, 9, 1), sub_kind="exclusive", source_ref="batch-2:7")
    error = sign_refused(parties, approved(parties, [patent], trial_months=6))
    assert error.code == "L3"


def test_check_contract_ignores_the_contracts_own_ledger_rows(parties, patent):
    c = make_contract(parties, [patent], kind="exclusive", stage="signed", start=START, end=END)
    verdict = contracts.check_contract(c, as_of=dt.date(2026, 3, 1), for_filing=True)
    assert verdict.allowed and "L3" not in verdict.codes()


# --- L4 co-owners -------------------------------------------------------------------------------


def test_l4_coowned_exclusive_needs_every_coowner(parties):
    shared = make_coowned_patent(parties.university, "某某研究院有限公司")
    c = approved(parties, [shared], kind="exclusive")
    error = sign_refused(parties, c)
    assert error.code == "L4" and "某某研究院有限公司" in error.reason
    contracts.record_consents(parties.tto, c, on=START, coowner=True, note="共有人书面同意书已存档")
    contracts.sign(parties.tto, c, on=START)
    assert c.state == "active_paid"


def test_l4_all_coowners_as_licensors_may_grant_exclusive(parties):
    shared = make_coowned_patent(parties.university, "某某研究院有限公司")
    licensors = [
        {"name": parties.university.name, "share": "0.6"},
        {"name": "某某研究院有限公司", "share": "0.4"},
    ]
    c = approved(parties, [shared], kind="exclusive", licensors=licensors)
    contracts.sign(parties.tto, c, on=START)
    assert c.state == "active_paid"


def test_l4_coowned_ordinary_is_signed_with_a_fee_sharing_warning(parties):
    shared = make_coowned_patent(parties.university, "某某研究院有限公司")
    c = make_contract(parties, [shared], stage="signed", start=START, end=END)
    note = c.steps.get(event="sign").note
    assert "[L4]" in note and "分配" in note


# --- L5 / L6 filing holds -----------------------------------------------------------------------


def test_l5_pledge_signs_with_a_warning_and_holds_the_filing(parties, patent):
    ledger(patent, "pledge", start=dt.date(2025, 5, 1), counterparty="某银行", record_no="Y2025370000001")
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    assert "[L5]" in c.steps.get(event="sign").note
    filing = c.filings.get()
    assert "某银行" in filing.hold_reason and "质权人" in filing.hold_reason
    contracts.record_consents(parties.tto, c, on=dt.date(2026, 2, 1), pledgee=True)
    filing.refresh_from_db()
    assert filing.hold_reason == ""


def test_l5_pledge_with_consent_on_file_does_not_hold(parties, patent):
    ledger(patent, "pledge", start=dt.date(2025, 5, 1), consents=["pledgee"])
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    assert c.filings.get().hold_reason == ""
    assert "L5" not in contracts.check_contract(c, as_of=START, for_filing=True).codes()


@pytest.mark.parametrize(
    ("kind", "words"),
    [("fee_late_period", "滞纳期"), ("suspension", "中止"), ("preservation", "保全")],
)
def test_l6_late_fee_suspension_or_preservation_hold_the_filing(parties, patent, kind, words):
    end = dt.date(2026, 6, 30)
    ledger(patent, kind, start=dt.date(2025, 12, 1), end=end)
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    assert "[L6]" in c.steps.get(event="sign").note
    assert words in c.filings.get().hold_reason
    verdict = contracts.check_contract(c, as_of=START, for_filing=True)
    assert [f.code for f in verdict.blocks] == ["L6"]


# --- L7 pricing at a state-run licensor ------------------------------------------------------------


def test_l7_agreement_price_at_state_run_needs_a_passed_notice(parties, patent):
    c = approved(parties, [patent], price_method="agreement")
    error = sign_refused(parties, c)
    assert error.code == "L7" and "公示" in error.reason


def test_l7_state_run_without_price_method_is_refused(parties, patent):
    error = sign_refused(parties, approved(parties, [patent], price_method=""))
    assert error.code == "L7" and "定价方式" in error.reason


def test_l7_private_licensor_needs_no_notice(parties):
    from web.factories import make_member, make_org

    company = make_org("某私立研究院", "university", state_run=False)
    tto = make_member(company, "tto")
    private = make_granted_patent(company)
    c = make_contract(
        parties, [private], price_method="agreement", licensor_org=company, actor=tto, stage="signed"
    )
    assert c.state == "active_paid"


# --- L8 sub-licence ----------------------------------------------------------------------------


def test_l8_sublicence_needs_a_stated_clause(parties, patent):
    c = approved(parties, [patent], sublicence_allowed=True)
    error = sign_refused(parties, c)
    assert error.code == "L8"
    stated = approved(
        parties,
        [patent],
        sublicence_allowed=True,
        sublicence_scope="被许可人可许可其全资子公司在山东省内实施",
    )
    contracts.sign(parties.tto, stated, on=START)
    assert stated.state == "active_paid"


# --- L9 fee schedule ---------------------------------------------------------------------------


def test_l9_paid_contract_without_fees_is_refused_and_free_is_fine(parties, patent):
    error = sign_refused(parties, approved(parties, [patent], fee_schedule={}))
    assert error.code == "L9"
    free = approved(parties, [patent], fee_schedule=fee_free())
    contracts.sign(parties.tto, free, on=START)
    assert free.state == "active_paid"


# --- L10 trial ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fees",
    [
        fee_lump_sum(),  # whole amount at signing
        {"free": False, "components": [{"type": "entry_fee", "amount": "10000.00", "due": "signing"}]},
    ],
)
def test_l10_trial_must_be_free(parties, patent, fees):
    error = sign_refused(parties, approved(parties, [patent], trial_months=6, fee_schedule=fees))
    assert error.code == "L10" and "不得收取" in error.reason


def test_l10_trial_must_be_ordinary(parties, patent):
    error = sign_refused(parties, approved(parties, [patent], trial_months=6, kind="exclusive"))
    assert error.code == "L10" and "普通许可" in error.reason


def test_l10_instalments_after_the_trial_keep_it_free(parties, patent):
    fees = {
        "free": False,
        "components": [
            {
                "type": "lump_sum",
                "amount": "100000.00",
                "instalments": [{"date": "2026-08-01", "amount": "100000.00"}],
            }
        ],
    }
    c = make_contract(
        parties, [patent], trial_months=6, fee_schedule=fees, stage="signed", start=START, end=END
    )
    assert c.state == "active_trial"


# --- L11 regional targeting -------------------------------------------------------------------


def _offer(parties: Any, patent: Any, regions: list[str]) -> LicenceOffer:
    offer = LicenceOffer.objects.create(
        publisher_org=parties.university,
        title="聊城定向发布",
        target_regions=regions,
        region_only=True,
        state="published",
        created_by=parties.tto,
    )
    offer.patents.set([patent])
    return offer


def test_l11_out_of_region_needs_an_operator(parties, patent):
    offer = _offer(parties, patent, ["371500"])  # 聊城; the enterprise is in 泰安 (370902)
    c = approved(parties, [patent], offer=offer)
    error = sign_refused(parties, c)
    assert error.code == "L11" and "370902" in error.reason and "尚未确认" in error.reason
    contracts.confirm_region(parties.operator, c, on=START, note="企业在聊城设厂")
    contracts.sign(parties.tto, c, on=START)
    assert (c.state, c.out_of_region) == ("active_paid", True)


def test_l11_an_operator_signing_confirms_and_in_region_needs_nothing(parties, patent):
    away = approved(parties, [patent], offer=_offer(parties, patent, ["371500"]))
    contracts.sign(parties.operator, away, on=START)
    assert away.out_of_region is True
    home = approved(
        parties, [patent], offer=_offer(parties, patent, ["370900"]), licensee_org=parties.enterprise
    )
    contracts.sign(parties.tto, home, on=START)
    assert (home.state, home.out_of_region) == ("active_paid", False)
