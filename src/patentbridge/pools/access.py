"""Who sees and acts on which pool rows (the ``core.restrict`` rules of this app).

- operators and admins: everything;
- the managing agency's staff (a TTO-role membership of the pool's agency organisation): view and
  change their pools, review applications, grant outbound licences, compute distributions;
- a member's (or applicant's) TTO: views operating pools, its own applications and the pools it
  belongs to, and withdraws only its own organisation's patents;
- an enterprise: operating pools with their catalogue and tariff, its own pool licences and its
  own outbound-licence requests (view, withdraw);
- a gov_officer: pools whose region lies inside its organisation's region prefix (read only);
- inventors, viewers, anonymous users: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.accounts.regions import officer_prefix
from patentbridge.core.restrict import register_rule
from patentbridge.pools.choices import PoolStateChoices

__all__ = ["is_agency_staff", "org_id_of", "pool_q", "register_rules"]

_NOTHING = Q(pk__in=[])
_PUBLIC_STATES = (PoolStateChoices.OPERATING, PoolStateChoices.SUSPENDED)


def org_id_of(user: Any) -> int | None:
    member = policies.membership_of(user)
    return None if member is None else int(member.org_id)


def is_agency_staff(user: Any, pool: Any) -> bool:
    """A platform role, or a TTO-role member of the pool's managing agency."""
    if policies.is_platform_wide(user):
        return True
    return policies.role_of(user) == RoleChoices.TTO and org_id_of(user) == pool.agency_org_id


def pool_q(user: Any, action: str = "view", path: str = "") -> Q | None:
    """The filter on pools (reached through ``path``) that ``user`` may ``action``; None = all."""
    if policies.is_platform_wide(user):
        return None
    role, org_id = policies.role_of(user), org_id_of(user)
    if org_id is None:
        return _NOTHING
    agency = Q(**{f"{path}agency_org_id": org_id})
    if action != "view":
        return agency if role == RoleChoices.TTO else _NOTHING
    public = Q(**{f"{path}state__in": _PUBLIC_STATES})
    if role == RoleChoices.TTO:
        return agency | public | Q(**{f"{path}members__org_id": org_id})
    if role == RoleChoices.ENTERPRISE:
        return public
    if role == RoleChoices.GOV_OFFICER:
        prefix = officer_prefix(user) or ""
        return Q(**{f"{path}region_code__startswith": prefix}) if prefix else _NOTHING
    return _NOTHING


def _apply(queryset: QuerySet[Any], q: Q | None) -> QuerySet[Any]:
    return queryset if q is None else queryset.filter(q).distinct()


def pool_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    return _apply(queryset, pool_q(user, action))


def _child_rule(path: str) -> Any:
    def rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
        return _apply(queryset, pool_q(user, action, path))

    return rule


def application_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """The agency reviews (``change``); the applicant's TTO views and withdraws (``withdraw``)."""
    if policies.is_platform_wide(user):
        return queryset
    org_id = org_id_of(user)
    if org_id is None or policies.role_of(user) != RoleChoices.TTO:
        return queryset.none()
    if action == "withdraw":
        return queryset.filter(org_id=org_id)
    agency = Q(pool__agency_org_id=org_id)
    if action == "view":
        return queryset.filter(agency | Q(org_id=org_id)).distinct()
    return queryset.filter(agency)


def pool_patent_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """Catalogue rows follow their pool; a member's TTO may ``withdraw`` its own rows."""
    if action == "withdraw" and not policies.is_platform_wide(user):
        org_id = org_id_of(user)
        if org_id is None or policies.role_of(user) != RoleChoices.TTO:
            return queryset.none()
        return queryset.filter(Q(member__org_id=org_id) | Q(pool__agency_org_id=org_id))
    return _apply(queryset, pool_q(user, action, "pool__"))


def licence_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """The agency and operators; members and the region's officer read; an enterprise its own."""
    if policies.role_of(user) == RoleChoices.ENTERPRISE:
        org_id = org_id_of(user)
        if org_id is None or action != "view":
            return queryset.none()
        return queryset.filter(contract__licensee_org_id=org_id)
    if policies.role_of(user) == RoleChoices.TTO and not policies.is_platform_wide(user):
        # Who licensed the pool, and on what contract, is the pool's business: another
        # organisation's TTO sees the operating pool and its tariff, not its licensees.
        return _members_and_agency(queryset, user, action)
    return _apply(queryset, pool_q(user, action, "pool__"))


def _members_and_agency(queryset: QuerySet[Any], user: Any, action: str) -> QuerySet[Any]:
    """Rows of pools the TTO's organisation manages (any action) or belongs to (view only)."""
    org_id = org_id_of(user)
    if org_id is None:
        return queryset.none()
    own = Q(pool__agency_org_id=org_id)
    if action == "view":
        own |= Q(pool__members__org_id=org_id)
    return queryset.filter(own).distinct()


def licence_request_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """Outbound-licence requests: the requesting enterprise views and withdraws its own; the
    pool's agency views and decides (``change``); nobody else (another enterprise, a member's TTO,
    an officer) sees who asked."""
    if policies.is_platform_wide(user):
        return queryset
    role, org_id = policies.role_of(user), org_id_of(user)
    if org_id is None:
        return queryset.none()
    if role == RoleChoices.ENTERPRISE:
        return queryset.filter(org_id=org_id) if action in ("view", "withdraw") else queryset.none()
    if role == RoleChoices.TTO and action in ("view", "change"):
        return queryset.filter(pool__agency_org_id=org_id)
    return queryset.none()


def distribution_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """Statements: the agency, members with a line, the region's officer; never enterprises."""
    role = policies.role_of(user)
    if role == RoleChoices.ENTERPRISE:
        return queryset.none()
    if role == RoleChoices.TTO and not policies.is_platform_wide(user):
        # Another organisation's TTO sees the operating pool, not how its income was shared.
        return _members_and_agency(queryset, user, action)
    return _apply(queryset, pool_q(user, action, "pool__"))


def distribution_line_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """Lines follow their statement."""
    from patentbridge.pools.models import PoolDistribution

    allowed = distribution_rule(PoolDistribution.objects.all(), user, action)
    return queryset.filter(distribution__in=allowed.values("pk"))


def register_rules() -> None:
    from patentbridge.pools import models

    register_rule(models.Pool, pool_rule)
    register_rule(models.PoolMember, _child_rule("pool__"))
    register_rule(models.MemberApplication, application_rule)
    register_rule(models.PoolPatent, pool_patent_rule)
    register_rule(models.PoolPatentStatusChange, _child_rule("pool_patent__pool__"))
    register_rule(models.PoolLicence, licence_rule)
    register_rule(models.PoolLicenceRequest, licence_request_rule)
    register_rule(models.PoolDistribution, distribution_rule)
    register_rule(models.PoolDistributionLine, distribution_line_rule)
