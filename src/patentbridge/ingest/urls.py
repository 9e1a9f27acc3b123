from django.urls import path

from patentbridge.ingest import views

app_name = "ingest"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("template.xlsx", views.import_template, name="template"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/rejects.csv", views.batch_report, name="report"),
]
