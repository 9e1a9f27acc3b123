"""Background index updates (after commit)."""

from __future__ import annotations

from django_tasks import task

from patentbridge.search.index import update_index, update_needs_index

__all__ = ["index_batch", "index_needs", "index_patents"]


def _after_change(numbers: list[str]) -> int:
    """What follows a patent change once committed: search, inventor teams, grades."""
    from patentbridge.grading.services import grade_numbers
    from patentbridge.matching.teams import refresh_teams

    count = update_index(numbers)
    refresh_teams(numbers)
    grade_numbers(numbers)
    return count


@task()
def index_patents(numbers: list[str]) -> int:
    """Bring the given patents' index entries, inventor teams and grades up to date."""
    return _after_change(numbers)


@task()
def index_batch(batch_id: int) -> int:
    """Index the patents an import batch created or changed."""
    from patentbridge.patents.models import Patent

    numbers = list(
        Patent.objects.filter(source_batch_id=batch_id).values_list("application_number", flat=True)
    )
    if not numbers:
        return 0
    return _after_change(numbers)


@task()
def index_needs(pks: list[int]) -> int:
    """Bring the given needs' entries in the needs index up to date."""
    return update_needs_index(pks)
