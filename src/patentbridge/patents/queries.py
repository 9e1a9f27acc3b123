"""Read functions for patents, always through ``restrict``."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge.patents.models import Patent
from patentbridge.patents.versioned_cache import cached

__all__ = ["allowed_numbers", "get_patent", "restrict", "view_scope"]


def restrict(queryset: QuerySet[Patent], user: Any, action: str = "view") -> QuerySet[Patent]:
    """Limit ``queryset`` to what ``user`` may ``view`` / ``change`` / ``review``.

    view: platform roles see everything; university members see their organisation's
    records in every state plus the library; inventors see the library plus their own
    submissions; everyone else sees the approved library only.
    """
    role = policies.role_of(user)
    if not role:
        return queryset.none()
    if role in (RoleChoices.ADMIN, RoleChoices.OPERATOR):
        return queryset
    member = policies.membership_of(user)
    in_library = Q(library_status=LibraryStatusChoices.IN_LIBRARY)
    if action == "view":
        if role == RoleChoices.TTO:
            return queryset.filter(in_library | Q(owner_org=member.org))
        if role == RoleChoices.INVENTOR:
            return queryset.filter(in_library | Q(submitted_by=user))
        return queryset.filter(in_library)
    if action == "change":
        if role == RoleChoices.TTO:
            return queryset.filter(owner_org=member.org)
        if role == RoleChoices.INVENTOR:
            return queryset.filter(
                submitted_by=user,
                library_status__in=(LibraryStatusChoices.DRAFT, LibraryStatusChoices.REJECTED),
            )
        return queryset.none()
    if action == "review":
        if role == RoleChoices.TTO:
            scoped = queryset.filter(owner_org=member.org)
            if member.college:
                # A college reviewer only acts on their college's records at the college step.
                return scoped.filter(
                    college=member.college, library_status=LibraryStatusChoices.PENDING_COLLEGE
                )
            return scoped
        return queryset.none()
    raise ValueError(f"unknown action {action!r}")


def get_patent(user: Any, application_number: str, action: str = "view") -> Patent:
    """The patent if the user may ``action`` it, else 404 (no hint that it exists)."""
    return get_object_or_404(
        restrict(Patent.objects.all(), user, action), application_number=application_number
    )


def view_scope(user: Any) -> Hashable | None:
    """A key naming the set ``restrict(..., user, "view")`` returns: users with equal keys see
    exactly the same patents (it mirrors the branches of ``restrict``); None for no access."""
    role = policies.role_of(user)
    if not role:
        return None
    if role in (RoleChoices.ADMIN, RoleChoices.OPERATOR):
        return ("all",)
    if role == RoleChoices.TTO:
        return ("org", policies.membership_of(user).org_id)
    if role == RoleChoices.INVENTOR:
        return ("submitter", user.pk)
    return ("library",)


def allowed_numbers(user: Any) -> frozenset[str] | None:
    """Application numbers ``user`` may view, or None when nothing is excluded (platform roles).

    Cached per scope at the database's library version (``versioned_cache``): a search request
    reuses the set instead of reading every allowed row, and any write to patents — approval,
    import, change of owner — moves the version so the next request rebuilds it.
    """
    scope = view_scope(user)
    if scope == ("all",):
        return None

    def build() -> frozenset[str]:
        qs = restrict(Patent.objects.all(), user).order_by()
        return frozenset(qs.values_list("application_number", flat=True))

    return cached(("allowed", scope), build, grows_ok=True)
