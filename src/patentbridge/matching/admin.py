"""Back office: match items and pushes (read-only; curation happens on the need pages, audited)."""

from django.contrib import admin

from patentbridge.core.admin import ReadOnlyAdminMixin
from patentbridge.matching.models import MatchItem, Push


@admin.register(MatchItem)
class MatchItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[MatchItem]):
    """Candidates per need with their curation state and enterprise feedback."""

    list_display = ("need", "patent", "state", "feedback", "score", "updated_at")
    list_filter = ("state", "feedback")
    search_fields = ("need__title", "patent__title", "patent__application_number")


@admin.register(Push)
class PushAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Push]):
    """Shortlists pushed to enterprises."""

    list_display = ("need", "pushed_by", "item_count", "created_at")
