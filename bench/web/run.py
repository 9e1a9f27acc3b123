"""Library list, search page and ``/api/search`` under load on a SYNTHETIC library.

    python -m bench.web.run --rows 100000 --db sqlite,postgres --baseline-src /tmp/pb_base/src

For each database: a fresh data directory (and PostgreSQL database) is filled with ``rows``
synthetic patents (titles labelled 【合成测试数据】) through the bulk import writer, the search
index is built, then each server configuration is started on a localhost port and measured:
single-request latency (sequential) and ``clients`` concurrent clients for ``seconds`` while an
import of further synthetic rows runs beside them. ``--baseline-src`` points at an exported
source tree of the commit before the speed work (``git archive <commit> src``); it prepares the
data (its schema) and is measured first, then the working tree migrates the same data and is
measured with each server. Everything is bounded and stops by itself; results go to
``bench/results/web.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

from bench.web.corpus import write_corpus
from bench.web.load import Request, concurrent, get, sequential

ROOT = Path(__file__).resolve().parents[2]
# Server configurations compared on the 2-core machine (threads vs processes).
SERVERS: dict[str, list[str]] = {
    "waitress-8-threads": ["-m", "patentbridge", "serve", "--no-worker", "--threads", "8"],
    "gunicorn-3-sync": ["-m", "gunicorn", "-w", "3", "-k", "sync"],
    "gunicorn-2x4-gthread": ["-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "4"],
    "gunicorn-3x4-gthread": ["-m", "gunicorn", "-w", "3", "-k", "gthread", "--threads", "4"],
}
# Seconds facet and list counts may trail a running import (set from --facet-lag).
FACET_LAG = 0.0
QUERIES = (
    "高温热泵",
    "热泵干燥装置",
    "余热回收 压缩机",
    "蒸汽发生 热泵",
    "复叠式制冷循环",
    "换热器 除霜",
    "储能 相变材料",
    "工业废水 余热",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(data_dir: Path, db_url: str, src: Path | None) -> dict[str, str]:
    env = {
        **os.environ,
        "PATENTBRIDGE_DATA_DIR": str(data_dir),
        "PATENTBRIDGE_DATABASE_URL": db_url,
        "PATENTBRIDGE_TASKS": "database",
        "DJANGO_SETTINGS_MODULE": "patentbridge.settings",
        "PYTHONPATH": os.pathsep.join(p for p in (str(src) if src else "", str(ROOT)) if p),
        "PATENTBRIDGE_FACET_MAX_LAG": str(FACET_LAG),
        "PATENTBRIDGE_LOG_LEVEL": "ERROR",
    }
    return env


def _start(name: str, env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    args = list(SERVERS[name])
    if args[1] == "gunicorn":
        args += ["-b", f"127.0.0.1:{port}", "--timeout", "60", "patentbridge.core.wsgi_app:application"]
    else:
        args += ["--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, *args], env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    for _ in range(240):
        time.sleep(0.5)
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            continue
    proc.terminate()
    raise RuntimeError(f"{name} did not start")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _requests(creds: dict[str, Any]) -> dict[str, list[Request]]:
    session = {"Cookie": f"sessionid={creds['session']}"}
    token = {"Authorization": f"Bearer {creds['token']}"}
    return {
        "list": [Request("/patents/", session)],
        "list_filtered": [
            Request("/patents/?patent_type=invention", session),
            Request("/patents/?filing_year=2015", session),
        ],
        "search_page": [Request("/search/?q=" + urllib.parse.quote(q), session) for q in QUERIES],
        "api_search": [Request("/api/search?limit=20&q=" + urllib.parse.quote(q), token) for q in QUERIES],
    }


def _measure(
    port: int,
    env: dict[str, str],
    creds: dict[str, Any],
    args: argparse.Namespace,
    beside: list[Path],
) -> dict[str, Any]:
    reqs = _requests(creds)
    out: dict[str, Any] = {"single": {}, "concurrent": {}}
    for name, requests in reqs.items():
        out["single"][name] = sequential(port, requests, args.single)
        print(name, out["single"][name], flush=True)
    for name in ("list", "api_search"):
        corpus = beside.pop(0)
        started = time.perf_counter()
        importer = subprocess.Popen(
            [sys.executable, "-m", "patentbridge", "import", str(corpus), "--json"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        result = concurrent(port, reqs[name] if name != "list" else reqs["list"], args.clients, args.seconds)
        running = importer.poll() is None
        try:
            summary = json.loads(importer.communicate(timeout=600)[0].decode().strip().splitlines()[-1])
        except (subprocess.TimeoutExpired, ValueError, IndexError):
            importer.kill()
            summary = {}
        result["import_beside"] = {
            "rows": summary.get("rows"),
            "imported": summary.get("imported"),
            "seconds": round(time.perf_counter() - started, 1),
            "still_running_at_end_of_load": running,
        }
        result["drain_seconds"] = _drain(port, reqs["api_search"][0])
        out["concurrent"][name] = result
        print(name, result, flush=True)
    return out


def _drain(port: int, probe: Request, limit: float = 180.0) -> float:
    """Wait until the server answers promptly again, so that requests still queued from one phase
    (clients give up after 30 s, the server does not) do not count against the next one."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        status, ms = get(port, probe, 60.0)
        if status == 200 and ms < 1000:
            break
        time.sleep(1)
    return round(time.perf_counter() - started, 1)


