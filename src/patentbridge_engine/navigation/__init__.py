"""专利导航 (GB/T 39551): report sections, findings and version diffs computed from a frozen
aggregate snapshot (counts and top-N lists; older versions stored compact rows). Pure Python; the web app freezes the snapshot and stores it."""

from patentbridge_engine.navigation.aggregate import (
    AggregateSnapshot,
    aggregate_rows,
    key_order,
    load_snapshot,
    team_counts,
    top_teams,
)
from patentbridge_engine.navigation.findings import ACTION_KINDS, auto_findings
from patentbridge_engine.navigation.report import (
    KEY_NUMBERS,
    SECTION_TITLES,
    build_sections,
    chart_options,
    diff_key_numbers,
    key_numbers,
)
from patentbridge_engine.navigation.sections import complete_year, lifecycle_stage
from patentbridge_engine.navigation.snapshot import Baseline, NavRow, Snapshot, SnapshotError

__all__ = [
    "ACTION_KINDS",
    "KEY_NUMBERS",
    "SECTION_TITLES",
    "AggregateSnapshot",
    "Baseline",
    "NavRow",
    "Snapshot",
    "SnapshotError",
    "aggregate_rows",
    "auto_findings",
    "build_sections",
    "chart_options",
    "complete_year",
    "diff_key_numbers",
    "key_numbers",
    "key_order",
    "lifecycle_stage",
    "load_snapshot",
    "team_counts",
    "top_teams",
]
