"""A signed contract's life: the trial's end, conversion to the paid phase (or a decline with a
reason code), trial extensions, suspension and resumption, termination, expiry and the end by the
patent's lapse (专利法 Art. 47). Re-exported by ``services.contracts``.

A contract over several patents does not end when one of them lapses: that patent leaves the
contract's scope on its day (``patent_leaves``: the scope row and its licence row end, the timeline
says so) and the licence runs on for the others; only the last patent's end ends the contract.

The ledger follows the contract: a trial's licence row runs to ``trial_end``; conversion stretches
it to ``end_date``; an extension to the new trial end; every end state closes the rows on its day.
End states send ``contract_ended``; conversion sends ``paid_phase_started``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from patentbridge.licensing import signals
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import ContractPatent, LicenceContract
from patentbridge.licensing.services.contract_checks import check_phase
from patentbridge.licensing.services.contract_states import (
    DECLINE_REASONS,
    add_step,
    is_manager,
    locked,
    require_manager,
    require_party,
    transition,
)
from patentbridge.licensing.services.contract_terms import MAX_TRIAL_MONTHS, clean_schedule
from patentbridge.licensing.services.filing import open_filing
from patentbridge.licensing.services.ledger import end_right_events, record_right_event
from patentbridge.patents.models import Patent
from patentbridge_engine.licensing import dates
from patentbridge_engine.licensing.fees import FeeSchedule
from patentbridge_engine.licensing.states import ContractEvent, ContractState

__all__ = [
    "convert",
    "decline",
    "decline_reason_of",
    "end_by_patent",
    "end_trial",
    "expire",
    "extend_trial",
    "live_patents",
    "patent_leaves",
    "resume",
    "suspend",
    "terminate",
    "write_licence_events",
]


def live_patents(contract: LicenceContract) -> list[Patent]:
    """The patents still in the contract's scope (none has left it on lapse), by pk."""
    return list(
        Patent.objects.filter(
            contract_scopes__licencecontract=contract, contract_scopes__ended_on__isnull=True
        ).order_by("pk")
    )


def write_licence_events(actor: Any, contract: LicenceContract, *, end: dt.date) -> None:
    """One licence ledger row per patent still in the contract's scope (source ``contract``, ref =
    contract number; idempotent, so re-writing only moves the end date). A patent that left the
    scope keeps its row ended on the day it left: a later conversion or extension must not
    stretch a licence over a patent that is no longer in force."""
    licensee = contract.licensee_org
    for patent in live_patents(contract):
        record_right_event(
            actor,
            patent,
            kind="licence",
            start=contract.start_date,
            end=end,
            sub_kind=contract.kind,
            counterparty=licensee.name,
            counterparty_uscc=licensee.uscc,
            source="contract",
            source_ref=contract.contract_no,
            territory=contract.territory,
            field_of_use=contract.field_of_use,
            note=f"平台许可合同 {contract.contract_no}",
            is_demo=contract.is_demo,
            check_access=False,
        )


def _ended(actor: Any, contract: LicenceContract, *, on: dt.date, ledger_end: dt.date) -> None:
    end_right_events("contract", contract.contract_no, ledger_end, actor=actor)
    signals.contract_ended.send(
        sender=LicenceContract, contract=contract, actor=actor, on_date=on, state=contract.state
    )


def end_trial(actor: Any, contract: LicenceContract, *, on: dt.date) -> LicenceContract:
    """ACTIVE_TRIAL → CONVERSION_DUE once the trial's last day is reached (``actor`` None = the
    daily sweep). The licence row keeps its trial end until the licensee converts."""
    if actor is not None:
        require_party(actor, contract)
    with transaction.atomic():
        row = locked(contract)
        if row.state == ContractState.ACTIVE_TRIAL.value and row.trial_end is not None and on < row.trial_end:
            raise LicensingRefused("TRIAL_RUNNING", f"试用期至 {row.trial_end} 结束，届时才能进入待转化")
        transition(actor, row, ContractEvent.TRIAL_ENDED, on=on, note=f"试用期于 {row.trial_end} 届满")
    contract.refresh_from_db()
    return contract


