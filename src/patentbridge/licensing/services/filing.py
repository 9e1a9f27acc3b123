"""Licence filings (实施许可合同备案): every licence, free trials included, is filed with CNIPA within
``LICENCE_FILING_MONTHS`` of taking effect (细则 Art. 15 ¶2, 细则 Art. 5 corresponding-day rule:
effective 2025-11-30 → due 2026-02-28).

A filing task is opened when a contract is signed (a trial's only while the policy switch
``FILE_TRIAL_LICENCES`` is on) and, as a change filing (变更备案), when a conversion changes the fee.
Rules L5 (pledge without the pledgee's consent) and L6 (late fee period, suspension, preservation)
do not stop the signing but would make CNIPA refuse the filing: they put a ``hold_reason`` on the
task, and submission is refused until the hold clears. Either party may file (62号令), so the
licensee's enterprise user may submit and record its own contract's filing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.core.restrict import restrict
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract, LicenceFiling, RightEvent
from patentbridge.licensing.services.contract_checks import check_contract, parse_schedule
from patentbridge.licensing.services.contract_states import require_party
from patentbridge.licensing.services.scope import contract_scope
from patentbridge_engine.licensing import dates, policy
from patentbridge_engine.licensing.findings import Finding
from patentbridge_engine.licensing.states import (
    FilingEvent,
    FilingState,
    TransitionRefused,
    filing_transition,
)

__all__ = [
    "FILING_HOLD_CODES",
    "filing_form",
    "filings_due",
    "hold_findings",
    "open_filing",
    "record_filed",
    "record_refused",
    "refresh_hold",
    "submit_filing",
]

# Findings that do not stop a signing but would make CNIPA refuse the filing.
FILING_HOLD_CODES = ("L5", "L6")
_SIDES = {"licensor": "许可方", "licensee": "被许可方", "agency": "代理机构"}
_OPEN_STATES = (FilingState.DUE.value, FilingState.REFUSED.value)


def hold_findings(contract: LicenceContract, *, as_of: dt.date) -> list[Finding]:
    """The L5/L6 blocks of the contract's filing check on ``as_of``."""
    verdict = check_contract(contract, as_of=as_of, for_filing=True)
    return [f for f in verdict.blocks if f.code in FILING_HOLD_CODES]


def _hold_text(findings: list[Finding]) -> str:
    return "；".join(f.reason for f in findings)[:300]


def open_filing(
    contract: LicenceContract, *, kind: str = "initial", effective: dt.date, actor: Any = None
) -> LicenceFiling:
    """The contract's filing task of ``kind`` (initial | change), due ``LICENCE_FILING_MONTHS`` after
    ``effective`` on the corresponding day. Idempotent: an existing task of that kind is returned
    unchanged. Called by the contract services inside their transaction."""
    if kind not in ("initial", "change"):
        raise ValidationError(f"未知的备案类型：{kind}")
    with transaction.atomic():
        existing = LicenceFiling.objects.filter(contract=contract, kind=kind).first()
        if existing is not None:
            return existing
        months = int(policy.value("LICENCE_FILING_MONTHS", as_of=effective))
        due = dates.licence_filing_due(effective, months=months)
        held = hold_findings(contract, as_of=effective)
        filing = LicenceFiling.objects.create(
            contract=contract, kind=kind, due_date=due, hold_reason=_hold_text(held)
        )
        audit.record(
            "licensing.filing.opened",
            actor=actor,
            target=filing,
            data={
                "contract_no": contract.contract_no,
                "kind": kind,
                "effective": effective.isoformat(),
                "due_date": due.isoformat(),
                "months": months,
                "hold": [f.code for f in held],
            },
        )
        return filing


def refresh_hold(filing: LicenceFiling, *, as_of: dt.date, actor: Any = None) -> LicenceFiling:
    """Re-check L5/L6 on ``as_of`` (a consent arrived, the late fee was paid) and update the hold."""
    with transaction.atomic():
        text = _hold_text(hold_findings(filing.contract, as_of=as_of))
        if text != filing.hold_reason:
            before = filing.hold_reason
            filing.hold_reason = text
            filing.save(update_fields=["hold_reason"])
            audit.record(
                "licensing.filing.hold",
                actor=actor,
                target=filing,
                data={"before": before, "after": text, "as_of": as_of.isoformat()},
            )
    return filing


