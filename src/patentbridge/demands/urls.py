from django.urls import path

from patentbridge.demands import views

app_name = "demands"
urlpatterns = [
    path("", views.need_list, name="list"),
    path("new/", views.need_new, name="new"),
    path("<int:pk>/", views.need_detail, name="detail"),
]
