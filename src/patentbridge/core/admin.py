"""The back office reads; it never writes.

Every state change must go through a ``services.py`` function that writes its audit event in the
same transaction. A writable Django admin would bypass that, so every ModelAdmin (and inline) of the
project uses ``ReadOnlyAdminMixin``; ``tests/web/test_admin_audit.py`` checks every registered model.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from patentbridge.core.confidential import without_foreign_confidential
from patentbridge.core.models import AuditEvent

__all__ = ["AuditEventAdmin", "ReadOnlyAdminMixin"]


class ReadOnlyAdminMixin:
    """No add, change or delete in the admin: such POSTs are answered with 403 and change nothing."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only view of the audit log for the back office."""

    list_display = ("timestamp", "actor_name", "org", "action", "object_repr", "request_id")
    list_filter = ("action",)
    search_fields = ("actor_name", "object_repr", "action", "request_id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        # Other organisations' confidential drafts are left out entirely: the admin shows the event's
        # data and searches object_repr, so masking the column alone would still leak the title.
        return without_foreign_confidential(super().get_queryset(request), request.user)
