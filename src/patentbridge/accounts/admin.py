from django.contrib import admin

from patentbridge.accounts.models import ApiToken, Membership, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Member organisations."""

    list_display = ("name", "kind", "province", "city")
    list_filter = ("kind", "province")
    search_fields = ("name", "uscc")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Users' organisations and roles."""

    list_display = ("user", "org", "role", "college")
    list_filter = ("role", "org__kind")
    search_fields = ("user__username", "org__name")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens (hashes only)."""

    list_display = ("name", "user", "created_at", "last_used_at")
    readonly_fields = ("key_hash",)
