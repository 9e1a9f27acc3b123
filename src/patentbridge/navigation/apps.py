from django.apps import AppConfig


class NavigationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.navigation"
    verbose_name = "专利导航"
