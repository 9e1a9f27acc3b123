from django.contrib import admin

from patentbridge.core.admin import ReadOnlyAdminMixin
from patentbridge.ingest.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ImportBatch]):
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
