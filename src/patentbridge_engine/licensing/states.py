"""Explicit state machines of the licensing workflows (transactions-and-analytics.md §2.d, §3.d): licence
contracts, open-licence declarations, CNIPA filings, offers, applications and receivables. Each machine
is a table of (event, from-states, to-state) rows; guards that need context (a pending 公示, trial
extensions left) are keyword arguments. A refused step raises ``TransitionRefused`` with a Chinese
reason, and ``allowed_events`` lists the steps a UI may offer as buttons.

Contract decision (the guide leaves it open): ``approve`` always leads to APPROVED (已审批待签订). When
a 公示 is required (协议定价 at a state-run unit, 促进科技成果转化法 Art. 18), APPROVED --start_notice-->
PUBLIC_NOTICE --notice_passed--> APPROVED, and ``sign`` is refused while ``requires_notice`` is true —
the caller passes ``requires_notice=True`` while a 公示 is required and not yet completed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar, overload

from patentbridge_engine.errors import PatentBridgeEngineError
from patentbridge_engine.licensing.states_enums import (
    ApplicationEvent,
    ApplicationState,
    ContractEvent,
    ContractState,
    DeclarationEvent,
    DeclarationState,
    FilingEvent,
    FilingState,
    Labelled,
    OfferEvent,
    OfferState,
    ReceivableEvent,
    ReceivableState,
)

__all__ = [
    "ApplicationEvent",
    "ApplicationState",
    "ContractEvent",
    "ContractState",
    "DeclarationEvent",
    "DeclarationState",
    "FilingEvent",
    "FilingState",
    "Labelled",
    "OfferEvent",
    "OfferState",
    "ReceivableEvent",
    "ReceivableState",
    "TransitionRefused",
    "allowed_events",
    "application_transition",
    "contract_transition",
    "declaration_transition",
    "filing_transition",
    "is_terminal",
    "offer_transition",
    "receivable_transition",
]


class TransitionRefused(PatentBridgeEngineError):
    """A step the machine does not allow from this state; ``reason`` is Chinese and shown to users."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


S = TypeVar("S", bound=Labelled)
E = TypeVar("E", bound=Labelled)


class _Machine(Generic[S, E]):
    """One table: ``rows`` of (event, from-states, to-state); ``noun`` names the object in reasons."""

    def __init__(self, noun: str, events: type[E], rows: Sequence[tuple[E, tuple[S, ...], S]]) -> None:
        self.noun = noun
        self.events = events
        self.table: dict[tuple[S, E], S] = {(s, ev): to for ev, sources, to in rows for s in sources}

    def step(self, state: S, event: E) -> S:
        nxt = self.table.get((state, event))
        if nxt is None:
            raise TransitionRefused(
                "INVALID_TRANSITION", f"{self.noun}当前状态为「{state.label}」，不能执行「{event.label}」"
            )
        return nxt

    def has_exit(self, state: S) -> bool:
        return any(s is state for s, _ in self.table)


_C, _CE = ContractState, ContractEvent
_ACTIVE = (_C.ACTIVE_TRIAL, _C.ACTIVE_PAID)
_CONTRACT = _Machine(
    "合同",
    ContractEvent,
    [
        (_CE.SUBMIT, (_C.DRAFT,), _C.IN_APPROVAL),
        (_CE.APPROVE, (_C.IN_APPROVAL,), _C.APPROVED),
        (_CE.REJECT, (_C.IN_APPROVAL,), _C.DRAFT),
        (_CE.START_NOTICE, (_C.APPROVED,), _C.PUBLIC_NOTICE),
        (_CE.NOTICE_PASSED, (_C.PUBLIC_NOTICE,), _C.APPROVED),
        (_CE.NOTICE_OBJECTED, (_C.PUBLIC_NOTICE,), _C.DRAFT),
        (_CE.SIGN, (_C.APPROVED,), _C.SIGNED),
        (_CE.START_TRIAL, (_C.SIGNED,), _C.ACTIVE_TRIAL),
        (_CE.START_PAID, (_C.SIGNED,), _C.ACTIVE_PAID),
        (_CE.TRIAL_ENDED, (_C.ACTIVE_TRIAL,), _C.CONVERSION_DUE),
        (_CE.CONVERT, (_C.CONVERSION_DUE,), _C.ACTIVE_PAID),
        (_CE.DECLINE, (_C.CONVERSION_DUE,), _C.TRIAL_ENDED),
        (_CE.NO_ANSWER, (_C.CONVERSION_DUE,), _C.TRIAL_ENDED),
        (_CE.EXTEND, (_C.CONVERSION_DUE,), _C.ACTIVE_TRIAL),
        (_CE.SUSPEND, _ACTIVE, _C.SUSPENDED),
        (_CE.RESUME, (_C.SUSPENDED,), _C.ACTIVE_PAID),
        (_CE.TERMINATE, (*_ACTIVE, _C.SUSPENDED), _C.TERMINATED),
        (_CE.EXPIRE, (*_ACTIVE, _C.CONVERSION_DUE, _C.SUSPENDED), _C.EXPIRED),
        # 专利法 Art. 47: expiry, lapse or invalidation ends the contract; paid fees are not refunded.
        (_CE.PATENT_ENDED, (*_ACTIVE, _C.CONVERSION_DUE, _C.SUSPENDED, _C.SIGNED), _C.ENDED_BY_PATENT),
    ],
)

