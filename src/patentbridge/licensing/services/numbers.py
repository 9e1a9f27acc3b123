"""Contract numbers: ``XK-2026-000123`` (许可 + year + serial within the year), never reused.

Race-free without a counter table: the unique ``contract_no`` column is the arbiter. On PostgreSQL
a transaction-scoped advisory lock per year serialises allocation, so two requests at the same
moment take consecutive numbers instead of colliding; SQLite serialises writers anyway (one
``BEGIN IMMEDIATE`` at a time, core/dblock.py). If a row is still inserted under a number someone
else took (another writer that bypassed the lock), ``allocate`` retries in a savepoint with the next
number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, connection, transaction

from patentbridge.licensing.models import LicenceContract

__all__ = ["PREFIX", "allocate", "next_contract_no"]

T = TypeVar("T")

PREFIX = "XK"
_WIDTH = 6
# An arbitrary constant namespacing this app's advisory locks (pg_advisory_xact_lock(key1, key2)).
_LOCK_NAMESPACE = 0x584B  # "XK"
_ATTEMPTS = 5


def _pattern(year: int) -> re.Pattern[str]:
    return re.compile(rf"^{PREFIX}-{year}-(\d{{{_WIDTH},}})$")


def next_contract_no(year: int) -> str:
    """The next free number of ``year`` (call inside the transaction that stores it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, year])
    pattern = _pattern(year)
    numbers = LicenceContract.objects.filter(contract_no__startswith=f"{PREFIX}-{year}-").values_list(
        "contract_no", flat=True
    )
    highest = max((int(m.group(1)) for n in numbers if (m := pattern.match(n))), default=0)
    return f"{PREFIX}-{year}-{highest + 1:0{_WIDTH}d}"


def allocate(year: int, create: Callable[[str], T]) -> T:
    """Run ``create(number)`` with the next number of ``year``; on a unique-number collision retry
    (in a savepoint, so the caller's transaction survives) with a fresh number."""
    for attempt in range(_ATTEMPTS):
        number = next_contract_no(year)
        try:
            with transaction.atomic():
                return create(number)
        except IntegrityError:
            if attempt == _ATTEMPTS - 1 or LicenceContract.objects.filter(contract_no=number).count() == 0:
                raise
    raise RuntimeError("unreachable")  # pragma: no cover
