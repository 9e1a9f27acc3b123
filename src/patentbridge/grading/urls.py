from django.urls import path

from patentbridge.grading import views

app_name = "grading"
urlpatterns = [
    path("policy/", views.policy_page, name="policy"),
    path("public-list/", views.public_list_page, name="public_list"),
    path("public-list/export/", views.public_list_export, name="public_list_export"),
    path("public-list/<int:pk>/route/", views.choose_route, name="route"),
    path("patents/<str:number>/override/", views.override, name="override"),
    path("assess/", views.assessments, name="assess"),
    path("assess/<int:pk>/", views.assessment_report, name="assessment"),
    path("patents/<str:number>/implementation/", views.record_implementation, name="implementation"),
]
