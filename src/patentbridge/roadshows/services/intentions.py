"""After the pitch: intentions captured at the event (an enterprise, a patent, the mode and the
意向金额 — stated by the enterprise itself or captured by the organiser for a registered
enterprise), dated follow-ups, and the outcome: a licence application or contract of that
enterprise on that patent, picked from the licensing records. Audited in each transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.core import audit
from patentbridge.licensing.models import LicenceApplication, LicenceContract
from patentbridge.roadshows.choices import EventStatusChoices, IntentionModeChoices
from patentbridge.roadshows.models import RoadshowFollowUp, RoadshowIntention, RoadshowItem
from patentbridge.roadshows.services.common import (
    clean_amount,
    clean_text,
    locked_event,
    org_of,
    require_organiser,
    require_status,
)

__all__ = ["add_follow_up", "link_outcome", "outcome_choices", "record_intention"]


@transaction.atomic
def record_intention(
    actor: Any,
    item: RoadshowItem,
    *,
    mode: str,
    amount: Any,
    on: dt.date,
    org: Any = None,
    note: str = "",
) -> RoadshowIntention:
    """An intention on ``item`` after the event was held. An enterprise states its own (``org`` is
    ignored); the organiser captures one for a registered enterprise ``org``."""
    policies.require(actor, "roadshows.intend")
    event = locked_event(item.event)
    if policies.role_of(actor) == RoleChoices.ENTERPRISE:
        org = org_of(actor)
        if org is None:
            raise PermissionDenied("没有所属企业，不能登记意向")
    else:
        require_organiser(actor, event)
    require_status(event, EventStatusChoices.HELD, doing="登记意向")
    if org is None or not event.registrations.filter(org=org).exists():
        raise ValidationError({"org": "只能为已报名本场路演的企业登记意向"})
    if mode not in IntentionModeChoices.values:
        raise ValidationError({"mode": "请选择意向方式：许可、转让或先试用后付费"})
    value = clean_amount(amount, "amount", "意向金额")
    assert value is not None  # required=True never answers None
    note = clean_text(note, "note", 1000, label="说明")
    if RoadshowIntention.objects.filter(item=item, org=org).exists():
        raise ValidationError({"item": f"{org.name} 已就该专利登记过意向"})
    intention = RoadshowIntention.objects.create(
        event=event,
        item=item,
        org=org,
        mode=mode,
        amount=value,
        note=note,
        recorded_by=actor,
        recorded_on=on,
    )
    audit.record(
        "roadshows.intention.recorded",
        actor=actor,
        target=intention,
        org=org_of(actor) or org,
        data={
            "event": event.pk,
            "enterprise": org.name,
            "patent": item.patent.application_number,
            "intention_mode": mode,
            "amount": str(value),
            "on": on.isoformat(),
        },
    )
    return intention


@transaction.atomic
def add_follow_up(
    actor: Any,
    intention: RoadshowIntention,
    *,
    on: dt.date,
    note: str,
    next_step: str = "",
    next_on: dt.date | None = None,
) -> RoadshowFollowUp:
    """A dated note of the organiser's follow-up with the enterprise, and the next step."""
    event = locked_event(intention.event)
    require_organiser(actor, event)
    require_status(event, EventStatusChoices.HELD, doing="记录跟进")
    note = clean_text(note, "note", 2000, required=True, label="跟进情况")
    next_step = clean_text(next_step, "next_step", 300, label="下一步")
    if next_on is not None and next_on < on:
        raise ValidationError({"next_on": "下一步日期不能早于跟进日期"})
    row = RoadshowFollowUp.objects.create(
        intention=intention, on=on, note=note, next_step=next_step, next_on=next_on, by=actor
    )
    audit.record(
        "roadshows.follow_up.recorded",
        actor=actor,
        target=intention,
        org=event.organiser_org,
        data={
            "enterprise": intention.org.name,
            "note": note,
            "next_step": next_step,
            "next_on": next_on.isoformat() if next_on else "",
            "on": on.isoformat(),
        },
    )
    return row


def outcome_choices(intention: RoadshowIntention) -> tuple[list[LicenceApplication], list[LicenceContract]]:
    """The licence applications and contracts that may be this intention's outcome: the
    enterprise's, on the intention's patent."""
    patent = intention.item.patent_id
    apps = list(
        LicenceApplication.objects.filter(applicant_org=intention.org, patents=patent)
        .select_related("offer")
        .order_by("-created_at")[:50]
    )
    contracts = list(
        LicenceContract.objects.filter(licensee_org=intention.org, patents=patent).order_by("-created_at")[
            :50
        ]
    )
    return apps, contracts


@transaction.atomic
def link_outcome(
    actor: Any,
    intention: RoadshowIntention,
    *,
    on: dt.date,
    application: LicenceApplication | None = None,
    contract: LicenceContract | None = None,
) -> RoadshowIntention:
    """Link the intention to the licence record it led to. The record is picked from the
    enterprise's applications/contracts on the patent (an application's contract is followed), so
    the deal and its amount are read from licensing, never typed again."""
    event = locked_event(intention.event)
    require_organiser(actor, event)
    require_status(event, EventStatusChoices.HELD, EventStatusChoices.CLOSED, doing="关联成果")
    intention = (
        RoadshowIntention.objects.select_for_update()
        .select_related("item__patent", "org")
        .get(pk=intention.pk)
    )
    if application is None and contract is None:
        raise ValidationError({"outcome": "请选择许可申请或许可合同"})
    apps, contracts = outcome_choices(intention)
    if application is not None and application.pk not in {a.pk for a in apps}:
        raise ValidationError({"application": "该许可申请不是该企业就该专利提出的"})
    if contract is not None and contract.pk not in {c.pk for c in contracts}:
        raise ValidationError({"contract": "该许可合同不是该企业就该专利签订的"})
    if application is not None and contract is None:
        contract = LicenceContract.objects.filter(application=application).first()
    if application is None and contract is not None and contract.application_id:
        application = contract.application
    before = {"application": intention.application_id, "contract": intention.contract_id}
    intention.application, intention.contract, intention.outcome_on = application, contract, on
    intention.save(update_fields=["application", "contract", "outcome_on"])
    audit.record(
        "roadshows.outcome.linked",
        actor=actor,
        target=intention,
        org=event.organiser_org,
        data={
            "enterprise": intention.org.name,
            "patent": intention.item.patent.application_number,
            "before": before,
            "after": {
                "application": application.pk if application else None,
                "contract": contract.pk if contract else None,
            },
            "contract_no": contract.contract_no if contract else "",
            "on": on.isoformat(),
        },
    )
    return intention
