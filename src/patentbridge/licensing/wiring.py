"""Connect the licensing modules to the rest of the site at start-up: panels on other apps'
pages, domain-event subscriptions. Each module owns a ``register()`` listed here."""

from __future__ import annotations

import importlib

# Modules that expose ``register() -> None``; a module is listed once it exists.
_MODULES: tuple[str, ...] = ()


def connect() -> None:
    for name in _MODULES:
        importlib.import_module(name).register()
