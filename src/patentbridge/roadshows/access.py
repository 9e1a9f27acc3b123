"""Who sees and acts on which roadshow rows (the ``core.restrict`` rules of this app).

- operators and admins: everything;
- a TTO: changes the events its organisation organises; reads every announced event (not
  PLANNED) like any visitor of the calendar, and its own events' registrations and intentions;
- a gov_officer: every event whose region lies inside its organisation's region prefix (read and
  invite its region's enterprises — co-hosting, never recommending), with their registrations,
  intentions and funnels; an officer whose organisation has no region sees nothing;
- an enterprise: announced events and events it is invited to; its own invitations,
  registrations, intentions and their follow-ups;
- inventors, viewers, anonymous users: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.accounts.regions import officer_prefix
from patentbridge.core.restrict import register_rule
from patentbridge.roadshows.choices import EventStatusChoices

__all__ = ["event_q", "event_rule", "register_rules"]

_NOTHING = Q(pk__in=[])


def _org_id(user: Any) -> int | None:
    member = policies.membership_of(user)
    return None if member is None else int(member.org_id)


def event_q(user: Any, action: str = "view", path: str = "") -> Q | None:
    """The filter on events (through ``path``, e.g. ``event__``) that ``user`` may ``action``;
    None means every event (platform roles)."""
    if policies.is_platform_wide(user):
        return None
    role, org_id = policies.role_of(user), _org_id(user)
    if org_id is None:
        return _NOTHING
    announced = ~Q(**{f"{path}status": EventStatusChoices.PLANNED})
    if role == RoleChoices.TTO:
        own = Q(**{f"{path}organiser_org_id": org_id})
        if action in ("change", "invite", "records"):
            return own
        return own | announced if action == "view" else _NOTHING
    if role == RoleChoices.GOV_OFFICER and action in ("view", "invite", "records"):
        prefix = officer_prefix(user) or ""
        return Q(**{f"{path}region_code__startswith": prefix}) if prefix else _NOTHING
    if role == RoleChoices.ENTERPRISE and action == "view":
        return announced | Q(**{f"{path}invitations__org_id": org_id})
    return _NOTHING


def _apply(queryset: QuerySet[Any], q: Q | None) -> QuerySet[Any]:
    return queryset if q is None else queryset.filter(q).distinct()


def event_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    return _apply(queryset, event_q(user, action))


def _shown_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """Items and presenters: whoever sees the event; changed by whoever changes it."""
    return _apply(queryset, event_q(user, "view" if action == "view" else "change", "event__"))


def _records_rule(
    queryset: QuerySet[Any], user: Any, action: str = "view", path: str = "event__"
) -> QuerySet[Any]:
    """Invitations, registrations and intentions: an enterprise its own rows; the organiser all
    rows of its events (and changes them); the region's officer reads them."""
    if policies.role_of(user) == RoleChoices.ENTERPRISE:
        org_id = _org_id(user)
        if org_id is None:
            return queryset.none()
        org_path = "intention__org_id" if path == "intention__event__" else "org_id"
        return queryset.filter(**{org_path: org_id})
    if action == "view":
        return _apply(queryset, event_q(user, "records", path))
    return _apply(queryset, event_q(user, "change", path))


def _follow_up_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    return _records_rule(queryset, user, action, "intention__event__")


def register_rules() -> None:
    from patentbridge.roadshows import models

    register_rule(models.RoadshowEvent, event_rule)
    register_rule(models.RoadshowItem, _shown_rule)
    register_rule(models.RoadshowPresenter, _shown_rule)
    register_rule(models.RoadshowInvitation, _records_rule)
    register_rule(models.RoadshowRegistration, _records_rule)
    register_rule(models.RoadshowIntention, _records_rule)
    register_rule(models.RoadshowFollowUp, _follow_up_rule)
