"""Background job wrapper for imports."""

from __future__ import annotations

from django_tasks import task

from patentbridge.ingest.services import run_batch

__all__ = ["run_import"]


@task()
def run_import(batch_id: int) -> dict[str, int]:
    """Run (or resume) an import batch in the worker; returns its final counters."""
    batch = run_batch(batch_id)
    return {
        "rows": batch.rows_read,
        "imported": batch.imported,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "rejected": batch.rejected,
    }
