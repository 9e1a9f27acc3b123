from django.apps import AppConfig


class GradingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.grading"
    verbose_name = "价值分级与公开实施"

    def ready(self) -> None:
        from patentbridge.grading import panels
        from patentbridge.grading.tasks import subscribe_events

        subscribe_events()
        panels.register()
