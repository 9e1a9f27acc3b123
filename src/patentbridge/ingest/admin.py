from django.contrib import admin

from patentbridge.ingest.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Import batches with their counters (read-only)."""

    list_display = (
        "pk",
        "original_name",
        "org",
        "status",
        "rows_read",
        "imported",
        "updated",
        "unchanged",
        "rejected",
    )
    list_filter = ("status", "format")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
