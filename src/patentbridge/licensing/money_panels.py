"""Licensing start-up hooks (money_panels); filled in by its module owner."""


def register() -> None:
    """Nothing to connect yet."""
