"""An open-licence declaration's life at CNIPA (专利法 Art. 50; 细则 Arts. 85–86; guide §3.b–§3.d):
submission, publication (which writes the ledger's ``open_licence`` event), return for correction,
withdrawal (a legitimate reason and every co-owner's consent; effective from its announcement, with
earlier licences untouched) and the end of a declaration whose patent lapsed or expired.

The daily sweep's two functions are in ``open_sweep``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from patentbridge.core import audit
from patentbridge.licensing.choices import DeclarationStateChoices, RightKindChoices, RightSourceChoices
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import OpenLicenceDeclaration
from patentbridge.licensing.services import ledger
from patentbridge.licensing.services.open_check import check_declaration, declaration_verdict
from patentbridge.licensing.services.open_declare import declaration_ref, may_declare, step
from patentbridge_engine.licensing.fees import FeeSchedule, FeeScheduleError
from patentbridge_engine.licensing.states import DeclarationEvent

__all__ = [
    "IN_FORCE",
    "locked_declaration",
    "record_event",
    "record_publication",
    "record_return",
    "record_withdrawal_published",
    "record_withdrawal_refused",
    "request_withdrawal",
    "submit_declaration",
    "withdraw_now",
]

_REASON_LIMIT = 2000
_ANNOUNCEMENT_LIMIT = 40
# Declarations in force at CNIPA: published, or published with a withdrawal not yet announced.
IN_FORCE = (DeclarationStateChoices.PUBLISHED, DeclarationStateChoices.WITHDRAWAL_SUBMITTED)


def locked_declaration(decl: OpenLicenceDeclaration) -> OpenLicenceDeclaration:
    return OpenLicenceDeclaration.objects.select_for_update().select_related("patent").get(pk=decl.pk)


def record_event(action: str, actor: Any, decl: OpenLicenceDeclaration, before: str, **data: Any) -> None:
    audit.record(
        f"licensing.declaration.{action}",
        actor=actor,
        target=decl,
        org=decl.declarant_org,
        data={
            "patent": decl.patent.application_number,
            "version": decl.version,
            "state": {"before": before, "after": decl.state},
            **{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()},
        },
    )


def _sync(target: OpenLicenceDeclaration, source: OpenLicenceDeclaration) -> OpenLicenceDeclaration:
    for name in (
        "state",
        "submitted_at",
        "published_at",
        "announcement_no",
        "return_reason",
        "withdrawal_reason",
        "withdrawal_submitted_at",
        "withdrawal_published_at",
        "check_result",
    ):
        setattr(target, name, getattr(source, name))
    return target


def submit_declaration(actor: Any, decl: OpenLicenceDeclaration, *, on: dt.date) -> OpenLicenceDeclaration:
    """CHECKED → SUBMITTED on ``on`` (the date it went to CNIPA). The check runs again on that date;
    a blocking finding stores the new findings, returns the declaration to DRAFT and refuses."""
    may_declare(actor, decl.patent)
    verdict = declaration_verdict(decl, on)
    if not verdict.allowed:
        check_declaration(decl, on, actor=actor)
        raise LicensingRefused.from_verdict(verdict)
    with transaction.atomic():
        locked = locked_declaration(decl)
        before = locked.state
        locked.state = step(locked, DeclarationEvent.SUBMIT)
        locked.submitted_at = on
        locked.save(update_fields=["state", "submitted_at"])
        record_event("submitted", actor, locked, before, on=on, warnings=[f.code for f in verdict.warnings])
    return _sync(decl, locked)


def _ledger_sub_kind(decl: OpenLicenceDeclaration) -> str:
    try:
        return FeeSchedule.from_dict(decl.fee_schedule or {}).payment_type
    except FeeScheduleError:
        return ""


def _write_ledger(actor: Any, decl: OpenLicenceDeclaration, *, end: dt.date | None) -> None:
    """The declaration's ``open_licence`` ledger event from its publication to ``end`` (None = in
    force), idempotent on its reference ``OL-<id>-v<version>``."""
    assert decl.published_at is not None
    ledger.record_right_event(
        actor,
        decl.patent,
        kind=RightKindChoices.OPEN_LICENCE,
        start=decl.published_at,
        end=end,
        sub_kind=_ledger_sub_kind(decl),
        counterparty="、".join(decl.patentees or []),
        record_no=decl.announcement_no,
        source=RightSourceChoices.DECLARATION,
        source_ref=declaration_ref(decl),
        note=f"开放许可声明第 {decl.version} 版",
        is_demo=decl.is_demo,
        check_access=False,
    )


def record_publication(
    actor: Any, decl: OpenLicenceDeclaration, *, published_at: dt.date, announcement_no: str
) -> OpenLicenceDeclaration:
    """SUBMITTED → PUBLISHED with CNIPA's announcement number and date; writes the ledger's
    ``open_licence`` event (source ``declaration``, ref ``OL-<id>-v<version>``) from that date, so
    exclusive licences are blocked from then on (专利法 Art. 51 ¶3)."""
    may_declare(actor, decl.patent)
    number = (announcement_no or "").strip()
    if not number or len(number) > _ANNOUNCEMENT_LIMIT:
        raise ValidationError({"announcement_no": f"请填写公告号（不超过 {_ANNOUNCEMENT_LIMIT} 个字符）"})
    if decl.submitted_at and published_at < decl.submitted_at:
        raise ValidationError({"published_at": f"公告日期不能早于提交日期 {decl.submitted_at}"})
    with transaction.atomic():
        locked = locked_declaration(decl)
        before = locked.state
        locked.state = step(locked, DeclarationEvent.PUBLISH)
        locked.published_at, locked.announcement_no = published_at, number
        locked.save(update_fields=["state", "published_at", "announcement_no"])
        _write_ledger(actor, locked, end=None)
        record_event("published", actor, locked, before, published_at=published_at, announcement_no=number)
    return _sync(decl, locked)


def record_return(
    actor: Any, decl: OpenLicenceDeclaration, *, on: dt.date, reason: str
) -> OpenLicenceDeclaration:
    """SUBMITTED → RETURNED: CNIPA asked for corrections or refused; the reason is kept and the
    declarant may edit the draft and submit again."""
    may_declare(actor, decl.patent)
    text = (reason or "").strip()
    if not text or len(text) > _REASON_LIMIT:
        raise ValidationError({"reason": f"请填写退回理由（不超过 {_REASON_LIMIT} 个字符）"})
    with transaction.atomic():
        locked = locked_declaration(decl)
        before = locked.state
        locked.state = step(locked, DeclarationEvent.RETURN)
        locked.return_reason = text
        locked.save(update_fields=["state", "return_reason"])
        record_event("returned", actor, locked, before, on=on, reason=text)
    return _sync(decl, locked)


def request_withdrawal(
    actor: Any,
    decl: OpenLicenceDeclaration,
    *,
    on: dt.date,
    reason: str,
    coowners_consent: bool = False,
) -> OpenLicenceDeclaration:
    """PUBLISHED → WITHDRAWAL_SUBMITTED: a legitimate reason is required, and when the patent has
    several patentees all of them must consent in writing (guide §3.b item 5, S7). The declaration
    stays in force until the withdrawal is announced."""
    may_declare(actor, decl.patent)
    text = (reason or "").strip()
    if not text or len(text) > _REASON_LIMIT:
        raise ValidationError({"reason": f"撤回开放许可声明须写明正当理由（不超过 {_REASON_LIMIT} 个字符）"})
    patentees = list(decl.patentees or [])
    if len(patentees) > 1 and not coowners_consent:
        raise LicensingRefused(
            "NOT_ALL_PATENTEES",
            f"专利权人为{'、'.join(patentees)}，撤回开放许可声明须取得全体专利权人的书面同意",
        )
    if decl.published_at and on < decl.published_at:
        raise ValidationError({"on": f"撤回申请日期不能早于声明公告日 {decl.published_at}"})
    with transaction.atomic():
        locked = locked_declaration(decl)
        before = locked.state
        locked.state = step(locked, DeclarationEvent.REQUEST_WITHDRAWAL)
        locked.withdrawal_reason, locked.withdrawal_submitted_at = text, on
        locked.save(update_fields=["state", "withdrawal_reason", "withdrawal_submitted_at"])
        record_event(
            "withdrawal_requested", actor, locked, before, on=on, reason=text, coowners=len(patentees)
        )
    return _sync(decl, locked)


def withdraw_now(locked: OpenLicenceDeclaration, actor: Any) -> None:
    """WITHDRAWAL_SUBMITTED → WITHDRAWN (its announcement date has come)."""
    before = locked.state
    locked.state = step(locked, DeclarationEvent.WITHDRAWAL_PUBLISHED)
    locked.save(update_fields=["state"])
    record_event("withdrawn", actor, locked, before, withdrawal_published_at=locked.withdrawal_published_at)


def record_withdrawal_published(
    actor: Any, decl: OpenLicenceDeclaration, *, published_at: dt.date, on: dt.date
) -> OpenLicenceDeclaration:
    """Record the withdrawal's announcement date. The ledger event ends on that date; the
    declaration becomes WITHDRAWN at once when the date is ``on`` or earlier, otherwise on that
    date through ``apply_withdrawals``. Acceptances notified before it keep their licences."""
    may_declare(actor, decl.patent)
    if decl.state != DeclarationStateChoices.WITHDRAWAL_SUBMITTED:
        step(decl, DeclarationEvent.WITHDRAWAL_PUBLISHED)  # refuses in Chinese
    if decl.withdrawal_submitted_at and published_at < decl.withdrawal_submitted_at:
        raise ValidationError(
            {"published_at": f"撤回公告日期不能早于撤回申请日期 {decl.withdrawal_submitted_at}"}
        )
    with transaction.atomic():
        locked = locked_declaration(decl)
        if locked.state != DeclarationStateChoices.WITHDRAWAL_SUBMITTED:
            step(locked, DeclarationEvent.WITHDRAWAL_PUBLISHED)
        locked.withdrawal_published_at = published_at
        locked.save(update_fields=["withdrawal_published_at"])
        # Written, not just ended: a corrected (even later) announcement date moves the end.
        _write_ledger(actor, locked, end=published_at)
        record_event("withdrawal_announced", actor, locked, locked.state, published_at=published_at)
        if published_at <= on:
            withdraw_now(locked, actor)
    return _sync(decl, locked)


def record_withdrawal_refused(
    actor: Any, decl: OpenLicenceDeclaration, *, on: dt.date, note: str = ""
) -> OpenLicenceDeclaration:
    """WITHDRAWAL_SUBMITTED → PUBLISHED: CNIPA did not accept the withdrawal; the declaration stays
    in force (an announcement date recorded earlier is cleared and the ledger event reopened)."""
    may_declare(actor, decl.patent)
    with transaction.atomic():
        locked = locked_declaration(decl)
        before = locked.state
        locked.state = step(locked, DeclarationEvent.WITHDRAWAL_REFUSED)
        reopened = locked.withdrawal_published_at is not None
        locked.withdrawal_published_at = None
        locked.save(update_fields=["state", "withdrawal_published_at"])
        if reopened:
            _write_ledger(actor, locked, end=None)
        record_event("withdrawal_refused", actor, locked, before, on=on, note=(note or "").strip()[:500])
    return _sync(decl, locked)
