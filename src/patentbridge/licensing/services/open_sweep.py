"""The open-licence steps the daily sweep drives (``patentbridge sweep``): withdrawals whose
announcement date has come (专利法 Art. 50 ¶2: effective from the announcement) and declarations
whose patent lapsed, expired or was invalidated. Both are idempotent and return one JSON-ready dict
per declaration they changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from patentbridge.licensing.choices import DeclarationStateChoices, RightSourceChoices
from patentbridge.licensing.models import OpenLicenceDeclaration
from patentbridge.licensing.services import ledger
from patentbridge.licensing.services.open_declare import declaration_ref, step
from patentbridge.licensing.services.open_lifecycle import (
    IN_FORCE,
    locked_declaration,
    record_event,
    withdraw_now,
)
from patentbridge_engine.licensing.states import DeclarationEvent

__all__ = ["apply_withdrawals", "end_declarations_for_lapsed"]


def apply_withdrawals(as_of: dt.date) -> list[dict[str, Any]]:
    """Daily sweep: every WITHDRAWAL_SUBMITTED declaration whose withdrawal was announced on or
    before ``as_of`` becomes WITHDRAWN. Idempotent; one dict per declaration changed."""
    out: list[dict[str, Any]] = []
    due = OpenLicenceDeclaration.objects.filter(
        state=DeclarationStateChoices.WITHDRAWAL_SUBMITTED, withdrawal_published_at__lte=as_of
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            locked = OpenLicenceDeclaration.objects.select_for_update().select_related("patent").get(pk=pk)
            if locked.state != DeclarationStateChoices.WITHDRAWAL_SUBMITTED:
                continue  # another sweep got here first
            withdraw_now(locked, None)
        out.append(
            {
                "action": "open_licence_withdrawn",
                "declaration": locked.pk,
                "patent": locked.patent.application_number,
                "version": locked.version,
                "withdrawal_published_at": locked.withdrawal_published_at.isoformat()
                if locked.withdrawal_published_at
                else None,
            }
        )
    return out


def _end_date(decl: OpenLicenceDeclaration, as_of: dt.date) -> dt.date | None:
    """The day the patent stopped being valid, or None while it is valid on ``as_of``."""
    patent = decl.patent
    facts = ledger.patent_facts(patent, as_of)
    enc = ledger.encumbrances_for(patent, as_of)
    if facts.valid and not enc.lapsed:
        return None
    dates = [d for d in (patent.lapse_date, patent.expiry_date) if d is not None and d <= as_of]
    return min(dates) if dates else as_of


def end_declarations_for_lapsed(as_of: dt.date) -> list[dict[str, Any]]:
    """Daily sweep: a declaration in force whose patent lapsed, expired or was invalidated by
    ``as_of`` becomes ENDED and its ledger event ends on that day. Idempotent."""
    out: list[dict[str, Any]] = []
    candidates = OpenLicenceDeclaration.objects.filter(state__in=IN_FORCE).select_related("patent")
    for decl in list(candidates):
        ended_on = _end_date(decl, as_of)
        if ended_on is None:
            continue
        with transaction.atomic():
            locked = locked_declaration(decl)
            if locked.state not in IN_FORCE:
                continue
            before = locked.state
            locked.state = step(locked, DeclarationEvent.PATENT_ENDED)
            locked.save(update_fields=["state"])
            ledger.end_right_events(RightSourceChoices.DECLARATION, declaration_ref(locked), ended_on)
            record_event("ended", None, locked, before, ended_on=ended_on)
        out.append(
            {
                "action": "open_licence_ended",
                "declaration": locked.pk,
                "patent": locked.patent.application_number,
                "version": locked.version,
                "ended_on": ended_on.isoformat(),
            }
        )
    return out
