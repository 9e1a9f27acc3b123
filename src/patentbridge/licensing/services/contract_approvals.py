"""Approval-stage steps of a licence contract besides submit/approve/reject: the 公示 of an agreed
price at a state-run unit (促进科技成果转化法 Art. 18), the consents rules L4/L5 ask for, the
sub-licence clause of rule L8, and an operator's confirmation of an out-of-region licence (L11).
Re-exported by ``services.contracts``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.accounts import policies
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract, PublicNotice
from patentbridge.licensing.services.contract_states import (
    add_step,
    locked,
    notice_required,
    require_manager,
    transition,
)
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.states import ContractEvent, ContractState

__all__ = [
    "close_public_notice",
    "confirm_region",
    "record_consents",
    "set_sublicence_terms",
    "start_public_notice",
]


def start_public_notice(
    actor: Any, contract: LicenceContract, *, on: dt.date, result_name: str, proposed_price: str
) -> PublicNotice:
    """APPROVED → PUBLIC_NOTICE: publish the result name and proposed price inside the unit for
    ``PUBLIC_NOTICE_DAYS`` (促进科技成果转化法 Art. 18); only when the price is agreed at a state-run unit."""
    result_name, proposed_price = (result_name or "").strip(), (proposed_price or "").strip()
    if not result_name or len(result_name) > 300 or not proposed_price or len(proposed_price) > 200:
        raise ValidationError("公示须填写成果名称（不超过 300 字）和拟交易价格（不超过 200 字）")
    require_manager(actor, contract)
    with transaction.atomic():
        row = locked(contract)
        days = int(policy.value("PUBLIC_NOTICE_DAYS", as_of=on, region_code=row.licensor_org.region_code))
        end = on + dt.timedelta(days=days)
        step_note = f"公示期 {on} 至 {end}（{days} 日）：{result_name}，拟交易价格 {proposed_price}"
        transition(
            actor,
            row,
            ContractEvent.START_NOTICE,
            on=on,
            note=step_note,
            requires_notice=notice_required(row),
        )
        notice, _ = PublicNotice.objects.update_or_create(
            contract=row,
            defaults={
                "result_name": result_name,
                "proposed_price": proposed_price,
                "start_date": on,
                "end_date": end,
                "objections": "",
                "outcome": "",
            },
        )
    contract.refresh_from_db()
    return notice


def close_public_notice(
    actor: Any, contract: LicenceContract, *, on: dt.date, outcome: str, objections: str = ""
) -> LicenceContract:
    """End the 公示: ``passed`` (on or after its last day, no objection) → APPROVED, ready to sign;
    ``objected`` (any time, objections stated) → DRAFT for the terms to be reconsidered."""
    if outcome not in ("passed", "objected"):
        raise ValidationError("公示结果须为「无异议」或「有异议」")
    if outcome == "objected" and not (objections or "").strip():
        raise ValidationError("公示有异议的，须填写异议内容")
    require_manager(actor, contract)
    with transaction.atomic():
        row = locked(contract)
        notice = PublicNotice.objects.select_for_update().filter(contract=row).first()
        if notice is None or row.state != ContractState.PUBLIC_NOTICE.value:
            raise LicensingRefused("STATE", f"合同 {row.contract_no} 不在公示中")
        if outcome == "passed" and on < notice.end_date:
            raise LicensingRefused("L7", f"公示期至 {notice.end_date} 届满，届满前不能确认公示无异议")
        event = ContractEvent.NOTICE_PASSED if outcome == "passed" else ContractEvent.NOTICE_OBJECTED
        notice.outcome, notice.objections = outcome, (objections or "").strip()[:5000]
        notice.save(update_fields=["outcome", "objections"])
        note = "公示期满无异议" if outcome == "passed" else f"公示有异议：{notice.objections}"
        transition(actor, row, event, on=on, note=note)
    contract.refresh_from_db()
    return contract


def record_consents(
    actor: Any,
    contract: LicenceContract,
    *,
    on: dt.date,
    coowner: bool | None = None,
    pledgee: bool | None = None,
    note: str = "",
) -> LicenceContract:
    """Record that every co-owner's (L4) or the pledgee's (L5) written consent is on file; a filing
    held for a missing pledgee consent is re-checked at once."""
    from patentbridge.licensing.services.filing import refresh_hold

    require_manager(actor, contract)
    with transaction.atomic():
        row = locked(contract)
        changes: dict[str, bool] = {}
        if coowner is not None:
            changes["coowner_consent"] = bool(coowner)
        if pledgee is not None:
            changes["pledgee_consent"] = bool(pledgee)
        for name, value in changes.items():
            setattr(row, name, value)
        row.save(update_fields=[*changes, "updated_at"])
        labels = {"coowner_consent": "全体共有人同意", "pledgee_consent": "质权人同意"}
        text = "；".join(f"{labels[k]}：{'已取得' if v else '未取得'}" for k, v in changes.items())
        add_step(
            actor,
            row,
            "consents",
            on=on,
            note=f"{text}{('；' + note.strip()) if note.strip() else ''}"[:2000],
            data=changes,
        )
        for filing in row.filings.filter(state__in=("due", "refused")):
            refresh_hold(filing, as_of=on, actor=actor)
    contract.refresh_from_db()
    return contract


def set_sublicence_terms(
    actor: Any, contract: LicenceContract, *, on: dt.date, scope: str
) -> LicenceContract:
    """Record the contract's sub-licence clause (rule L8) while it is still a draft."""
    scope = (scope or "").strip()
    if not scope:
        raise ValidationError("请填写分许可的范围和条件")
    require_manager(actor, contract)
    with transaction.atomic():
        row = locked(contract)
        if row.state != ContractState.DRAFT.value:
            raise LicensingRefused("STATE", "只能在草稿阶段修改分许可条款")
        if not row.sublicence_allowed:
            row.sublicence_allowed = True
            row.save(update_fields=["sublicence_allowed", "updated_at"])
        add_step(actor, row, "sublicence_terms", on=on, note=scope[:2000])
    contract.refresh_from_db()
    return contract


def confirm_region(actor: Any, contract: LicenceContract, *, on: dt.date, note: str = "") -> LicenceContract:
    """An operator confirms a licence to an applicant outside the offer's target regions (rule L11);
    the deal counts as out-of-region."""
    if not policies.is_platform_wide(actor):
        raise PermissionDenied("区域外许可须由运营人员确认")
    with transaction.atomic():
        row = locked(contract)
        row.out_of_region = True
        row.save(update_fields=["out_of_region", "updated_at"])
        add_step(
            actor, row, "region_confirmed", on=on, note=(note.strip() or "运营人员确认区域外许可")[:2000]
        )
    contract.refresh_from_db()
    return contract
