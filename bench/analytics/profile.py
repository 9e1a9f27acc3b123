"""Where a report's time goes: each platform indicator of one scope timed on a data directory the
analytics benchmark kept (``bench.analytics.run --keep DIR``), with the SQL statements it ran.

    PATENTBRIDGE_DATA_DIR=/work/benchdata/sqlite_1000000 DJANGO_SETTINGS_MODULE=patentbridge.settings \\
        python -m bench.analytics.profile --region 37 --top 5

Indicators share figures within one report (``per_context``): the first indicator to need one
pays for it, as in a real request. ``--dashboard LAYOUT`` times a role dashboard instead.
Output only; nothing is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

AS_OF = dt.date(2026, 11, 20)


def _slowest(queries: list[dict[str, Any]], top: int) -> list[tuple[float, str]]:
    timed = [(float(q.get("time") or 0), str(q.get("sql", ""))) for q in queries]
    return sorted(timed, reverse=True)[:top]


def profile(region: str, org: int | None, side: str, top: int, as_of: dt.date) -> list[dict[str, Any]]:
    """Per indicator: seconds, statements run and the ``top`` slowest statements."""
    from django.db import connection, reset_queries

    from patentbridge.analytics.indicators import Context, compute
    from patentbridge.analytics.indicators.registry import platform_ids
    from patentbridge_engine.analytics import Scope

    scope = Scope(as_of=as_of, region=region, org_id=org, org_side=side if org else "")
    ctx = Context(scope)
    rows = []
    connection.force_debug_cursor = True
    try:
        for indicator_id in platform_ids():
            reset_queries()
            started = time.perf_counter()
            compute(scope, [indicator_id], ctx)
            seconds = time.perf_counter() - started
            queries = list(connection.queries)
            rows.append(
                {
                    "id": indicator_id,
                    "seconds": round(seconds, 3),
                    "statements": len(queries),
                    "slowest": _slowest(queries, top),
                }
            )
    finally:
        connection.force_debug_cursor = False
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--region", default="")
    parser.add_argument("--org", type=int, default=None)
    parser.add_argument("--side", default="supply", choices=("supply", "demand"))
    parser.add_argument("--top", type=int, default=2)
    parser.add_argument("--as-of", default=AS_OF.isoformat())
    parser.add_argument("--sql-chars", type=int, default=300)
    args = parser.parse_args()
    import django

    django.setup()
    rows = profile(args.region, args.org, args.side, args.top, dt.date.fromisoformat(args.as_of))
    total = sum(r["seconds"] for r in rows)
    for r in sorted(rows, key=lambda r: -r["seconds"]):
        print(f"{r['seconds']:7.3f}s {r['statements']:3d} stmts  {r['id']}")
        for seconds, sql in r["slowest"]:
            if seconds >= 0.02:
                print(f"          {seconds:6.3f}s  {sql[: args.sql_chars]}")
    print(f"total {total:.3f}s over {len(rows)} indicators")


if __name__ == "__main__":
    main()
