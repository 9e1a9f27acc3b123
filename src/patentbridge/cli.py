"""The ``patentbridge`` command: ``serve`` (default), ``init``, ``import``, ``worker``, ``grade``,
``public-list``, ``backtest``, ``reindex``; anything else is handed to Django's manage.py machinery
(``patentbridge migrate``, ``patentbridge shell``)."""

from __future__ import annotations

import os
import sys

__all__ = ["main"]

# Names on the command line → Django command modules (hyphenated names cannot be module names).
_ALIASES = {"import": "import_patents", "worker": "db_worker", "public-list": "public_list"}


def main(argv: list[str] | None = None) -> None:
    """Dispatch; a bare ``patentbridge`` serves the web app."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patentbridge.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0].startswith("-"):
        args = ["serve", *args]
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    execute_from_command_line(["patentbridge", _ALIASES.get(args[0], args[0]), *args[1:]])
