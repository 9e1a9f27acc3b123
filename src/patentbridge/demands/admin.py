from django.contrib import admin

from patentbridge.core.admin import ReadOnlyAdminMixin
from patentbridge.demands.models import TechNeed


@admin.register(TechNeed)
class TechNeedAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[TechNeed]):
    """Needs (read-only; posted and classified through the platform)."""

    list_display = ("title", "org", "wanted_mode", "status", "created_at")
    list_filter = ("status", "wanted_mode")
    search_fields = ("title", "description")
