"""Organisations, memberships and API tokens: every change checked and audited in one transaction.

The Django admin is read-only (core/admin.py), so these services (and the ``token`` command that
calls them) are the only way these records change.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices, RoleChoices
from patentbridge.accounts.models import ApiToken, Membership, Organization
from patentbridge.core import audit

__all__ = ["create_org", "create_token", "revoke_token", "set_membership", "update_org"]

# Fields an administrator may set on an organisation (``created_at`` is the platform's).
ORG_FIELDS = ("name", "kind", "province", "city", "uscc")
# Shown in token names and audit data; the key itself is never stored or logged.
MAX_TOKEN_NAME = 100


def _org_values(org: Organization) -> dict[str, Any]:
    return {field: getattr(org, field) for field in ORG_FIELDS}


def _validated(org: Organization) -> Organization:
    """Model validation with Chinese messages (unique name, known kind, field lengths)."""
    if org.kind not in OrgKindChoices.values:
        raise ValidationError({"kind": f"未知的机构类型：{org.kind}"})
    org.full_clean(exclude=("created_at",))
    return org


def create_org(
    *, actor: Any, name: str, kind: str, province: str = "", city: str = "", uscc: str = ""
) -> Organization:
    """A platform administrator registers a member organisation."""
    policies.require(actor, "accounts.manage")
    org = _validated(
        Organization(
            name=name.strip(), kind=kind, province=province.strip(), city=city.strip(), uscc=uscc.strip()
        )
    )
    with transaction.atomic():
        org.save()
        audit.record(
            "accounts.organization.created", actor=actor, target=org, data={"after": _org_values(org)}
        )
    return org


def update_org(*, actor: Any, org: Organization, **changes: Any) -> Organization:
    """A platform administrator corrects an organisation's name, kind or region; the diff is audited."""
    policies.require(actor, "accounts.manage")
    unknown = set(changes) - set(ORG_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改的机构字段：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=org.pk)
        before = _org_values(org)
        for field, value in changes.items():
            setattr(org, field, value.strip() if isinstance(value, str) else value)
        _validated(org).save()
        audit.record(
            "accounts.organization.updated",
            actor=actor,
            target=org,
            data=audit.diff(before, _org_values(org)),
        )
    return org


def set_membership(*, actor: Any, user: Any, org: Organization, role: str, college: str = "") -> Membership:
    """Put ``user`` into ``org`` with ``role`` (creating or changing the membership); audited with the diff."""
    policies.require(actor, "accounts.manage")
    if role not in RoleChoices.values:
        raise ValidationError({"role": f"未知的角色：{role}"})
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(user=user).first()
        before = (
            {"org": membership.org.name, "role": membership.role, "college": membership.college}
            if membership is not None
            else {}
        )
        if membership is None:
            membership = Membership(user=user)
        membership.org, membership.role, membership.college = org, role, college.strip()
        membership.full_clean(exclude=("user",))
        membership.save()
        after = {"org": org.name, "role": role, "college": membership.college}
        audit.record(
            "accounts.membership.created" if not before else "accounts.membership.updated",
            actor=actor,
            target=membership,
            org=org,
            data=audit.diff(before, after),
        )
    return membership


def _may_manage_tokens_of(actor: Any, user: Any) -> bool:
    """Users manage their own tokens; administrators everyone's."""
    return (getattr(actor, "pk", None) is not None and actor.pk == user.pk) or policies.can(
        actor, "accounts.manage"
    )


def create_token(*, actor: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user``; returns the record and the key, which is shown once and never stored."""
    if not _may_manage_tokens_of(actor, user):
        raise PermissionDenied("无权为该用户创建 API 令牌")
    name = name.strip()
    if not name or len(name) > MAX_TOKEN_NAME:
        raise ValidationError({"name": f"令牌用途不能为空，且不超过 {MAX_TOKEN_NAME} 字"})
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key))
        audit.record(
            "accounts.token.created",
            actor=actor,
            target=token,
            data={"name": name, "user": user.get_username()},
        )
    return token, key


def revoke_token(*, actor: Any, token: ApiToken) -> None:
    """Delete a token so that it stops working at once; the audit event keeps its name and owner."""
    if not _may_manage_tokens_of(actor, token.user):
        raise PermissionDenied("无权吊销该 API 令牌")
    with transaction.atomic():
        audit.record(
            "accounts.token.revoked",
            actor=actor,
            target=token,
            data={"name": token.name, "user": token.user.get_username()},
        )
        token.delete()
