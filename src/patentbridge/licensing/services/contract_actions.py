"""One entry point for "run this contract action" — the contract page's buttons and
``POST /api/licences/{id}/actions/{event}`` both come here, and it calls the contract services
(which check the actor, the rules and the state machine, and audit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract
from patentbridge.licensing.services import contracts
from patentbridge.licensing.services.contract_states import is_manager

__all__ = ["ACTION_EVENTS", "ActionInput", "run_action"]


@dataclass(frozen=True)
class ActionInput:
    """The inputs an action may read (each event reads only its own)."""

    on: dt.date
    note: str = ""
    reason: str = ""
    reason_code: str = ""
    months: int | None = None
    result_name: str = ""
    proposed_price: str = ""
    objections: str = ""
    fee_schedule: dict[str, Any] | None = field(default=None)


def _months(data: ActionInput) -> int:
    if data.months is None:
        raise ValidationError({"months": "请填写延长的月数"})
    return data.months


_Call = Callable[[Any, LicenceContract, ActionInput], Any]
_ACTIONS: dict[str, _Call] = {
    "submit": lambda u, c, d: contracts.submit(u, c, on=d.on),
    "approve": lambda u, c, d: contracts.approve(u, c, on=d.on, note=d.note),
    "reject": lambda u, c, d: contracts.reject(u, c, on=d.on, note=d.note or d.reason),
    "start_notice": lambda u, c, d: contracts.start_public_notice(
        u, c, on=d.on, result_name=d.result_name, proposed_price=d.proposed_price
    ),
    "notice_passed": lambda u, c, d: contracts.close_public_notice(u, c, on=d.on, outcome="passed"),
    "notice_objected": lambda u, c, d: contracts.close_public_notice(
        u, c, on=d.on, outcome="objected", objections=d.objections
    ),
    "sign": lambda u, c, d: contracts.sign(u, c, on=d.on),
    "trial_ended": lambda u, c, d: contracts.end_trial(u, c, on=d.on),
    "convert": lambda u, c, d: contracts.convert(u, c, on=d.on, fee_schedule=d.fee_schedule),
    "decline": lambda u, c, d: contracts.decline(u, c, on=d.on, reason_code=d.reason_code, note=d.note),
    "extend": lambda u, c, d: contracts.extend_trial(u, c, on=d.on, months=_months(d)),
    "suspend": lambda u, c, d: contracts.suspend(u, c, on=d.on, reason=d.reason),
    "resume": lambda u, c, d: contracts.resume(u, c, on=d.on, reason=d.reason),
    "terminate": lambda u, c, d: contracts.terminate(u, c, on=d.on, reason=d.reason),
    "confirm_region": lambda u, c, d: contracts.confirm_region(u, c, on=d.on, note=d.note),
}
# Events a person may run (``expire``, ``no_answer`` and ``patent_ended`` belong to the daily sweep).
ACTION_EVENTS = tuple(_ACTIONS)


def run_action(user: Any, contract: LicenceContract, event: str, data: ActionInput) -> LicenceContract:
    """Run ``event`` on ``contract`` as ``user``; ValidationError for an unknown event, otherwise
    whatever the service raises (LicensingRefused, PermissionDenied, ValidationError).

    Converting with new paid terms is the licensor side's act (its TTO or an operator, recording
    what both parties agreed): the licensee converts on the agreed terms and may not rewrite them
    alone — ``contracts.convert`` itself only asks for a party."""
    call = _ACTIONS.get(event)
    if call is None:
        raise ValidationError({"event": f"未知的合同操作：{event[:40]}"})
    if event == "convert" and data.fee_schedule and not is_manager(user, contract):
        raise LicensingRefused(
            "FEE_CHANGE_BY_LICENSOR",
            "被许可方只能按已约定的付费条件转为付费许可；协商后的新付费条件须由许可方（技术转移办公室）"
            "或运营人员登记",
        )
    call(user, contract, data)
    contract.refresh_from_db()
    return contract
