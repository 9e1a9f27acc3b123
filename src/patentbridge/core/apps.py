from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting pieces: audit log, request ids, task helpers, template tags."""

    name = "patentbridge.core"
    verbose_name = "核心"
