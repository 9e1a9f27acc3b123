"""What the licences API reads and writes: strict parsing of loosely typed JSON values into Chinese
``ValidationError``s (422), and contracts and applications as the API shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from patentbridge.licensing.models import ContractPatent, LicenceApplication, LicenceContract
from patentbridge.licensing.services import applications as app_services
from patentbridge.licensing.services import contracts
from patentbridge.licensing.services.contract_states import ACTION_LABELS
from patentbridge.licensing.services.deal_regions import region_label
from patentbridge.licensing.services.pipeline import STAGE_OF_STATE, next_deadline
from patentbridge_engine.licensing.fees import FeeSchedule
from patentbridge_engine.licensing.states import ContractState, is_terminal

__all__ = [
    "application_out",
    "as_bool",
    "as_date",
    "as_int",
    "as_text",
    "licence_detail",
    "licence_row",
    "numbers_list",
]

_PRE_SIGN = ("draft", "in_approval", "approved", "public_notice")


def as_date(value: Any, field: str, label: str, default: dt.date | None = None) -> dt.date | None:
    """``YYYY-MM-DD`` → date; anything else a ValidationError naming the field."""
    if value in (None, ""):
        return default
    problem = ValidationError({field: f"{label}须为 YYYY-MM-DD 格式的日期"})
    if not isinstance(value, str) or len(value) != 10:
        raise problem
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise problem from None


def as_text(value: Any, field: str, label: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: f"{label}须为文字"})
    if len(value) > limit:
        raise ValidationError({field: f"{label}不能超过 {limit} 个字符"})
    return value.strip()


def as_int(value: Any, field: str, label: str, *, low: int = 0, high: int = 10**12) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        raise ValidationError({field: f"{label}须为整数"})
    text = str(value).strip()
    number = int(text[:15])
    if len(text) > 15 or not low <= number <= high:
        raise ValidationError({field: f"{label}须在 {low}–{high} 之间"})
    return number


def as_bool(value: Any, field: str, label: str, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    raise ValidationError({field: f"{label}须为 true 或 false"})


def numbers_list(value: Any, field: str = "patents") -> list[str]:
    """A JSON list of application numbers (at most 200, each at most 40 characters)."""
    if not isinstance(value, list) or not value or len(value) > 200:
        raise ValidationError({field: "patents 须为 1 至 200 个专利申请号的列表"})
    if not all(isinstance(v, str) and 0 < len(v) <= 40 for v in value):
        raise ValidationError({field: "每个专利申请号须为不超过 40 个字符的文字"})
    return list(value)


def _org(org: Any) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "region_code": org.region_code,
        "region_label": region_label(org.region_code),
    }


def _scope_patent(row: ContractPatent, as_of: dt.date) -> dict[str, Any]:
    """A patent of the contract's scope on ``as_of``, read as ``services.scope.contract_scope``
    reads it: a row ended on or before ``as_of`` has left (its reason, else 专利权终止); a row
    ending later was still licensed that day."""
    left = row.ended_on is not None and row.ended_on <= as_of
    return {
        "application_number": row.patent.application_number,
        "title": row.patent.title,
        "in_scope": not left,
        "left_on": row.ended_on if left else None,
        "left_reason": (row.end_reason or "专利权终止") if left else "",
    }


def licence_row(contract: LicenceContract, *, as_of: dt.date) -> dict[str, Any]:
    """A contract as a list row."""
    deadline, label = next_deadline(contract, as_of=as_of)
    return {
        "id": contract.pk,
        "contract_no": contract.contract_no,
        "state": contract.state,
        "state_label": contract.get_state_display(),
        "stage": STAGE_OF_STATE.get(contract.state, ""),
        "kind": contract.kind,
        "kind_label": contract.get_kind_display(),
        "origin": contract.origin,
        "origin_label": contract.get_origin_display(),
        "licensor": _org(contract.licensor_org),
        "licensee": _org(contract.licensee_org),
        "patents": [
            _scope_patent(row, as_of)
            for row in sorted(contract.scope.all(), key=lambda r: r.patent.application_number)
        ],
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "trial_months": contract.trial_months,
        "trial_end": contract.trial_end,
        "next_deadline": deadline,
        "next_deadline_label": label,
        "out_of_region": contract.out_of_region,
        "is_demo": contract.is_demo,
        "url": reverse("licensing:contract", args=[contract.pk]),
    }


def _step_label(event: str) -> str:
    label = ACTION_LABELS.get(f"licensing.contract.{event}", "")
    return label.split("：", 1)[-1] if label else "其他操作"


def licence_detail(contract: LicenceContract, user: Any, *, as_of: dt.date) -> dict[str, Any]:
    """A contract with everything the contract page shows, for ``user``."""
    check = ""
    findings: list[dict[str, str]] = []
    if not is_terminal(ContractState(contract.state)):
        pre = contract.state in _PRE_SIGN
        check = "sign" if pre else "filing"
        verdict = contracts.check_contract(contract, as_of=as_of, for_filing=not pre)
        findings = [f.as_dict() for f in verdict.findings]
    fee = FeeSchedule.from_dict(contract.fee_schedule).describe() if contract.fee_schedule else ""
    return {
        **licence_row(contract, as_of=as_of),
        "licensors": [{k: str(v) for k, v in p.items()} for p in contract.licensors],
        "territory": contract.territory,
        "field_of_use": contract.field_of_use,
        "sublicence_allowed": contract.sublicence_allowed,
        "paid_start": contract.paid_start,
        "fee_schedule": dict(contract.fee_schedule or {}),
        "fee_text": fee,
        "price_method": contract.price_method,
        "conversion_mode": contract.conversion_mode,
        "usage_report_required": contract.usage_report_required,
        "trial_extensions_allowed": contract.trial_extensions_allowed,
        "trial_extensions_used": contract.trial_extensions_used,
        "signed_at": contract.signed_at,
        "effective_at": contract.effective_at,
        "end_reason": contract.end_reason,
        "offer_id": contract.offer_id,
        "application_id": contract.application_id,
        "check": check,
        "findings": findings,
        "filings": [
            {
                "id": f.pk,
                "kind": f.kind,
                "state": f.state,
                "state_label": f.get_state_display(),
                "due_date": f.due_date,
                "submitted_at": f.submitted_at,
                "filed_by_side": f.filed_by_side,
                "record_no": f.record_no,
                "filed_at": f.filed_at,
                "hold_reason": f.hold_reason,
                "refusal_reason": f.refusal_reason,
            }
            for f in contract.filings.order_by("due_date", "pk")
        ],
        "timeline": [
            {
                "event": s.event,
                "label": _step_label(s.event),
                "from_state": s.from_state,
                "to_state": s.to_state,
                "on_date": s.on_date,
                "note": s.note,
                "actor": s.actor.get_username() if s.actor else "系统",
            }
            for s in contracts.transition_log(contract)
        ],
        "documents": [
            {"id": d.pk, "name": d.name, "kind": d.kind, "sha256": d.sha256, "size": d.size}
            for d in contract.documents.all()
        ],
        "allowed_actions": [
            {"event": e, "label": label} for e, label in contracts.allowed_actions(user, contract)
        ],
    }


def application_out(application: LicenceApplication) -> dict[str, Any]:
    """An application as the API shows it to the applicant, the publisher and operators."""
    contract = getattr(application, "contract", None)
    return {
        "id": application.pk,
        "state": application.state,
        "state_label": application.get_state_display(),
        "offer_id": application.offer_id,
        "applicant": _org(application.applicant_org),
        "requested_mode": application.requested_mode,
        "requested_mode_label": application.get_requested_mode_display(),
        "patents": [
            {"application_number": p.application_number, "title": p.title}
            for p in application.patents.order_by("application_number")
        ],
        "intended_use": application.intended_use,
        "out_of_region": application.out_of_region,
        "needs_region_confirmation": app_services.needs_region_confirmation(application),
        "decision_reason": application.decision_reason,
        "contract_id": contract.pk if contract is not None else None,
        "url": reverse("licensing:application", args=[application.pk]),
    }
