"""Ids from URLs, forms and API paths: a number that could be a primary key, or nothing."""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_PK", "safe_pk"]

# Primary keys beyond this are probes: a 30-digit id overflows the database integer (a 500 on
# SQLite, an error on PostgreSQL) instead of simply not existing.
MAX_PK = 2**62


def safe_pk(value: Any) -> int | None:
    """An id from a URL or form, or None when it is not a plausible primary key."""
    try:
        number = int(str(value).strip()[:25])
    except (TypeError, ValueError):
        return None
    return number if 0 < number < MAX_PK else None
