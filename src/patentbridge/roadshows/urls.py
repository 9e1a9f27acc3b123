"""一月一链路演 URLs (mounted at /roadshows/, namespace ``roadshows``)."""

from django.urls import URLPattern

app_name = "roadshows"
urlpatterns: list[URLPattern] = []
