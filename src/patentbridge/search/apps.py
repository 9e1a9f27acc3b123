from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Keeps the engine's search index in step with the library; matching of needs to patents."""

    name = "patentbridge.search"
    label = "pbsearch"
    verbose_name = "检索与匹配"

    def ready(self) -> None:
        from patentbridge.search.tasks import subscribe_events

        subscribe_events()
