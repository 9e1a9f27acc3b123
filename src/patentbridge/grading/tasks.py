"""The daily job: regrade the library (remaining life, age and demand change with time) and
recompute the public implementation list."""

from __future__ import annotations

import threading

from django_tasks import task

from patentbridge.core import events
from patentbridge.grading.public_list import recompute_public_list
from patentbridge.grading.services import grade_numbers
from patentbridge.search.tasks import batch_numbers

__all__ = ["daily_refresh", "grade_batch", "grade_patents", "schedule_daily", "subscribe_events"]

_DAY_SECONDS = 24 * 3600


@task()
def daily_refresh() -> dict[str, int]:

    graded = grade_numbers()
    return {"graded": graded, **recompute_public_list()}


@task()
def grade_patents(numbers: list[str]) -> int:
    """Regrade patents whose data changed."""

    return grade_numbers(numbers)


@task()
def grade_batch(batch_id: int) -> int:
    """Grade the patents an import batch created or changed."""

    numbers = batch_numbers(batch_id)
    return grade_numbers(numbers) if numbers else 0


def subscribe_events() -> None:
    """Grades follow the library (called from ``GradingConfig.ready``)."""

    events.subscribe(events.PATENTS_CHANGED, lambda numbers: grade_patents.enqueue(list(numbers)))
    events.subscribe(events.IMPORT_COMPLETED, lambda batch_id: grade_batch.enqueue(batch_id))


def schedule_daily() -> threading.Timer:
    """Enqueue ``daily_refresh`` now and every 24 hours while the process runs (``serve``);
    deployments with cron can run ``patentbridge public-list`` and ``patentbridge grade`` instead."""
    daily_refresh.enqueue()
    timer = threading.Timer(_DAY_SECONDS, schedule_daily)
    timer.daemon = True
    timer.start()
    return timer
