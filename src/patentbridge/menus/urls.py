"""Menu URLs."""

from django.urls import URLPattern

app_name = "menus"
urlpatterns: list[URLPattern] = []
