"""Per-process caches keyed by the library version that the database keeps (migration 0002).

The version row moves with every write to patents or their classifications, from any code path,
so an entry computed at version V is exact for as long as the version reads V. Reading the
version is one primary-key look-up, far cheaper than the counts and id sets it guards.

Rebuilds are single-flight per key: while one thread recomputes an entry after a change, other
threads of the process keep serving the previous value if the caller allows it (``stale_ok``,
facet counts only — never permission sets), instead of piling the same expensive query onto
the database.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection

from patentbridge.settings import env

__all__ = ["cached", "clear", "library_version", "max_lag"]

T = TypeVar("T")
# Entries kept per process: scopes × filter combinations in recent use; each is an id set
# (≈ 8 MB for 100k numbers) or a facet dict (a few kB).
_MAX_ENTRIES = 64


@dataclass(frozen=True)
class _Entry:
    version: tuple[int, int]
    rewrites: int
    value: Any
    built_at: float


_lock = threading.Lock()
_entries: OrderedDict[Hashable, _Entry] = OrderedDict()
_building: dict[Hashable, threading.Lock] = {}


def library_version() -> tuple[int, int]:
    """(version, token) of the library as this connection sees it."""
    return _read()[0]


def _read() -> tuple[tuple[int, int], int]:
    """((version, token), rewrites) in one primary-key read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version, token, rewrites FROM patents_libraryversion WHERE id = 1")
        row = cursor.fetchone()
    return ((int(row[0]), int(row[1])), int(row[2])) if row else ((0, 0), 0)


def max_lag() -> float:
    """Seconds that facet counts may trail the library (``PATENTBRIDGE_FACET_MAX_LAG``, default 0:
    always exact). A server under a long import sets a few seconds, so the sidebar counts are
    recomputed in the background at most that often instead of on every request."""
    return float(env.read("PATENTBRIDGE_FACET_MAX_LAG"))


def cached(key: Hashable, compute: Callable[[], T], *, stale_ok: bool = False, grows_ok: bool = False) -> T:
    """``compute()`` for ``key`` at the current library version, reused while it stays current.

    ``stale_ok`` (facet counts only, never permission sets or rows): while another thread
    rebuilds the entry, or within ``max_lag()`` seconds of its computation (then refreshed in a
    background thread), the previous value is returned instead of waiting.
    ``grows_ok`` (allowed sets): the same, but only if patents were merely inserted since (no
    update or delete of a patent row), so the previous set is a subset of the current one: a
    brand-new patent may be missing for up to ``max_lag()`` seconds, nothing that was withdrawn
    or approved-then-rejected can show, and an approval (an update) is seen at once.
    """
    version, rewrites = _read()
    with _lock:
        entry = _entries.get(key)
        if entry is not None and entry.version == version:
            _entries.move_to_end(key)
            return entry.value  # type: ignore[no-any-return]
        builder = _building.setdefault(key, threading.Lock())
    if entry is not None and (stale_ok or (grows_ok and entry.rewrites == rewrites)):
        if not builder.acquire(blocking=False):
            return entry.value  # type: ignore[no-any-return]
        if time.monotonic() - entry.built_at < max_lag():
            threading.Thread(target=_refresh, args=(key, compute, builder), daemon=True).start()
            return entry.value  # type: ignore[no-any-return]
    else:
        builder.acquire()
    try:
        return _build(key, compute, version, rewrites)
    finally:
        builder.release()


def _build(key: Hashable, compute: Callable[[], T], version: tuple[int, int], rewrites: int) -> T:
    with _lock:
        entry = _entries.get(key)
    if entry is not None and entry.version == version:
        return entry.value  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        _entries[key] = _Entry(version, rewrites, value, time.monotonic())
        _entries.move_to_end(key)
        while len(_entries) > _MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def _refresh(key: Hashable, compute: Callable[[], Any], builder: threading.Lock) -> None:
    """Background rebuild (holding ``builder``, taken by the caller) on this thread's connection."""
    try:
        _build(key, compute, *_read())
    finally:
        builder.release()
        connection.close()


def clear() -> None:
    """Forget every entry (tests, and after restoring a database under a running process)."""
    with _lock:
        _entries.clear()
