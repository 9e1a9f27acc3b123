"""Licensing state machines (transactions-and-analytics.md §2.d contract/filing/offer/application/receivable,
§3.d declaration).

Invariants protected here:
- every (state, event) pair of every machine goes exactly where the tables below say — written out by hand
  from the guide, not read from the implementation — and every other pair is refused;
- stored values and Chinese labels are stable (they are persisted and shown);
- contract guards: no signing while a 公示 is pending, no 公示 when none is required, no extension beyond
  the allowance; ``allowed_events`` offers exactly the steps that would succeed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from patentbridge_engine.licensing.states import (
    ApplicationEvent,
    ApplicationState,
    ContractEvent,
    ContractState,
    DeclarationEvent,
    DeclarationState,
    FilingEvent,
    FilingState,
    OfferEvent,
    OfferState,
    ReceivableEvent,
    ReceivableState,
    TransitionRefused,
    allowed_events,
    application_transition,
    contract_transition,
    declaration_transition,
    filing_transition,
    is_terminal,
    offer_transition,
    receivable_transition,
)

# (state value, event value) -> next state value. Anything absent must be refused.
CONTRACT = {
    ("draft", "submit"): "in_approval",
    ("in_approval", "approve"): "approved",
    ("in_approval", "reject"): "draft",
    ("approved", "start_notice"): "public_notice",
    ("approved", "sign"): "signed",
    ("public_notice", "notice_passed"): "approved",
    ("public_notice", "notice_objected"): "draft",
    ("signed", "start_trial"): "active_trial",
    ("signed", "start_paid"): "active_paid",
    ("signed", "patent_ended"): "ended_by_patent",
    ("active_trial", "trial_ended"): "conversion_due",
    ("active_trial", "suspend"): "suspended",
    ("active_trial", "terminate"): "terminated",
    ("active_trial", "expire"): "expired",
    ("active_trial", "patent_ended"): "ended_by_patent",
    ("conversion_due", "convert"): "active_paid",
    ("conversion_due", "decline"): "trial_ended",
    ("conversion_due", "no_answer"): "trial_ended",
    ("conversion_due", "extend"): "active_trial",
    ("conversion_due", "expire"): "expired",
    ("conversion_due", "patent_ended"): "ended_by_patent",
    ("active_paid", "suspend"): "suspended",
    ("active_paid", "terminate"): "terminated",
    ("active_paid", "expire"): "expired",
    ("active_paid", "patent_ended"): "ended_by_patent",
    ("suspended", "resume"): "active_paid",
    ("suspended", "terminate"): "terminated",
    ("suspended", "expire"): "expired",
    ("suspended", "patent_ended"): "ended_by_patent",
}

DECLARATION = {
    ("draft", "check"): "checked",
    ("checked", "edit"): "draft",
    ("checked", "submit"): "submitted",
    ("submitted", "publish"): "published",
    ("submitted", "return"): "returned",
    ("returned", "edit"): "draft",
    ("published", "request_withdrawal"): "withdrawal_submitted",
    ("published", "patent_ended"): "ended",
    ("withdrawal_submitted", "withdrawal_published"): "withdrawn",
    ("withdrawal_submitted", "withdrawal_refused"): "published",
    ("withdrawal_submitted", "patent_ended"): "ended",
}

FILING = {
    ("due", "submit"): "submitted",
    ("refused", "submit"): "submitted",
    ("submitted", "accept"): "filed",
    ("submitted", "refuse"): "refused",
    ("filed", "change"): "changed",
    ("changed", "change"): "changed",
    ("filed", "cancel"): "cancelled",
    ("changed", "cancel"): "cancelled",
}

OFFER = {
    ("draft", "submit"): "internal_review",
    ("internal_review", "approve"): "published",
    ("internal_review", "reject"): "draft",
    ("published", "pause"): "paused",
    ("paused", "resume"): "published",
    ("published", "close"): "closed",
    ("paused", "close"): "closed",
}

APPLICATION = {
    ("submitted", "accept"): "accepted",
    ("submitted", "reject"): "rejected",
    ("submitted", "withdraw"): "withdrawn",
}

RECEIVABLE = {
    ("open", "pay_part"): "partial",
    ("partial", "pay_part"): "partial",
    ("overdue", "pay_part"): "overdue",
    ("open", "pay_full"): "paid",
    ("partial", "pay_full"): "paid",
    ("overdue", "pay_full"): "paid",
    ("open", "fall_overdue"): "overdue",
    ("partial", "fall_overdue"): "overdue",
    ("open", "waive"): "waived",
    ("partial", "waive"): "waived",
    ("overdue", "waive"): "waived",
}


def _contract(state: Any, event: Any) -> Any:
    """Contract step with a context in which every guard passes, so only the table decides."""
    return contract_transition(
        state,
        event,
        requires_notice=event is ContractEvent.START_NOTICE,
        extensions_used=0,
        extensions_allowed=1,
    )


MACHINES: list[tuple[str, type[Any], type[Any], dict[tuple[str, str], str], Callable[[Any, Any], Any]]] = [
    ("contract", ContractState, ContractEvent, CONTRACT, _contract),
    ("declaration", DeclarationState, DeclarationEvent, DECLARATION, declaration_transition),
    ("filing", FilingState, FilingEvent, FILING, filing_transition),
    ("offer", OfferState, OfferEvent, OFFER, offer_transition),
    ("application", ApplicationState, ApplicationEvent, APPLICATION, application_transition),
    ("receivable", ReceivableState, ReceivableEvent, RECEIVABLE, receivable_transition),
]

CASES = [
    pytest.param(states, events, table, step, s, e, id=f"{name}:{s.value}-{e.value}")
    for name, states, events, table, step in MACHINES
    for s in states
    for e in events
]


@pytest.mark.parametrize(("states", "events", "table", "step", "state", "event"), CASES)
def test_every_state_event_pair(
    states: type[Any],
    events: type[Any],
    table: dict[tuple[str, str], str],
    step: Callable[[Any, Any], Any],
    state: Any,
    event: Any,
) -> None:
    """The full product: listed pairs land on the listed state, all others are refused with a reason."""
    expected = table.get((state.value, event.value))
    if expected is not None:
        assert step(state, event) is states(expected)
        return
    with pytest.raises(TransitionRefused) as refused:
        step(state, event)
    assert refused.value.code == "INVALID_TRANSITION"
    assert f"「{state.label}」" in refused.value.reason and f"「{event.label}」" in refused.value.reason


def test_tables_name_only_real_members() -> None:
    """A typo in a table above would silently shrink the test; every value must be a member."""
    for _, states, events, table, _ in MACHINES:
        for (s, e), to in table.items():
            states(s), events(e), states(to)


def test_refusal_reason_wording() -> None:
    with pytest.raises(TransitionRefused) as refused:
        contract_transition(ContractState.ACTIVE_TRIAL, ContractEvent.CONVERT)
    assert refused.value.reason == "合同当前状态为「试用中」，不能执行「转为付费」"
    assert str(refused.value) == refused.value.reason


# --- contract guards ------------------------------------------------------------------------------------


def test_sign_refused_while_notice_pending_and_notice_refused_when_not_required() -> None:
    """促进科技成果转化法 Art. 18: 协议定价 is published inside the unit before signing."""
    with pytest.raises(TransitionRefused) as refused:
        contract_transition(ContractState.APPROVED, ContractEvent.SIGN, requires_notice=True)
    assert refused.value.code == "NOTICE_REQUIRED" and "公示" in refused.value.reason
    with pytest.raises(TransitionRefused) as not_needed:
        contract_transition(ContractState.APPROVED, ContractEvent.START_NOTICE, requires_notice=False)
    assert not_needed.value.code == "NOTICE_NOT_REQUIRED"


def test_notice_round_trip_then_sign() -> None:
    """APPROVED → 公示中 → (passed) APPROVED → SIGNED, the caller clearing requires_notice once passed."""
    state = contract_transition(ContractState.APPROVED, ContractEvent.START_NOTICE, requires_notice=True)
    state = contract_transition(state, ContractEvent.NOTICE_PASSED, requires_notice=True)
    assert state is ContractState.APPROVED
    assert contract_transition(state, ContractEvent.SIGN, requires_notice=False) is ContractState.SIGNED


@pytest.mark.parametrize(
    ("used", "allowed", "ok"), [(0, 1, True), (1, 2, True), (1, 1, False), (0, 0, False)]
)
def test_extend_only_while_extensions_are_left(used: int, allowed: int, ok: bool) -> None:
    step = {"extensions_used": used, "extensions_allowed": allowed}
    if ok:
        assert (
            contract_transition(ContractState.CONVERSION_DUE, ContractEvent.EXTEND, **step)
            is ContractState.ACTIVE_TRIAL
        )
        return
    with pytest.raises(TransitionRefused) as refused:
        contract_transition(ContractState.CONVERSION_DUE, ContractEvent.EXTEND, **step)
    assert refused.value.code == "NO_EXTENSION_LEFT" and str(allowed) in refused.value.reason


def test_table_refusal_wins_over_guards() -> None:
    """A pair the table refuses is INVALID_TRANSITION whatever the context says."""
    with pytest.raises(TransitionRefused) as refused:
        contract_transition(ContractState.DRAFT, ContractEvent.SIGN, requires_notice=True)
    assert refused.value.code == "INVALID_TRANSITION"


# --- allowed_events -------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", list(ContractState))
@pytest.mark.parametrize(("requires_notice", "used", "allowed"), [(False, 0, 0), (True, 0, 1), (False, 1, 2)])
def test_contract_allowed_events_match_the_table_and_guards(
    state: ContractState, requires_notice: bool, used: int, allowed: int
) -> None:
    """The buttons are the table's events from ``state`` minus those a guard refuses in this context."""

    def guard_ok(event: ContractEvent) -> bool:
        if event is ContractEvent.SIGN:
            return not requires_notice
        if event is ContractEvent.START_NOTICE:
            return requires_notice
        if event is ContractEvent.EXTEND:
            return used < allowed
        return True

    expected = [e for e in ContractEvent if (state.value, e.value) in CONTRACT and guard_ok(e)]
    got = allowed_events(
        state, requires_notice=requires_notice, extensions_used=used, extensions_allowed=allowed
    )
    assert got == expected