def _postgres_url() -> str:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "ensure_postgres.sh")], capture_output=True, text=True, check=True
    ).stdout.strip()


def _psql(base_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _commit() -> str:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return head.strip()


def run_database(db: str, args: argparse.Namespace, tmp: Path, corpus: Path) -> dict[str, Any]:
    """Prepare one database, measure the baseline (if given) and each server on the new code."""
    data_dir = tmp / f"data-{db}"
    db_url, base, dbname = "", "", ""
    if db == "postgres":
        base = _postgres_url()
        dbname = f"pb_webbench_{uuid.uuid4().hex[:8]}"
        _psql(base, f'CREATE DATABASE "{dbname}"')
        db_url = f"{base}/{dbname}"
    servers = [s for s in (args.pg_servers if db == "postgres" else args.servers).split(",") if s]
    phases = (len(servers) + (1 if args.baseline_src else 0)) * 2
    beside = [
        write_corpus(tmp / f"beside-{db}-{n}.csv", args.rows + n * args.beside_rows, args.beside_rows)
        for n in range(phases)
    ]
    result: dict[str, Any] = {"database": db, "rows": args.rows, "configs": []}
    try:
        baseline = Path(args.baseline_src) if args.baseline_src else None
        t0 = time.perf_counter()
        # The search index depends on the corpus only: the first database's is copied to the next.
        built = next(tmp.glob("data-*/search/index/meta.json"), None)
        if built is not None:
            shutil.copytree(built.parent.parent, data_dir / "search")
        setup = subprocess.run(
            [sys.executable, "-m", "bench.web.setup_data", str(corpus), "0" if built else "1"],
            env=_env(data_dir, db_url, baseline),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if setup.returncode:
            raise RuntimeError(setup.stderr[-3000:])
        creds = json.loads(setup.stdout.strip().splitlines()[-1])
        result["setup"] = {
            "seconds": round(time.perf_counter() - t0, 1),
            "import_seconds": creds.get("import_seconds"),
            "index_seconds": creds.get("index_seconds"),
            "code": "baseline" if baseline else "new",
            "index_copied_from_previous_database": built is not None,
        }
        codes: list[tuple[str, Path | None, list[str]]] = []
        if baseline:
            codes.append(("baseline", baseline, ["waitress-8-threads"]))
        if servers:
            codes.append(("new", None, servers))
        for code, src, names in codes:
            env = _env(data_dir, db_url, src)
            if code == "new":
                subprocess.run(
                    [sys.executable, "-m", "patentbridge", "migrate", "--no-input", "-v", "0"],
                    env=env,
                    cwd=ROOT,
                    check=True,
                )
            for name in names:
                port = _free_port()
                proc = _start(name, env, port, Path(args.logs) / f"{db}-{code}-{name}.log")
                try:
                    measured = _measure(port, env, creds, args, beside)
                finally:
                    _stop(proc)
                result["configs"].append({"code": code, "server": name, **measured})
    finally:
        if dbname:
            _psql(base, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--servers", default=",".join(SERVERS))
    parser.add_argument("--pg-servers", default="waitress-8-threads,gunicorn-2x4-gthread")
    parser.add_argument("--baseline-src", default="", help="exported source tree of the baseline commit")
    parser.add_argument("--baseline-commit", default="")
    parser.add_argument("--single", type=int, default=30, help="sequential requests per endpoint")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--beside-rows", type=int, default=20_000)
    parser.add_argument(
        "--baseline-from", default="", help="web.json of an earlier run that measured the baseline code"
    )
    parser.add_argument("--logs", default=tempfile.gettempdir(), help="directory for server logs")
    parser.add_argument("--facet-lag", type=float, default=5.0, help="PATENTBRIDGE_FACET_MAX_LAG")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "web.json"))
    args = parser.parse_args()
    global FACET_LAG
    FACET_LAG = args.facet_lag
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    results: dict[str, Any] = {
        "benchmark": "web",
        "corpus": "SYNTHETIC library (every title prefixed 【合成测试数据】) built from the bundled real records",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "note": "2 cores shared with other engineers' test runs: load averages are recorded per phase",
        },
        "started": started,
        "commit_new": _commit() + " + working tree",
        "commit_baseline": args.baseline_commit or None,
        "settings": {
            k: getattr(args, k) for k in ("rows", "single", "clients", "seconds", "beside_rows", "facet_lag")
        },
        "user": "an enterprise user (sees the approved library only)",
        "runs": [],
    }
    if args.baseline_from:
        earlier = json.loads(Path(args.baseline_from).read_text(encoding="utf-8"))
        results["baseline_measured_earlier"] = {
            "note": "baseline code measured in an earlier run on the same machine (same generator, rows, "
            "clients and durations); its numbers are in 'runs' of that run, copied here",
            "commit": earlier.get("commit_baseline"),
            "started": earlier.get("started"),
            "runs": earlier.get("runs"),
        }
    with tempfile.TemporaryDirectory(prefix="pb-webbench-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = write_corpus(tmp / "library.csv", 0, args.rows)
        for db in args.db.split(","):
            results["runs"].append(run_database(db, args, tmp, corpus))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
