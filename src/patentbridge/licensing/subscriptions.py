"""Licensing start-up hooks (subscriptions); filled in by its module owner."""


def register() -> None:
    """Nothing to connect yet."""
