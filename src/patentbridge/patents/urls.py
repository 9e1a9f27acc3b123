from django.urls import path

from patentbridge.patents import chain_views, views

app_name = "patents"
urlpatterns = [
    path("", views.patent_list, name="list"),
    path("export/", views.patent_export, name="export"),
    path("new/", views.patent_new, name="new"),
    path("review/", views.review_queue, name="review"),
    path("chains/", chain_views.chains, name="chains"),
    path("<str:number>/", views.patent_detail, name="detail"),
    path("<str:number>/<str:action>/", views.patent_action, name="action"),
]