def _require_filer(actor: Any, filing: LicenceFiling) -> None:
    if not policies.can(actor, "licensing.file"):
        raise PermissionDenied("只有合同当事人或运营人员可以办理备案")
    require_party(actor, filing.contract)


def _step(filing: LicenceFiling, event: FilingEvent) -> str:
    try:
        return filing_transition(FilingState(filing.state), event).value
    except TransitionRefused as exc:
        raise LicensingRefused("STATE", exc.reason) from exc


def _locked(filing: LicenceFiling) -> LicenceFiling:
    return LicenceFiling.objects.select_for_update(of=("self",)).select_related("contract").get(pk=filing.pk)


def submit_filing(actor: Any, filing: LicenceFiling, *, side: str, on: dt.date) -> LicenceFiling:
    """Record that ``side`` (licensor | licensee | agency) submitted the filing on ``on``. Refused
    while an L5/L6 hold still applies on that day; an enterprise files as the licensee (or through
    an agency)."""
    if side not in _SIDES:
        raise ValidationError(f"未知的备案方：{side}")
    _require_filer(actor, filing)
    if policies.role_of(actor) == "enterprise" and side == "licensor":
        raise PermissionDenied("企业用户只能以被许可方或委托代理机构的身份提交备案")
    with transaction.atomic():
        row = _locked(filing)
        new_state = _step(row, FilingEvent.SUBMIT)
        held = hold_findings(row.contract, as_of=on)
        if held:
            # Refused as a whole: the task keeps its hold (refresh_hold records a changed one).
            raise LicensingRefused(held[0].code, held[0].reason, held)
        before = row.state
        row.state, row.filed_by_side, row.submitted_at, row.hold_reason = new_state, side, on, ""
        row.save(update_fields=["state", "filed_by_side", "submitted_at", "hold_reason"])
        audit.record(
            "licensing.filing.submit",
            actor=actor,
            target=row,
            data={"from": before, "to": new_state, "side": side, "on_date": on.isoformat()},
        )
    filing.refresh_from_db()
    return filing


def record_filed(actor: Any, filing: LicenceFiling, *, record_no: str, filed_on: dt.date) -> LicenceFiling:
    """CNIPA filed the contract: store the 备案号 and date, write the number onto the contract's
    ledger rows, and mark an earlier filed initial filing as changed when this is a change filing."""
    record_no = (record_no or "").strip()
    if not record_no or len(record_no) > 64:
        raise ValidationError("请填写备案号（不超过 64 个字符）")
    _require_filer(actor, filing)
    with transaction.atomic():
        row = _locked(filing)
        new_state = _step(row, FilingEvent.ACCEPT)
        if row.submitted_at is not None and filed_on < row.submitted_at:
            raise ValidationError(f"备案日期 {filed_on} 早于提交日期 {row.submitted_at}")
        before = row.state
        row.state, row.record_no, row.filed_at = new_state, record_no, filed_on
        row.save(update_fields=["state", "record_no", "filed_at"])
        contract = row.contract
        ledger = RightEvent.objects.filter(source="contract", source_ref=contract.contract_no, kind="licence")
        updated = ledger.exclude(record_no=record_no).update(record_no=record_no)
        changed_initial = False
        if row.kind == "change":
            initial = (
                LicenceFiling.objects.select_for_update().filter(contract=contract, kind="initial").first()
            )
            if initial is not None and initial.state == FilingState.FILED.value:
                initial.state = filing_transition(FilingState.FILED, FilingEvent.CHANGE).value
                initial.save(update_fields=["state"])
                changed_initial = True
        audit.record(
            "licensing.filing.accept",
            actor=actor,
            target=row,
            data={
                "from": before,
                "to": new_state,
                "record_no": record_no,
                "filed_on": filed_on.isoformat(),
                "ledger_rows": updated,
                "initial_changed": changed_initial,
            },
        )
    filing.refresh_from_db()
    return filing


