"""Licensing start-up hooks (panels); filled in by its module owner."""


def register() -> None:
    """Nothing to connect yet."""
