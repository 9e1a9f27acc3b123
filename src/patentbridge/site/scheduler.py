"""The daily sweep as ``patentbridge serve`` schedules it: once at start, then every day at
``PATENTBRIDGE_SWEEP_HOUR`` (local time).

Two ``serve`` processes may share a data directory (or, on PostgreSQL, a database). A run is
started only by the process that holds ``DATA_DIR/sweep.lock`` (an exclusive ``flock``, dropped by
the kernel when the process dies) and only when no run was made for today: neither a date this
data directory's scheduler already started (``DATA_DIR/sweep.state``) nor a finished run for its
own day in the audit log (``licensing.services.sweep.last_daily_run``, which a run by hand or from
cron also counts as). The sweep is idempotent anyway; this only saves repeating its work.

``is_due`` and ``seconds_until`` are pure (a clock is passed in), so the tests check the decision,
not the passing of time.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from django.db import connections
from django.utils import timezone

__all__ = ["LOCK_NAME", "STATE_NAME", "SweepScheduler", "is_due", "last_started", "seconds_until"]

logger = logging.getLogger("patentbridge.supervisor")

LOCK_NAME = "sweep.lock"
STATE_NAME = "sweep.state"
# The longest sleep between checks: a suspended laptop or a changed clock is noticed within it.
_MAX_SLEEP = 3600.0

Clock = Callable[[], dt.datetime]
Runner = Callable[[dt.date], object]
LastRun = Callable[[], "dt.date | None"]


def is_due(now: dt.datetime, last_run: dt.date | None, hour: int, *, at_start: bool) -> bool:
    """Whether to run now: never twice for one day; at start whenever today has no run yet; later
    once the day's ``hour`` (0–23, local) has come."""
    today = now.date()
    if last_run is not None and last_run >= today:
        return False
    return at_start or now.hour >= hour


def seconds_until(now: dt.datetime, hour: int) -> float:
    """Seconds from ``now`` to the next ``hour``:00 (today's if still ahead, else tomorrow's)."""
    target = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if target <= now:
        target += dt.timedelta(days=1)
    return (target - now).total_seconds()


def last_started(data_dir: Path) -> dt.date | None:
    """The day this data directory's scheduler last started a run (None if never or unreadable)."""
    try:
        data = json.loads((data_dir / STATE_NAME).read_text(encoding="utf-8"))
        return dt.date.fromisoformat(str(data["started_for"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _mark_started(data_dir: Path, day: dt.date) -> None:
    path = data_dir / STATE_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"started_for": day.isoformat()}), encoding="utf-8")
    os.replace(tmp, path)


class _Lock:
    """Non-blocking exclusive ``flock`` on ``DATA_DIR/sweep.lock``."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self.fd: int | None = None

    def __enter__(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        self.fd = fd
        return True

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _db_last_run() -> dt.date | None:
    from patentbridge.licensing.services.sweep import last_daily_run

    return last_daily_run()


class SweepScheduler:
    """A daemon thread that runs ``runner(today)`` when ``is_due`` says so; ``stop()`` ends it.

    ``runner`` runs the sweep inline or enqueues it for the worker (serve decides); ``clock`` and
    ``last_run`` are replaceable for tests."""

    def __init__(
        self,
        data_dir: Path,
        hour: int,
        runner: Runner,
        *,
        clock: Clock = timezone.localtime,
        last_run: LastRun = _db_last_run,
    ) -> None:
        self.data_dir, self.hour, self.runner = data_dir, hour, runner
        self.clock, self.last_run = clock, last_run
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self, *, at_start: bool) -> bool:
        """Run the sweep if it is due and this process holds the lock; True when it ran."""
        with _Lock(self.data_dir) as held:
            if not held:
                return False
            now = self.clock()
            seen = [d for d in (last_started(self.data_dir), self.last_run()) if d is not None]
            if not is_due(now, max(seen) if seen else None, self.hour, at_start=at_start):
                return False
            _mark_started(self.data_dir, now.date())
            self.runner(now.date())
            return True

    def _safe_tick(self, *, at_start: bool) -> None:
        try:
            if self.tick(at_start=at_start):
                logger.info("每日例行任务已运行（patentbridge sweep）")
        except Exception:  # the thread must outlive one bad run; the next day tries again
            logger.exception("每日例行任务运行失败，将于下次计划时间重试")
        finally:
            connections.close_all()  # this thread's own connections; it sleeps for hours

    def _loop(self) -> None:
        self._safe_tick(at_start=True)
        while not self._stopping.wait(min(seconds_until(self.clock(), self.hour), _MAX_SLEEP)):
            self._safe_tick(at_start=False)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="daily-sweep", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