_D, _DE = DeclarationState, DeclarationEvent
_DECLARATION = _Machine(
    "开放许可声明",
    DeclarationEvent,
    [
        (_DE.CHECK, (_D.DRAFT,), _D.CHECKED),
        (_DE.EDIT, (_D.CHECKED, _D.RETURNED), _D.DRAFT),
        (_DE.SUBMIT, (_D.CHECKED,), _D.SUBMITTED),
        (_DE.PUBLISH, (_D.SUBMITTED,), _D.PUBLISHED),
        (_DE.RETURN, (_D.SUBMITTED,), _D.RETURNED),
        (_DE.REQUEST_WITHDRAWAL, (_D.PUBLISHED,), _D.WITHDRAWAL_SUBMITTED),
        # Withdrawal takes effect on its announcement (S7); until then the declaration stays in force.
        (_DE.WITHDRAWAL_PUBLISHED, (_D.WITHDRAWAL_SUBMITTED,), _D.WITHDRAWN),
        (_DE.WITHDRAWAL_REFUSED, (_D.WITHDRAWAL_SUBMITTED,), _D.PUBLISHED),
        (_DE.PATENT_ENDED, (_D.PUBLISHED, _D.WITHDRAWAL_SUBMITTED), _D.ENDED),
    ],
)

_F, _FE = FilingState, FilingEvent
_FILING = _Machine(
    "备案",
    FilingEvent,
    [
        (_FE.SUBMIT, (_F.DUE, _F.REFUSED), _F.SUBMITTED),  # a refused filing may be corrected and resubmitted
        (_FE.ACCEPT, (_F.SUBMITTED,), _F.FILED),
        (_FE.REFUSE, (_F.SUBMITTED,), _F.REFUSED),
        (_FE.CHANGE, (_F.FILED, _F.CHANGED), _F.CHANGED),
        (_FE.CANCEL, (_F.FILED, _F.CHANGED), _F.CANCELLED),
    ],
)

_O, _OE = OfferState, OfferEvent
_OFFER = _Machine(
    "许可项目",
    OfferEvent,
    [
        (_OE.SUBMIT, (_O.DRAFT,), _O.INTERNAL_REVIEW),
        (_OE.APPROVE, (_O.INTERNAL_REVIEW,), _O.PUBLISHED),
        (_OE.REJECT, (_O.INTERNAL_REVIEW,), _O.DRAFT),
        (_OE.PAUSE, (_O.PUBLISHED,), _O.PAUSED),
        (_OE.RESUME, (_O.PAUSED,), _O.PUBLISHED),
        (_OE.CLOSE, (_O.PUBLISHED, _O.PAUSED), _O.CLOSED),
    ],
)

_A, _AE = ApplicationState, ApplicationEvent
_APPLICATION = _Machine(
    "许可申请",
    ApplicationEvent,
    [
        (_AE.ACCEPT, (_A.SUBMITTED,), _A.ACCEPTED),
        (_AE.REJECT, (_A.SUBMITTED,), _A.REJECTED),
        (_AE.WITHDRAW, (_A.SUBMITTED,), _A.WITHDRAWN),
    ],
)

_R, _RE = ReceivableState, ReceivableEvent
_RECEIVABLE = _Machine(
    "应收款",
    ReceivableEvent,
    [
        # A part payment on an overdue amount leaves it overdue until it is paid in full.
        (_RE.PAY_PART, (_R.OPEN, _R.PARTIAL), _R.PARTIAL),
        (_RE.PAY_PART, (_R.OVERDUE,), _R.OVERDUE),
        (_RE.PAY_FULL, (_R.OPEN, _R.PARTIAL, _R.OVERDUE), _R.PAID),
        (_RE.FALL_OVERDUE, (_R.OPEN, _R.PARTIAL), _R.OVERDUE),
        (_RE.WAIVE, (_R.OPEN, _R.PARTIAL, _R.OVERDUE), _R.WAIVED),
    ],
)