@pytest.mark.parametrize(
    ("name", "states", "events", "table", "step"), MACHINES[1:], ids=[m[0] for m in MACHINES[1:]]
)
def test_other_allowed_events_match_the_table(
    name: str,
    states: type[Any],
    events: type[Any],
    table: dict[tuple[str, str], str],
    step: Callable[..., Any],
) -> None:
    for state in states:
        assert allowed_events(state) == [e for e in events if (state.value, e.value) in table], (name, state)


@pytest.mark.parametrize(
    ("state", "terminal"),
    [
        *[(s, True) for s in ("trial_ended", "terminated", "expired", "ended_by_patent")],
        *[
            (s, False)
            for s in ("draft", "approved", "public_notice", "signed", "conversion_due", "suspended")
        ],
    ],
)
def test_contract_terminal_states(state: str, terminal: bool) -> None:
    assert is_terminal(ContractState(state)) is terminal


def test_terminal_states_of_the_other_machines() -> None:
    assert {s for s in DeclarationState if is_terminal(s)} == {
        DeclarationState.WITHDRAWN,
        DeclarationState.ENDED,
    }
    assert {s for s in FilingState if is_terminal(s)} == {FilingState.CANCELLED}
    assert {s for s in OfferState if is_terminal(s)} == {OfferState.CLOSED}
    assert {s for s in ApplicationState if is_terminal(s)} == {
        ApplicationState.ACCEPTED,
        ApplicationState.REJECTED,
        ApplicationState.WITHDRAWN,
    }
    assert {s for s in ReceivableState if is_terminal(s)} == {ReceivableState.PAID, ReceivableState.WAIVED}


