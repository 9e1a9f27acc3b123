from django.contrib import admin

from patentbridge.demands.models import TechNeed


@admin.register(TechNeed)
class TechNeedAdmin(admin.ModelAdmin):
    """Needs (read-only; posted and classified through the platform)."""

    list_display = ("title", "org", "wanted_mode", "status", "created_at")
    list_filter = ("status", "wanted_mode")
    search_fields = ("title", "description")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
