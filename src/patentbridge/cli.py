"""The ``patentbridge`` command: ``serve`` (default), ``init``, ``import``, ``worker``; anything
else is handed to Django's manage.py machinery (``patentbridge migrate``, ``patentbridge shell``)."""

from __future__ import annotations

import os
import sys

__all__ = ["main"]

_OWN_COMMANDS = {"serve", "init", "import", "worker", "grade"}


def main(argv: list[str] | None = None) -> None:
    """Dispatch; a bare ``patentbridge`` serves the web app."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patentbridge.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0].startswith("-"):
        args = ["serve", *args]
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    name = args[0]
    if name in _OWN_COMMANDS:
        name = {"import": "import_patents", "serve": "serve", "init": "init", "worker": "db_worker"}.get(
            name, name
        )
    execute_from_command_line(["patentbridge", name, *args[1:]])
