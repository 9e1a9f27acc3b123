"""Background work of 专利导航 (django-tasks; inline in tests): report versions, and the
navigation cube brought up to date after the library changes (domain events), so the next report
reads it instead of counting its scope's patents."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from patentbridge.core import events
from patentbridge.navigation import cube
from patentbridge.navigation.services import run_report

__all__ = ["generate_report", "refresh_cube", "subscribe_events"]


@task()
def generate_report(report_id: int) -> str:
    """Freeze and compute one version; returns its final state."""
    return str(run_report(report_id).state)


# Least seconds between two rebuilds started by patent changes: a long import announces a change
# per batch, and a full recount per batch would keep the worker busy recounting (a report of a
# stale cube still counts live, exactly, and queues a rebuild of its own).
REBUILD_GAP = 600.0


@task()
def refresh_cube(forced: bool = True) -> bool:
    """Rebuild the navigation cube for today unless it is already fresh — or, when not
    ``forced``, rebuilt less than ``REBUILD_GAP`` seconds ago; True if rebuilt."""
    from django.utils import timezone

    if cube.fresh_for(timezone.localdate()):
        return False
    if not forced and cube.age() < REBUILD_GAP:
        return False
    cube.rebuild()
    return True


def _changed(*_: Any) -> None:
    # Only once the cube is in use (a first report or `patentbridge navigation-cube` built it):
    # a library that never serves reports does not pay a recount per import.
    if cube.in_use():
        refresh_cube.enqueue(forced=False)


def _imported(*_: Any) -> None:
    if cube.in_use():
        refresh_cube.enqueue(forced=True)


def subscribe_events() -> None:
    """Called from ``AppConfig.ready``: patents changed (rebuilds at most every ``REBUILD_GAP``
    seconds), an import completed (rebuilds)."""
    events.subscribe(events.PATENTS_CHANGED, _changed)
    events.subscribe(events.IMPORT_COMPLETED, _imported)
