"""Licensing URLs (ledger): a patent's 权利负担台账 and the dated policy parameters."""

from django.urls import URLPattern, path

from patentbridge.licensing.views import ledger

urlpatterns: list[URLPattern] = [
    path("policy/", ledger.policy_page, name="ledger_policy"),
    path("patents/<str:number>/", ledger.patent_ledger, name="ledger_patent"),
    path("patents/<str:number>/events/", ledger.add_event, name="ledger_add_event"),
]
