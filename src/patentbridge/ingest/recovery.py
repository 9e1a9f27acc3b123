"""Recover work a dead worker left behind (kill -9, crash, reboot), at every worker (re)start.

* Job rows the worker had claimed stay RUNNING for ever in django_tasks_db (its loop only picks
  READY rows), so they are made READY again; a job that was interrupted ``_MAX_ATTEMPTS`` times is
  failed instead, so one job that kills the worker cannot restart it in a loop.
* Unfinished import batches get a job unless one is already waiting, so they resume where
  they stopped (run_batch is safe to call again).

Runs only while holding the data directory's worker lock (core/worker.py), so no live worker's
job is touched (with PostgreSQL shared by several installations, give each its own database).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from patentbridge.core import audit
from patentbridge.ingest.models import ImportBatch
from patentbridge.ingest.tasks import run_import

__all__ = ["requeue_interrupted", "reset_interrupted_jobs"]

logger = logging.getLogger(__name__)

# Claims of one job (one per worker that started it) after which it is failed, not retried.
_MAX_ATTEMPTS = 3
_IMPORT_TASK = "patentbridge.ingest.tasks.run_import"


class WorkerDiedError(RuntimeError):
    """Recorded as the failure of a job that was interrupted too many times."""


def reset_interrupted_jobs() -> int:
    """RUNNING job rows → READY (or FAILED after ``_MAX_ATTEMPTS`` claims); returns how many."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    count = 0
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        attempts = len(row.worker_ids or [])
        if attempts >= _MAX_ATTEMPTS:
            row.set_failed(WorkerDiedError(f"后台任务进程在执行该任务时中断了 {attempts} 次，不再重试"))
            logger.warning("任务 %s（%s）已中断 %d 次，标记为失败", row.pk, row.task_path, attempts)
        else:
            DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None, run_after=timezone.now()
            )
            logger.warning("任务 %s（%s）在上一个后台进程中被中断，重新排队", row.pk, row.task_path)
        count += 1
    return count


def _waiting_import_batches() -> set[int]:
    """Batch ids that already have a READY import job (after reset_interrupted_jobs)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting: set[int] = set()
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=_IMPORT_TASK)
    for args_kwargs in ready.values_list("args_kwargs", flat=True):
        args: list[Any] = (args_kwargs or {}).get("args") or []
        if args and isinstance(args[0], int):
            waiting.add(args[0])
    return waiting


def requeue_interrupted() -> int:
    """Called at each worker start, before it takes jobs: interrupted jobs are made READY again
    and every unfinished batch without a waiting job is queued again; returns the batches queued."""

    reset_interrupted_jobs()
    waiting = _waiting_import_batches()
    count = 0
    for batch in ImportBatch.objects.filter(
        status__in=(ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    ).exclude(pk__in=waiting):
        with transaction.atomic():
            audit.record(
                "ingest.batch.requeued",
                actor=None,
                target=batch,
                org=batch.org,
                data={"resume_after_row": batch.last_row},
            )
            transaction.on_commit(partial(run_import.enqueue, batch.pk))
        count += 1
    return count
