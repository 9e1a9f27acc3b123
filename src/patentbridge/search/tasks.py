"""Background index updates, run when the library or the needs change (domain events)."""

from __future__ import annotations

from django_tasks import task

from patentbridge.core import events
from patentbridge.patents.models import Patent
from patentbridge.search.index import update_index, update_needs_index

__all__ = ["batch_numbers", "index_batch", "index_needs", "index_patents", "subscribe_events"]


def batch_numbers(batch_id: int) -> list[str]:
    """The application numbers an import batch created or changed."""

    return list(Patent.objects.filter(source_batch_id=batch_id).values_list("application_number", flat=True))


@task()
def index_patents(numbers: list[str]) -> int:
    """Bring the given patents' entries in the search index up to date."""
    return update_index(numbers)


@task()
def index_batch(batch_id: int) -> int:
    """Index the patents an import batch created or changed."""
    numbers = batch_numbers(batch_id)
    return update_index(numbers) if numbers else 0


@task()
def index_needs(pks: list[int]) -> int:
    """Bring the given needs' entries in the needs index up to date."""
    return update_needs_index(pks)


def subscribe_events() -> None:
    """The search index follows patents, imports and needs (called from ``AppConfig.ready``)."""

    events.subscribe(events.PATENTS_CHANGED, lambda numbers: index_patents.enqueue(list(numbers)))
    events.subscribe(events.IMPORT_COMPLETED, lambda batch_id: index_batch.enqueue(batch_id))
    events.subscribe(events.NEEDS_CHANGED, lambda pks: index_needs.enqueue(list(pks)))
