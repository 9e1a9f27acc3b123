"""The daily job: regrade the library (remaining life, age and demand change with time) and
recompute the public implementation list."""

from __future__ import annotations

import threading

from django_tasks import task

__all__ = ["daily_refresh", "schedule_daily"]

_DAY_SECONDS = 24 * 3600


@task()
def daily_refresh() -> dict[str, int]:
    from patentbridge.grading.public_list import recompute_public_list
    from patentbridge.grading.services import grade_numbers

    graded = grade_numbers()
    return {"graded": graded, **recompute_public_list()}


def schedule_daily() -> threading.Timer:
    """Enqueue ``daily_refresh`` now and every 24 hours while the process runs (``serve``);
    deployments with cron can run ``patentbridge public-list`` and ``patentbridge grade`` instead."""
    daily_refresh.enqueue()
    timer = threading.Timer(_DAY_SECONDS, schedule_daily)
    timer.daemon = True
    timer.start()
    return timer
