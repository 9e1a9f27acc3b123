from django.apps import AppConfig


class PatentsConfig(AppConfig):
    """The patent resource library (专利转化资源库)."""

    name = "patentbridge.patents"
    verbose_name = "专利资源库"
