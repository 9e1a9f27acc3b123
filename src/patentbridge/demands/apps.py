from django.apps import AppConfig


class DemandsConfig(AppConfig):
    """Enterprise technology needs (技术需求)."""

    name = "patentbridge.demands"
    verbose_name = "技术需求"

    def ready(self) -> None:
        from patentbridge.core.restrict import register_rule
        from patentbridge.demands.models import TechNeed
        from patentbridge.demands.queries import restrict_needs

        register_rule(TechNeed, restrict_needs)
        from patentbridge.demands import panels

        panels.register()
