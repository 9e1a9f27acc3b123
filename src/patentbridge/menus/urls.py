"""Menu URLs (mounted at /menus/, namespace ``menus``)."""

from django.urls import URLPattern, path

from patentbridge.menus import funnel_views, inbox_views, views

app_name = "menus"
urlpatterns: list[URLPattern] = [
    path("", views.menu_list, name="list"),
    path("new/", views.menu_new, name="new"),
    path("funnel/", funnel_views.funnel_overview, name="funnel"),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/<int:pk>/", inbox_views.inbox_menu, name="inbox_menu"),
    path("deliveries/<int:pk>/respond/", inbox_views.respond, name="respond"),
    path("deliveries/<int:pk>/trial/", inbox_views.trial, name="trial"),
    path("<int:pk>/", views.menu_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.menu_act, name="act"),
    path("<int:pk>/select/", views.menu_select, name="select"),
    path("<int:pk>/push/", views.menu_push, name="push"),
    path("<int:pk>/funnel/", funnel_views.menu_funnel, name="menu_funnel"),
    path("<int:pk>/export.xlsx", funnel_views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/export.pdf", funnel_views.export_pdf, name="export_pdf"),
]
