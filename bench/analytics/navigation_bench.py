"""One navigation report (专利导航) frozen and rendered on the benchmark's data: the aggregate
freeze (SQL GROUP BY on the scope, the library baseline), the sections, the findings and charts,
and the stored form (canonical JSON + gzip + sha256). ``bench_navigation_report`` is what
``bench/analytics/run.py`` times; run alone it prints one report's phases:

    PATENTBRIDGE_DATA_DIR=/work/benchdata/c/sqlite_100000 DJANGO_SETTINGS_MODULE=patentbridge.settings \\
        python -m bench.analytics.navigation_bench chain NGIT
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from typing import Any

AS_OF = dt.date(2026, 11, 20)


def bench_navigation_report(
    kind: str, scope: str, as_of: dt.date = AS_OF, *, warm_baseline: bool = True
) -> dict[str, Any]:
    """Freeze and render one report of ``kind`` (chain, region, applicant, rnd, talent) on
    ``scope`` (``all`` = the whole library); returns the seconds per phase, the patents in scope
    and the stored snapshot's size. ``warm_baseline=False`` drops the per-process library
    baseline first, so the time includes the scan of the whole library a first report pays."""
    from patentbridge.navigation.freeze import freeze, resolve_scope
    from patentbridge.patents import versioned_cache
    from patentbridge_engine.navigation import build_sections, chart_options

    if not warm_baseline:
        versioned_cache.clear()
    started, cpu = time.perf_counter(), time.process_time()
    spec = resolve_scope(kind, scope)
    snap = freeze(spec, as_of)
    frozen = time.perf_counter()
    sections = build_sections(snap)
    chart_options(sections)
    rendered = time.perf_counter()
    blob = snap.compressed()
    snap.sha256()
    stored, cpu_used = time.perf_counter(), time.process_time() - cpu
    return {
        "kind": kind,
        "scope": scope,
        "patents": snap.total,
        "freeze_s": round(frozen - started, 4),
        "sections_s": round(rendered - frozen, 4),
        "store_s": round(stored - rendered, 4),
        "total_s": round(stored - started, 4),
        # CPU of this process (SQLite runs in it): what the report costs when the machine is
        # shared, where wall time also counts the waits for a core.
        "cpu_s": round(cpu_used, 4),
        "snapshot_bytes": len(blob),
        "findings": len(sections["findings"]),
    }


def main(argv: list[str]) -> None:
    import django

    django.setup()
    kind, scope = (argv[0], argv[1]) if len(argv) >= 2 else ("chain", "all")
    cold = bench_navigation_report(kind, scope, warm_baseline=False)
    warm = [bench_navigation_report(kind, scope) for _ in range(3)]
    print(json.dumps({"cold": cold, "warm": warm}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
