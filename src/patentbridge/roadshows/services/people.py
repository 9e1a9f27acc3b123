"""Who comes: invitations (the organiser invites enterprises and investors; the co-hosting
officer invites its own region's enterprises — it invites, it does not recommend), an
enterprise's own registration, and attendance marked at the event. Audited in each transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices, RoleChoices
from patentbridge.accounts.models import Organization
from patentbridge.accounts.regions import region_of, within
from patentbridge.core import audit
from patentbridge.core.models import Notification
from patentbridge.core.restrict import restrict
from patentbridge.roadshows.choices import EventStatusChoices, InviteeKindChoices
from patentbridge.roadshows.models import RoadshowEvent, RoadshowInvitation, RoadshowRegistration
from patentbridge.roadshows.services.common import (
    clean_text,
    locked_event,
    org_of,
    require_organiser,
    require_status,
)

__all__ = ["invite", "mark_attended", "region_invitees", "register"]

# Investors, banks and funds are organisations of these kinds on the platform.
_INVESTOR_KINDS = (OrgKindChoices.ENTERPRISE, OrgKindChoices.AGENCY)


def region_invitees(event: RoadshowEvent) -> list[Organization]:
    """Enterprises whose region (kept, or derived from the USCC) lies in the event's region."""
    rows = Organization.objects.filter(kind=OrgKindChoices.ENTERPRISE).order_by("name")
    return [o for o in rows if within(region_of(o).code, event.region_code)]


@transaction.atomic
def invite(
    actor: Any, event: RoadshowEvent, org: Organization, *, kind: str = InviteeKindChoices.ENTERPRISE
) -> RoadshowInvitation:
    """Invite ``org`` (an enterprise, or an investor: an enterprise or agency) before the event.
    A gov_officer invites only enterprises of its own region, to events of its region."""
    policies.require(actor, "roadshows.invite")
    event = locked_event(event)
    if not restrict(RoadshowEvent.objects.filter(pk=event.pk), actor, "invite").exists():
        raise PermissionDenied("只能为本单位主办或本辖区的路演邀请企业")
    require_status(event, EventStatusChoices.PLANNED, EventStatusChoices.OPEN, doing="邀请")
    if kind not in InviteeKindChoices.values:
        raise ValidationError({"kind": "邀请类别无效"})
    allowed = (OrgKindChoices.ENTERPRISE,) if kind == InviteeKindChoices.ENTERPRISE else _INVESTOR_KINDS
    if org.kind not in allowed:
        raise ValidationError({"org": f"{org.name} 不是{InviteeKindChoices(kind).label}"})
    officer = policies.role_of(actor) == RoleChoices.GOV_OFFICER
    if officer and (
        kind != InviteeKindChoices.ENTERPRISE or not within(region_of(org).code, region_of(actor).prefix)
    ):
        raise PermissionDenied("政府部门只能邀请本辖区的企业")
    if event.invitations.filter(org=org).exists():
        raise ValidationError({"org": f"{org.name} 已被邀请"})
    invitation = RoadshowInvitation.objects.create(
        event=event, org=org, kind=kind, invited_by=actor, invited_by_org=org_of(actor)
    )
    # The invitation goes out in the organiser's name, whoever clicked (专利法 Art. 79).
    Notification.objects.create(
        org=org,
        message=f"{event.organiser_org.name}邀请贵单位参加《{event.title}》（{event.event_date.isoformat()}）",
        url=reverse("roadshows:detail", args=[event.pk]),
    )
    audit.record(
        "roadshows.invitation.sent",
        actor=actor,
        target=event,
        org=org_of(actor) or event.organiser_org,
        data={"invitee": org.name, "kind": kind},
    )
    return invitation


@transaction.atomic
def register(actor: Any, event: RoadshowEvent, *, on: dt.date, contact: str = "") -> RoadshowRegistration:
    """An enterprise registers itself while registration is open."""
    policies.require(actor, "roadshows.register")
    org = org_of(actor)
    if org is None:
        raise PermissionDenied("没有所属企业，不能报名")
    event = locked_event(event)
    if not restrict(RoadshowEvent.objects.filter(pk=event.pk), actor).exists():
        raise PermissionDenied("无权查看该路演")
    require_status(event, EventStatusChoices.OPEN, doing="报名")
    if event.registrations.filter(org=org).exists():
        raise ValidationError({"registration": "贵单位已报名本场路演"})
    contact = clean_text(contact, "contact", 100, label="参会人")
    registration = RoadshowRegistration.objects.create(
        event=event, org=org, registered_by=actor, registered_on=on, contact=contact
    )
    audit.record(
        "roadshows.registration.created",
        actor=actor,
        target=event,
        org=org,
        data={"enterprise": org.name, "contact": contact, "on": on.isoformat()},
    )
    return registration


@transaction.atomic
def mark_attended(
    actor: Any, registration: RoadshowRegistration, *, attended: bool = True
) -> RoadshowRegistration:
    """The organiser marks who came (sign-in at the venue or online)."""
    event = locked_event(registration.event)
    require_organiser(actor, event)
    require_status(event, EventStatusChoices.OPEN, EventStatusChoices.HELD, doing="登记到场")
    registration = RoadshowRegistration.objects.select_for_update().get(pk=registration.pk)
    before = registration.attended
    registration.attended = bool(attended)
    registration.save(update_fields=["attended"])
    audit.record(
        "roadshows.registration.attended",
        actor=actor,
        target=event,
        org=event.organiser_org,
        data={
            "enterprise": registration.org.name,
            "before": {"attended": before},
            "after": {"attended": registration.attended},
        },
    )
    return registration