def record_refused(actor: Any, filing: LicenceFiling, *, reason: str, on: dt.date) -> LicenceFiling:
    """CNIPA refused the filing (不予备案) with ``reason``; it may be corrected and submitted again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写不予备案的理由")
    _require_filer(actor, filing)
    with transaction.atomic():
        row = _locked(filing)
        new_state = _step(row, FilingEvent.REFUSE)
        before = row.state
        row.state, row.refusal_reason = new_state, reason[:2000]
        row.save(update_fields=["state", "refusal_reason"])
        audit.record(
            "licensing.filing.refuse",
            actor=actor,
            target=row,
            data={"from": before, "to": new_state, "reason": row.refusal_reason, "on_date": on.isoformat()},
        )
    filing.refresh_from_db()
    return filing


def _party(org: Any) -> dict[str, str]:
    address = org.address or f"{org.province}{org.city}"
    return {"name": org.name, "uscc": org.uscc, "address": address, "region_code": org.region_code}


def _patent_row(p: Any) -> dict[str, str]:
    return {
        "patent_no": f"ZL{p.application_number}",
        "application_number": p.application_number,
        "title": p.title,
        "patent_type": p.get_patent_type_display() if p.patent_type else "",
        "filing_date": p.filing_date.isoformat() if p.filing_date else "",
        "grant_date": p.grant_date.isoformat() if p.grant_date else "",
        "grant_number": p.grant_number,
    }


def filing_form(contract: LicenceContract, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """CNIPA filing-form prefill (62号令 minimum contents): both parties with USCC and address, every
    patent with 专利号 (ZL + application number), 申请日 and 授权公告日, the licence kind and term, and
    the fee terms. Addresses are the organisation's registered address, else its province and city.

    Only the patents in the contract's scope on ``as_of`` (None: every recorded end counts) are
    listed: one that lapsed and left the scope is under ``left_patents`` with its day and reason,
    and a co-patentee who owned only such patents is under ``left_co_licensors``, not
    ``co_licensors`` — CNIPA files what is licensed, and a lapsed patent is no longer licensable."""
    schedule = parse_schedule(contract.fee_schedule)
    scope = contract_scope(contract, as_of=as_of)
    co_licensors = [
        {"name": str(p.get("name", "")), "share": str(p.get("share", ""))}
        for p in scope.licensors
        if p.get("name") != contract.licensor_org.name
    ]
    return {
        "contract_no": contract.contract_no,
        "licensor": _party(contract.licensor_org),
        "co_licensors": co_licensors,
        "left_co_licensors": scope.left_licensors,
        "licensee": _party(contract.licensee_org),
        "patents": [_patent_row(p) for p in scope.patents],
        "left_patents": [
            {**_patent_row(x.patent), "ended_on": x.ended_on.isoformat(), "reason": x.reason}
            for x in scope.left
        ],
        "kind": contract.kind,
        "kind_label": contract.get_kind_display(),
        "territory": contract.territory,
        "field_of_use": contract.field_of_use,
        "sublicence_allowed": contract.sublicence_allowed,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "trial_end": contract.trial_end.isoformat() if contract.trial_end else "",
        "signed_at": contract.signed_at.isoformat() if contract.signed_at else "",
        "fee": schedule.describe() if schedule is not None else "未约定许可费",
        "payment_type": schedule.payment_type if schedule is not None else "",
    }


def filings_due(user: Any, *, as_of: dt.date, within_days: int = 30) -> QuerySet[LicenceFiling]:
    """Filings still to be made (due, or refused and to be resubmitted) whose deadline falls within
    ``within_days`` of ``as_of`` or has passed, earliest first, limited to contracts ``user`` may see."""
    if not policies.can(user, "licensing.file"):
        return LicenceFiling.objects.none()
    contracts = restrict(LicenceContract.objects.all(), user, "view")
    horizon = as_of + dt.timedelta(days=max(0, within_days))
    return (
        LicenceFiling.objects.filter(state__in=_OPEN_STATES, due_date__lte=horizon, contract__in=contracts)
        .select_related("contract", "contract__licensor_org", "contract__licensee_org")
        .order_by("due_date", "pk")
    )
