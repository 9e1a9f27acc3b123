from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Organisations, memberships with roles, API tokens, login."""

    name = "patentbridge.accounts"
    verbose_name = "账户与机构"

    def ready(self) -> None:
        from patentbridge.accounts import signals  # noqa: F401 - connects the login audit handlers
