"""Rules L1–L11 for a stored contract: build the engine's ``LicenceRequest`` from the contract, its
patents' facts and ledgers, its 公示 and its offer, and ask ``licence_allowed``.

A contract with a free trial is checked as two phases: the trial (a free ordinary licence from
``start_date`` to ``trial_end``, rule L10) and, when the contract runs on, the paid phase from
``paid_start`` to ``end_date`` under the fee schedule. Signing checks both, so a trial is never
signed when its agreed paid phase could not follow (an exclusive licence booked for later, a term
past the patent's expiry). The contract's own ledger rows are left out, so a signed contract
re-checked before filing does not conflict with itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from patentbridge.licensing.models import ContractStep, LicenceContract
from patentbridge.licensing.services.ledger import (
    ledger_events,
    patent_facts,
    territory_code,
)
from patentbridge_engine.licensing import ledger as engine_ledger
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.fees import EntryFeeDue, FeeSchedule, FeeScheduleError, schedule_findings
from patentbridge_engine.licensing.findings import Finding, Severity, Verdict
from patentbridge_engine.licensing.rules import LicenceRequest, PatentCheck, licence_allowed

__all__ = [
    "check_contract",
    "check_phase",
    "fee_findings",
    "licence_request",
    "parse_schedule",
    "sublicence_scope",
    "trial_fee_free",
]


def parse_schedule(data: dict[str, Any] | None) -> FeeSchedule | None:
    """The stored schedule, or None when none is recorded yet (an empty dict)."""
    if not data:
        return None
    return FeeSchedule.from_dict(data)


def fee_findings(schedule: FeeSchedule | None, *, as_of: dt.date, region_code: str = "") -> list[Finding]:
    """Rule L9 on a directed licence's paid terms (guide ceilings come from the dated policy table)."""
    if schedule is None:
        return [
            Finding(
                "L9",
                Severity.BLOCK,
                "未约定许可使用费：须约定收费项目，或明确为免费许可",
                "民法典第八百四十六条",
            )
        ]

    def cap(key: str) -> Decimal:
        return Decimal(str(policy.value(key, as_of=as_of, region_code=region_code)))

    return schedule_findings(
        schedule,
        guide_max_fixed=cap("OL_GUIDE_MAX_FIXED_CNY"),
        guide_max_net_sales=cap("OL_GUIDE_MAX_ROYALTY_NET_SALES"),
        guide_max_profit=cap("OL_GUIDE_MAX_ROYALTY_PROFIT"),
        for_open_licence=False,
    )


def trial_fee_free(schedule: FeeSchedule | None, trial_end: dt.date | None) -> bool:
    """Nothing falls due inside the trial: no entry fee due at signing, no lump sum paid at signing
    or by an instalment dated on or before the trial's last day (royalties are zero in a trial, L13;
    milestones are invoiced when reported, after conversion)."""
    if schedule is None or schedule.is_free:
        return True
    entry = schedule.entry_fee
    if entry is not None and entry.due is EntryFeeDue.SIGNING:
        return False
    lump = schedule.lump_sum
    if lump is not None:
        if not lump.instalments:
            return False
        if trial_end is not None and any(i.date <= trial_end for i in lump.instalments):
            return False
    return True


def sublicence_scope(contract: LicenceContract) -> str:
    """The sub-licence clause recorded for the contract (latest ``sublicence_terms`` step), or ""."""
    step = (
        ContractStep.objects.filter(contract=contract, event="sublicence_terms")
        .order_by("-at", "-pk")
        .first()
    )
    return step.note if step is not None else ""


def _window_events(
    events: Iterable[engine_ledger.RightEvent], start: dt.date, end: dt.date, as_of: dt.date
) -> tuple[engine_ledger.RightEvent, ...]:
    """Licence and open-licence events that overlap [start, end] but are not in force on ``as_of``."""
    kinds = (engine_ledger.RightKind.LICENCE, engine_ledger.RightKind.OPEN_LICENCE)
    return tuple(
        e
        for e in events
        if e.kind in kinds and e.start <= end and (e.end is None or e.end >= start) and not e.in_force(as_of)
    )


def _patent_check(
    contract: LicenceContract, patent: Any, *, as_of: dt.date, start: dt.date, end: dt.date
) -> PatentCheck:
    facts = patent_facts(patent, as_of)
    events = ledger_events(patent, exclude_ref=contract.contract_no)
    enc = engine_ledger.encumbrances(facts, events, as_of)
    if contract.pledgee_consent and enc.pledges:
        # The pledgee's written consent to this licence is on file with the contract.
        pledges = tuple(dataclasses.replace(p, consents=p.consents | {"pledgee"}) for p in enc.pledges)
        enc = dataclasses.replace(enc, pledges=pledges)
    return PatentCheck(facts=facts, enc=enc, window_events=_window_events(events, start, end, as_of))


