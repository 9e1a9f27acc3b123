"""The statistics rollup follows the library (domain events): after patents change or an import
completes, a background task brings ``analytics.rollups`` up to date, so the next reader finds it
built instead of rebuilding it in its own request."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from patentbridge.analytics import rollups
from patentbridge.core import events

__all__ = ["refresh_rollup", "subscribe_events"]


@task()
def refresh_rollup() -> bool:
    """Bring the rollup up to date (incrementally when it can); True if anything was recounted."""
    if rollups.is_fresh():
        return False
    return bool(rollups.refresh())


def _enqueue(*_: Any) -> None:
    refresh_rollup.enqueue()


def subscribe_events() -> None:
    """Called from ``AppConfig.ready``: patents changed, an import completed."""
    events.subscribe(events.PATENTS_CHANGED, _enqueue)
    events.subscribe(events.IMPORT_COMPLETED, _enqueue)
