from django.apps import AppConfig


class PoolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patentbridge.pools"
    verbose_name = "专利池"
