"""Who may act on a contract: the licensor's TTO and operators manage it; the licensee's enterprise
user converts or declines its own trial; everyone else is refused with a Chinese reason and
nothing is written. Audit rows carry the actor and the actor's organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import ContractStep, LicenceContract
from patentbridge.licensing.services import contracts
from web.licensing.factories import fee_lump_sum, make_contract

START = dt.date(2026, 1, 15)
END = dt.date(2028, 12, 31)
TRIAL_END = dt.date(2026, 7, 15)


def unchanged(contract: LicenceContract, call: Any, match: str) -> None:
    """``call`` is refused with ``match`` in the reason, and neither state nor records change."""
    state, steps, audits = contract.state, ContractStep.objects.count(), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match=match):
        call()
    contract.refresh_from_db()
    assert (contract.state, ContractStep.objects.count(), AuditEvent.objects.count()) == (
        state,
        steps,
        audits,
    )


def test_create_only_for_ones_own_organisation(parties, patent):
    base: dict[str, Any] = {
        "licensor_org": parties.university,
        "licensee_org": parties.enterprise,
        "patents": [patent],
        "kind": "ordinary",
        "origin": "negotiated",
        "start": START,
        "end": END,
        "fee_schedule": fee_lump_sum(),
    }
    with pytest.raises(PermissionDenied, match="只能以本机构为许可方"):
        contracts.create_contract(parties.other_tto, **base)
    with pytest.raises(PermissionDenied, match="只有技术转移办公室或运营人员"):
        contracts.create_contract(parties.enterprise_user, **base)
    with pytest.raises(PermissionDenied):
        contracts.create_contract(parties.inventor, **base)
    assert not LicenceContract.objects.exists()
    made = contracts.create_contract(parties.operator, **base)
    assert made.created_by == parties.operator


def test_other_universitys_tto_is_refused_at_every_step(parties, patent):
    c = make_contract(parties, [patent], start=START, end=END)
    no = c.contract_no
    unchanged(c, lambda: contracts.submit(parties.other_tto, c, on=START), f"合同 {no} 的许可方不是本机构")
    contracts.submit(parties.tto, c, on=START)
    unchanged(c, lambda: contracts.approve(parties.other_tto, c, on=START), "许可方不是本机构")
    unchanged(c, lambda: contracts.reject(parties.other_tto, c, on=START, note="不同意"), "许可方不是本机构")
    contracts.approve(parties.tto, c, on=START)
    unchanged(c, lambda: contracts.sign(parties.other_tto, c, on=START), "许可方不是本机构")
    contracts.sign(parties.tto, c, on=START)
    unchanged(c, lambda: contracts.suspend(parties.other_tto, c, on=START, reason="x"), "许可方不是本机构")
    unchanged(c, lambda: contracts.terminate(parties.other_tto, c, on=START, reason="x"), "许可方不是本机构")
    unchanged(
        c, lambda: contracts.record_consents(parties.other_tto, c, on=START, pledgee=True), "许可方不是本机构"
    )


def test_enterprise_cannot_approve_or_sign(parties, patent):
    c = make_contract(parties, [patent], stage="in_approval", start=START, end=END)
    reason = "只有许可方的技术转移办公室或运营人员"
    unchanged(c, lambda: contracts.approve(parties.enterprise_user, c, on=START), reason)
    contracts.approve(parties.tto, c, on=START)
    unchanged(c, lambda: contracts.sign(parties.enterprise_user, c, on=START), reason)
    unchanged(c, lambda: contracts.sign(parties.inventor, c, on=START), reason)


def test_licensee_converts_its_own_trial_but_not_anothers(parties, patent):
    c = make_contract(parties, [patent], trial_months=6, stage="conversion_due", start=START, end=END)
    unchanged(
        c, lambda: contracts.convert(parties.other_enterprise_user, c, on=TRIAL_END), "被许可人不是本企业"
    )
    unchanged(
        c,
        lambda: contracts.decline(parties.other_enterprise_user, c, on=TRIAL_END, reason_code="price"),
        "被许可人不是本企业",
    )
    unchanged(
        c, lambda: contracts.convert(parties.other_tto, c, on=TRIAL_END), "只有许可方、被许可方或运营人员"
    )
    unchanged(
        c,
        lambda: contracts.extend_trial(parties.enterprise_user, c, on=TRIAL_END, months=1),
        "技术转移办公室",
    )
    contracts.convert(parties.enterprise_user, c, on=TRIAL_END)
    assert c.state == "active_paid"


def test_licensee_may_end_its_own_trial_but_the_sweep_needs_no_actor(parties, patent):
    c = make_contract(parties, [patent], trial_months=6, stage="signed", start=START, end=END)
    unchanged(
        c, lambda: contracts.end_trial(parties.other_enterprise_user, c, on=TRIAL_END), "被许可人不是本企业"
    )
    contracts.end_trial(parties.enterprise_user, c, on=TRIAL_END)
    assert c.state == "conversion_due"


def test_only_operators_confirm_an_out_of_region_licence(parties, patent):
    c = make_contract(parties, [patent], stage="approved", start=START, end=END)
    unchanged(c, lambda: contracts.confirm_region(parties.tto, c, on=START), "运营人员确认")
    contracts.confirm_region(parties.admin, c, on=START)
    assert c.out_of_region is True


def test_audit_rows_name_the_actor_and_organisation(parties, patent):
    c = make_contract(parties, [patent], trial_months=6, stage="active_paid", start=START, end=END)
    rows = AuditEvent.objects.filter(target_type="licensing.licencecontract", target_id=str(c.pk))
    by_action = {e.action: e for e in rows}
    assert {
        "licensing.contract.create",
        "licensing.contract.submit",
        "licensing.contract.approve",
        "licensing.contract.sign",
        "licensing.contract.start_trial",
        "licensing.contract.trial_ended",
        "licensing.contract.convert",
    } <= set(by_action)
    assert (by_action["licensing.contract.sign"].actor, by_action["licensing.contract.sign"].org) == (
        parties.tto,
        parties.university,
    )
    convert = by_action["licensing.contract.convert"]
    assert (convert.actor, convert.org, convert.data["contract_no"]) == (
        parties.enterprise_user,
        parties.enterprise,
        c.contract_no,
    )
    assert by_action["licensing.contract.trial_ended"].actor is None
    steps = {s.event: s for s in c.steps.all()}
    assert steps["convert"].actor == parties.enterprise_user and steps["sign"].actor == parties.tto


def test_audit_actions_have_chinese_labels():
    from patentbridge.core.labels import action_label

    assert action_label("licensing.contract.sign") == "许可合同：签订"
    assert action_label("licensing.contract.convert") == "许可合同：转为付费"
    assert action_label("licensing.filing.accept") == "许可合同备案：登记备案号"
    assert action_label("licensing.right_event.recorded") == "权利负担台账：登记事件"
