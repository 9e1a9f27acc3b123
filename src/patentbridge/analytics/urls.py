"""Statistics URLs (mounted at /stats/)."""

from django.urls import path

from patentbridge.analytics import art21, drill_views, exports, period_views, views

app_name = "analytics"
urlpatterns = [
    path("", views.report_page, name="report"),
    path("region/<str:code>/", views.region_page, name="region"),
    path("org/<int:pk>/", views.org_page, name="org"),
    path("chain/<str:code>/", drill_views.chain_page, name="chain"),
    path("export/<str:indicator_id>.xlsx", exports.export, name="export"),
    path("period/", period_views.period_page, name="period"),
    path("period/report.<str:fmt>", period_views.period_export, name="period-export"),
    path("art21/", art21.art21_page, name="art21"),
    path("art21/export.xlsx", art21.art21_export, name="art21-export"),
]
