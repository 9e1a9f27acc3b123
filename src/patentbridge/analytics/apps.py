from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.analytics"
    verbose_name = "统计监测"

    def ready(self) -> None:
        from patentbridge.analytics.tasks import subscribe_events

        subscribe_events()
