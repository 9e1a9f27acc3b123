"""Licensing URLs (money), mounted at ``/licensing/money/``."""

from django.urls import URLPattern, path

from patentbridge.licensing.views import money, money_income

urlpatterns: list[URLPattern] = [
    path("receivables/", money.receivables_overview, name="money_receivables"),
    path("receivables/ageing.xlsx", money.ageing_export, name="money_ageing_xlsx"),
    path("ledger.xlsx", money.ledger_export, name="money_ledger_xlsx"),
    path("contracts/<str:pk>/usage-reports/", money.submit_usage, name="money_usage_report"),
    path("receivables/<str:pk>/payments/", money.record_payment, name="money_payment"),
    path("receivables/<str:pk>/statement.pdf", money.statement_pdf, name="money_statement_pdf"),
    path("payments/<str:pk>/distribution/", money_income.distribution, name="money_distribution"),
    path("distributions/<str:pk>/approve/", money_income.approve, name="money_distribution_approve"),
    path("distributions/<str:pk>/sheet.pdf", money_income.distribution_pdf, name="money_distribution_pdf"),
    path("my-income/", money_income.my_income, name="money_my_income"),
]
