from django.apps import AppConfig


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.matching"
    verbose_name = "供需匹配"

    def ready(self) -> None:
        from patentbridge.matching import panels
        from patentbridge.matching.tasks import subscribe_events

        subscribe_events()
        panels.register()
