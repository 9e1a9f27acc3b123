"""Background jobs of the library."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from patentbridge.patents.classification import replace_classes
from patentbridge.patents.models import Patent

__all__ = ["reclassify_all"]

# Patents reclassified per transaction.
_CHUNK = 500


@task()
def reclassify_all() -> int:
    """Recompute every patent's classes (after the chain configuration changed)."""
    ids = list(Patent.objects.values_list("pk", flat=True).order_by("pk"))
    total = 0
    for start in range(0, len(ids), _CHUNK):
        with transaction.atomic():
            total += replace_classes(Patent.objects.filter(pk__in=ids[start : start + _CHUNK]))
    return total
