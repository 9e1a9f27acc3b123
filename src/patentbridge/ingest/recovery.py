"""Re-enqueue imports whose worker died (kill -9, reboot) so they resume where they stopped."""

from __future__ import annotations

from django.db import transaction

from patentbridge.core import audit
from patentbridge.ingest.models import ImportBatch

__all__ = ["requeue_interrupted"]


def requeue_interrupted() -> int:
    """Called at start-up, before any worker runs: every unfinished batch is queued again."""
    from patentbridge.ingest.tasks import run_import

    count = 0
    for batch in ImportBatch.objects.filter(
        status__in=(ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    ):
        with transaction.atomic():
            audit.record(
                "ingest.batch.requeued",
                actor=None,
                target=batch,
                org=batch.org,
                data={"resume_after_row": batch.last_row},
            )
            transaction.on_commit(lambda pk=batch.pk: run_import.enqueue(pk))
        count += 1
    return count