def contract_transition(
    state: ContractState,
    event: ContractEvent,
    *,
    requires_notice: bool = False,
    extensions_used: int = 0,
    extensions_allowed: int = 0,
) -> ContractState:
    """The contract's next state, or ``TransitionRefused``. ``requires_notice``: a 公示 is required and
    not yet completed (blocks ``sign``, enables ``start_notice``); ``extend`` needs an extension left."""
    nxt = _CONTRACT.step(state, event)
    if event is ContractEvent.SIGN and requires_notice:
        raise TransitionRefused("NOTICE_REQUIRED", "协议定价须在本单位公示期满无异议后才能签订合同")
    if event is ContractEvent.START_NOTICE and not requires_notice:
        raise TransitionRefused("NOTICE_NOT_REQUIRED", "本合同不需要公示，可以直接签订")
    if event is ContractEvent.EXTEND and extensions_used >= extensions_allowed:
        raise TransitionRefused(
            "NO_EXTENSION_LEFT",
            f"试用已延长 {extensions_used} 次，本项目最多允许延长 {extensions_allowed} 次",
        )
    return nxt


def declaration_transition(state: DeclarationState, event: DeclarationEvent) -> DeclarationState:
    """The open-licence declaration's next state, or ``TransitionRefused``. The caller fires ``check``
    only when ``check_open_licence`` allows the declaration."""
    return _DECLARATION.step(state, event)


def filing_transition(state: FilingState, event: FilingEvent) -> FilingState:
    """The CNIPA licence filing's next state (62号令; 细则 Art. 15), or ``TransitionRefused``."""
    return _FILING.step(state, event)


def offer_transition(state: OfferState, event: OfferEvent) -> OfferState:
    """The licence offer's next state, or ``TransitionRefused``."""
    return _OFFER.step(state, event)


def application_transition(state: ApplicationState, event: ApplicationEvent) -> ApplicationState:
    """The enterprise's application's next state, or ``TransitionRefused``."""
    return _APPLICATION.step(state, event)


def receivable_transition(state: ReceivableState, event: ReceivableEvent) -> ReceivableState:
    """The receivable's next state, or ``TransitionRefused``."""
    return _RECEIVABLE.step(state, event)


@overload
def allowed_events(
    state: ContractState,
    *,
    requires_notice: bool = ...,
    extensions_used: int = ...,
    extensions_allowed: int = ...,
) -> list[ContractEvent]: ...
@overload
def allowed_events(state: DeclarationState) -> list[DeclarationEvent]: ...
@overload
def allowed_events(state: FilingState) -> list[FilingEvent]: ...
@overload
def allowed_events(state: OfferState) -> list[OfferEvent]: ...
@overload
def allowed_events(state: ApplicationState) -> list[ApplicationEvent]: ...
@overload
def allowed_events(state: ReceivableState) -> list[ReceivableEvent]: ...
def allowed_events(
    state: Labelled, *, requires_notice: bool = False, extensions_used: int = 0, extensions_allowed: int = 0
) -> Sequence[Labelled]:
    """The events that would succeed from ``state`` (guards included), in declaration order — the
    buttons a page may show. The keyword context only matters for contracts."""
    machine = _MACHINES[type(state)]
    allowed: list[Labelled] = []
    for event in machine.events:
        try:
            if isinstance(state, ContractState):
                contract_transition(
                    state,
                    ContractEvent(event),
                    requires_notice=requires_notice,
                    extensions_used=extensions_used,
                    extensions_allowed=extensions_allowed,
                )
            else:
                machine.step(state, event)
        except TransitionRefused:
            continue
        allowed.append(event)
    return allowed


def is_terminal(state: Labelled) -> bool:
    """True when no event leaves ``state`` (e.g. 已终止, 已撤回, 已收讫)."""
    return not _MACHINES[type(state)].has_exit(state)


_MACHINES: dict[type[Labelled], _Machine[Any, Any]] = {
    ContractState: _CONTRACT,
    DeclarationState: _DECLARATION,
    FilingState: _FILING,
    OfferState: _OFFER,
    ApplicationState: _APPLICATION,
    ReceivableState: _RECEIVABLE,
}