def convert(
    actor: Any, contract: LicenceContract, *, on: dt.date, fee_schedule: dict[str, Any] | None = None
) -> LicenceContract:
    """CONVERSION_DUE → ACTIVE_PAID: the licensee accepts the pre-agreed paid terms, or the
    negotiated ``fee_schedule`` replaces them. The paid phase (``paid_start`` → ``end_date``) is
    checked on ``on`` first (L1–L9); the licence row is stretched to ``end_date``. A changed fee
    opens a change filing (变更备案); when no filing was opened for the trial, the initial one is
    opened now. Sends ``paid_phase_started``."""
    require_party(actor, contract)
    new_schedule = clean_schedule(fee_schedule) if fee_schedule is not None else None
    with transaction.atomic():
        row = locked(contract)
        if row.state == ContractState.CONVERSION_DUE.value and (
            row.paid_start is None or row.paid_start > row.end_date
        ):
            raise LicensingRefused(
                "NO_PAID_PHASE", f"合同 {row.contract_no} 在试用结束日终止，没有付费实施期"
            )
        before = row.fee_schedule
        changed = bool(new_schedule) and new_schedule != before
        if changed and not is_manager(actor, row):
            # The licensee accepts the agreed terms; new terms come from the licensor's side
            # (a negotiated amendment), never from the party who pays.
            raise LicensingRefused(
                "FEE_CHANGE_BY_LICENSOR",
                "被许可方只能按已约定的付费条件转为付费许可；协商后的新付费条件须由许可方（技术转移办公室）"
                "或运营人员登记",
            )
        schedule = FeeSchedule.from_dict(new_schedule) if changed and new_schedule else None
        if row.state == ContractState.CONVERSION_DUE.value:
            verdict = check_phase(row, "paid", as_of=on, fee_schedule=schedule)
            if not verdict.allowed:
                raise LicensingRefused.from_verdict(verdict)
        if changed:
            row.fee_schedule = new_schedule
            row.save(update_fields=["fee_schedule", "updated_at"])
        described = FeeSchedule.from_dict(row.fee_schedule).describe() if row.fee_schedule else "未约定"
        note = f"自 {row.paid_start} 起付费实施：{described}" + ("（付费条件已变更）" if changed else "")
        transition(actor, row, ContractEvent.CONVERT, on=on, note=note, data={"fee_changed": changed})
        write_licence_events(actor, row, end=row.end_date)
        had_filing = row.filings.filter(kind="initial").exists()
        if not had_filing:
            open_filing(row, kind="initial", effective=on, actor=actor)
        elif changed:
            open_filing(row, kind="change", effective=on, actor=actor)
        signals.paid_phase_started.send(sender=LicenceContract, contract=row, actor=actor, on_date=on)
    contract.refresh_from_db()
    return contract


def decline_reason_of(contract: LicenceContract) -> str:
    """The reason code of a declined trial (``DECLINE_REASONS`` key), read from ``end_reason``."""
    for code, label in DECLINE_REASONS.items():
        if contract.end_reason.startswith(label):
            return code
    return ""


def decline(
    actor: Any, contract: LicenceContract, *, on: dt.date, reason_code: str, note: str = ""
) -> LicenceContract:
    """CONVERSION_DUE → TRIAL_ENDED: the licensee does not take the paid licence. ``reason_code``
    is one of ``DECLINE_REASONS`` (``no_answer`` is the sweep's 逾期未答复; ``other`` needs a note);
    ``end_reason`` keeps the Chinese label and note. The trial's licence row ends on its trial end."""
    if reason_code not in DECLINE_REASONS:
        raise ValidationError(f"未知的未转化原因：{str(reason_code)[:40]}")
    note = (note or "").strip()
    if reason_code == "other" and not note:
        raise ValidationError("选择「其他原因」时须说明原因")
    if actor is not None:
        require_party(actor, contract)
    with transaction.atomic():
        row = locked(contract)
        label = DECLINE_REASONS[reason_code]
        text = f"{label}：{note}" if note else label
        event = ContractEvent.NO_ANSWER if reason_code == "no_answer" else ContractEvent.DECLINE
        transition(actor, row, event, on=on, note=text[:2000], data={"reason_code": reason_code})
        row.end_reason = text[:300]
        row.save(update_fields=["end_reason", "updated_at"])
        _ended(actor, row, on=on, ledger_end=min(on, row.trial_end or on))
    contract.refresh_from_db()
    return contract


