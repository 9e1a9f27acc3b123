from django.contrib import admin

from patentbridge.matching.models import MatchItem, Push


class _ReadOnly(admin.ModelAdmin):
    """Curation happens on the need pages (audited); the back office only reads."""

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(MatchItem)
class MatchItemAdmin(_ReadOnly):
    list_display = ("need", "patent", "state", "feedback", "score", "updated_at")
    list_filter = ("state", "feedback")
    search_fields = ("need__title", "patent__title", "patent__application_number")


@admin.register(Push)
class PushAdmin(_ReadOnly):
    list_display = ("need", "pushed_by", "item_count", "created_at")
