"""专利导航 (GB/T 39551): report sections, findings and version diffs computed from a frozen
snapshot of compact patent rows. Pure Python; the web app freezes the snapshot and stores it."""

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
    "Baseline",
    "NavRow",
    "Snapshot",
    "SnapshotError",
    "auto_findings",
    "build_sections",
    "chart_options",
    "complete_year",
    "diff_key_numbers",
    "key_numbers",
    "lifecycle_stage",
]
