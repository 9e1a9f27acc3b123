"""专利导航 URLs (mounted at /navigation/, namespace ``navigation``)."""

from django.urls import URLPattern, path

from patentbridge.navigation import views

app_name = "navigation"
urlpatterns: list[URLPattern] = [
    path("", views.project_list, name="list"),
    path("new/", views.project_new, name="new"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/generate/", views.project_generate, name="generate"),
    path("report/<int:pk>/", views.report_detail, name="report"),
    path("report/<int:pk>/progress/", views.report_progress, name="progress"),
    path("report/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("report/<int:pk>/publish/", views.report_publish, name="publish"),
    path("report/<int:pk>/diff/", views.report_diff, name="diff"),
    path("report/<int:pk>/export.pdf", views.report_export, {"fmt": "pdf"}, name="export_pdf"),
    path("report/<int:pk>/export.xlsx", views.report_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("finding/<int:pk>/delete/", views.finding_delete, name="finding_delete"),
]
