from django.contrib import admin

from patentbridge.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only view of the audit log for the back office."""

    list_display = ("timestamp", "actor_name", "org", "action", "object_repr", "request_id")
    list_filter = ("action",)
    search_fields = ("actor_name", "object_repr", "action", "request_id")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