def _notice_passed(contract: LicenceContract) -> bool:
    notice = getattr(contract, "public_notice", None)
    return notice is not None and notice.outcome == "passed"


def licence_request(
    contract: LicenceContract,
    *,
    as_of: dt.date,
    phase: str,
    for_filing: bool = False,
    fee_schedule: FeeSchedule | None = None,
    check_fees: bool = True,
) -> LicenceRequest:
    """The engine request for one phase of ``contract``: ``trial`` (start → trial_end, free) or
    ``paid`` (paid_start or start → end_date, under ``fee_schedule`` or the stored one)."""
    trial = phase == "trial"
    start = contract.start_date if trial or contract.paid_start is None else contract.paid_start
    end = (contract.trial_end or contract.end_date) if trial else contract.end_date
    stored = parse_schedule(contract.fee_schedule)
    schedule = fee_schedule if fee_schedule is not None else stored
    region = contract.licensor_org.region_code or ""
    offer = contract.offer
    # A patent that left the scope on lapse (the contract runs on for the rest) is not checked.
    patents = [
        r.patent
        for r in contract.scope.filter(ended_on__isnull=True).select_related("patent").order_by("patent_id")
    ]
    scope = sublicence_scope(contract) if contract.sublicence_allowed else ""
    return LicenceRequest(
        kind=engine_ledger.LicenceKind(contract.kind),
        patents=tuple(_patent_check(contract, p, as_of=as_of, start=start, end=end) for p in patents),
        start=start,
        end=end,
        licensor_parties=tuple(str(p.get("name", "")) for p in contract.licensors if p.get("name")),
        coowner_consent=contract.coowner_consent,
        state_run_licensor=contract.licensor_org.state_run,
        price_method=contract.price_method,
        public_notice_completed=_notice_passed(contract),
        is_trial=trial,
        trial_months=contract.trial_months if trial else None,
        trial_fee_free=trial_fee_free(stored, contract.trial_end) if trial else False,
        sublicence_allowed=contract.sublicence_allowed,
        sublicence_stated=bool(scope.strip()),
        applicant_region=contract.licensee_org.region_code or "",
        target_regions=tuple(str(t) for t in (offer.target_regions if offer is not None else [])),
        region_only=bool(offer is not None and offer.region_only),
        territory=territory_code(contract.territory),
        field_of_use=contract.field_of_use,
        fee_findings=tuple(fee_findings(schedule, as_of=as_of, region_code=region)) if check_fees else (),
        for_filing=for_filing,
        own_ref=contract.contract_no,
    )


def _merge(verdicts: Iterable[Verdict]) -> Verdict:
    """All findings of several checks, each once (both phases name the same L7 or L4 fact)."""
    seen: dict[tuple[str, str, str, str], Finding] = {}
    for v in verdicts:
        for f in v.findings:
            seen.setdefault((f.code, f.severity.value, f.reason, f.patent), f)
    return Verdict(tuple(seen.values()))


def check_phase(
    contract: LicenceContract,
    phase: str,
    *,
    as_of: dt.date,
    for_filing: bool = False,
    fee_schedule: FeeSchedule | None = None,
) -> Verdict:
    """One phase's verdict (the conversion checks the paid phase alone)."""
    req = licence_request(
        contract,
        as_of=as_of,
        phase=phase,
        for_filing=for_filing,
        fee_schedule=fee_schedule,
        check_fees=phase == "paid",  # a trial's fee is rule L10 (free), not the paid terms
    )
    return licence_allowed(req, as_of)


def check_contract(contract: LicenceContract, *, as_of: dt.date, for_filing: bool = False) -> Verdict:
    """The contract's verdict on ``as_of`` (rules L1–L11): the trial phase and the paid phase that
    follows it, or the whole term of a paid-from-day-one contract. The paid terms of a trial whose
    conversion is to be negotiated (``conversion_mode = negotiate``) are checked at conversion, not
    before; an unreadable stored schedule is an L9 block."""
    try:
        parse_schedule(contract.fee_schedule)
    except FeeScheduleError as exc:
        reason = f"许可使用费条款无法读取（{exc}），请重新填写"
        return Verdict((Finding("L9", Severity.BLOCK, reason, "民法典第八百四十六条"),))
    if not contract.trial_months:
        return check_phase(contract, "paid", as_of=as_of, for_filing=for_filing)
    verdicts = [check_phase(contract, "trial", as_of=as_of, for_filing=for_filing)]
    if contract.paid_start is not None and contract.paid_start <= contract.end_date:
        negotiate = contract.conversion_mode == "negotiate" and not contract.fee_schedule
        req = licence_request(
            contract, as_of=as_of, phase="paid", for_filing=for_filing, check_fees=not negotiate
        )
        verdicts.append(licence_allowed(req, as_of))
    return _merge(verdicts)