def extend_trial(actor: Any, contract: LicenceContract, *, on: dt.date, months: int) -> LicenceContract:
    """CONVERSION_DUE → ACTIVE_TRIAL for ``months`` more (while ``trial_extensions_allowed`` is not
    used up): the trial then ends ``trial_months`` after the start on the corresponding day, the
    paid phase starts the day after, and the licence row follows."""
    if not isinstance(months, int) or not 1 <= months <= MAX_TRIAL_MONTHS:
        raise ValidationError(f"延长的月数须为 1 至 {MAX_TRIAL_MONTHS}")
    require_manager(actor, contract)
    with transaction.atomic():
        row = locked(contract)
        total = (row.trial_months or 0) + months
        new_end = dates.trial_end(row.start_date, total)
        if new_end > row.end_date:
            raise LicensingRefused("L10", f"延长后试用期至 {new_end}，超过合同终止日 {row.end_date}")
        note = f"试用延长 {months} 个月，至 {new_end}"
        transition(
            actor,
            row,
            ContractEvent.EXTEND,
            on=on,
            note=note,
            extensions_used=row.trial_extensions_used,
            extensions_allowed=row.trial_extensions_allowed,
        )
        row.trial_months, row.trial_end = total, new_end
        row.paid_start = new_end + dt.timedelta(days=1) if new_end < row.end_date else None
        row.trial_extensions_used += 1
        row.save(
            update_fields=["trial_months", "trial_end", "paid_start", "trial_extensions_used", "updated_at"]
        )
        write_licence_events(actor, row, end=new_end)
    contract.refresh_from_db()
    return contract


def _reasoned(
    actor: Any, contract: LicenceContract, event: ContractEvent, *, on: dt.date, reason: str
) -> LicenceContract:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写原因")
    require_manager(actor, contract)
    with transaction.atomic():
        row = locked(contract)
        transition(actor, row, event, on=on, note=reason[:2000])
        if event is ContractEvent.TERMINATE:
            row.end_reason = reason[:300]
            row.save(update_fields=["end_reason", "updated_at"])
            _ended(actor, row, on=on, ledger_end=on)
    contract.refresh_from_db()
    return contract


def suspend(actor: Any, contract: LicenceContract, *, on: dt.date, reason: str) -> LicenceContract:
    """ACTIVE_* → SUSPENDED (e.g. payment default, licensor's notice); the licence row stays."""
    return _reasoned(actor, contract, ContractEvent.SUSPEND, on=on, reason=reason)


def resume(actor: Any, contract: LicenceContract, *, on: dt.date, reason: str) -> LicenceContract:
    """SUSPENDED → ACTIVE_PAID."""
    return _reasoned(actor, contract, ContractEvent.RESUME, on=on, reason=reason)


def terminate(actor: Any, contract: LicenceContract, *, on: dt.date, reason: str) -> LicenceContract:
    """ACTIVE_* or SUSPENDED → TERMINATED: the licence rows end on ``on``; sends contract_ended."""
    return _reasoned(actor, contract, ContractEvent.TERMINATE, on=on, reason=reason)


