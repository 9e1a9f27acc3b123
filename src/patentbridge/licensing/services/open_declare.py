"""Open-licence declarations (专利开放许可声明, guide §3.d): drafting and editing.

A TTO drafts a declaration for one of its own organisation's granted patents (an operator may do it
on the owner's mandate; enterprises never declare). The draft carries the patentees (prefilled from
the patent's current patentees), which of them signed, the fee schedule (the engine's FeeSchedule
dict: free, fixed, royalty on a measurable base, entry fee + royalty), the licence term, other
terms, the UM/design evaluation report, the pledgee's consent and a contact.

The eligibility self-check is in ``open_check``; only a declaration without a blocking finding
becomes CHECKED and may be submitted. A published declaration is never edited (guide §3.c practice): a new version
follows a withdrawal. One live declaration per patent is a database constraint; a second one is
refused in Chinese rather than surfacing the IntegrityError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.licensing.choices import DeclarationStateChoices, TermKindChoices
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LIVE_DECLARATION_STATES, OpenLicenceDeclaration
from patentbridge.licensing.services import ledger
from patentbridge.patents.models import Patent
from patentbridge_engine.licensing.fees import EntryFeeDue, FeeSchedule, FeeScheduleError
from patentbridge_engine.licensing.ledger import patentees_as_of
from patentbridge_engine.licensing.rules import (
    normalise_name,
)
from patentbridge_engine.licensing.states import (
    DeclarationEvent,
    DeclarationState,
    TransitionRefused,
    declaration_transition,
)

__all__ = [
    "EDITABLE_STATES",
    "DeclarationInput",
    "current_patentees",
    "declaration_ref",
    "draft_declaration",
    "may_declare",
    "signed_names",
    "step",
    "update_draft",
]

# Longest declared term in years: no patent lasts longer than 20 years (专利法 Art. 42).
MAX_TERM_YEARS = 20
_TEXT_LIMITS = {"fee_text": 300, "other_terms": 5000, "contact": 200, "evaluation_report_no": 40}
_CONCLUSIONS = ("meets_conditions", "not_meets")
_ORIGINS = ("platform", "public_list", "pilot_conversion", "imported_gazette")
# States in which the declaration's content may still change.
EDITABLE_STATES = (
    DeclarationStateChoices.DRAFT,
    DeclarationStateChoices.CHECKED,
    DeclarationStateChoices.RETURNED,
)


@dataclass(frozen=True, kw_only=True)
class DeclarationInput:
    """What the declarant fills in; ``fee_schedule`` is the engine's FeeSchedule dict."""

    fee_schedule: Mapping[str, Any]
    term_kind: str
    term_years: int | None = None
    term_until: dt.date | None = None
    fee_text: str = ""
    other_terms: str = ""
    signed_by: tuple[str, ...] = ()
    evaluation_report_no: str = ""
    evaluation_issued_at: dt.date | None = None
    evaluation_conclusion: str = ""
    pledgee_consent: bool = False
    contact: str = ""
    origin: str = "platform"


def declaration_ref(decl: OpenLicenceDeclaration) -> str:
    """The ledger's ``source_ref`` of a declaration version: ``OL-<id>-v<version>``."""
    return f"OL-{decl.pk}-v{decl.version}"


def may_declare(actor: Any, patent: Patent) -> None:
    """TTO of the owner organisation, or an operator/admin on the owner's mandate; else 403."""
    if not policies.can(actor, "licensing.declare"):
        raise PermissionDenied("只有专利权人单位的技术转移人员或运营人员可以声明开放许可")
    if patent.owner_org_id is None:
        raise PermissionDenied("该专利未关联权利人机构，不能代为声明开放许可")
    if policies.is_platform_wide(actor):
        return
    member = policies.membership_of(actor)
    if member is None or member.org_id != patent.owner_org_id:
        raise PermissionDenied("只能为本机构的专利声明开放许可")


def current_patentees(patent: Patent, as_of: dt.date) -> list[str]:
    """The patentees on ``as_of``: the latest recorded transfer's assignees, else the record's list."""
    facts = ledger.patent_facts(patent, as_of)
    return list(patentees_as_of(facts, ledger.ledger_events(patent), as_of))


def step(decl: OpenLicenceDeclaration, event: DeclarationEvent) -> str:
    """The next state for ``event`` (engine state machine); a refused step is a LicensingRefused."""
    try:
        return declaration_transition(DeclarationState(decl.state), event).value
    except TransitionRefused as exc:
        raise LicensingRefused("STATE", exc.reason) from None


