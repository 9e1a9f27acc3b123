"""What each role may see of curated matches and pushes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.matching.choices import CurationChoices
from patentbridge.matching.models import MatchItem

__all__ = ["may_curate", "restrict_items"]


def may_curate(user: Any) -> bool:
    """Operators (and admins) curate shortlists and push them."""
    return policies.is_platform_wide(user)


def restrict_items(queryset: QuerySet[MatchItem], user: Any, action: str = "view") -> QuerySet[MatchItem]:
    """Platform roles see every item; an enterprise sees only what was pushed for its own needs —
    never the operator's dropped or not-yet-pushed picks; everyone else sees nothing."""
    role = policies.role_of(user)
    if role in (RoleChoices.ADMIN, RoleChoices.OPERATOR):
        return queryset
    if role == RoleChoices.ENTERPRISE:
        member = policies.membership_of(user)
        return queryset.filter(need__org=member.org, state=CurationChoices.PUSHED)
    return queryset.none()
