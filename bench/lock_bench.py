"""Write-lock contention: how long short interactive writes wait while an import runs on SQLite.

An import of a SYNTHETIC corpus (labelled 【合成测试数据】) runs in a `patentbridge import`
subprocess; meanwhile this process performs a login-sized write transaction (BEGIN IMMEDIATE,
one INSERT, COMMIT) every 50 ms with the production busy timeout, and records each wait.
Results (per chunk size) go to bench/results/lock.json.

    python -m bench.lock_bench --rows 30000 --chunks 250,500,1000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _probe(db: Path, proc: subprocess.Popen[bytes], busy_ms: int) -> dict[str, Any]:
    conn = sqlite3.connect(db, isolation_level=None, timeout=busy_ms / 1000)
    conn.execute("CREATE TABLE IF NOT EXISTS bench_probe (t REAL)")
    waits: list[float] = []
    failures = 0
    while proc.poll() is None:
        started = time.perf_counter()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO bench_probe VALUES (?)", (started,))
            conn.execute("COMMIT")
            waits.append((time.perf_counter() - started) * 1000)
        except sqlite3.OperationalError:
            failures += 1
        time.sleep(0.05)
    conn.close()
    waits.sort()
    return {
        "writes": len(waits),
        "failed_after_busy_timeout": failures,
        "wait_ms_p50": round(statistics.median(waits), 1) if waits else None,
        "wait_ms_p99": round(waits[int(len(waits) * 0.99) - 1], 1) if waits else None,
        "wait_ms_max": round(waits[-1], 1) if waits else None,
    }


def run(rows: int, chunk: int, busy_ms: int) -> dict[str, Any]:
    """One import of ``rows`` rows with ``chunk`` rows per transaction, probed throughout."""
    from bench.import_bench import make_corpus

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = {
            **os.environ,
            "PATENTBRIDGE_DATA_DIR": str(data),
            "PATENTBRIDGE_DATABASE_URL": "",
            "PATENTBRIDGE_TASKS": "immediate",
            "PATENTBRIDGE_IMPORT_CHUNK": str(chunk),
            "DJANGO_SETTINGS_MODULE": "patentbridge.settings",
        }
        cmd = [sys.executable, "-m", "patentbridge"]
        subprocess.run([*cmd, "init"], env=env, check=True, capture_output=True)
        corpus = make_corpus("csv", rows, Path(tmp))
        started = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, "import", str(corpus), "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        probe = _probe(data / "db.sqlite3", proc, busy_ms)
        out, err = proc.communicate()
        seconds = time.perf_counter() - started
        summary = json.loads(out) if proc.returncode == 0 else {"error": err.decode()[-500:]}
    return {
        "rows": rows,
        "chunk": chunk,
        "import_seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds, 1),
        "imported": summary.get("imported"),
        **probe,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--chunks", default="250,500,1000")
    parser.add_argument("--busy-ms", type=int, default=10_000)
    args = parser.parse_args()
    runs = [run(args.rows, int(c), args.busy_ms) for c in args.chunks.split(",")]
    result = {
        "benchmark": "write-lock contention during an import (SQLite)",
        "corpus": "SYNTHETIC rows built from the bundled real heat-pump records",
        "probe": "BEGIN IMMEDIATE; INSERT; COMMIT every 50 ms from a second process",
        "busy_timeout_ms": args.busy_ms,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "shared": True},
        "date": time.strftime("%Y-%m-%d"),
        "runs": runs,
    }
    out = ROOT / "bench" / "results" / "lock.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
