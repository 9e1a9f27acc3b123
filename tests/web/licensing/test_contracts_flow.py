"""Every contract transition through the services (frozen business dates, real database): the
state reached, the timeline step and audit event written with the actor, the ledger rows, the
signals sent, and a refused step from every state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.licensing import signals
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import ContractStep, LicenceContract, RightEvent
from patentbridge.licensing.services import contracts
from patentbridge_engine.licensing.states import ContractEvent, ContractState
from web.licensing.factories import fee_lump_sum, fee_royalty, make_contract

START = dt.date(2026, 1, 15)
TRIAL_END = dt.date(2026, 7, 15)  # 6 months on the corresponding day
END = dt.date(2028, 12, 31)


@pytest.fixture
def sent() -> Iterator[list[tuple[str, Any]]]:
    """Signals sent by the services: (name, kwargs) in order."""
    caught: list[tuple[str, Any]] = []
    receivers = []
    for name in ("contract_signed", "paid_phase_started", "contract_ended"):

        def receiver(sender: Any, _name: str = name, **kwargs: Any) -> None:
            caught.append((_name, kwargs))

        getattr(signals, name).connect(receiver, weak=False)
        receivers.append((name, receiver))
    yield caught
    for name, receiver in receivers:
        getattr(signals, name).disconnect(receiver)


def licence_rows(contract: LicenceContract) -> list[RightEvent]:
    return list(RightEvent.objects.filter(source="contract", source_ref=contract.contract_no).order_by("pk"))


def last_step(contract: LicenceContract) -> ContractStep:
    return contract.steps.order_by("-at", "-pk").first()  # type: ignore[return-value]


def audit_for(contract: LicenceContract, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action, target_type="licensing.licencecontract", target_id=str(contract.pk)
        )
    )


# --- creation ------------------------------------------------------------------------------------


def test_create_numbers_the_draft_and_fixes_the_trial_dates(parties, patent):
    c = make_contract(parties, [patent], trial_months=6, start=START, end=END)
    assert c.state == "draft"
    assert c.contract_no == "XK-2026-000001"
    assert (c.trial_end, c.paid_start) == (TRIAL_END, TRIAL_END + dt.timedelta(days=1))
    assert c.licensors == [{"name": parties.university.name, "share": "1", "uscc": ""}]
    assert c.conversion_mode == "pre_agreed"
    step = last_step(c)
    assert (step.event, step.to_state, step.actor) == ("create", "draft", parties.tto)
    second = make_contract(parties, [patent], start=dt.date(2026, 3, 1), end=END)
    assert second.contract_no == "XK-2026-000002"
    next_year = make_contract(parties, [patent], start=dt.date(2027, 1, 4), end=END)
    assert next_year.contract_no == "XK-2027-000001"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "everything"}, "未知的许可类型"),
        ({"origin": "x" * 5000}, "未知的合同来源"),
        ({"end": dt.date(2025, 1, 1)}, "早于开始日"),
        ({"trial_months": 0}, "免费试用期须为"),
        ({"trial_months": 6, "end": dt.date(2026, 3, 1)}, "早于试用结束日"),
        (
            {"fee_schedule": {"free": False, "components": [{"type": "lump_sum", "amount": "-5"}]}},
            "许可使用费条款有误",
        ),
        ({"licensors": [{"name": "甲", "share": "0.7"}, {"name": "乙", "share": "0.6"}]}, "超过 1"),
        ({"extensions_allowed": -1}, "可延长试用次数"),
        ({"field_of_use": "长" * 201}, "实施领域不超过"),
    ],
)
def test_create_refuses_hostile_terms_in_chinese(parties, patent, changes, message):
    values: dict[str, Any] = {
        "licensor_org": parties.university,
        "licensee_org": parties.enterprise,
        "patents": [patent],
        "kind": "ordinary",
        "origin": "negotiated",
        "start": START,
        "end": END,
        "fee_schedule": fee_lump_sum(),
    }
    values.update(changes)
    with pytest.raises(ValidationError, match=message):
        contracts.create_contract(parties.tto, **values)
    assert not LicenceContract.objects.exists()


def test_create_refuses_no_patents_and_licensing_to_oneself(parties, patent):
    base = {"kind": "ordinary", "origin": "negotiated", "start": START, "end": END}
    with pytest.raises(ValidationError, match="至少包含一件专利"):
        contracts.create_contract(
            parties.tto, licensor_org=parties.university, licensee_org=parties.enterprise, patents=[], **base
        )
    with pytest.raises(ValidationError, match="同一机构"):
        contracts.create_contract(
            parties.tto,
            licensor_org=parties.university,
            licensee_org=parties.university,
            patents=[patent],
            **base,
        )


# --- approval and 公示 ----------------------------------------------------------------------------


def test_submit_approve_reject_write_steps_and_audit(parties, patent):
    c = make_contract(parties, [patent], start=START, end=END)
    contracts.submit(parties.tto, c, on=START)
    assert c.state == "in_approval"
    contracts.reject(parties.tto, c, on=START, note="定价依据不足")
    assert c.state == "draft"
    step = last_step(c)
    assert (step.event, step.from_state, step.to_state, step.note) == (
        "reject",
        "in_approval",
        "draft",
        "定价依据不足",
    )
    [event] = audit_for(c, "licensing.contract.reject")
    assert event.actor == parties.tto and event.data["note"] == "定价依据不足"
    contracts.submit(parties.tto, c, on=START)
    contracts.approve(parties.operator, c, on=START, note="同意")
    assert c.state == "approved"
    [event] = audit_for(c, "licensing.contract.approve")
    assert event.actor == parties.operator and event.data["from"] == "in_approval"


def test_reject_needs_a_reason(parties, patent):
    c = make_contract(parties, [patent], stage="in_approval", start=START, end=END)
    with pytest.raises(ValidationError, match="须填写理由"):
        contracts.reject(parties.tto, c, on=START, note="  ")
    c.refresh_from_db()
    assert c.state == "in_approval"


def test_public_notice_passes_after_its_period_then_signing_is_allowed(parties, patent):
    c = make_contract(parties, [patent], price_method="agreement", stage="approved", start=START, end=END)
    notice = contracts.start_public_notice(
        parties.tto, c, on=dt.date(2026, 1, 5), result_name="高温热泵机组", proposed_price="¥120,000.00"
    )
    assert c.state == "public_notice"
    assert (notice.start_date, notice.end_date) == (dt.date(2026, 1, 5), dt.date(2026, 1, 20))
    with pytest.raises(LicensingRefused) as early:
        contracts.close_public_notice(parties.tto, c, on=dt.date(2026, 1, 19), outcome="passed")
    assert early.value.code == "L7" and "2026-01-20" in early.value.reason
    contracts.close_public_notice(parties.tto, c, on=dt.date(2026, 1, 20), outcome="passed")
    assert c.state == "approved"
    assert c.public_notice.outcome == "passed"
    contracts.sign(parties.tto, c, on=dt.date(2026, 1, 21))
    assert c.state == "active_paid"


def test_public_notice_with_objection_returns_to_draft(parties, patent):
    c = make_contract(parties, [patent], price_method="agreement", stage="approved", start=START, end=END)
    contracts.start_public_notice(parties.tto, c, on=START, result_name="成果", proposed_price="¥1")
    with pytest.raises(ValidationError, match="异议内容"):
        contracts.close_public_notice(parties.tto, c, on=START, outcome="objected")
    contracts.close_public_notice(parties.tto, c, on=START, outcome="objected", objections="价格明显偏低")
    assert c.state == "draft"
    assert c.public_notice.objections == "价格明显偏低"
    assert "价格明显偏低" in last_step(c).note


def test_public_notice_is_refused_when_not_required(parties, patent):
    c = make_contract(parties, [patent], price_method="listing", stage="approved", start=START, end=END)
    with pytest.raises(LicensingRefused) as refused:
        contracts.start_public_notice(parties.tto, c, on=START, result_name="成果", proposed_price="¥1")
    assert refused.value.code == "NOTICE_NOT_REQUIRED"
    assert not hasattr(LicenceContract.objects.get(pk=c.pk), "public_notice")


# --- signing --------------------------------------------------------------------------------------


def test_sign_paid_contract_writes_ledger_filing_and_both_signals(parties, patent, sent):
    c = make_contract(parties, [patent], kind="exclusive", stage="approved", start=START, end=END)
    contracts.sign(parties.tto, c, on=dt.date(2026, 1, 10))
    assert c.state == "active_paid"
    assert (c.signed_at, c.effective_at) == (dt.date(2026, 1, 10), dt.date(2026, 1, 10))
    assert [(s.event, s.from_state, s.to_state) for s in c.steps.order_by("pk")][-2:] == [
        ("sign", "approved", "signed"),
        ("start_paid", "signed", "active_paid"),
    ]
    [row] = licence_rows(c)
    assert (row.patent, row.kind, row.sub_kind, row.start_date, row.end_date) == (
        patent,
        "licence",
        "exclusive",
        START,
        END,
    )
    assert (row.counterparty, row.counterparty_uscc) == (parties.enterprise.name, parties.enterprise.uscc)
    assert [name for name, _ in sent] == ["contract_signed", "paid_phase_started"]
    assert sent[0][1]["contract"].pk == c.pk and sent[0][1]["on_date"] == dt.date(2026, 1, 10)
    assert c.filings.get().kind == "initial"


def test_sign_trial_enters_trial_with_ledger_to_trial_end_and_no_paid_signal(parties, patent, sent):
    c = make_contract(parties, [patent], trial_months=6, stage="signed", start=START, end=END)
    assert c.state == "active_trial"
    [row] = licence_rows(c)
    assert (row.start_date, row.end_date, row.sub_kind) == (START, TRIAL_END, "ordinary")
    assert [name for name, _ in sent] == ["contract_signed"]
    assert last_step(c).event == "start_trial"


def test_sign_records_warnings_in_the_step_note(parties):
    from web.licensing.factories import make_granted_patent

    unknown_expiry = make_granted_patent(parties.university, expiry_date=None)
    c = make_contract(parties, [unknown_expiry], stage="signed", start=START, end=END)
    sign_step = c.steps.get(event="sign")
    assert "[L1]" in sign_step.note and "期限届满日未知" in sign_step.note
    [event] = audit_for(c, "licensing.contract.sign")
    assert event.data["warnings"] == ["L1"]


# --- the running contract ------------------------------------------------------------------------


def test_end_trial_only_on_or_after_the_trial_end(parties, patent):
    c = make_contract(parties, [patent], trial_months=6, stage="signed", start=START, end=END)
    with pytest.raises(LicensingRefused) as early:
        contracts.end_trial(None, c, on=TRIAL_END - dt.timedelta(days=1))
    assert early.value.code == "TRIAL_RUNNING"
    contracts.end_trial(None, c, on=TRIAL_END)
    assert c.state == "conversion_due"
    step = last_step(c)
    assert step.actor is None and step.on_date == TRIAL_END
    [event] = audit_for(c, "licensing.contract.trial_ended")
    assert event.actor_name == "system"


def test_convert_stretches_the_ledger_and_starts_the_paid_phase(parties, patent, sent):
    c = make_contract(parties, [patent], trial_months=6, stage="conversion_due", start=START, end=END)
    sent.clear()
    contracts.convert(parties.enterprise_user, c, on=dt.date(2026, 7, 20))
    assert c.state == "active_paid"
    assert c.paid_start == dt.date(2026, 7, 16)
    [row] = licence_rows(c)
    assert row.end_date == END
    assert [name for name, _ in sent] == ["paid_phase_started"]
    step = last_step(c)
    assert step.actor == parties.enterprise_user and "2026-07-16" in step.note and "入门费" in step.note
    assert list(c.filings.values_list("kind", flat=True)) == ["initial"]  # unchanged fee: no change filing


def test_convert_with_new_fees_stores_them_and_opens_a_change_filing(parties, patent):
    c = make_contract(parties, [patent], trial_months=6, stage="conversion_due", start=START, end=END)
    new = fee_royalty("0.04", entry_fee="30000.00")
    contracts.convert(parties.tto, c, on=TRIAL_END)
    # a second contract for the change case (the first converted at the agreed fee)
    d = make_contract(parties, [patent], trial_months=6, stage="conversion_due", start=START, end=END)
    with pytest.raises(LicensingRefused) as by_licensee:
        contracts.convert(parties.enterprise_user, d, on=TRIAL_END, fee_schedule=new)
    assert by_licensee.value.code == "FEE_CHANGE_BY_LICENSOR"  # the payer cannot rewrite the fee
    d.refresh_from_db()
    assert d.state == "conversion_due" and not d.filings.filter(kind="change").exists()
    contracts.convert(parties.tto, d, on=TRIAL_END, fee_schedule=new)
    assert d.fee_schedule["components"][1]["rates"] == [{"from_year": 1, "rate": "0.04"}]
    change = d.filings.get(kind="change")
    assert change.due_date == dt.date(2026, 10, 15)
    assert last_step(d).note.endswith("（付费条件已变更）")
    [event] = audit_for(d, "licensing.contract.convert")
    assert event.data["fee_changed"] is True


def test_convert_with_incomplete_negotiated_fees_is_refused_l9(parties, patent):
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
    with pytest.raises(LicensingRefused) as refused:
        contracts.convert(parties.enterprise_user, c, on=TRIAL_END)
    assert refused.value.code == "L9"
    draft = {
        "free": False,
        "components": [
            {"type": "royalty", "base": None, "kind": "fixed", "rates": [], "report_period": None}
        ],
    }
    with pytest.raises(LicensingRefused) as incomplete:
        contracts.convert(parties.tto, c, on=TRIAL_END, fee_schedule=draft)
    assert incomplete.value.code == "L9" and "计提基数" in incomplete.value.reason
    c.refresh_from_db()
    assert c.state == "conversion_due" and c.fee_schedule == {}
    contracts.convert(parties.tto, c, on=TRIAL_END, fee_schedule=fee_royalty())
    assert c.state == "active_paid"


@pytest.mark.parametrize("code", ["not_suitable", "price", "other", "no_answer"])
def test_decline_ends_the_trial_with_a_reason_code(parties, patent, sent, code):
    c = make_contract(parties, [patent], trial_months=6, stage="conversion_due", start=START, end=END)
    sent.clear()
    actor = None if code == "no_answer" else parties.enterprise_user
    contracts.decline(
        actor, c, on=dt.date(2026, 8, 1), reason_code=code, note="产线调整" if code == "other" else ""
    )
    assert c.state == "trial_ended"
    assert contracts.DECLINE_REASONS[code] in c.end_reason
    from patentbridge.licensing.services.contract_lifecycle import decline_reason_of

    assert decline_reason_of(c) == code
    assert last_step(c).event == ("no_answer" if code == "no_answer" else "decline")
    [row] = licence_rows(c)
    assert row.end_date == TRIAL_END
    assert [(n, k["state"]) for n, k in sent] == [("contract_ended", "trial_ended")]


def test_decline_refuses_unknown_codes_and_other_without_a_note(parties, patent):
    c = make_contract(parties, [patent], trial_months=6, stage="conversion_due", start=START, end=END)
    with pytest.raises(ValidationError, match="未知的未转化原因"):
        contracts.decline(parties.enterprise_user, c, on=TRIAL_END, reason_code="bored")
    with pytest.raises(ValidationError, match="须说明原因"):
        contracts.decline(parties.enterprise_user, c, on=TRIAL_END, reason_code="other")
    c.refresh_from_db()
    assert c.state == "conversion_due"


def test_extend_trial_moves_the_trial_end_and_respects_the_allowance(parties, patent):
    c = make_contract(
        parties, [patent], trial_months=6, extensions_allowed=1, stage="conversion_due", start=START, end=END
    )
    contracts.extend_trial(parties.tto, c, on=TRIAL_END, months=3)
    assert (c.state, c.trial_months, c.trial_end, c.paid_start) == (
        "active_trial",
        9,
        dt.date(2026, 10, 15),
        dt.date(2026, 10, 16),
    )
    assert c.trial_extensions_used == 1
    assert licence_rows(c)[0].end_date == dt.date(2026, 10, 15)
    contracts.end_trial(None, c, on=dt.date(2026, 10, 15))
    with pytest.raises(LicensingRefused) as refused:
        contracts.extend_trial(parties.tto, c, on=dt.date(2026, 10, 15), months=3)
    assert refused.value.code == "NO_EXTENSION_LEFT"
    c.refresh_from_db()
    assert (c.state, c.trial_end) == ("conversion_due", dt.date(2026, 10, 15))


def test_suspend_resume_terminate(parties, patent, sent):
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    with pytest.raises(ValidationError, match="请填写原因"):
        contracts.suspend(parties.tto, c, on=dt.date(2026, 6, 1), reason="")
    contracts.suspend(parties.tto, c, on=dt.date(2026, 6, 1), reason="逾期未付款超过 60 日")
    assert c.state == "suspended" and licence_rows(c)[0].end_date == END
    contracts.resume(parties.tto, c, on=dt.date(2026, 7, 1), reason="已补缴")
    assert c.state == "active_paid"
    sent.clear()
    contracts.terminate(parties.tto, c, on=dt.date(2026, 9, 30), reason="双方协商解除")
    assert (c.state, c.end_reason) == ("terminated", "双方协商解除")
    assert licence_rows(c)[0].end_date == dt.date(2026, 9, 30)
    assert [(n, k["state"]) for n, k in sent] == [("contract_ended", "terminated")]


def test_expire_only_after_the_end_date(parties, patent, sent):
    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    with pytest.raises(LicensingRefused) as early:
        contracts.expire(c, on=END)
    assert early.value.code == "NOT_EXPIRED"
    sent.clear()
    contracts.expire(c, on=END + dt.timedelta(days=1))
    assert c.state == "expired"
    assert licence_rows(c)[0].end_date == END
    assert [n for n, _ in sent] == ["contract_ended"]


def test_end_by_patent_closes_the_ledger_and_leaves_money_alone(parties, patent, sent):
    from patentbridge.licensing.models import Receivable

    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    paid = Receivable.objects.create(
        contract=c,
        component="manual",
        period_label="测试已收款",
        amount_due="120000.00",
        amount_paid="120000.00",
        due_date=START,
        state="paid",
    )

    def money() -> list[tuple[Any, ...]]:
        return list(
            Receivable.objects.filter(pk=paid.pk).values_list(
                "pk", "amount_due", "amount_paid", "state", "due_date"
            )
        )

    before = money()
    sent.clear()
    contracts.end_by_patent(c, on=dt.date(2027, 3, 2), reason="专利权因未缴年费终止")
    assert c.state == "ended_by_patent"
    assert licence_rows(c)[0].end_date == dt.date(2027, 3, 2)
    assert "第四十七条" in last_step(c).note and "不予返还" in last_step(c).note
    assert money() == before  # Art. 47: a paid fee is not refunded
    assert ("contract_ended", "ended_by_patent") in [(n, k["state"]) for n, k in sent]


def test_patents_changed_to_lapsed_ends_running_contracts(
    parties, patent, django_capture_on_commit_callbacks
):
    from patentbridge.core import events

    c = make_contract(parties, [patent], stage="signed", start=START, end=END)
    done = make_contract(parties, [patent], stage="draft", start=START, end=END)
    patent.legal_status, patent.lapse_date = "lapsed_non_payment", dt.date(2027, 5, 1)
    patent.save()
    with django_capture_on_commit_callbacks(execute=True):
        events.announce(events.PATENTS_CHANGED, [patent.application_number])
    c.refresh_from_db()
    done.refresh_from_db()
    assert (c.state, done.state) == ("ended_by_patent", "draft")
    assert licence_rows(c)[0].end_date == dt.date(2027, 5, 1)
    assert patent.application_number in c.end_reason


# --- refusals from every state ------------------------------------------------------------------

_STAGE_OF = {
    "draft": {"stage": "draft"},
    "in_approval": {"stage": "in_approval"},
    "approved": {"stage": "approved"},
    "active_trial": {"stage": "signed", "trial_months": 6},
    "conversion_due": {"stage": "conversion_due", "trial_months": 6},
    "active_paid": {"stage": "signed"},
    "trial_ended": {"stage": "trial_ended", "trial_months": 6},
}
# One step each state's machine refuses, done through the service.
_REFUSED: dict[str, tuple[str, Any]] = {
    "draft": ("approve", lambda p, c: contracts.approve(p.tto, c, on=START)),
    "in_approval": ("sign", lambda p, c: contracts.sign(p.tto, c, on=START)),
    "approved": ("submit", lambda p, c: contracts.submit(p.tto, c, on=START)),
    "active_trial": ("convert", lambda p, c: contracts.convert(p.enterprise_user, c, on=TRIAL_END)),
    "conversion_due": ("sign", lambda p, c: contracts.sign(p.tto, c, on=TRIAL_END)),
    "active_paid": ("trial_ended", lambda p, c: contracts.end_trial(None, c, on=END)),
    "trial_ended": ("resume", lambda p, c: contracts.resume(p.tto, c, on=END, reason="恢复")),
}


@pytest.mark.parametrize("state", list(_STAGE_OF))
def test_each_state_refuses_a_step_it_does_not_allow(parties, patent, state):
    c = make_contract(parties, [patent], start=START, end=END, **_STAGE_OF[state])
    assert c.state == state
    steps_before = c.steps.count()
    audits_before = AuditEvent.objects.count()
    event, call = _REFUSED[state]
    with pytest.raises(LicensingRefused) as refused:
        call(parties, c)
    assert refused.value.code == "STATE"
    assert ContractState(state).label in refused.value.reason
    assert ContractEvent(event).label in refused.value.reason
    c.refresh_from_db()
    assert c.state == state
    assert (c.steps.count(), AuditEvent.objects.count()) == (steps_before, audits_before)


@pytest.mark.parametrize("state", ["public_notice", "suspended", "terminated", "expired", "ended_by_patent"])
def test_later_states_refuse_too(parties, patent, state):
    c = make_contract(
        parties,
        [patent],
        start=START,
        end=END,
        stage="approved" if state == "public_notice" else "signed",
        price_method="agreement" if state == "public_notice" else "listing",
    )
    if state == "public_notice":
        contracts.start_public_notice(parties.tto, c, on=START, result_name="成果", proposed_price="¥1")
    elif state == "suspended":
        contracts.suspend(parties.tto, c, on=START, reason="欠款")
    elif state == "terminated":
        contracts.terminate(parties.tto, c, on=START, reason="解除")
    elif state == "expired":
        contracts.expire(c, on=END + dt.timedelta(days=1))
    else:
        contracts.end_by_patent(c, on=START, reason="专利权终止")
    assert c.state == state
    with pytest.raises(LicensingRefused) as refused:
        contracts.suspend(
            parties.tto, c, on=END, reason="再次中止"
        ) if state != "public_notice" else contracts.sign(parties.tto, c, on=START)
    assert refused.value.code == "STATE"
    c.refresh_from_db()
    assert c.state == state


def test_transition_log_and_allowed_actions(parties, patent):
    c = make_contract(
        parties, [patent], trial_months=6, stage="conversion_due", extensions_allowed=1, start=START, end=END
    )
    log = contracts.transition_log(c)
    assert [s.event for s in log] == ["create", "submit", "approve", "sign", "start_trial", "trial_ended"]
    assert dict(contracts.allowed_actions(parties.tto, c)) == {
        "convert": "转为付费",
        "decline": "拒绝转化",
        "extend": "延长试用",
    }
    assert dict(contracts.allowed_actions(parties.enterprise_user, c)) == {
        "convert": "转为付费",
        "decline": "拒绝转化",
    }
    assert contracts.allowed_actions(parties.other_tto, c) == []
    assert contracts.allowed_actions(parties.other_enterprise_user, c) == []
    draft = make_contract(parties, [patent], start=START, end=END)
    assert contracts.allowed_actions(parties.enterprise_user, draft) == []
    assert [e for e, _ in contracts.allowed_actions(parties.operator, draft)] == ["submit"]
