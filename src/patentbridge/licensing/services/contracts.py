"""Licence contracts from draft to signature (transactions-and-analytics.md §2.d): creation, approval,
the 公示 of an agreed price at a state-run unit, and the signing that locks the patents, re-checks
every rule against the ledger, writes the licence into the ledger and opens the filing task.

The running contract's life (trial end, conversion, decline, extension, suspension, termination,
expiry, end by the patent) is in ``contract_lifecycle`` and re-exported here, so every other module
imports one place: ``patentbridge.licensing.services.contracts``.

Every function takes the business date explicitly (``on``/``as_of``), checks the actor's role and
organisation (PermissionDenied), refuses rule and state violations with ``LicensingRefused`` (rule
code, Chinese reason, findings), and writes a ``ContractStep`` and an ``AuditEvent`` in the same
transaction as the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.accounts import policies
from patentbridge.licensing import signals
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import ContractStep, LicenceContract, PublicNotice
from patentbridge.licensing.services import numbers
from patentbridge.licensing.services.contract_checks import check_contract
from patentbridge.licensing.services.contract_lifecycle import (
    convert,
    decline,
    end_by_patent,
    end_trial,
    expire,
    extend_trial,
    resume,
    suspend,
    terminate,
    write_licence_events,
)
from patentbridge.licensing.services.contract_states import (
    DECLINE_REASONS,
    add_step,
    check_transition,
    is_licensee,
    is_manager,
    notice_required,
    require_manager,
    transition,
)
from patentbridge.licensing.services.contract_terms import clean_licensors, clean_schedule, validate_terms
from patentbridge.licensing.services.filing import open_filing
from patentbridge.patents.models import Patent
from patentbridge_engine.licensing import dates, policy
from patentbridge_engine.licensing.states import ContractEvent, ContractState, allowed_events

__all__ = [
    "DECLINE_REASONS",
    "allowed_actions",
    "approve",
    "check_contract",
    "close_public_notice",
    "confirm_region",
    "convert",
    "create_contract",
    "decline",
    "end_by_patent",
    "end_trial",
    "expire",
    "extend_trial",
    "record_consents",
    "reject",
    "resume",
    "set_sublicence_terms",
    "sign",
    "start_public_notice",
    "submit",
    "suspend",
    "terminate",
    "transition_log",
]

# Events a person may trigger from a page; the rest are fired by signing or by the daily sweep.
_MANAGER_EVENTS = (
    ContractEvent.SUBMIT,
    ContractEvent.APPROVE,
    ContractEvent.REJECT,
    ContractEvent.START_NOTICE,
    ContractEvent.NOTICE_PASSED,
    ContractEvent.NOTICE_OBJECTED,
    ContractEvent.SIGN,
    ContractEvent.TRIAL_ENDED,
    ContractEvent.EXTEND,
    ContractEvent.SUSPEND,
    ContractEvent.RESUME,
    ContractEvent.TERMINATE,
)
_LICENSEE_EVENTS = (ContractEvent.CONVERT, ContractEvent.DECLINE)


def create_contract(
    actor: Any,
    *,
    licensor_org: Any,
    licensee_org: Any,
    patents: Sequence[Patent],
    kind: str,
    origin: str,
    start: dt.date,
    end: dt.date,
    trial_months: int | None = None,
    fee_schedule: dict[str, Any] | None = None,
    price_method: str = "",
    offer: Any = None,
    application: Any = None,
    licensors: Sequence[dict[str, Any]] | None = None,
    field_of_use: str = "",
    territory: str = "中国境内",
    sublicence_allowed: bool = False,
    usage_report_required: bool = False,
    conversion_mode: str = "",
    extensions_allowed: int = 0,
    is_demo: bool = False,
    coowner_consent: bool = False,
    pledgee_consent: bool = False,
    sublicence_scope: str = "",
    on: dt.date | None = None,
) -> LicenceContract:
    """A DRAFT contract numbered ``XK-<year of on/start>-NNNNNN``. With ``trial_months`` the trial
    ends on the corresponding day (``trial_end``) and the paid phase starts the day after
    (``paid_start``, when the term runs on). ``sublicence_scope`` is the sub-licence clause rule L8
    wants when ``sublicence_allowed``."""
    licensor = licensor_org
    if not policies.can(actor, "licensing.manage"):
        raise PermissionDenied("只有技术转移办公室或运营人员可以起草许可合同")
    member = policies.membership_of(actor)
    if not policies.is_platform_wide(actor) and (
        member is None or member.org_id != getattr(licensor, "pk", None)
    ):
        raise PermissionDenied("只能以本机构为许可方起草许可合同")
    patent_list = list(patents)
    validate_terms(
        licensor_org=licensor,
        licensee_org=licensee_org,
        patents=patent_list,
        kind=kind,
        origin=origin,
        start=start,
        end=end,
        trial_months=trial_months,
        price_method=price_method,
        territory=territory,
        field_of_use=field_of_use,
        conversion_mode=conversion_mode,
        extensions_allowed=extensions_allowed,
    )
    schedule = clean_schedule(fee_schedule)
    parties = clean_licensors(licensors, licensor)
    trial_end = dates.trial_end(start, trial_months) if trial_months else None
    if trial_end is not None and end < trial_end:
        raise ValidationError(f"许可结束日 {end} 早于试用结束日 {trial_end}")
    paid_start = trial_end + dt.timedelta(days=1) if trial_end is not None and end > trial_end else None
    on = on or start

    def build(number: str) -> LicenceContract:
        return LicenceContract.objects.create(
            contract_no=number,
            offer=offer,
            application=application,
            licensor_org=licensor,
            licensee_org=licensee_org,
            licensors=parties,
            kind=kind,
            origin=origin,
            territory=territory.strip() or "中国境内",
            field_of_use=field_of_use.strip(),
            sublicence_allowed=sublicence_allowed,
            start_date=start,
            end_date=end,
            trial_months=trial_months,
            trial_end=trial_end,
            trial_extensions_allowed=extensions_allowed if trial_months else 0,
            usage_report_required=usage_report_required,
            conversion_mode=(conversion_mode or ("pre_agreed" if trial_months else "")),
            paid_start=paid_start if trial_months else start,
            fee_schedule=schedule,
            price_method=price_method,
            coowner_consent=coowner_consent,
            pledgee_consent=pledgee_consent,
            is_demo=is_demo,
            created_by=actor,
        )

    with transaction.atomic():
        contract = numbers.allocate(on.year, build)
        contract.patents.set(patent_list)
        add_step(
            actor,
            contract,
            "create",
            on=on,
            to_state=contract.state,
            data={"patents": [p.application_number for p in patent_list], "kind": kind, "origin": origin},
        )
        if sublicence_allowed and sublicence_scope.strip():
            add_step(actor, contract, "sublicence_terms", on=on, note=sublicence_scope.strip()[:2000])
    return contract


def _locked(contract: LicenceContract) -> LicenceContract:
    return (
        LicenceContract.objects.select_for_update()
        .select_related("licensor_org", "licensee_org")
        .get(pk=contract.pk)
    )


def _simple(
    actor: Any, contract: LicenceContract, event: ContractEvent, *, on: dt.date, note: str = ""
) -> None:
    require_manager(actor, contract)
    with transaction.atomic():
        row = _locked(contract)
        transition(actor, row, event, on=on, note=note)
    contract.refresh_from_db()


def submit(actor: Any, contract: LicenceContract, *, on: dt.date) -> LicenceContract:
    """DRAFT → IN_APPROVAL."""
    _simple(actor, contract, ContractEvent.SUBMIT, on=on)
    return contract


def approve(actor: Any, contract: LicenceContract, *, on: dt.date, note: str = "") -> LicenceContract:
    """IN_APPROVAL → APPROVED (已审批待签订); signing follows, after a 公示 where one is required."""
    _simple(actor, contract, ContractEvent.APPROVE, on=on, note=note[:2000])
    return contract


def reject(actor: Any, contract: LicenceContract, *, on: dt.date, note: str) -> LicenceContract:
    """IN_APPROVAL → DRAFT with the reviewer's reason."""
    if not (note or "").strip():
        raise ValidationError("退回修改须填写理由")
    _simple(actor, contract, ContractEvent.REJECT, on=on, note=note.strip()[:2000])
    return contract


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
        row = _locked(contract)
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
        row = _locked(contract)
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
        row = _locked(contract)
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
        row = _locked(contract)
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
        row = _locked(contract)
        row.out_of_region = True
        row.save(update_fields=["out_of_region", "updated_at"])
        add_step(
            actor, row, "region_confirmed", on=on, note=(note.strip() or "运营人员确认区域外许可")[:2000]
        )
    contract.refresh_from_db()
    return contract


