from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Keeps the engine's search index in step with the library; matching of needs to patents."""

    name = "patentbridge.search"
    label = "pbsearch"
    verbose_name = "检索与匹配"
