from django.urls import path

from patentbridge.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.funnel_list, name="funnels"),
    path("inbox/", views.inbox, name="inbox"),
    path("needs/<int:pk>/curate/", views.curate, name="curate"),
    path("needs/<int:pk>/push/", views.push, name="push"),
    path("items/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("patents/<str:number>/", views.patent_prospects, name="prospects"),
    path("teams/", views.team_list, name="teams"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
]
