"""Supervision of the background worker by ``patentbridge serve``.

The worker runs as a child process (``patentbridge worker --parent-pid …``) whose output goes to
``DATA_DIR/logs/worker.log``. A monitor thread restarts it when it dies, with a back-off that
doubles after each quick death (so a worker that cannot start does not spin) and resets once it
has run for a while; every death is logged with its exit code or signal. The worker itself takes
the data directory's lock and recovers interrupted jobs at each start (core/worker.py,
ingest/recovery.py), and dies with ``serve`` even on ``kill -9``.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

__all__ = ["Supervisor", "describe_exit"]

logger = logging.getLogger("patentbridge.supervisor")

# A worker that ran this long before dying was healthy: the next restart is immediate-ish again.
_STABLE_SECONDS = 60.0
# Seconds to wait for a graceful stop (the worker finishes its current chunk) before SIGKILL.
_STOP_GRACE = 10.0


def describe_exit(code: int) -> str:
    """Chinese text for a child's return code (negative = killed by that signal)."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"被信号 {name} 终止"
    return f"退出码 {code}"


class Supervisor:
    """Start, watch and restart one worker process; ``stop()`` ends it."""

    def __init__(
        self,
        data_dir: Path,
        *,
        min_delay: float = 1.0,
        max_delay: float = 60.0,
        env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.log_path = data_dir / "logs" / "worker.log"
        self.min_delay, self.max_delay = min_delay, max_delay
        self.env = dict(os.environ if env is None else env)
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        # Spawning and stopping exclude each other, so stop() never misses a just-started worker.
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        """Start the monitor thread, which starts the worker. The worker is spawned from that
        long-lived thread: Linux sends the parent-death signal when the spawning *thread* ends."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)
        self._thread.start()

    def _spawn(self) -> subprocess.Popen[bytes]:
        assert self._log is not None
        self._log.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} 启动后台任务进程 ====\n".encode())
        self._log.flush()
        return subprocess.Popen(
            [sys.executable, "-m", "patentbridge", "worker", "--parent-pid", str(os.getpid())],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def _watch(self) -> None:
        delay = self.min_delay
        while not self._stopping.is_set():
            started = time.monotonic()
            with self._lock:
                if self._stopping.is_set():
                    return
                self.process = self._spawn()
            logger.info("后台任务进程已启动（pid %d），日志：%s", self.process.pid, self.log_path)
            code = self.process.wait()
            if self._stopping.is_set():
                return
            ran = time.monotonic() - started
            if ran >= _STABLE_SECONDS:
                delay = self.min_delay
            logger.warning(
                "后台任务进程（pid %d）意外退出：%s，运行了 %.1f 秒；%.1f 秒后重启（日志：%s）",
                self.process.pid,
                describe_exit(code),
                ran,
                delay,
                self.log_path,
            )
            self.restarts += 1
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, self.max_delay)

    def stop(self) -> None:
        """Ask the worker to stop (SIGTERM: it finishes the running job's chunk), then kill it."""
        with self._lock:
            self._stopping.set()
            proc = self.process
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=_STOP_GRACE)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._thread is not None:
            self._thread.join(timeout=_STOP_GRACE)
        if self._log is not None:
            self._log.close()
