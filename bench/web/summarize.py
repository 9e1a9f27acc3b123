"""Add a ``summary`` (one row per database × code × server, targets met or not) to web.json.

python -m bench.web.summarize [bench/results/web.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# The targets at 100k patents (20 clients for 60 s with an import beside them).
TARGETS = {
    "single_list_p50_ms": 150,
    "single_api_search_p50_ms": 100,
    "concurrent_list_req_per_s": 40,
    "concurrent_api_search_req_per_s": 100,
    "concurrent_p99_ms": 1000,
    "errors": 0,
}


def _row(db: str, code: str, config: dict[str, Any]) -> dict[str, Any]:
    single, conc = config["single"], config["concurrent"]
    row = {
        "database": db,
        "code": code,
        "server": config["server"],
        "single_list_p50_ms": single["list"]["p50_ms"],
        "single_list_filtered_p50_ms": single["list_filtered"]["p50_ms"],
        "single_search_page_p50_ms": single["search_page"]["p50_ms"],
        "single_api_search_p50_ms": single["api_search"]["p50_ms"],
        "concurrent_list_req_per_s": conc["list"]["req_per_s"],
        "concurrent_list_p99_ms": conc["list"]["p99_ms"],
        "concurrent_api_search_req_per_s": conc["api_search"]["req_per_s"],
        "concurrent_api_search_p99_ms": conc["api_search"]["p99_ms"],
        "errors": conc["list"]["errors"] + conc["api_search"]["errors"],
        "loadavg_1m_during_load": [
            conc["list"]["loadavg_1m_after"],
            conc["api_search"]["loadavg_1m_after"],
        ],
    }
    row["targets_met"] = {
        "single_list": row["single_list_p50_ms"] <= TARGETS["single_list_p50_ms"],
        "single_api_search": row["single_api_search_p50_ms"] <= TARGETS["single_api_search_p50_ms"],
        "concurrent_list": row["concurrent_list_req_per_s"] >= TARGETS["concurrent_list_req_per_s"]
        and row["concurrent_list_p99_ms"] <= TARGETS["concurrent_p99_ms"],
        "concurrent_api_search": row["concurrent_api_search_req_per_s"]
        >= TARGETS["concurrent_api_search_req_per_s"]
        and row["concurrent_api_search_p99_ms"] <= TARGETS["concurrent_p99_ms"],
        "zero_errors": row["errors"] == 0,
    }
    return row


def summarize(path: Path) -> dict[str, Any]:
    """Rows for the baseline (embedded earlier run) and every configuration of this run."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for run in (data.get("baseline_measured_earlier") or {}).get("runs") or []:
        rows += [_row(run["database"], c["code"], c) for c in run["configs"]]
    for run in data["runs"]:
        rows += [_row(run["database"], c["code"], c) for c in run["configs"]]
    for run in (data.get("sqlite_rerun") or {}).get("runs") or []:
        rows += [_row(run["database"], c["code"] + " (rerun)", c) for c in run["configs"]]
    data["summary"] = {"targets_at_100k": TARGETS, "rows": rows}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return data


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results" / "web.json"
    for row in summarize(path)["summary"]["rows"]:
        print(json.dumps({k: v for k, v in row.items() if k != "targets_met"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
