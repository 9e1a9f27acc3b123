"""Accepting an open licence (专利法 Art. 51): any enterprise gets an ordinary licence on the
declared terms with a filing due three months after it takes effect; payment on acceptance;
withdrawal effective from its announcement with earlier licences untouched; the daily sweep
functions; and, on PostgreSQL, two enterprises accepting at once both get licences."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract, OpenLicenceAcceptance, OpenLicenceDeclaration
from patentbridge.licensing.services import contracts, open_licence
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.patents.models import Patent
from web.licensing.factories import (
    OL_PUBLISHED,
    fee_lump_sum,
    fee_royalty,
    make_contract,
    make_declaration,
    make_granted_patent,
    make_member,
    make_org,
    make_parties,
    uscc,
)

pytestmark = pytest.mark.django_db

NOTICE = dt.date(2026, 3, 2)


def _accept(user, decl, on=NOTICE, **kw):
    return open_licence.accept_declaration(user, decl, notified_at=on, **kw)


def _enterprise(name):
    org = make_org(name, "enterprise", uscc=uscc(), region_code="440305", province="广东")
    return org, make_member(org, "enterprise")


def test_a_free_declaration_licenses_at_once_with_the_filing_due_three_months_later(
    parties, patent, django_capture_on_commit_callbacks
):
    """Ordinary licence, origin/price method open_licence, start = notice date, end = expiry,
    ACTIVE_PAID with a free schedule, filing due notice + 3 months; the acceptance is LICENSED."""
    decl = make_declaration(parties.tto, patent)
    with django_capture_on_commit_callbacks(execute=True):
        acc = _accept(parties.enterprise_user, decl, intended_use="用于余热回收设备")
    contract = acc.contract
    assert acc.state == "licensed" and acc.licensee_org == parties.enterprise
    assert (contract.kind, contract.origin, contract.price_method) == (
        "ordinary",
        "open_licence",
        "open_licence",
    )
    assert contract.state == "active_paid" and contract.fee_schedule == {"free": True, "components": []}
    assert contract.start_date == NOTICE and contract.effective_at == NOTICE
    assert contract.end_date == patent.expiry_date
    assert contract.licensor_org == parties.university and contract.territory == "中国境内"
    filing = contract.filings.get(kind="initial")
    assert filing.due_date == dt.date(2026, 6, 2)
    licence_event = patent.right_events.get(kind="licence", source="contract")
    assert licence_event.sub_kind == "ordinary" and licence_event.start_date == NOTICE


def test_filing_due_follows_the_corresponding_day_rule_across_month_ends(parties, patent):
    """§13: a licence effective 2025-11-30 is to be filed by 2026-02-28 (细则 Art. 5)."""
    decl = make_declaration(
        parties.tto,
        patent,
        declared=dt.date(2025, 10, 8),
        submitted=dt.date(2025, 10, 9),
        published=dt.date(2025, 11, 3),
    )
    acc = _accept(parties.enterprise_user, decl, on=dt.date(2025, 11, 30))
    assert acc.contract.filings.get(kind="initial").due_date == dt.date(2026, 2, 28)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"term_kind": "years_from_licence", "term_years": 3}, dt.date(2029, 3, 1)),
        ({"term_kind": "until_date", "term_until": dt.date(2030, 12, 31)}, dt.date(2030, 12, 31)),
        ({"term_kind": "years_from_licence", "term_years": 20}, dt.date(2042, 3, 1)),
    ],
)
def test_each_licence_runs_for_the_declared_term_but_never_past_expiry(parties, patent, fields, expected):
    """OL_TERM_MEANING = each_licence: N years from this licence; a date; capped at expiry (2042-03-01)."""
    decl = make_declaration(parties.tto, patent, **fields)
    acc = _accept(parties.enterprise_user, decl)
    assert acc.contract.end_date == expected == min(expected, patent.expiry_date)


def test_under_the_offer_reading_the_term_bounds_the_offer_and_licences_run_to_expiry(
    parties, patent, monkeypatch
):
    """OL_TERM_MEANING = offer: a licence runs to expiry; a notice after the declared date is refused."""
    from patentbridge.licensing.services import open_accept

    real = open_accept.policy.value

    def value(key, **kw):
        return "offer" if key == "OL_TERM_MEANING" else real(key, **kw)

    monkeypatch.setattr(open_accept.policy, "value", value)
    decl = make_declaration(parties.tto, patent, term_kind="until_date", term_until=dt.date(2026, 12, 31))
    acc = _accept(parties.enterprise_user, decl)
    assert acc.contract.end_date == patent.expiry_date
    with pytest.raises(LicensingRefused) as info:
        _accept(parties.other_enterprise_user, decl, on=dt.date(2027, 1, 4))
    assert info.value.code == "OL_ENDED" and "2026-12-31" in info.value.reason


def test_a_declaration_asking_money_on_acceptance_waits_for_the_first_payment(
    parties, patent, django_capture_on_commit_callbacks
):
    """Lump sum on acceptance: contract signed at once (receivable planned), acceptance NOTIFIED
    until the payment is recorded, then LICENSED."""
    decl = make_declaration(parties.tto, patent, fee_schedule=fee_lump_sum("80000.00"))
    with django_capture_on_commit_callbacks(execute=True):
        acc = _accept(parties.enterprise_user, decl)
    assert acc.state == "notified" and acc.contract.state == "active_paid"
    receivable = acc.contract.receivables.get()
    assert str(receivable.amount_due) == "80000.00"
    record_payment(parties.tto, receivable, amount="80000.00", paid_on=dt.date(2026, 3, 10))
    acc.refresh_from_db()
    assert acc.state == "licensed"


def test_a_royalty_only_declaration_licenses_on_notice(parties, patent):
    """Nothing is payable on acceptance, so the licence is obtained on notice."""
    decl = make_declaration(parties.tto, patent, fee_schedule=fee_royalty("0.03", entry_fee=None))
    acc = _accept(parties.enterprise_user, decl)
    assert acc.state == "licensed"
    assert acc.contract.fee_schedule == decl.fee_schedule, "terms frozen from the declaration"


def test_any_enterprise_anywhere_may_accept(parties, patent):
    """No eligibility or region filter: an enterprise in 深圳 (440305) gets the same licence."""
    decl = make_declaration(parties.tto, patent)
    _, user = _enterprise("深圳某电子有限公司")
    acc = _accept(user, decl)
    assert acc.state == "licensed" and acc.contract.licensee_org.region_code == "440305"


def test_one_enterprise_accepting_twice_is_refused(parties, patent):
    decl = make_declaration(parties.tto, patent)
    _accept(parties.enterprise_user, decl)
    with pytest.raises(LicensingRefused) as info:
        _accept(parties.enterprise_user, decl, on=dt.date(2026, 3, 5))
    assert info.value.code == "ALREADY_ACCEPTED" and parties.enterprise.name in info.value.reason
    assert OpenLicenceAcceptance.objects.filter(declaration=decl).count() == 1
    assert LicenceContract.objects.filter(origin="open_licence").count() == 1


@pytest.mark.parametrize("stage", ["draft", "checked", "submitted"])
def test_an_unpublished_declaration_cannot_be_accepted(parties, patent, stage):
    decl = make_declaration(parties.tto, patent, stage=stage)
    with pytest.raises(LicensingRefused) as info:
        _accept(parties.enterprise_user, decl)
    assert info.value.code == "OL_NOT_PUBLISHED"


def test_a_notice_before_the_announcement_is_refused(parties, patent):
    decl = make_declaration(parties.tto, patent)
    with pytest.raises(LicensingRefused) as info:
        _accept(parties.enterprise_user, decl, on=OL_PUBLISHED - dt.timedelta(days=1))
    assert info.value.code == "OL_NOT_PUBLISHED"


@pytest.mark.parametrize("who", ["tto", "operator", "inventor"])
def test_only_enterprises_accept(parties, patent, who):
    decl = make_declaration(parties.tto, patent)
    with pytest.raises(PermissionDenied):
        _accept(getattr(parties, who), decl)


def test_withdrawal_takes_effect_on_its_announcement_and_earlier_licences_continue(parties, patent):
    """Licences before the announcement (even after the withdrawal was requested) stay; a notice on
    or after the announcement date is refused with the date; the ledger event ends that day."""
    decl = make_declaration(parties.tto, patent)
    early = _accept(parties.enterprise_user, decl)
    open_licence.request_withdrawal(
        parties.tto, decl, on=dt.date(2026, 5, 1), reason="专利权拟转让给合作企业"
    )
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 5, 20), on=dt.date(2026, 5, 8)
    )
    decl.refresh_from_db()
    assert decl.state == "withdrawal_submitted", "announced for a later date: still in force"
    during = _accept(parties.other_enterprise_user, decl, on=dt.date(2026, 5, 19))
    assert during.state == "licensed"
    assert open_licence.apply_withdrawals(dt.date(2026, 5, 19)) == []
    done = open_licence.apply_withdrawals(dt.date(2026, 5, 20))
    assert done == [
        {
            "action": "open_licence_withdrawn",
            "declaration": decl.pk,
            "patent": patent.application_number,
            "version": 1,
            "withdrawal_published_at": "2026-05-20",
        }
    ]
    assert open_licence.apply_withdrawals(dt.date(2026, 5, 21)) == [], "idempotent"
    decl.refresh_from_db()
    assert decl.state == "withdrawn"
    _, late_user = _enterprise("济南某装备有限公司")
    with pytest.raises(LicensingRefused) as info:
        _accept(late_user, decl, on=dt.date(2026, 5, 20))
    assert info.value.code == "OL_WITHDRAWN" and "该开放许可声明已于 2026-05-20 撤回" in info.value.reason
    for acc in (early, during):
        acc.contract.refresh_from_db()
        assert acc.contract.state == "active_paid" and acc.contract.end_date == patent.expiry_date
    event = patent.right_events.get(kind="open_licence")
    assert event.end_date == dt.date(2026, 5, 20)
    assert patent.right_events.filter(kind="licence", end_date=patent.expiry_date).count() == 2


def test_a_withdrawal_announced_in_the_past_applies_at_once(parties, patent):
    decl = make_declaration(parties.tto, patent)
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 5, 1), reason="技术方案已被替代")
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 5, 20), on=dt.date(2026, 5, 25)
    )
    decl.refresh_from_db()
    assert decl.state == "withdrawn"


def test_withdrawal_needs_a_reason_and_every_co_owners_consent(parties):
    patent = make_granted_patent(
        parties.university, patentees=[parties.university.name, "某某研究院有限公司"]
    )
    decl = make_declaration(parties.tto, patent)
    with pytest.raises(Exception, match="正当理由"):
        open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 5, 1), reason="  ")
    with pytest.raises(LicensingRefused) as info:
        open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 5, 1), reason="专利拟转让")
    assert info.value.code == "NOT_ALL_PATENTEES" and "某某研究院有限公司" in info.value.reason
    open_licence.request_withdrawal(
        parties.tto, decl, on=dt.date(2026, 5, 1), reason="专利拟转让", coowners_consent=True
    )
    decl.refresh_from_db()
    assert decl.state == "withdrawal_submitted" and decl.withdrawal_reason == "专利拟转让"


def test_a_refused_withdrawal_leaves_the_declaration_in_force(parties, patent):
    decl = make_declaration(parties.tto, patent)
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 5, 1), reason="拟转让")
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 6, 1), on=dt.date(2026, 5, 2)
    )
    open_licence.record_withdrawal_refused(parties.tto, decl, on=dt.date(2026, 5, 10))
    decl.refresh_from_db()
    assert decl.state == "published" and decl.withdrawal_published_at is None
    assert patent.right_events.get(kind="open_licence").end_date is None
    assert _accept(parties.enterprise_user, decl, on=dt.date(2026, 6, 2)).state == "licensed"


def test_an_exclusive_licence_is_refused_while_the_declaration_is_published(parties, patent):
    """Law 51 ¶3 through the contract core: the published declaration's ledger event blocks L2."""
    make_declaration(parties.tto, patent)
    with pytest.raises(LicensingRefused) as info:
        make_contract(parties, [patent], kind="exclusive", stage="signed", start=dt.date(2026, 4, 1))
    assert info.value.code in ("L2", "L3")


