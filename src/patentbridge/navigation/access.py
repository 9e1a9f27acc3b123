"""Who sees and acts on which navigation rows (the ``core.restrict`` rules of this app).

- operators and admins: everything;
- a TTO: the projects its organisation owns, with all their versions (view and change);
- a gov_officer: published versions of projects whose region lies inside its organisation's
  region prefix (read only); an officer whose organisation has no region sees nothing;
- an enterprise: published versions (read only);
- inventors, viewers, anonymous users: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.accounts.regions import officer_prefix
from patentbridge.core.restrict import register_rule
from patentbridge.navigation.choices import ReportStateChoices

__all__ = ["project_q", "register_rules", "report_q"]

_NOTHING = Q(pk__in=[])


def _org_id(user: Any) -> int | None:
    member = policies.membership_of(user)
    return None if member is None else int(member.org_id)


def report_q(user: Any, action: str = "view", path: str = "") -> Q | None:
    """Filter on reports (through ``path``, e.g. ``report__``); None = every report."""
    if policies.is_platform_wide(user):
        return None
    role = policies.role_of(user)
    org_id = _org_id(user)
    if org_id is None:
        return _NOTHING
    if role == RoleChoices.TTO and action in ("view", "change"):
        return Q(**{f"{path}project__owner_org_id": org_id})
    published = Q(**{f"{path}state": ReportStateChoices.PUBLISHED})
    if role == RoleChoices.GOV_OFFICER and action == "view":
        prefix = officer_prefix(user) or ""
        if not prefix:
            return _NOTHING
        return published & Q(**{f"{path}project__region__startswith": prefix})
    if role == RoleChoices.ENTERPRISE and action == "view":
        return published
    return _NOTHING


def project_q(user: Any, action: str = "view") -> Q | None:
    """Filter on projects: a project is visible when one of its versions is."""
    if policies.is_platform_wide(user):
        return None
    role = policies.role_of(user)
    org_id = _org_id(user)
    if role == RoleChoices.TTO and org_id is not None and action in ("view", "change"):
        return Q(owner_org_id=org_id)
    q = report_q(user, action, "reports__")
    return _NOTHING if q is None or action != "view" else q


def _apply(queryset: QuerySet[Any], q: Q | None, distinct: bool = False) -> QuerySet[Any]:
    if q is None:
        return queryset
    filtered = queryset.filter(q)
    return filtered.distinct() if distinct else filtered


def project_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    return _apply(queryset, project_q(user, action), distinct=True)


def report_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    return _apply(queryset, report_q(user, action))


def finding_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    return _apply(queryset, report_q(user, action, "report__"))


def register_rules() -> None:
    from patentbridge.navigation.models import NavigationFinding, NavigationProject, NavigationReport

    register_rule(NavigationProject, project_rule)
    register_rule(NavigationReport, report_rule)
    register_rule(NavigationFinding, finding_rule)
