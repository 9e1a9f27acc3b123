"""Reading roadshows for pages and the API: look-ups that 404 outside the user's scope, the
calendar's rows and what an event page shows to each role."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from patentbridge.core.ids import MAX_PK, safe_pk
from patentbridge.core.restrict import restrict
from patentbridge.licensing.services.deal_regions import region_label
from patentbridge.roadshows.models import (
    RoadshowEvent,
    RoadshowIntention,
    RoadshowInvitation,
    RoadshowRegistration,
)

__all__ = [
    "MAX_PK",
    "events_for",
    "get_event",
    "intentions_for",
    "invitations_for",
    "region_name",
    "registrations_for",
    "safe_pk",
    "sees_records",
]


def events_for(user: Any, action: str = "view") -> QuerySet[RoadshowEvent]:
    """The events ``user`` may ``action``, with their item and registration counts."""
    visible = restrict(RoadshowEvent.objects.all(), user, action).values("pk")
    return (
        RoadshowEvent.objects.filter(pk__in=visible)
        .select_related("chain", "organiser_org", "cohost_org")
        .annotate(
            item_count=Count("items", distinct=True),
            registration_count=Count("registrations", distinct=True),
            intention_count=Count("intentions", distinct=True),
        )
        .order_by("-month", "event_date", "pk")
    )


def get_event(user: Any, pk: Any, action: str = "view") -> RoadshowEvent:
    """One event in the user's scope, else 404 (another region's event does not exist for you)."""
    number = safe_pk(pk)
    event = None
    if number is not None:
        event = (
            restrict(
                RoadshowEvent.objects.select_related("chain", "organiser_org", "cohost_org"), user, action
            )
            .filter(pk=number)
            .first()
        )
    if event is None:
        raise Http404("未找到")
    return event


def sees_records(user: Any, event: RoadshowEvent) -> bool:
    """The organiser, the region's officer and platform roles read every registration and
    intention of the event (and its full funnel); others see their own rows at most."""
    return restrict(RoadshowEvent.objects.filter(pk=event.pk), user, "records").exists()


def intentions_for(user: Any, event: RoadshowEvent) -> list[RoadshowIntention]:
    """The event's intentions the user may see (an enterprise: its own)."""
    return list(
        restrict(RoadshowIntention.objects.filter(event=event), user)
        .select_related("org", "item__patent", "application", "contract", "recorded_by")
        .prefetch_related("follow_ups")
        .order_by("recorded_on", "pk")
    )


def registrations_for(user: Any, event: RoadshowEvent) -> list[RoadshowRegistration]:
    return list(restrict(RoadshowRegistration.objects.filter(event=event), user).select_related("org"))


def invitations_for(user: Any, event: RoadshowEvent) -> list[RoadshowInvitation]:
    return list(
        restrict(RoadshowInvitation.objects.filter(event=event), user).select_related("org", "invited_by_org")
    )


def region_name(code: str) -> str:
    """``370921`` → 泰安市宁阳县 (the licensing app keeps the site's region names)."""
    return region_label(code)
