"""The background worker's own safety: one worker per data directory, death with its parent,
and a task loop that outlives "database is locked".

Used by ``patentbridge worker`` (core/management/commands/worker.py), which ``patentbridge serve``
starts and restarts (core/supervisor.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db.utils import OperationalError
from django_tasks_db.management.commands.db_worker import Worker

from patentbridge.core.dblock import is_locked

__all__ = ["LOCK_NAME", "ResilientWorker", "WorkerLock", "die_with_parent", "lock_holder"]

logger = logging.getLogger("patentbridge.worker")

LOCK_NAME = "worker.lock"
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# How often the watchdog compares getppid() with the supervisor's pid (platforms without prctl).
_WATCHDOG_SECONDS = 0.5
# Back-off while the task loop itself cannot get the lock, and its cap.
_LOOP_DELAY, _LOOP_DELAY_MAX = 0.5, 10.0


def die_with_parent(parent_pid: int) -> None:
    """Exit at once when the supervisor dies, even by ``kill -9``: the kernel sends SIGKILL
    (Linux PR_SET_PDEATHSIG) and a watchdog thread polls ``getppid()`` as the portable fallback.
    An orphan would otherwise keep the data directory's lock and run jobs nobody watches; its
    interrupted job is recovered by the next worker (ingest/recovery.py)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The parent may have died before prctl took effect: then we were already re-parented.
    if os.getppid() != parent_pid:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(_WATCHDOG_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def lock_holder(data_dir: Path) -> int | None:
    """The pid written in the data directory's worker lock file (None if absent or unreadable)."""
    try:
        text = (data_dir / LOCK_NAME).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class WorkerLock:
    """An exclusive ``flock`` on ``DATA_DIR/worker.lock`` held for the worker's lifetime.

    The kernel drops it when the process dies however it dies, so a lock can never outlive its
    worker; the file holds the pid for operators. The descriptor is close-on-exec, so helper
    processes started by an import do not inherit it."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        """Take the lock if free; True on success."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return True

    def acquire(self, wait: float | None) -> bool:
        """Wait up to ``wait`` seconds (None: for ever) for the lock; True once held."""
        deadline = None if wait is None else time.monotonic() + wait
        announced = False
        while not self.try_acquire():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            if not announced:
                logger.warning(
                    "另一个后台任务进程（pid %s）正在使用数据目录 %s，等待其退出……",
                    lock_holder(self.path.parent),
                    self.path.parent,
                )
                announced = True
            time.sleep(0.5)
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _persistent(call: Callable[..., Any], what: str) -> Callable[..., Any]:
    """Wrap a result write so that a busy database delays it instead of killing the worker."""

    def run(*args: Any, **kwargs: Any) -> Any:
        delay = _LOOP_DELAY
        while True:
            try:
                return call(*args, **kwargs)
            except OperationalError as exc:
                if not is_locked(exc):
                    raise
                logger.warning("记录任务结果（%s）时数据库繁忙，%.1f 秒后重试", what, delay)
                time.sleep(delay)
                delay = min(delay * 2, _LOOP_DELAY_MAX)

    return run


class ResilientWorker(Worker):
    """django_tasks_db's worker loop, except that "database is locked" never ends the process.

    Upstream fetches the next task in ``BEGIN EXCLUSIVE`` outside its own error handling and
    records a result with three quick retries; past the busy timeout either one raised and the
    worker died, leaving its task RUNNING. Here the loop backs off and continues, and a finished
    task's result is written as soon as the lock is free."""

    def run(self) -> None:
        delay = _LOOP_DELAY
        while self.running:
            try:
                super().run()
                return
            except OperationalError as exc:
                if not is_locked(exc):
                    raise
                logger.warning("后台任务进程等待数据库写锁（%s），%.1f 秒后继续", exc, delay)
                time.sleep(delay)
                delay = min(delay * 2, _LOOP_DELAY_MAX)

    def run_task(self, db_task_result: Any) -> None:
        # Instance attributes shadow the methods for this one result object only.
        db_task_result.set_successful = _persistent(db_task_result.set_successful, "成功")
        db_task_result.set_failed = _persistent(db_task_result.set_failed, "失败")
        super().run_task(db_task_result)
