"""专利池 URLs (mounted at /pools/, namespace ``pools``)."""

from django.urls import URLPattern

app_name = "pools"
urlpatterns: list[URLPattern] = []
