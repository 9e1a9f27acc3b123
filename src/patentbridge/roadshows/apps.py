from django.apps import AppConfig


class RoadshowsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.roadshows"
    verbose_name = "一月一链路演"
