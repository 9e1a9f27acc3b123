from django.apps import AppConfig


class RoadshowsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.roadshows"
    verbose_name = "一月一链路演"

    def ready(self) -> None:
        from patentbridge.roadshows import labels
        from patentbridge.roadshows.access import register_rules

        register_rules()
        labels.register()
