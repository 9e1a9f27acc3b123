"""Inventor teams follow the library: recomputed after patents change or an import completes.
A changed need warms its E5 re-rank (the candidates' passage vectors) off the page's path."""

from __future__ import annotations

from django_tasks import task

from patentbridge.core import events
from patentbridge.demands.models import TechNeed
from patentbridge.matching.needs import match_need, rerank_settings
from patentbridge.matching.teams import refresh_teams
from patentbridge.search.tasks import batch_numbers

__all__ = [
    "queue_open_needs_warmup",
    "refresh_teams_for",
    "refresh_teams_for_batch",
    "subscribe_events",
    "warm_need_rerank",
]


@task()
def refresh_teams_for(numbers: list[str]) -> int:
    """Recompute the teams of the institutions behind these patents."""

    return refresh_teams(numbers)


@task()
def refresh_teams_for_batch(batch_id: int) -> int:
    """Recompute the teams touched by an import batch."""

    numbers = batch_numbers(batch_id)
    return refresh_teams(numbers) if numbers else 0


@task()
def warm_need_rerank(need_pks: list[int]) -> int:
    """Match each need once with the re-rank on, so the E5 vectors of its candidates are cached
    before anyone opens its page; returns the needs warmed (0 when the re-rank is off)."""
    if rerank_settings() is None:
        return 0
    needs = list(TechNeed.objects.filter(pk__in=need_pks))
    for need in needs:
        match_need(need, 10)
    return len(needs)


def queue_open_needs_warmup() -> int:
    """Queue one warm-up job for every need (after a bulk load that announced none, such as the
    demo's); returns how many needs it covers, 0 when the re-rank is off."""
    if rerank_settings() is None:
        return 0
    pks = list(TechNeed.objects.order_by("pk").values_list("pk", flat=True))
    if pks:
        warm_need_rerank.enqueue(pks)
    return len(pks)


def subscribe_events() -> None:
    """Called from ``MatchingConfig.ready``."""

    events.subscribe(events.PATENTS_CHANGED, lambda numbers: refresh_teams_for.enqueue(list(numbers)))
    events.subscribe(events.IMPORT_COMPLETED, lambda batch_id: refresh_teams_for_batch.enqueue(batch_id))
    events.subscribe(events.NEEDS_CHANGED, _warm_if_on)


def _warm_if_on(pks: list[int]) -> None:
    # Nothing is queued when the re-rank is off (the test suites): a queued no-op is still a job.
    if rerank_settings() is not None:
        warm_need_rerank.enqueue(list(pks))
