from django.apps import AppConfig


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.matching"
    verbose_name = "供需匹配"

    def ready(self) -> None:
        from patentbridge.core.restrict import register_rule
        from patentbridge.matching import panels
        from patentbridge.matching.models import MatchItem
        from patentbridge.matching.queries import restrict_items
        from patentbridge.matching.tasks import subscribe_events

        register_rule(MatchItem, restrict_items)

        subscribe_events()
        panels.register()
