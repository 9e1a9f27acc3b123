"""Connect the licensing modules to the rest of the site at start-up: panels on other apps'
pages, signal receivers, domain-event subscriptions. Each listed module has ``register()``."""

from __future__ import annotations

import importlib

_MODULES: tuple[str, ...] = (
    "patentbridge.licensing.panels",
    "patentbridge.licensing.money_panels",
    "patentbridge.licensing.open_panels",
    "patentbridge.licensing.subscriptions",
    "patentbridge.licensing.services.rights_import",
    "patentbridge.licensing.ledger_panels",
    "patentbridge.licensing.deal_labels",
)


def connect() -> None:
    for name in _MODULES:
        importlib.import_module(name).register()
