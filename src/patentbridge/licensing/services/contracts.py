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
from patentbridge.licensing.models import ContractStep, LicenceContract
from patentbridge.licensing.services import numbers
from patentbridge.licensing.services.contract_approvals import (
    close_public_notice,
    confirm_region,
    record_consents,
    set_sublicence_terms,
    start_public_notice,
)
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
    locked,
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


def _simple(
    actor: Any, contract: LicenceContract, event: ContractEvent, *, on: dt.date, note: str = ""
) -> None:
    require_manager(actor, contract)
    with transaction.atomic():
        row = locked(contract)
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
        row = locked(contract)
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
