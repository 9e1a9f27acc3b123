"""专利导航 URLs (mounted at /navigation/, namespace ``navigation``)."""

from django.urls import URLPattern

app_name = "navigation"
urlpatterns: list[URLPattern] = []
