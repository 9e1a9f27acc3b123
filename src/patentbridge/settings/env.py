"""Declared settings: every PATENTBRIDGE_* environment variable is read through ``setting()``.

A declaration names the variable, its default (the text used when it is unset), how the text is
parsed and what it means. ``REGISTRY`` keeps the declarations in the order the settings modules
run; ``scripts/gen_docs.py`` renders them into docs/configuration.md, so the table there is the
code's own definition. A parser rejects a bad value with ``BadValue(hint)``, reported as
``Unexpected value NAME=VALUE, hint`` (``ImproperlyConfigured``), or raises its own error.

This module imports nothing from the settings package, so every topic module can use it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "REGISTRY",
    "BadValue",
    "Declared",
    "comma_list",
    "convert",
    "flag",
    "lag_seconds",
    "one_of",
    "positive_megabytes",
    "read",
    "resolved_path",
    "setting",
    "whole_seconds",
]


class BadValue(ValueError):
    """A parser's refusal; its text is the hint after ``Unexpected value NAME=VALUE,``."""


@dataclass(frozen=True)
class Declared:
    """One environment variable as documented: ``shown`` overrides how the default is written."""

    name: str
    default: str
    doc: str
    shown: str
    topic: str
    parse: Callable[[str], Any]

    def same_as(self, other: Declared) -> bool:
        return (self.default, self.doc, self.shown, self.topic) == (
            other.default,
            other.doc,
            other.shown,
            other.topic,
        )


REGISTRY: dict[str, Declared] = {}


def convert(name: str, raw: str, parse: Callable[[str], Any]) -> Any:
    """``parse(raw)``, turning ``BadValue`` into the configuration error named after the variable."""
    try:
        return parse(raw)
    except BadValue as exc:
        raise ImproperlyConfigured(f"Unexpected value {name}={raw}, {exc}") from None


def setting(name: str, default: str, doc: str, *, parse: Callable[[str], Any] = str, shown: str = "") -> Any:
    """Declare ``name`` (once; a repeated identical declaration is allowed) and return its parsed value.

    The topic is the declaring module (``patentbridge.settings.security`` → ``security``)."""
    module = str(sys._getframe(1).f_globals.get("__name__", ""))
    topic = module.rsplit(".", 1)[-1] if module != "patentbridge.settings" else "general"
    declared = Declared(name, default, doc, shown, topic, parse)
    previous = REGISTRY.setdefault(name, declared)
    if not previous.same_as(declared):
        raise RuntimeError(f"{name} is declared twice with different definitions")
    return read(name)


def read(name: str) -> Any:
    """The declared variable's value now (for the few read at use time rather than at start-up)."""
    declared = REGISTRY[name]
    return convert(name, os.getenv(name, declared.default), declared.parse)


# Parsers shared by the settings modules.


def flag(raw: str) -> bool:
    """True/False (also true/false, 1/0); empty is False."""
    if raw not in ("", "True", "False", "true", "false", "1", "0"):
        raise BadValue("use 'True' or 'False'")
    return raw in ("True", "true", "1")


def comma_list(raw: str) -> list[str]:
    """Comma-separated values, empty items dropped."""
    return [item for item in raw.split(",") if item]


def resolved_path(raw: str) -> Path:
    return Path(raw).resolve()


def positive_megabytes(raw: str) -> int:
    """A whole number ≥ 1."""
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        raise BadValue("use a whole number of megabytes ≥ 1")
    return number


def whole_seconds(raw: str) -> int:
    """A whole number ≥ 0; empty is 0."""
    value = raw or "0"
    if not value.isdigit():
        raise BadValue("use a whole number of seconds")
    return int(value)


def one_of(*choices: str) -> Callable[[str], str]:
    """Exactly one of ``choices``."""

    def parse(raw: str) -> str:
        if raw not in choices:
            raise BadValue("use " + " or ".join(f"'{c}'" for c in choices))
        return raw

    return parse


def lag_seconds(raw: str) -> float:
    """Seconds ≥ 0; a negative number is 0 and anything unreadable is 0 (never an error)."""
    try:
        return max(0.0, float(raw))
    except ValueError:
        return 0.0
