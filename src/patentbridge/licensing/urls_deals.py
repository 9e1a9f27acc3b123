"""Licensing URLs (deals): the pipeline board, the enterprise's page, offers, applications and the
contract page with its filing and documents."""

from django.urls import URLPattern, path

from patentbridge.licensing.views import contract, contract_files, deal_applications, deal_offers, deals

urlpatterns: list[URLPattern] = [
    path("", deals.board, name="board"),
    path("mine/", deals.mine, name="mine"),
    path("offers/", deal_offers.offer_list, name="offers"),
    path("offers/new/", deal_offers.offer_new, name="offer_new"),
    path("offers/<int:pk>/", deal_offers.offer_detail, name="offer"),
    path("offers/<int:pk>/edit/", deal_offers.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/apply/", deal_applications.apply, name="apply"),
    path("offers/<int:pk>/step/<str:event>/", deal_offers.offer_step, name="offer_step"),
    path("interest/<int:item_pk>/apply/", deal_applications.apply_from_interest, name="apply_interest"),
    path("applications/<int:pk>/", deal_applications.application_detail, name="application"),
    path("applications/<int:pk>/accept/", deal_applications.application_accept, name="application_accept"),
    path("applications/<int:pk>/reject/", deal_applications.application_reject, name="application_reject"),
    path(
        "applications/<int:pk>/withdraw/", deal_applications.application_withdraw, name="application_withdraw"
    ),
    path(
        "applications/<int:pk>/confirm-region/",
        deal_applications.application_confirm_region,
        name="application_confirm_region",
    ),
    path("contracts/<int:pk>/", contract.contract_detail, name="contract"),
    path("contracts/<int:pk>/act/<str:event>/", contract.contract_act, name="contract_act"),
    path(
        "contracts/<int:pk>/filings/<int:filing_pk>/<str:action>/",
        contract_files.filing_act,
        name="filing_act",
    ),
    path("contracts/<int:pk>/filing-form.xlsx", contract_files.filing_form_xlsx, name="filing_form_xlsx"),
    path("contracts/<int:pk>/documents/", contract_files.document_upload, name="document_upload"),
    path(
        "contracts/<int:pk>/documents/<int:doc_pk>/",
        contract_files.document_download,
        name="document_download",
    ),
]
