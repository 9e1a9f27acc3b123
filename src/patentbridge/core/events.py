"""Domain events: services announce what changed; the apps that care subscribe.

A service calls ``announce(PATENTS_CHANGED, numbers)`` inside its transaction; subscribers run
once the transaction commits (never for a rolled-back change), in the order they subscribed. Apps
subscribe in ``AppConfig.ready()`` — the search index, inventor teams and grades follow patents
this way, and later modules (licences, statistics) join the same way — so no app reaches "up" to
refresh another (architecture.md §3 rule 5).

``quiet()`` lets a bulk loader (the demo) suppress delivery while it writes and rebuild
everything once at the end instead of after every batch.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

__all__ = [
    "IMPORT_COMPLETED",
    "NEEDS_CHANGED",
    "PATENTS_CHANGED",
    "announce",
    "quiet",
    "subscribe",
    "subscribers",
]

# Payload: list of application numbers whose stored fields, status or owner changed.
PATENTS_CHANGED = "patents_changed"
# Payload: the import batch id; subscribers read the patents it created or changed.
IMPORT_COMPLETED = "import_completed"
# Payload: list of technology-need primary keys that were created or changed.
NEEDS_CHANGED = "needs_changed"
_EVENTS = (PATENTS_CHANGED, IMPORT_COMPLETED, NEEDS_CHANGED)

Handler = Callable[[Any], object]
_subscribers: dict[str, list[Handler]] = {name: [] for name in _EVENTS}
_quiet: contextvars.ContextVar[bool] = contextvars.ContextVar("patentbridge_events_quiet", default=False)


def subscribe(event: str, handler: Handler) -> None:
    """Call ``handler(payload)`` after each committed announcement of ``event`` (idempotent)."""
    if event not in _subscribers:
        raise KeyError(f"unknown event {event!r}")
    if handler not in _subscribers[event]:
        _subscribers[event].append(handler)


def subscribers(event: str) -> list[Handler]:
    """The handlers of ``event`` in delivery order (for tests and diagnostics)."""
    return list(_subscribers[event])


def announce(event: str, payload: Any) -> None:
    """Deliver ``payload`` to the event's subscribers once the current transaction commits."""
    if event not in _subscribers:
        raise KeyError(f"unknown event {event!r}")
    if _quiet.get():
        return
    handlers = list(_subscribers[event])

    def deliver() -> None:
        for handler in handlers:
            handler(payload)

    transaction.on_commit(deliver)


@contextmanager
def quiet() -> Iterator[None]:
    """Suppress announcements made inside the block (the caller rebuilds what subscribers keep)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)
