"""The open-licence self-check (guide §3.d eligibility table): the engine's ``check_open_licence``
over the patent's facts and ledger, the fee findings under the dated guide caps, and the
platform's own date check of the term. ``check_declaration`` stores every finding (code, Chinese
reason, source, check date) and moves DRAFT ⇄ CHECKED; a blocked declaration cannot be submitted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from patentbridge.core import audit
from patentbridge.licensing.choices import DeclarationStateChoices, TermKindChoices
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import OpenLicenceDeclaration
from patentbridge.licensing.services import ledger
from patentbridge.licensing.services.open_declare import (
    EDITABLE_STATES,
    DeclarationInput,
    draft_declaration,
    may_declare,
    step,
)
from patentbridge.patents.models import Patent
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.fees import FeeSchedule, FeeScheduleError, schedule_findings
from patentbridge_engine.licensing.findings import Finding, Severity, Verdict
from patentbridge_engine.licensing.ledger import RightKind
from patentbridge_engine.licensing.rules import (
    OPEN_RULES,
    OpenLicenceDeclarationFacts,
    PatentCheck,
    check_open_licence,
)
from patentbridge_engine.licensing.states import DeclarationEvent

__all__ = ["check_declaration", "declaration_facts", "declaration_verdict", "declare"]


def _fee_findings(decl: OpenLicenceDeclaration, as_of: dt.date) -> list[Finding]:
    try:
        schedule = FeeSchedule.from_dict(decl.fee_schedule or {})
    except FeeScheduleError as exc:
        reason = f"许可使用费标准不完整（{exc.field}）：{exc.reason}"
        return [Finding("FEE_NOT_COMPUTABLE", Severity.BLOCK, reason, OPEN_RULES["FEE_NOT_COMPUTABLE"][1])]
    return schedule_findings(
        schedule,
        guide_max_fixed=policy.value("OL_GUIDE_MAX_FIXED_CNY", as_of=as_of),
        guide_max_net_sales=policy.value("OL_GUIDE_MAX_ROYALTY_NET_SALES", as_of=as_of),
        guide_max_profit=policy.value("OL_GUIDE_MAX_ROYALTY_PROFIT", as_of=as_of),
        for_open_licence=True,
        fee_text=decl.fee_text,
    )


def declaration_facts(decl: OpenLicenceDeclaration, as_of: dt.date) -> OpenLicenceDeclarationFacts:
    """The engine's view of a declaration on ``as_of``: the patent's facts and burdens from the
    ledger (licences starting later are passed as window events, so a future exclusive licence
    blocks too), the fee findings under the dated guide caps, the term and the consents."""
    patent = decl.patent
    events = ledger.ledger_events(patent)
    later = tuple(e for e in events if e.kind is RightKind.LICENCE and e.start > as_of)
    check = PatentCheck(
        facts=ledger.patent_facts(patent, as_of),
        enc=ledger.encumbrances_for(patent, as_of),
        window_events=later,
    )
    return OpenLicenceDeclarationFacts(
        patent=check,
        signed_by=tuple(decl.signed_by or ()),
        other_terms=decl.other_terms,
        fee_findings=tuple(_fee_findings(decl, as_of)),
        fee_text=decl.fee_text,
        term_end=decl.term_until if decl.term_kind == TermKindChoices.UNTIL_DATE else None,
        evaluation_report=decl.evaluation_conclusion or None,
        pledgee_consent=decl.pledgee_consent,
    )


def declaration_verdict(decl: OpenLicenceDeclaration, as_of: dt.date) -> Verdict:
    """``check_open_licence`` on ``as_of`` plus the platform's own date check of the term (nothing
    is written)."""
    verdict = check_open_licence(declaration_facts(decl, as_of), as_of)
    if decl.term_kind == TermKindChoices.UNTIL_DATE and decl.term_until and decl.term_until <= as_of:
        extra = Finding(
            "TERM_BEYOND_PATENT",
            Severity.BLOCK,
            f"声明的许可期限截止日 {decl.term_until} 不晚于 {as_of}，声明后无法实施",
            "专利法实施细则 第85条（许可期限）",
            decl.patent.application_number,
        )
        verdict = Verdict((*verdict.findings, extra))
    return verdict


def _stored(verdict: Verdict, as_of: dt.date) -> list[dict[str, str]]:
    return [{**f.as_dict(), "as_of": as_of.isoformat()} for f in verdict.findings]


def check_declaration(decl: OpenLicenceDeclaration, as_of: dt.date, *, actor: Any = None) -> Verdict:
    """Run the self-check on ``as_of`` and store every finding in ``check_result``. A DRAFT without
    a blocking finding becomes CHECKED; a CHECKED one that now blocks goes back to DRAFT. A submitted
    or published declaration is never changed: its verdict is only returned. With an ``actor`` the
    declarant's permission is checked."""
    if actor is not None:
        may_declare(actor, decl.patent)
    verdict = declaration_verdict(decl, as_of)
    if decl.state not in EDITABLE_STATES:
        return verdict
    with transaction.atomic():
        locked = OpenLicenceDeclaration.objects.select_for_update().get(pk=decl.pk)
        before = locked.state
        if locked.state == DeclarationStateChoices.DRAFT and verdict.allowed:
            locked.state = step(locked, DeclarationEvent.CHECK)
        elif locked.state == DeclarationStateChoices.CHECKED and not verdict.allowed:
            locked.state = step(locked, DeclarationEvent.EDIT)
        locked.check_result = _stored(verdict, as_of)
        locked.save(update_fields=["state", "check_result"])
        audit.record(
            "licensing.declaration.checked",
            actor=actor,
            target=locked,
            org=locked.declarant_org,
            data={
                "as_of": as_of.isoformat(),
                "allowed": verdict.allowed,
                "codes": verdict.codes(),
                "state": {"before": before, "after": locked.state},
            },
        )
    decl.state, decl.check_result = locked.state, locked.check_result
    return verdict


def declare(
    actor: Any, patent: Patent, data: DeclarationInput, *, on: dt.date
) -> tuple[OpenLicenceDeclaration, Verdict]:
    """Draft and self-check in one step, all or nothing (the API's ``POST /open-licences``): a
    blocking finding refuses with its code and Chinese reason and stores nothing; otherwise the
    declaration is CHECKED with its warnings stored."""
    with transaction.atomic():
        decl = draft_declaration(actor, patent, data, on=on)
        verdict = check_declaration(decl, on, actor=actor)
        if not verdict.allowed:
            raise LicensingRefused.from_verdict(verdict)
    return decl, verdict
