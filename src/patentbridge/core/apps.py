from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting pieces: audit log, request ids, task helpers, template tags."""

    name = "patentbridge.core"
    verbose_name = "核心"

    def ready(self) -> None:
        # Every SQLite connection retries a write that could not get the lock (core/dblock.py).
        from patentbridge.core import dblock

        dblock.install()
