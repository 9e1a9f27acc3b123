"""Back office for organisations, members, users, API tokens and login lockouts (read-only).

Changes go through ``accounts/services.py`` (audited) or the ``token`` command; the admin only reads.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from patentbridge.accounts.models import ApiToken, Membership, Organization
from patentbridge.core.admin import ReadOnlyAdminMixin

__all__ = [
    "AccessAttemptAdmin",
    "ApiTokenAdmin",
    "MembershipAdmin",
    "OrganizationAdmin",
    "ReadOnlyGroupAdmin",
    "ReadOnlyUserAdmin",
]


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Organization]):
    """Member organisations."""

    list_display = ("name", "kind", "province", "city")
    list_filter = ("kind", "province")
    search_fields = ("name", "uscc")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Membership]):
    """Users' organisations and roles."""

    list_display = ("user", "org", "role", "college")
    list_filter = ("role", "org__kind")
    search_fields = ("user__username", "org__name")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ApiToken]):
    """API tokens (hashes only)."""

    list_display = ("name", "user", "created_at", "last_used_at")
    readonly_fields = ("key_hash",)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[AccessAttempt]):
    """Failed login attempts counted by django-axes (unlock: ``patentbridge axes_reset_username``)."""

    list_display = ("attempt_time", "username", "ip_address", "failures_since_start")
    search_fields = ("username", "ip_address")
    # The raw request data axes keeps may hold what was typed; the list shows only what is needed.
    fields = ("attempt_time", "username", "ip_address", "failures_since_start", "path_info")


# Django registers writable user and group admins; users are changed by the init/demo commands,
# ``createsuperuser`` and the audited services, never silently in the back office.
for _model in (get_user_model(), Group):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(get_user_model())
class ReadOnlyUserAdmin(ReadOnlyAdminMixin, UserAdmin[Any]):
    """Accounts (read-only: no password or superuser flag can be changed here)."""


@admin.register(Group)
class ReadOnlyGroupAdmin(ReadOnlyAdminMixin, GroupAdmin):
    """Permission groups (unused by the platform's own role policies)."""
