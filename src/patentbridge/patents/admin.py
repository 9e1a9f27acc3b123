"""Back office for operators: the library, parties, classes and chains (all read-only)."""

from __future__ import annotations

from django.contrib import admin

from patentbridge.core.admin import ReadOnlyAdminMixin
from patentbridge.patents.models import IndustryChain, Party, Patent, PatentClass


class PatentClassInline(ReadOnlyAdminMixin, admin.TabularInline[PatentClass, Patent]):
    """Classes with their reasons; recomputed by the platform, so read-only here."""

    model = PatentClass
    extra = 0
    can_delete = False
    readonly_fields = ("scheme", "code", "name", "method", "reason", "score")


@admin.register(Patent)
class PatentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Patent]):
    """Patents are changed through the platform's services (audited); the back office reads them."""

    list_display = (
        "application_number",
        "title",
        "patent_type",
        "legal_status",
        "library_status",
        "province",
        "owner_org",
    )
    list_filter = ("patent_type", "legal_status", "library_status", "applicant_kind", "province")
    search_fields = ("application_number", "publication_number", "title")
    inlines = (PatentClassInline,)
    list_select_related = ("owner_org",)


@admin.register(Party)
class PartyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Party]):
    """Normalised applicants and patentees."""

    list_display = ("name", "kind", "province", "city")
    list_filter = ("kind", "province")
    search_fields = ("name",)


@admin.register(IndustryChain)
class IndustryChainAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[IndustryChain]):
    """Chains are edited on the platform's chain page (validated, audited, reclassifies); listed here."""

    list_display = ("code", "name", "region", "position")
