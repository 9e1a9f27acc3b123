"""The real ``patentbridge serve`` and its worker in subprocesses, on a temporary SQLite data dir:
a worker killed mid-job is restarted and the job finishes; one worker per data directory; the
worker dies with ``serve``; demo passwords are never printed by ``serve``."""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from patentbridge_engine.bench import synthetic_records, write_csv

from .conftest import DEMO_DATA
from .test_cli import _query, _run

SECRET = "never-print-this-password"
TASKS_TABLE = "django_tasks_database_dbtaskresult"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A fresh SQLite data directory prepared by `patentbridge init`, jobs on the database queue."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    environ.update(
        PATENTBRIDGE_DATA_DIR=str(tmp_path / "data"),
        PATENTBRIDGE_DATABASE_URL="",
        PATENTBRIDGE_TASKS="database",
        PATENTBRIDGE_WORKER_RESTART_MIN="0.2",
        PATENTBRIDGE_IMPORT_CHUNK="250",
        PATENTBRIDGE_LOG_LEVEL="INFO",
        DJANGO_SETTINGS_MODULE="patentbridge.settings",
    )
    init = _run(environ, "init")
    assert init.returncode == 0, init.stderr
    return environ


def _wait(what: str, check: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except sqlite3.OperationalError:  # schema being created, or a write in progress
            value = None
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _worker_pid(env: dict[str, str]) -> int | None:
    """The live worker holding the data directory's lock (its pid is in the lock file)."""
    try:
        text = (Path(env["PATENTBRIDGE_DATA_DIR"]) / "worker.lock").read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() and _alive(int(text)) else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`patentbridge serve` on a free port, output to ``log``; stopped (or killed) afterwards."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "patentbridge", "serve", "--port", str(_free_port())],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def _enqueue_import(env: dict[str, str], source: Path) -> int:
    code = (
        "from pathlib import Path\n"
        "from django.contrib.auth import get_user_model\n"
        "from patentbridge.ingest.services import create_batch\n"
        "from patentbridge.ingest.tasks import run_import\n"
        "u = get_user_model().objects.get(username='system')\n"
        f"b = create_batch(actor=u, source=Path({str(source)!r}), original_name='synthetic.csv')\n"
        "run_import.enqueue(b.pk)\n"
        "print(b.pk)\n"
    )
    done = _run(env, "shell", "-c", code)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def _seeds() -> list[dict[str, Any]]:
    data = json.loads(gzip.decompress((DEMO_DATA / "hthp_patents.json.gz").read_bytes()))
    return [
        {"title": r["TITLE"], "abstract": r["ABSTRACT"], "applicants": r["ANCS"], "ipc": r["IPCR"]}
        for r in data
    ]


def test_a_worker_killed_mid_job_is_restarted_and_the_job_finishes(env, tmp_path):
    """SIGKILL of the worker during an import: serve logs why and starts a new worker, which
    puts the interrupted job back in the queue; the job ends SUCCESSFUL with every row imported
    exactly once. serve never prints the demo passwords; the worker logs to DATA_DIR/logs."""
    data_dir = Path(env["PATENTBRIDGE_DATA_DIR"])
    (data_dir / "demo_credentials.txt").write_text(f"  admin / {SECRET} / 管理员\n", encoding="utf-8")
    total = 20_000
    source = tmp_path / "synthetic.csv"
    write_csv(synthetic_records(_seeds(), total), source)
    log = tmp_path / "serve.log"
    with serving(env, log):
        first = _wait("the first worker", lambda: _worker_pid(env), 90)
        batch = _enqueue_import(env, source)
        _wait(
            "the import to be under way",
            lambda: _query(env, f"SELECT rows_read FROM ingest_importbatch WHERE id={batch}")[0][0] >= 1_000,
            180,
        )
        [(status,)] = _query(env, f"SELECT status FROM {TASKS_TABLE} WHERE task_path LIKE '%run_import'")
        assert status == "RUNNING", "the job finished before it could be interrupted"
        os.kill(first, signal.SIGKILL)
        second = _wait("a restarted worker", lambda: (pid := _worker_pid(env)) and pid != first and pid, 60)
        assert second != first
        _wait(
            "the job to succeed",
            lambda: (
                _query(env, f"SELECT status FROM {TASKS_TABLE} WHERE task_path LIKE '%run_import'")
                == [("SUCCESSFUL",)]
            ),
            300,
        )
    [(status, rows, imported)] = _query(
        env, f"SELECT status, rows_read, imported FROM ingest_importbatch WHERE id={batch}"
    )
    assert (status, rows, imported) == ("completed", total, total)
    assert _query(env, "SELECT COUNT(DISTINCT application_number), COUNT(*) FROM patents_patent") == [
        (total, total)
    ]
    output = log.read_text(encoding="utf-8")
    assert "SIGKILL" in output and "重启" in output  # serve says why it restarted the worker
    assert SECRET not in output
    assert (data_dir / "logs" / "worker.log").stat().st_size > 0


def test_one_worker_per_data_dir_and_none_outlives_serve(env, tmp_path):
    """A second worker on the same data directory does not run jobs beside the first (it waits,
    here at most 1 s, then exits); after `kill -9` of serve its worker exits too and the lock
    is free for the next start."""
    with serving(env, tmp_path / "serve.log") as serve:
        worker = _wait("the worker", lambda: _worker_pid(env), 90)
        second = _run(env, "worker", "--lock-wait", "1", timeout=120)
        assert second.returncode != 0
        assert "另一个后台任务进程" in second.stderr
        os.kill(serve.pid, signal.SIGKILL)
        serve.wait(timeout=10)
        _wait("the orphaned worker to exit", lambda: not _alive(worker), 10)
    # A killed multi-threaded process shows as a zombie once its main thread is gone, while its
    # other threads (which share the lock's descriptor) may still be exiting: poll briefly.
    _wait("the worker lock to be free", lambda: _lock_is_free(env), 10)


def _lock_is_free(env: dict[str, str]) -> bool:
    with (Path(env["PATENTBRIDGE_DATA_DIR"]) / "worker.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(lock, fcntl.LOCK_UN)
        return True
