from django.apps import AppConfig


class MenusConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.menus"
    verbose_name = "专利菜单"
