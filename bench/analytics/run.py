"""Statistics at scale: build and refresh cost of the monthly rollup and the latency (p50/p99) of
the full report, each role's dashboard and a navigation aggregate — the fast path (rollup +
partial month from indexed records) beside the same indicators read from the records alone
(``rollups.ENABLED = False``) and a naive baseline (one ``.count()`` per figure, Python loops;
``bench/analytics/naive.py``) — on SQLite and on PostgreSQL, on the same SYNTHETIC data
(``bench/analytics/generate.py``: resampled from the real Tai'an records, labelled 【合成测试数据】).

    python -m bench.analytics.run --size 1000000          # full run, both backends
    python -m bench.analytics.run --size 20000            # quick mode
    python -m bench.analytics.run --size 20000 --backends sqlite

Each backend runs in its own child process (Django binds one database per process); results go
to bench/results/analytics.json. Not part of ``make test`` (``make bench-analytics``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench/results/analytics.json"
AS_OF = dt.date(2026, 11, 20)


def _percentiles(values: list[float]) -> dict[str, Any]:
    ordered = sorted(values)
    return {
        "runs": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
    }


def _time(fn: Callable[[], Any], runs: int) -> dict[str, Any]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return _percentiles(times)


def _queries(info: dict[str, Any]) -> dict[str, tuple[Callable[[], Any], Callable[[], Any] | None]]:
    """Name → (application call, naive baseline or None) on the generated data."""
    from bench.analytics import naive
    from bench.analytics.navigation_bench import bench_navigation_report
    from patentbridge.analytics import rollups
    from patentbridge.analytics.dashboards import build_dashboard
    from patentbridge.analytics.indicators import Context
    from patentbridge.analytics.report import build_report
    from patentbridge_engine.analytics import Scope

    def report(scope: Scope) -> tuple[Callable[[], Any], Callable[[], Any] | None]:
        return (lambda: build_report(scope), lambda: naive.report(Context(scope)))

    def board(layout: str, scope: Scope) -> tuple[Callable[[], Any], Callable[[], Any] | None]:
        return (
            lambda: build_dashboard(None, scope, layout=layout, scope_name="合成"),
            lambda: naive.report(Context(scope), dashboard=True),
        )

    uni, ent = info["big_university"], info["enterprise"]
    return {
        "report_platform": report(Scope(as_of=AS_OF)),
        "report_province_37": report(Scope(as_of=AS_OF, region="37")),
        f"report_county_{info['county']}": report(Scope(as_of=AS_OF, region=info["county"])),
        "dashboard_operator": board("platform", Scope(as_of=AS_OF)),
        "dashboard_tto_big_university": board("tto", Scope(as_of=AS_OF, org_id=uni, org_side="supply")),
        "dashboard_enterprise": board("enterprise", Scope(as_of=AS_OF, org_id=ent, org_side="demand")),
        f"dashboard_gov_city_{info['city']}": board("region", Scope(as_of=AS_OF, region=info["city"])),
        "navigation_chain_NGIT_province": (
            lambda: rollups.navigation_counts("NGIT", "37"),
            lambda: naive.navigation("NGIT", "37"),
        ),
        # A whole navigation report (aggregate freeze + sections + charts + stored form); no naive
        # baseline of its own: the per-patent row path it replaced is in docs/navigation.md.
        "navigation_report_chain_NGIT": (lambda: bench_navigation_report("chain", "NGIT"), None),
        "navigation_report_region_37": (lambda: bench_navigation_report("region", "37"), None),
        "navigation_report_all": (lambda: bench_navigation_report("chain", "all"), None),
    }


def _refresh(info: dict[str, Any]) -> dict[str, Any]:
    """1,000 patents approved through the review service and 100 contracts' states changed, then
    the first report: the seconds of the writes and of the rollup catching up."""
    from django.contrib.auth import get_user_model

    from patentbridge.analytics import rollups
    from patentbridge.analytics.report import build_report
    from patentbridge.licensing.models import LicenceContract
    from patentbridge.patents import services
    from patentbridge.patents.models import Patent
    from patentbridge_engine.analytics import Scope

    system = get_user_model().objects.get(username="system")
    if not system.is_superuser:
        system.is_superuser = True
        system.save(update_fields=["is_superuser"])
    pending = list(Patent.objects.filter(library_status="pending_university").order_by("pk")[:1000])
    started = time.perf_counter()
    for patent in pending:
        services.approve_university(actor=system, patent=patent, self_assessment="good")
    contracts = list(LicenceContract.objects.filter(state="active_trial").order_by("pk")[:100])
    for contract in contracts:
        # The contract sweep's write (a state change on one row) — contracts feed no rollup.
        contract.state = "trial_ended"
        contract.save(update_fields=["state", "updated_at"])
    writes = time.perf_counter() - started
    started = time.perf_counter()
    # What the background task does after the writes: the changed patents only, when it can.
    mode = rollups.refresh()
    catch_up = time.perf_counter() - started
    started = time.perf_counter()
    build_report(Scope(as_of=dt.date.today()))
    first = time.perf_counter() - started
    return {
        "patents_approved": len(pending),
        "contracts_changed": len(contracts),
        "writes_seconds": round(writes, 2),
        "rollup_refresh_mode": mode or "none",
        "rollup_refresh_seconds": round(catch_up, 2),
        "first_report_after_seconds": round(first, 2),
    }


def _picked(name: str, prefixes: str) -> bool:
    """Whether ``name`` starts with one of the comma-separated ``prefixes`` ("" = all)."""
    return not prefixes or name.startswith(tuple(prefixes.split(",")))


def child(
    backend: str,
    size: int,
    runs: int,
    baseline_runs: int,
    out: Path,
    only: str = "",
    slow_only: str = "",
) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.analytics.generate import generate
    from patentbridge.analytics import rollups

    result: dict[str, Any] = {"backend": backend, "vendor": connection.vendor}
    marker = Path(os.environ["PATENTBRIDGE_DATA_DIR"]) / f"bench_generated_{backend}_{size}.json"
    call_command("init", verbosity=0)
    if marker.exists():
        info = json.loads(marker.read_text())
        result["generation_reused"] = True
    else:
        started = time.perf_counter()
        info = generate(size)
        info["generation_seconds"] = round(time.perf_counter() - started, 1)
        marker.write_text(json.dumps(info))
    if connection.vendor == "postgresql":
        # What autovacuum does on a live server: statistics, and the dead rows of earlier runs'
        # deletes (the rollup's dirty list) cleared.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    result["data"] = info
    from patentbridge.analytics.models import RollupState

    RollupState.objects.filter(pk=1).update(fingerprint="")
    started = time.perf_counter()
    rollups.rebuild()
    result["rollup_build_seconds"] = round(time.perf_counter() - started, 2)
    from patentbridge.analytics.models import IndicatorRollup

    result["rollup_rows"] = IndicatorRollup.objects.count()
    result["rollup_area_rows"] = IndicatorRollup.objects.exclude(area="").count()
    # The navigation count table (navigation/cube.py), built for the reports' as-of day as the
    # background task builds it for today; the navigation reports below read it.
    from patentbridge.navigation import cube

    state = cube.rebuild(AS_OF)
    result["navigation_cube_build_seconds"] = state.seconds
    result["navigation_cube_rows"] = state.rows
    result["navigation_cube_complete"] = state.complete
    table: dict[str, Any] = {}
    skipped = f"not run at this size (--slow-only {slow_only}); see the smaller sizes"
    for name, (fast, slow) in _queries(info).items():
        if not _picked(name, only):
            continue
        fast()  # warm: imports, the first read of the state row
        row: dict[str, Any] = {"fast": _time(fast, runs)}
        # The slow paths take minutes per call at 1M: --slow-only limits them to a few queries.
        measure_slow = _picked(name, slow_only)
        if not name.startswith("navigation"):
            rollups.ENABLED = False
            try:
                row["records_only"] = _time(fast, max(3, baseline_runs)) if measure_slow else skipped
            finally:
                rollups.ENABLED = True
        if slow is not None:
            row["naive_baseline"] = _time(slow, baseline_runs) if measure_slow else skipped
        table[name] = row
        print(backend, name, json.dumps(row), flush=True)
    result["queries"] = table
    result["refresh"] = _refresh(info)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))


def _machine(note: str) -> dict[str, Any]:
    meminfo = Path("/proc/meminfo")
    lines = meminfo.read_text().splitlines() if meminfo.exists() else []
    mem = next((int(line.split()[1]) for line in lines if line.startswith("MemTotal")), 0)
    return {
        "cpus": os.cpu_count(),
        "ram_gb": round(mem / 2**20, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "note": note or "nothing else recorded as running",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baseline-runs", type=int, default=0, help="default: 20 below 200k, else 3")
    parser.add_argument("--keep", default="", help="reuse/keep data dirs under this directory")
    parser.add_argument("--child", default="")
    parser.add_argument("--out", default="")
    parser.add_argument("--only", default="", help="measure only queries starting with these prefixes")
    parser.add_argument(
        "--slow-only",
        default="",
        help="run the records-only and naive baselines only for queries starting with these prefixes",
    )
    parser.add_argument("--note", default="", help="what else ran on the machine meanwhile")
    args = parser.parse_args()
    baseline_runs = args.baseline_runs or (20 if args.size < 200_000 else 3)
    if args.child:
        child(args.child, args.size, args.runs, baseline_runs, Path(args.out), args.only, args.slow_only)
        return
    from patentbridge_engine.bench import SYNTHETIC_LABEL

    results: dict[str, Any] = {
        "benchmark": "analytics",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "synthetic": f"SYNTHETIC data labelled {SYNTHETIC_LABEL} (titles) and 【合成】 (organisations), "
        "resampled from bench/data/taian_patents.jsonl.xz",
        "size": args.size,
        "as_of": AS_OF.isoformat(),
        "machine": _machine(args.note),
        "backends": {},
    }
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pb_bench_analytics_"))
    for backend in args.backends.split(","):
        data_dir = base / f"{backend}_{args.size}"
        data_dir.mkdir(parents=True, exist_ok=True)
        env = dict(
            os.environ, PATENTBRIDGE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="patentbridge.settings"
        )
        env["PATENTBRIDGE_DATABASE_URL"] = ""
        if backend == "postgresql":
            server = subprocess.run(
                ["bash", str(ROOT / "scripts/ensure_postgres.sh")], capture_output=True, text=True, check=True
            ).stdout.strip()
            name = f"pb_bench_analytics_{args.size}"
            import psycopg

            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
                generated = (data_dir / f"bench_generated_{backend}_{args.size}.json").exists()
                if exists and not (args.keep and generated):
                    conn.execute(f'DROP DATABASE "{name}"')
                if not exists or not (args.keep and generated):
                    conn.execute(f'CREATE DATABASE "{name}"')
            env["PATENTBRIDGE_DATABASE_URL"] = f"{server}/{name}"
        out = data_dir / "result.json"
        cmd = [sys.executable, "-m", "bench.analytics.run", "--child", backend, "--size", str(args.size)]
        cmd += ["--runs", str(args.runs), "--baseline-runs", str(baseline_runs), "--out", str(out)]
        cmd += ["--only", args.only, "--slow-only", args.slow_only]
        subprocess.run(cmd, env=env, check=True, cwd=ROOT)
        results["backends"][backend] = json.loads(out.read_text())
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = previous.get("runs", {}) if isinstance(previous.get("runs"), dict) else {}
    # Backends measured by separate invocations land in the same size's table.
    earlier = runs.get(str(args.size), {}).get("backends", {})
    for backend, new in results["backends"].items():
        # A partial run (--only) adds its queries to the table measured before.
        if backend in earlier and args.only:
            new["queries"] = {**earlier[backend].get("queries", {}), **new["queries"]}
    results["backends"] = {**earlier, **results["backends"]}
    runs[str(args.size)] = results
    RESULTS.write_text(
        json.dumps({"benchmark": "analytics", "runs": runs}, ensure_ascii=False, indent=1) + "\n"
    )
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
