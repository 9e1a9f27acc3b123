from django.apps import AppConfig


class SiteConfig(AppConfig):
    """What ties the product together: home page, audit log page, notifications, the demo loader and the
    ``init`` / ``serve`` / ``worker`` commands. It may import every feature app; none imports it."""

    name = "patentbridge.site"
    label = "pbsite"
    verbose_name = "平台"
