"""What each role may see or change of technology needs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.demands.choices import NeedStatusChoices
from patentbridge.demands.models import TechNeed

__all__ = ["get_need", "restrict_needs"]


def restrict_needs(queryset: QuerySet[TechNeed], user: Any, action: str = "view") -> QuerySet[TechNeed]:
    """view: platform roles all; enterprises their own; universities and viewers open needs.
    change: platform roles all; enterprise users their organisation's."""
    role = policies.role_of(user)
    if not role:
        return queryset.none()
    if role in (RoleChoices.ADMIN, RoleChoices.OPERATOR):
        return queryset
    member = policies.membership_of(user)
    if role == RoleChoices.ENTERPRISE:
        return queryset.filter(org=member.org)
    if action == "view":
        return queryset.filter(status=NeedStatusChoices.OPEN)
    return queryset.none()


def get_need(user: Any, pk: int, action: str = "view") -> TechNeed:
    return get_object_or_404(restrict_needs(TechNeed.objects.all(), user, action), pk=pk)