# --- labels ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("enum", "labels"),
    [
        (
            ContractState,
            {
                "draft": "草稿",
                "in_approval": "审批中",
                "approved": "已审批待签订",
                "public_notice": "公示中",
                "signed": "已签订",
                "active_trial": "试用中",
                "conversion_due": "待转化",
                "active_paid": "付费实施中",
                "trial_ended": "试用结束未转化",
                "suspended": "已中止",
                "terminated": "已终止",
                "expired": "已到期",
                "ended_by_patent": "因专利失效终止",
            },
        ),
        (
            DeclarationState,
            {
                "draft": "草稿",
                "checked": "已自检",
                "submitted": "已提交",
                "published": "已公告",
                "withdrawal_submitted": "撤回申请中",
                "withdrawn": "已撤回",
                "returned": "被退回",
                "ended": "已终止",
            },
        ),
        (
            FilingState,
            {
                "due": "待备案",
                "submitted": "已提交",
                "filed": "已备案",
                "refused": "被拒绝",
                "changed": "已变更",
                "cancelled": "已注销",
            },
        ),
        (
            OfferState,
            {
                "draft": "草稿",
                "internal_review": "内部审核中",
                "published": "已发布",
                "paused": "已暂停",
                "closed": "已关闭",
            },
        ),
        (
            ApplicationState,
            {"submitted": "已提交", "accepted": "已接受", "rejected": "已拒绝", "withdrawn": "已撤回"},
        ),
        (
            ReceivableState,
            {
                "open": "待收款",
                "partial": "部分收款",
                "paid": "已收讫",
                "overdue": "已逾期",
                "waived": "已减免",
            },
        ),
    ],
)
def test_state_values_and_labels(enum: type[Any], labels: dict[str, str]) -> None:
    """Values are what the database stores; labels are what users read."""
    assert {s.value: s.label for s in enum} == labels


def test_every_event_has_a_chinese_label() -> None:
    for _, _, events, _, _ in MACHINES:
        for e in events:
            assert e.label and all("\u4e00" <= ch <= "\u9fff" for ch in e.label), e
