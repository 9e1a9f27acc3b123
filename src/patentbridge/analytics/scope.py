"""Whose numbers a user may read, and the parsing of the as-of date and region parameters.

- operators and admins: the whole platform, or any region they ask for;
- a gov_officer: its organisation's region prefix only (a narrower region inside it may be asked
  for; a wider or other one is refused); an officer whose organisation has no region sees nothing;
- a viewer: like an officer when its organisation has a region, else the whole platform
  (aggregated numbers only, never records);
- a TTO: its organisation's supply side (patents, offers, licences granted, income);
- an enterprise: its demand side (needs, pushes, trials and licences taken);
- an inventor: its own patents and income lines.

The role rules are here rather than as ``accounts.policies`` actions because the policy table has
no statistics action yet (see the app's report); the roles come from ``policies.role_of``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices, RoleChoices
from patentbridge.accounts.regions import is_region_prefix, officer_prefix, region_of, region_prefix
from patentbridge_engine.analytics import Scope

__all__ = [
    "EARLIEST",
    "ScopeError",
    "parse_as_of",
    "parse_region",
    "role_region",
    "scope_for",
    "scope_title",
]

# No platform record predates CNIPA's first applications (1985); earlier dates are typos.
EARLIEST = dt.date(1985, 4, 1)
_REGIONAL = (RoleChoices.GOV_OFFICER, RoleChoices.VIEWER)


class ScopeError(ValueError):
    """A bad as-of date or region parameter; the message is Chinese and safe to show."""


def parse_as_of(text: str | None, today: dt.date) -> dt.date:
    """``YYYY-MM-DD`` → date; empty → ``today``; malformed, before 1985 or after ``today`` →
    ScopeError (a statistic about the future would only repeat today's records)."""
    raw = (text or "").strip()
    if not raw:
        return today
    try:
        day = dt.date.fromisoformat(raw[:10]) if len(raw) <= 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ScopeError(f"统计日期格式应为 YYYY-MM-DD：{raw[:20]}")
    if day < EARLIEST:
        raise ScopeError(f"统计日期不能早于 {EARLIEST.isoformat()}")
    if day > today:
        raise ScopeError(f"统计日期不能晚于今天（{today.isoformat()}）")
    return day


def parse_region(text: str | None) -> str:
    """A GB/T 2260 code or prefix (``37``, ``3715``, ``371500``, ``371522``) → its prefix; empty →
    "" (everywhere); anything else → ScopeError."""
    raw = (text or "").strip()
    if not raw:
        return ""
    if len(raw) > 6 or not is_region_prefix(raw):
        raise ScopeError(f"地区代码无效：{raw[:20]}（应为 2、4 或 6 位行政区划代码，如 37、3715、371522）")
    return region_prefix(raw)


def role_region(user: Any) -> str | None:
    """The prefix a regional role is confined to ("" = nothing for an officer without region);
    None when the role is not confined by region (viewers without a region included)."""
    prefix = officer_prefix(user)
    if prefix is not None:
        return prefix
    if policies.role_of(user) == RoleChoices.VIEWER:
        return region_of(user).prefix or None
    return None


def scope_for(user: Any, *, as_of: dt.date, region: str = "") -> Scope:
    """The scope ``user`` reads as of ``as_of``, narrowed to ``region`` when asked.

    PermissionDenied (Chinese) for anonymous users, an officer without a region, or a region
    outside the user's own."""
    role = policies.role_of(user)
    if not role:
        raise PermissionDenied("请先登录")
    if policies.is_platform_wide(user):
        return Scope(as_of=as_of, region=region)
    confined = role_region(user)
    if role in _REGIONAL and confined is not None:
        if not confined:
            raise PermissionDenied("所在机构未登记行政区划，无法查看地区统计")
        if region and not region.startswith(confined):
            raise PermissionDenied("只能查看本辖区内的统计数据")
        return Scope(as_of=as_of, region=region or confined)
    if role == RoleChoices.VIEWER:
        return Scope(as_of=as_of, region=region)
    member = policies.membership_of(user)
    if role == RoleChoices.INVENTOR:
        return Scope(as_of=as_of, region=region, org_id=member.org_id, org_side="supply", inventor_id=user.pk)
    side = "demand" if member.org.kind == OrgKindChoices.ENTERPRISE else "supply"
    return Scope(as_of=as_of, region=region, org_id=member.org_id, org_side=side)


def scope_title(scope: Scope, org_name: str = "", region_name: str = "") -> str:
    """A Chinese heading for the scope, e.g. ``聊城市 · 截至 2026-06-30``."""
    parts = []
    if scope.inventor_id is not None:
        parts.append("本人专利")
    elif org_name:
        parts.append(org_name)
    parts.append(region_name if scope.region else "全平台")
    parts.append(f"截至 {scope.as_of.isoformat()}")
    return " · ".join(parts)