def _clean(data: DeclarationInput, patentees: list[str]) -> dict[str, Any]:
    """Validate the input into model field values; errors are Chinese, keyed by field."""
    errors: dict[str, str] = {}
    try:
        schedule = FeeSchedule.from_dict(dict(data.fee_schedule))
    except FeeScheduleError as exc:
        errors["fee_schedule"] = f"许可使用费（{exc.field}）：{exc.reason}"
        schedule = None
    if schedule is not None:
        problem = _open_fee_problem(schedule)
        if problem:
            errors["fee_schedule"] = problem
    if data.term_kind not in TermKindChoices.values:
        errors["term_kind"] = "请选择许可期限：自许可生效之日起若干年、至指定日期或至专利权期限届满"
    elif data.term_kind == TermKindChoices.YEARS_FROM_LICENCE and not (
        data.term_years is not None and 1 <= data.term_years <= MAX_TERM_YEARS
    ):
        errors["term_years"] = f"许可年限须为 1 到 {MAX_TERM_YEARS} 之间的整数"
    elif data.term_kind == TermKindChoices.UNTIL_DATE and data.term_until is None:
        errors["term_until"] = "请填写许可期限的截止日期"
    for name, limit in _TEXT_LIMITS.items():
        if len(str(getattr(data, name) or "")) > limit:
            errors[name] = f"不能超过 {limit} 个字符"
    if data.evaluation_conclusion and data.evaluation_conclusion not in _CONCLUSIONS:
        errors["evaluation_conclusion"] = "评价报告结论须为“符合授予专利权条件”或“不符合授予专利权条件”"
    if data.origin not in _ORIGINS:
        errors["origin"] = "未知的声明来源"
    known = {normalise_name(p) for p in patentees}
    strangers = [s for s in data.signed_by if s.strip() and normalise_name(s) not in known]
    if strangers:
        errors["signed_by"] = f"签署人须为本专利的专利权人，以下名称不在权利人名单中：{'、'.join(strangers)}"
    if errors:
        raise ValidationError(errors)
    assert schedule is not None
    return {
        "fee_schedule": schedule.to_dict(),
        "fee_text": data.fee_text.strip(),
        "term_kind": data.term_kind,
        "term_years": data.term_years if data.term_kind == TermKindChoices.YEARS_FROM_LICENCE else None,
        "term_until": data.term_until if data.term_kind == TermKindChoices.UNTIL_DATE else None,
        "other_terms": data.other_terms.strip(),
        "signed_by": list(dict.fromkeys(s.strip() for s in data.signed_by if s.strip())),
        "evaluation_report_no": data.evaluation_report_no.strip(),
        "evaluation_issued_at": data.evaluation_issued_at,
        "evaluation_conclusion": data.evaluation_conclusion,
        "pledgee_consent": bool(data.pledgee_consent),
        "contact": data.contact.strip(),
    }


def _open_fee_problem(schedule: FeeSchedule) -> str:
    """Fee shapes that cannot be one standard for every licensee, whenever it accepts."""
    lump = schedule.lump_sum
    if lump is not None and lump.instalments:
        return "开放许可对所有被许可人适用同一标准，固定费用不能约定具体日期的分期；请改为接受许可时一次付清，或改用提成"
    entry = schedule.entry_fee
    if entry is not None and entry.due is EntryFeeDue.CONVERSION:
        return "开放许可没有试用期，入门费应在接受许可时支付"
    return ""


def _refuse_second_live(patent: Patent) -> LicensingRefused:
    live = OpenLicenceDeclaration.objects.filter(patent=patent, state__in=LIVE_DECLARATION_STATES).first()
    state = live.get_state_display() if live is not None else "处理中"
    return LicensingRefused(
        "DECLARATION_EXISTS",
        f"专利 {patent.application_number} 已有一份{state}的开放许可声明；同一专利只能有一份有效声明，"
        "已公告的声明须先撤回才能重新声明",
    )


def draft_declaration(
    actor: Any, patent: Patent, data: DeclarationInput, *, on: dt.date
) -> OpenLicenceDeclaration:
    """A new DRAFT declaration (version = previous versions + 1), patentees prefilled on ``on``."""
    may_declare(actor, patent)
    owner = patent.owner_org
    assert owner is not None  # may_declare refused a patent without an owner organisation
    patentees = current_patentees(patent, on)
    values = _clean(data, patentees)
    try:
        with transaction.atomic():
            version = (
                OpenLicenceDeclaration.objects.filter(patent=patent).aggregate(v=Max("version"))["v"] or 0
            ) + 1
            decl = OpenLicenceDeclaration.objects.create(
                patent=patent,
                version=version,
                declarant_org=owner,
                patentees=patentees,
                origin=data.origin,
                state=DeclarationStateChoices.DRAFT,
                created_by=actor,
                **values,
            )
            audit.record(
                "licensing.declaration.drafted",
                actor=actor,
                target=decl,
                org=decl.declarant_org,
                data={"patent": patent.application_number, "version": version, "origin": data.origin},
            )
    except IntegrityError:
        raise _refuse_second_live(patent) from None
    return decl


def update_draft(
    actor: Any, decl: OpenLicenceDeclaration, data: DeclarationInput, *, on: dt.date
) -> OpenLicenceDeclaration:
    """Change a draft (a CHECKED or RETURNED one goes back to DRAFT and must be checked again)."""
    may_declare(actor, decl.patent)
    if decl.state not in EDITABLE_STATES:
        raise LicensingRefused(
            "STATE",
            f"开放许可声明当前状态为「{decl.get_state_display()}」，不能修改；已提交或已公告的声明不可更改，"
            "如需变更请先撤回再重新声明",
        )
    patentees = current_patentees(decl.patent, on)
    values = _clean(data, patentees)
    try:
        with transaction.atomic():
            locked = OpenLicenceDeclaration.objects.select_for_update().get(pk=decl.pk)
            before = {k: getattr(locked, k) for k in values}
            new_state = locked.state
            if locked.state != DeclarationStateChoices.DRAFT:
                new_state = step(locked, DeclarationEvent.EDIT)
            for name, value in values.items():
                setattr(locked, name, value)
            locked.patentees, locked.state, locked.check_result = patentees, new_state, []
            locked.save()
            audit.record(
                "licensing.declaration.updated",
                actor=actor,
                target=locked,
                org=locked.declarant_org,
                data=audit.diff(_plain(before), _plain(values)),
            )
    except IntegrityError:
        raise _refuse_second_live(decl.patent) from None
    return locked


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def signed_names(values: Iterable[str]) -> tuple[str, ...]:
    """Signer names from a form or API list, blanks dropped, order kept."""
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
