"""Licensing start-up hooks (open_panels); filled in by its module owner."""


def register() -> None:
    """Nothing to connect yet."""
