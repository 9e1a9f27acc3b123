from django.apps import AppConfig


class GradingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.grading"
    verbose_name = "价值分级与公开实施"

    def ready(self) -> None:
        from patentbridge.core.restrict import register_rule
        from patentbridge.grading import panels
        from patentbridge.grading.assessment import assessment_rule
        from patentbridge.grading.models import Assessment
        from patentbridge.grading.tasks import subscribe_events

        register_rule(Assessment, assessment_rule)

        subscribe_events()
        panels.register()
