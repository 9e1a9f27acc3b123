"""Who sees and acts on which licensing rows (the ``core.restrict`` rules of this app).

Operators and admins: everything. A TTO: what its organisation publishes, grants or declares.
An enterprise: its own applications, the licences it holds, its acceptances, and published
offers. Inventors, viewers and anonymous users: nothing here (inventors read their own income
lines, everyone reads the public open-licence list through its own query)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.core.restrict import register_rule

__all__ = ["register_rules"]


def _org(user: Any) -> Any:
    member = policies.membership_of(user)
    return None if member is None else member.org


def _scoped(queryset: QuerySet[Any], user: Any, own: dict[str, Q]) -> QuerySet[Any]:
    """``own`` maps a role to the filter of rows it may see given the org id placeholder."""
    if policies.is_platform_wide(user):
        return queryset
    org = _org(user)
    role = policies.role_of(user)
    if org is None or role not in own:
        return queryset.none()
    return queryset.filter(own[role]).distinct()


def offer_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    org = _org(user)
    published = Q(state="published")
    if action == "view":
        return _scoped(
            queryset, user, {RoleChoices.TTO: Q(publisher_org=org), RoleChoices.ENTERPRISE: published}
        )
    return _scoped(queryset, user, {RoleChoices.TTO: Q(publisher_org=org)})


def application_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    org = _org(user)
    return _scoped(
        queryset,
        user,
        {RoleChoices.TTO: Q(offer__publisher_org=org), RoleChoices.ENTERPRISE: Q(applicant_org=org)},
    )


def contract_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    org = _org(user)
    return _scoped(
        queryset, user, {RoleChoices.TTO: Q(licensor_org=org), RoleChoices.ENTERPRISE: Q(licensee_org=org)}
    )


def declaration_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    org = _org(user)
    if action == "view":
        return _scoped(
            queryset,
            user,
            {RoleChoices.TTO: Q(declarant_org=org), RoleChoices.ENTERPRISE: Q(state="published")},
        )
    return _scoped(queryset, user, {RoleChoices.TTO: Q(declarant_org=org)})


def acceptance_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    org = _org(user)
    return _scoped(
        queryset,
        user,
        {RoleChoices.TTO: Q(declaration__declarant_org=org), RoleChoices.ENTERPRISE: Q(licensee_org=org)},
    )


def right_event_rule(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """The ledger of a patent is seen by its owner organisation; licences also by the licensee."""
    org = _org(user)
    return _scoped(
        queryset,
        user,
        {
            RoleChoices.TTO: Q(patent__owner_org=org),
            RoleChoices.ENTERPRISE: Q(counterparty=getattr(org, "name", ""))
            if action == "view"
            else Q(pk=None),
        },
    )


def register_rules() -> None:
    from patentbridge.licensing import models

    register_rule(models.LicenceOffer, offer_rule)
    register_rule(models.LicenceApplication, application_rule)
    register_rule(models.LicenceContract, contract_rule)
    register_rule(models.OpenLicenceDeclaration, declaration_rule)
    register_rule(models.OpenLicenceAcceptance, acceptance_rule)
    register_rule(models.RightEvent, right_event_rule)
