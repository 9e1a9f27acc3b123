"""一月一链路演 URLs (mounted at /roadshows/, namespace ``roadshows``)."""

from django.urls import URLPattern, path

from patentbridge.roadshows import views

app_name = "roadshows"
urlpatterns: list[URLPattern] = [
    path("", views.calendar, name="calendar"),
    path("new/", views.event_new, name="new"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.event_act, name="act"),
]