def _region_confirmed(contract: LicenceContract, actor: Any) -> bool:
    if policies.is_platform_wide(actor):
        return True  # an operator signing is the confirmation
    if contract.steps.filter(event="region_confirmed").exists():
        return True
    application = contract.application
    return application is not None and application.region_confirmed_by_id is not None


def sign(actor: Any, contract: LicenceContract, *, on: dt.date) -> LicenceContract:
    """APPROVED → SIGNED → ACTIVE_TRIAL (with a trial) or ACTIVE_PAID.

    Inside one transaction: lock the patents in primary-key order (PostgreSQL ``SELECT … FOR
    UPDATE``; SQLite serialises writers), re-read their ledgers and re-check L1–L11, so two
    exclusive contracts on one patent can never both be signed — the second sees the first's
    ledger rows and is refused with L3. Then write one licence ledger row per patent (the trial's
    term, or the whole term), open the filing task, and send ``contract_signed`` (and
    ``paid_phase_started`` for a contract paid from day one). Warnings are kept in the step's note."""
    require_manager(actor, contract)
    with transaction.atomic():
        patent_ids = list(contract.patents.values_list("pk", flat=True))
        list(Patent.objects.select_for_update().filter(pk__in=patent_ids).order_by("pk").values_list("pk"))
        row = _locked(contract)
        check_transition(row, ContractEvent.SIGN)  # the state first: a draft is refused as such
        verdict = check_contract(row, as_of=on)
        if not verdict.allowed:
            raise LicensingRefused.from_verdict(verdict)
        region = [f for f in verdict.warnings if f.code == "L11"]
        if region and not _region_confirmed(row, actor):
            raise LicensingRefused("L11", f"{region[0].reason}（尚未确认）", verdict.findings)
        note = "；".join(f"[{f.code}] {f.reason}" for f in verdict.warnings)
        transition(
            actor,
            row,
            ContractEvent.SIGN,
            on=on,
            note=note[:5000],
            data={"warnings": verdict.codes()},
            requires_notice=notice_required(row),
        )
        row.signed_at, row.effective_at = on, on
        row.out_of_region = row.out_of_region or bool(region)
        row.save(update_fields=["signed_at", "effective_at", "out_of_region", "updated_at"])
        trial = bool(row.trial_months)
        transition(actor, row, ContractEvent.START_TRIAL if trial else ContractEvent.START_PAID, on=on)
        write_licence_events(actor, row, end=row.trial_end if trial and row.trial_end else row.end_date)
        if not trial or policy.value("FILE_TRIAL_LICENCES", as_of=on):
            open_filing(row, kind="initial", effective=on, actor=actor)
        signals.contract_signed.send(sender=LicenceContract, contract=row, actor=actor, on_date=on)
        if not trial:
            signals.paid_phase_started.send(sender=LicenceContract, contract=row, actor=actor, on_date=on)
    contract.refresh_from_db()
    return contract


def transition_log(contract: LicenceContract) -> list[ContractStep]:
    """The contract's timeline, oldest first."""
    return list(contract.steps.select_related("actor").order_by("at", "pk"))


def allowed_actions(user: Any, contract: LicenceContract) -> list[tuple[str, str]]:
    """(event, Chinese label) of the steps ``user`` may take now — the contract page's buttons."""
    manager, licensee = is_manager(user, contract), is_licensee(user, contract)
    if not (manager or licensee):
        return []
    events = allowed_events(
        ContractState(contract.state),
        requires_notice=notice_required(contract),
        extensions_used=contract.trial_extensions_used,
        extensions_allowed=contract.trial_extensions_allowed,
    )
    mine = set(_LICENSEE_EVENTS) | (set(_MANAGER_EVENTS) if manager else set())
    if contract.state == ContractState.PUBLIC_NOTICE.value:
        mine -= {ContractEvent.START_NOTICE}
    return [(e.value, e.label) for e in events if e in mine]
