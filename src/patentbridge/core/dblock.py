"""Living with SQLite's single write lock: retry writes that could not start, answer 503 when busy.

SQLite lets one writer in at a time. ``busy_timeout`` makes a writer wait, but when an import or
the worker holds the lock past it the statement fails with "database is locked". Two layers:

* ``retry_locked`` is installed on every SQLite connection (``install``). A statement that failed
  on the lock is run again with back-off, but only when nothing can have been half done: the
  ``BEGIN IMMEDIATE`` that opens a transaction, or a single statement in autocommit mode (it failed
  as a whole). A statement inside an open transaction is never retried.
* ``BusyMiddleware`` turns a lock failure that outlived the retries into a Chinese 503 page (or a
  JSON 503 under ``/api/``) with ``Retry-After`` instead of a 500 with a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import connection as default_connection
from django.db.backends.signals import connection_created
from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

__all__ = [
    "BUSY_MESSAGE",
    "BusyMiddleware",
    "busy_response",
    "install",
    "is_locked",
    "quick_write",
    "retry_locked",
]

logger = logging.getLogger("patentbridge.dblock")

BUSY_MESSAGE = "系统繁忙，请稍后重试"
# Seconds a client is asked to wait before trying again: about one import chunk plus margin.
_RETRY_AFTER_SECONDS = 5
# First back-off step and its cap; SQLite's own busy handler already polls every 100 ms.
_FIRST_DELAY = 0.05
_MAX_DELAY = 1.0

_local = threading.local()


def is_locked(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database table is locked" / busy errors."""
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("is locked" in text or "database is busy" in text)


def _may_retry(connection: Any, sql: str) -> bool:
    # BEGIN failed before the transaction existed; an autocommit statement failed as a whole.
    # Inside a transaction earlier statements would be lost or repeated, so never retry there.
    return sql.lstrip()[:5].upper() == "BEGIN" or not connection.in_atomic_block


def retry_locked(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Execute wrapper: run again with jittered back-off while the database is locked, for at most
    ``PATENTBRIDGE_DB_LOCK_RETRY_SECONDS`` beyond the first failure (each attempt itself waits
    ``busy_timeout``)."""
    deadline: float | None = None
    delay = _FIRST_DELAY
    attempt = 0
    while True:
        try:
            return execute(sql, params, many, context)
        except OperationalError as exc:
            if getattr(_local, "no_retry", False) or not is_locked(exc):
                raise
            if not _may_retry(context["connection"], sql):
                raise
            now = time.monotonic()
            if deadline is None:
                deadline = now + float(settings.PATENTBRIDGE_DB_LOCK_RETRY_SECONDS)
            if now >= deadline:
                logger.warning("数据库写锁等待超时，放弃：%s", sql[:60])
                raise
            attempt += 1
            logger.info("数据库写锁被占用，第 %d 次重试：%s", attempt, sql[:60])
            # Jitter so that waiting writers do not wake up in lock-step.
            time.sleep(min(delay * (0.5 + random.random()), max(0.0, deadline - now)))
            delay = min(delay * 2, _MAX_DELAY)


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite" and retry_locked not in connection.execute_wrappers:
        connection.execute_wrappers.append(retry_locked)


def install() -> None:
    """Put ``retry_locked`` on every new SQLite connection (called from CoreConfig.ready)."""
    connection_created.connect(_on_connection_created, dispatch_uid="patentbridge.dblock")
    if default_connection.vendor == "sqlite" and default_connection.connection is not None:
        _on_connection_created(None, default_connection)


@contextlib.contextmanager
def quick_write(busy_ms: int = 100) -> Iterator[None]:
    """For best-effort writes (e.g. a token's last use): no retries and, on SQLite, a short
    busy timeout, so a busy database costs the caller at most ``busy_ms``; errors still raise."""
    _local.no_retry = True
    conn = default_connection
    lowered = conn.vendor == "sqlite"
    try:
        if lowered:
            with conn.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        yield
    finally:
        _local.no_retry = False
        if lowered:
            with conn.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout={int(settings.PATENTBRIDGE_SQLITE_BUSY_MS)}")


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with a Chinese message; JSON for the API, a plain page (no database access) otherwise."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": "busy", "detail": BUSY_MESSAGE}, status=503)
    else:
        response = HttpResponse(
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>系统繁忙</title></head>'
            f"<body><h1>{BUSY_MESSAGE}</h1><p>数据库正忙（例如正在导入数据），请稍候几秒后刷新页面。</p>"
            "</body></html>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(_RETRY_AFTER_SECONDS)
    return response


def _mark_locked(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Exceptions outside the view (e.g. the session save in a response middleware) become a 500
    # inside Django's handler; remember that it was the lock so BusyMiddleware can say so.
    exc = sys.exc_info()[1]
    if request is not None and exc is not None and is_locked(exc):
        request._pb_db_locked = True  # type: ignore[attr-defined]


got_request_exception.connect(_mark_locked, dispatch_uid="patentbridge.dblock.mark")


class BusyMiddleware:
    """Outermost middleware: a lock failure that survived the retries answers 503, not 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_pb_db_locked", False):
            return busy_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_locked(exception):
            logger.warning("数据库繁忙，返回 503：%s %s", request.method, request.path)
            return busy_response(request)
        return None