def expire(contract: LicenceContract, *, on: dt.date, actor: Any = None) -> LicenceContract:
    """→ EXPIRED once ``end_date`` has passed (the daily sweep): refused before the last day is over."""
    with transaction.atomic():
        row = locked(contract)
        if on <= row.end_date:
            raise LicensingRefused(
                "NOT_EXPIRED", f"合同 {row.contract_no} 的许可期限至 {row.end_date}，尚未届满"
            )
        transition(actor, row, ContractEvent.EXPIRE, on=on, note=f"许可期限于 {row.end_date} 届满")
        row.end_reason = "许可期限届满"
        row.save(update_fields=["end_reason", "updated_at"])
        _ended(actor, row, on=on, ledger_end=row.end_date)
    contract.refresh_from_db()
    return contract


def end_by_patent(
    contract: LicenceContract, *, on: dt.date, reason: str, actor: Any = None, patent: Patent | None = None
) -> LicenceContract:
    """→ ENDED_BY_PATENT when the contract's last patent in scope expires, lapses or is
    invalidated (``reason`` names it; ``patent``, when given, has its scope row marked with the
    day). The licence rows end on ``on``. 专利法 Art. 47: fees already paid are not refunded and
    receivables already due stay due — nothing in the money records is touched here; whether any
    later instalment is still owed is for the parties (the contract ends, so no new receivable
    arises)."""
    reason = (reason or "").strip() or "专利权终止"
    with transaction.atomic():
        row = locked(contract)
        note = f"{reason}；依专利法第四十七条，已支付的许可使用费不予返还"
        transition(actor, row, ContractEvent.PATENT_ENDED, on=on, note=note[:2000])
        row.end_reason = reason[:300]
        row.save(update_fields=["end_reason", "updated_at"])
        if patent is not None:
            ContractPatent.objects.filter(licencecontract=row, patent=patent, ended_on__isnull=True).update(
                ended_on=on, end_reason=_scope_reason(patent, reason, on)
            )
        _ended(actor, row, on=on, ledger_end=on)
    contract.refresh_from_db()
    return contract


def _scope_reason(patent: Patent, reason: str, on: dt.date) -> str:
    """The reason as the scope row keeps it: the row already names its patent and its day."""
    return reason.removeprefix(f"专利 {patent.application_number}：").removesuffix(f"（{on}）")[:300]


def patent_leaves(
    contract: LicenceContract, patent: Patent, *, on: dt.date, reason: str, actor: Any = None
) -> bool:
    """``patent`` leaves the scope of ``contract`` on ``on`` (it expired, lapsed or was
    invalidated) while the contract runs on for its other patents: the scope row records the day
    and reason, the patent's licence row in the rights ledger ends that day, and the timeline (with
    its audit event) says so. Refused when it is the contract's last patent in scope — that ends
    the contract (``end_by_patent``). Returns False when the patent had already left (a rerun)."""
    reason = (reason or "").strip() or "专利权终止"
    with transaction.atomic():
        row = locked(contract)
        scope = ContractPatent.objects.select_for_update().filter(licencecontract=row, patent=patent).first()
        if scope is None:
            raise ValidationError(f"专利 {patent.application_number} 不在合同 {row.contract_no} 的许可范围内")
        if scope.ended_on is not None:
            return False
        others = ContractPatent.objects.filter(licencecontract=row, ended_on__isnull=True).exclude(
            pk=scope.pk
        )
        if not others.exists():
            raise LicensingRefused(
                "LAST_PATENT",
                f"专利 {patent.application_number} 是合同 {row.contract_no} 最后一件有效专利，合同应随之终止",
            )
        scope.ended_on, scope.end_reason = on, _scope_reason(patent, reason, on)
        scope.save(update_fields=["ended_on", "end_reason"])
        end_right_events("contract", row.contract_no, on, actor=actor, patent=patent)
        left = others.count()
        add_step(
            actor,
            row,
            "patent_left",
            on=on,
            note=f"{reason}；该专利自 {on} 起退出许可范围，合同对其余 {left} 件专利继续有效"[:2000],
            data={"patent": patent.application_number, "remaining": left},
        )
    return True