def test_declarations_end_when_the_patent_lapses(parties, patent):
    """PUBLISHED → ENDED on the sweep after a lapse; the ledger event ends on the lapse date; no
    new acceptance; idempotent."""
    decl = make_declaration(parties.tto, patent)
    Patent.objects.filter(pk=patent.pk).update(
        legal_status="lapsed_non_payment", lapse_date=dt.date(2026, 4, 1)
    )
    assert open_licence.end_declarations_for_lapsed(dt.date(2026, 3, 31)) == []
    done = open_licence.end_declarations_for_lapsed(dt.date(2026, 4, 10))
    assert done == [
        {
            "action": "open_licence_ended",
            "declaration": decl.pk,
            "patent": patent.application_number,
            "version": 1,
            "ended_on": "2026-04-01",
        }
    ]
    assert open_licence.end_declarations_for_lapsed(dt.date(2026, 4, 11)) == []
    decl.refresh_from_db()
    assert decl.state == "ended"
    assert patent.right_events.get(kind="open_licence").end_date == dt.date(2026, 4, 1)
    with pytest.raises(LicensingRefused) as info:
        _accept(parties.enterprise_user, decl, on=dt.date(2026, 4, 12))
    assert info.value.code == "OL_ENDED"


def test_licensor_actor_falls_back_to_another_tto_of_the_declarant(parties, patent):
    """The contract is made in the declarant's name even when the drafting user left."""
    decl = make_declaration(parties.tto, patent)
    parties.tto.is_active = False
    parties.tto.save(update_fields=["is_active"])
    colleague = make_member(parties.university, "tto")
    assert open_licence.licensor_actor(decl) == colleague
    acc = _accept(parties.enterprise_user, decl)
    assert acc.contract.created_by == colleague


