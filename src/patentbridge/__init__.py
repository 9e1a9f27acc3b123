"""PatentBridge (专利桥): the Django project."""

__all__: list[str] = []
