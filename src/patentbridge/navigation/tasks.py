"""Background generation of navigation report versions (django-tasks; inline in tests)."""

from __future__ import annotations

from django_tasks import task

from patentbridge.navigation.services import run_report

__all__ = ["generate_report"]


@task()
def generate_report(report_id: int) -> str:
    """Freeze and compute one version; returns its final state."""
    return str(run_report(report_id).state)
