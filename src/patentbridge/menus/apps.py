from django.apps import AppConfig


class MenusConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.menus"
    verbose_name = "专利菜单"

    def ready(self) -> None:
        from patentbridge.menus import labels, panels
        from patentbridge.menus.access import register_rules

        register_rules()
        labels.register()
        panels.register()
