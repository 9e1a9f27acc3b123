from django.apps import AppConfig


class PoolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.pools"
    verbose_name = "专利池"

    def ready(self) -> None:
        from patentbridge.pools import labels, panels, subscriptions
        from patentbridge.pools.access import register_rules

        register_rules()
        labels.register()
        panels.register()
        subscriptions.register()
