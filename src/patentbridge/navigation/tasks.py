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


@task()
def refresh_cube() -> bool:
    """Rebuild the navigation cube for today unless it is already fresh; True if rebuilt."""
    from django.utils import timezone

    if cube.fresh_for(timezone.localdate()):
        return False
    cube.rebuild()
    return True


def _enqueue(*_: Any) -> None:
    # Only once the cube is in use (a first report or `patentbridge navigation-cube` built it):
    # a library that never serves reports does not pay a recount per import.
    if cube.in_use():
        refresh_cube.enqueue()


def subscribe_events() -> None:
    """Called from ``AppConfig.ready``: patents changed, an import completed."""
    events.subscribe(events.PATENTS_CHANGED, _enqueue)
    events.subscribe(events.IMPORT_COMPLETED, _enqueue)
