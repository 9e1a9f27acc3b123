"""Request parameters and organisation visibility shared by the statistics pages and exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.accounts.models import Organization
from patentbridge.accounts.regions import region_of
from patentbridge.analytics.scope import ScopeError, parse_as_of, parse_region, role_region

__all__ = ["may_see_org", "request_params"]


def request_params(request: HttpRequest) -> tuple[dt.date, str, str]:
    """(as_of, region prefix, error message) from the query string; bad values fall back to today
    and everywhere, with the Chinese reason to show."""
    today = timezone.localdate()
    try:
        return (
            parse_as_of(request.GET.get("as_of", "")[:40], today),
            parse_region(request.GET.get("region", "")[:40]),
            "",
        )
    except ScopeError as exc:
        return today, "", str(exc)


def may_see_org(user: Any, org: Organization) -> bool:
    """Operators: any organisation; officers and viewers: organisations inside their region; a
    TTO: its own organisation."""
    if policies.is_platform_wide(user):
        return True
    confined = role_region(user)
    if confined:
        code = region_of(org).code
        return bool(code) and code.startswith(confined)
    member = policies.membership_of(user)
    return member is not None and policies.role_of(user) == RoleChoices.TTO and member.org_id == org.pk
