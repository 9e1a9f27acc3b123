"""专利池 URLs (mounted at /pools/, namespace ``pools``)."""

from django.urls import URLPattern, path

from patentbridge.pools import views

app_name = "pools"
urlpatterns: list[URLPattern] = [
    path("", views.pool_list, name="list"),
    path("new/", views.pool_new, name="new"),
    path("<int:pk>/", views.pool_detail, name="detail"),
    path("<int:pk>/apply/", views.pool_apply, name="apply"),
    path("<int:pk>/act/<str:action>/", views.pool_act, name="act"),
    path("distributions/<int:pk>/", views.distribution_detail, name="distribution"),
    path("distributions/<int:pk>/statement.xlsx", views.distribution_xlsx, name="distribution_xlsx"),
]
