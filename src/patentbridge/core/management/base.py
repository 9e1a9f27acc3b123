"""Base of the product's ``patentbridge`` commands: help in Chinese, showing only their own options.

Django's developer options (``--settings``, ``--pythonpath``, ``--traceback``, ``-v``, colours,
``--skip-checks``, ``--version``) still work but are not listed; the program name is the one typed
(``patentbridge import``, not the module name); ``epilog`` holds notes printed after the options
(output formats, rules), with its line breaks kept. docs/cli.md is generated from this help.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandParser, DjangoHelpFormatter

from patentbridge.cli import _ALIASES

__all__ = ["ProductCommand"]

_DJANGO_OPTIONS = {
    "--version",
    "--verbosity",
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
    "--skip-checks",
}
# Module name → the name typed after `patentbridge`.
_TYPED = {module: typed for typed, module in _ALIASES.items()}


class _Formatter(DjangoHelpFormatter):
    """Chinese usage heading; the description and epilog keep their line breaks."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "".join(indent + line for line in text.splitlines(keepends=True))


class ProductCommand(BaseCommand):
    """A ``patentbridge`` command; set ``help`` (one line) and optionally ``epilog``."""

    epilog = ""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", _Formatter)
        if self.epilog:
            kwargs.setdefault("epilog", self.epilog)
        parser = super().create_parser(prog_name, _TYPED.get(subcommand, subcommand), **kwargs)
        parser._positionals.title = "参数"
        parser._optionals.title = "选项"
        for action in parser._actions:
            if set(action.option_strings) & _DJANGO_OPTIONS:
                action.help = argparse.SUPPRESS
            elif "--help" in action.option_strings:
                action.help = "显示本帮助并退出"
        return parser
