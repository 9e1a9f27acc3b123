"""Licensing URLs; each part of the app owns its own URL module."""

from django.urls import include, path

app_name = "licensing"
urlpatterns = [
    path("", include("patentbridge.licensing.urls_deals")),
    path("open/", include("patentbridge.licensing.urls_open")),
    path("money/", include("patentbridge.licensing.urls_money")),
    path("ledger/", include("patentbridge.licensing.urls_ledger")),
]
