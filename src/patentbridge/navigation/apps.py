from django.apps import AppConfig


class NavigationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.navigation"
    verbose_name = "专利导航"

    def ready(self) -> None:
        from patentbridge.navigation import labels
        from patentbridge.navigation.access import register_rules
        from patentbridge.navigation.tasks import subscribe_events

        register_rules()
        labels.register()
        subscribe_events()
