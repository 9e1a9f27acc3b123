from django.apps import AppConfig


class DemandsConfig(AppConfig):
    """Enterprise technology needs (技术需求)."""

    name = "patentbridge.demands"
    verbose_name = "技术需求"
