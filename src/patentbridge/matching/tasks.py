"""Inventor teams follow the library: recomputed after patents change or an import completes."""

from __future__ import annotations

from django_tasks import task

from patentbridge.core import events
from patentbridge.matching.teams import refresh_teams
from patentbridge.search.tasks import batch_numbers

__all__ = ["refresh_teams_for", "refresh_teams_for_batch", "subscribe_events"]


@task()
def refresh_teams_for(numbers: list[str]) -> int:
    """Recompute the teams of the institutions behind these patents."""

    return refresh_teams(numbers)


@task()
def refresh_teams_for_batch(batch_id: int) -> int:
    """Recompute the teams touched by an import batch."""

    numbers = batch_numbers(batch_id)
    return refresh_teams(numbers) if numbers else 0


def subscribe_events() -> None:
    """Called from ``MatchingConfig.ready``."""

    events.subscribe(events.PATENTS_CHANGED, lambda numbers: refresh_teams_for.enqueue(list(numbers)))
    events.subscribe(events.IMPORT_COMPLETED, lambda batch_id: refresh_teams_for_batch.enqueue(batch_id))
