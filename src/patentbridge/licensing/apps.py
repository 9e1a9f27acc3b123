from django.apps import AppConfig


class LicensingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.licensing"
    verbose_name = "许可与开放许可"

    def ready(self) -> None:
        from patentbridge.licensing.access import register_rules
        from patentbridge.licensing.wiring import connect

        register_rules()
        # Panels, domain-event subscriptions and schedules of every licensing module.
        connect()