def test_an_open_licence_contract_keeps_the_notice_in_its_timeline(parties, patent):
    decl = make_declaration(parties.tto, patent)
    acc = _accept(parties.enterprise_user, decl)
    notes = " ".join(step.note for step in contracts.transition_log(acc.contract))
    assert "开放许可声明第 1 版" in notes and parties.enterprise.name in notes


def _in_threads(work, args_list):
    barrier = threading.Barrier(len(args_list))
    results: dict[int, object] = {}

    def run(i, args):
        try:
            barrier.wait(timeout=20)
            results[i] = work(*args)
        except Exception as exc:  # the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(args_list)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_enterprises_accepting_at_once_both_get_ordinary_licences():
    """Concurrent notices on one declaration (PostgreSQL row locks): both licences are signed."""
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要 PostgreSQL")
    parties = make_parties()
    patent = make_granted_patent(parties.university)
    decl = make_declaration(parties.tto, patent)

    def accept(user):
        return _accept(user, OpenLicenceDeclaration.objects.get(pk=decl.pk)).contract_id

    results = _in_threads(accept, [(parties.enterprise_user,), (parties.other_enterprise_user,)])
    assert all(isinstance(r, int) for r in results.values()), results
    signed = LicenceContract.objects.filter(origin="open_licence", state="active_paid", kind="ordinary")
    assert signed.count() == 2
    assert set(signed.values_list("licensee_org", flat=True)) == {
        parties.enterprise.pk,
        parties.other_enterprise.pk,
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_enterprise_notifying_twice_at_once_gets_one_licence():
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要 PostgreSQL")
    parties = make_parties()
    patent = make_granted_patent(parties.university)
    decl = make_declaration(parties.tto, patent)

    def accept(user):
        return _accept(user, OpenLicenceDeclaration.objects.get(pk=decl.pk)).contract_id

    results = _in_threads(accept, [(parties.enterprise_user,), (parties.enterprise_user,)])
    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == ["LicensingRefused", "int"], results
    refused = next(r for r in results.values() if isinstance(r, LicensingRefused))
    assert refused.code == "ALREADY_ACCEPTED"
    assert LicenceContract.objects.filter(origin="open_licence").count() == 1
