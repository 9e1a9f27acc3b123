"""The contract services' shared machinery: who may act on a contract, one state transition with its
timeline entry and audit event, and the Chinese labels of the actions they write.

A transition is decided by the engine's ``states.contract_transition``; a refusal becomes
``LicensingRefused`` (code ``STATE`` for a step the state does not allow, the engine's own code for a
guard such as ``NO_EXTENSION_LEFT``). Each step writes one ``ContractStep`` (event, from, to, note,
business date, actor) and one ``AuditEvent`` ``licensing.contract.<event>`` in the caller's
transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import ContractStep, LicenceContract
from patentbridge_engine.licensing.states import (
    ContractEvent,
    ContractState,
    TransitionRefused,
    contract_transition,
)

__all__ = [
    "ACTION_LABELS",
    "DECLINE_REASONS",
    "actor_org_id",
    "add_step",
    "check_transition",
    "is_licensee",
    "is_manager",
    "locked",
    "notice_required",
    "require_manager",
    "require_party",
    "transition",
]

# Why a licensee did not convert its trial (the conversion funnel's reason codes).
DECLINE_REASONS: dict[str, str] = {
    "not_suitable": "技术不适合企业需要",
    "price": "付费条件不能接受",
    "no_answer": "逾期未答复",
    "other": "其他原因",
}

# Chinese names of the audit actions the contract, ledger and filing services write (core.labels).
ACTION_LABELS: dict[str, str] = {
    **{f"licensing.contract.{e.value}": f"许可合同：{e.label}" for e in ContractEvent},
    "licensing.contract.create": "许可合同：新建草稿",
    "licensing.contract.consents": "许可合同：登记同意文件",
    "licensing.contract.region_confirmed": "许可合同：确认区域外许可",
    "licensing.contract.sublicence_terms": "许可合同：约定分许可条款",
    "licensing.contract.patent_left": "许可合同：专利失效退出许可范围",
    "licensing.right_event.recorded": "权利负担台账：登记事件",
    "licensing.right_event.updated": "权利负担台账：更新事件",
    "licensing.right_event.ended": "权利负担台账：结束事件",
    "licensing.filing.opened": "许可合同备案：生成备案任务",
    "licensing.filing.submit": "许可合同备案：提交备案",
    "licensing.filing.accept": "许可合同备案：登记备案号",
    "licensing.filing.refuse": "许可合同备案：登记不予备案",
    "licensing.filing.hold": "许可合同备案：更新暂缓原因",
}


def actor_org_id(actor: Any) -> int | None:
    member = policies.membership_of(actor)
    return None if member is None else int(member.org_id)


def is_manager(actor: Any, contract: LicenceContract) -> bool:
    """Operators and admins anywhere; a TTO of the licensor organisation."""
    if not policies.can(actor, "licensing.manage"):
        return False
    return policies.is_platform_wide(actor) or actor_org_id(actor) == contract.licensor_org_id


def is_licensee(actor: Any, contract: LicenceContract) -> bool:
    """An enterprise user of the licensee organisation."""
    return policies.role_of(actor) == "enterprise" and actor_org_id(actor) == contract.licensee_org_id


def require_manager(actor: Any, contract: LicenceContract) -> None:
    """Refuse unless the actor manages the contract (PermissionDenied with the reason in Chinese)."""
    if is_manager(actor, contract):
        return
    if not policies.can(actor, "licensing.manage"):
        raise PermissionDenied("只有许可方的技术转移办公室或运营人员可以办理此项合同操作")
    raise PermissionDenied(f"合同 {contract.contract_no} 的许可方不是本机构，不能办理")


def require_party(actor: Any, contract: LicenceContract) -> None:
    """The manager, or the licensee's own enterprise user (convert/decline its trial, file)."""
    if is_manager(actor, contract) or is_licensee(actor, contract):
        return
    if policies.role_of(actor) == "enterprise":
        raise PermissionDenied(f"合同 {contract.contract_no} 的被许可人不是本企业，不能办理")
    raise PermissionDenied(f"无权办理合同 {contract.contract_no}：只有许可方、被许可方或运营人员可以办理")


def locked(contract: LicenceContract) -> LicenceContract:
    """The contract row locked for this transaction (SELECT … FOR UPDATE on PostgreSQL), with the
    organisations the checks read."""
    return (
        LicenceContract.objects.select_for_update(of=("self",))
        .select_related("licensor_org", "licensee_org")
        .get(pk=contract.pk)
    )


def notice_required(contract: LicenceContract) -> bool:
    """A 公示 is required and not yet passed: 协议定价 at a state-run licensor (促进科技成果转化法 Art. 18)."""
    if not (contract.licensor_org.state_run and contract.price_method == "agreement"):
        return False
    notice = getattr(contract, "public_notice", None)
    return notice is None or notice.outcome != "passed"


def add_step(
    actor: Any,
    contract: LicenceContract,
    event: str,
    *,
    on: dt.date,
    note: str = "",
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> ContractStep:
    """One timeline entry and its audit event (``licensing.contract.<event>``), in the caller's
    transaction."""
    step = ContractStep.objects.create(
        contract=contract,
        event=event,
        from_state=from_state,
        to_state=to_state,
        note=note,
        on_date=on,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    payload: dict[str, Any] = {"contract_no": contract.contract_no, "on_date": on.isoformat()}
    if from_state or to_state:
        payload.update({"from": from_state, "to": to_state})
    if note:
        payload["note"] = note
    payload.update(data or {})
    audit.record(f"licensing.contract.{event}", actor=actor, target=contract, data=payload)
    return step


def check_transition(contract: LicenceContract, event: ContractEvent, **guards: Any) -> ContractState:
    """The next state, or ``LicensingRefused`` naming the state (nothing is written)."""
    try:
        return contract_transition(ContractState(contract.state), event, **guards)
    except TransitionRefused as exc:
        code = "STATE" if exc.code == "INVALID_TRANSITION" else exc.code
        raise LicensingRefused(code, exc.reason) from exc


def transition(
    actor: Any,
    contract: LicenceContract,
    event: ContractEvent,
    *,
    on: dt.date,
    note: str = "",
    data: dict[str, Any] | None = None,
    **guards: Any,
) -> ContractStep:
    """Move ``contract`` by ``event`` (engine state machine), save the state, write the step and the
    audit event. ``guards`` are the machine's keyword context (requires_notice, extensions_*)."""
    before = contract.state
    after = check_transition(contract, event, **guards)
    contract.state = after.value
    contract.save(update_fields=["state", "updated_at"])
    return add_step(
        actor, contract, event.value, on=on, note=note, from_state=before, to_state=after.value, data=data
    )
