"""The audit log in the back office (read-only, other organisations' confidential drafts left out)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from patentbridge.core.admin import ReadOnlyAdminMixin
from patentbridge.core.models import AuditEvent
from patentbridge.site.confidential import without_foreign_confidential

__all__ = ["AuditEventAdmin"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[AuditEvent]):
    """Read-only view of the audit log for the back office."""

    list_display = ("timestamp", "actor_name", "org", "action", "object_repr", "request_id")
    list_filter = ("action",)
    search_fields = ("actor_name", "object_repr", "action", "request_id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        # Other organisations' confidential drafts are left out entirely: the admin shows the event's
        # data and searches object_repr, so masking the column alone would still leak the title.
        return without_foreign_confidential(super().get_queryset(request), request.user)
