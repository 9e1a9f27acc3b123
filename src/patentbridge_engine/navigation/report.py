"""A whole navigation report from a snapshot (aggregate, or rows of an older version): every section, the automatic findings, the key
numbers a refresh is compared on, the diff between two versions and the ECharts options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from patentbridge_engine.analytics.charts import ChartSpec, chart_option
from patentbridge_engine.navigation import sections as s
from patentbridge_engine.navigation.aggregate import AggregateSnapshot, aggregate_rows
from patentbridge_engine.navigation.findings import auto_findings
from patentbridge_engine.navigation.snapshot import Snapshot

__all__ = [
    "KEY_NUMBERS",
    "SECTION_TITLES",
    "build_sections",
    "chart_options",
    "diff_key_numbers",
    "key_numbers",
]

SECTION_TITLES = {
    "trend": "申请趋势与技术生命周期",
    "geography": "地域分布",
    "applicants": "申请人（类型与排名）",
    "inventors": "发明人与研发团队",
    "technology": "技术构成（IPC 与主题聚类）",
    "legal_status": "法律状态",
    "operations": "专利运营（转让、许可、质押、开放许可、平台许可）",
    "key_patents": "重点专利（A 级 / 高价值）",
    "positioning": "定位分析（对比全库）",
    "gaps": "短板清单",
    "collaboration": "合作对象（薄弱分支的高校）",
}
KEY_NUMBERS = {
    "patents": "专利总数",
    "valid": "有效专利",
    "high_value_or_a": "A 级或高价值专利",
    "applicants": "申请人数",
    "inventors": "发明人数",
    "operations": "运营次数",
    "library_share": "占全库份额",
    "gaps": "薄弱分支数",
    "stage": "生命周期阶段",
}


def build_sections(snapshot: Snapshot | AggregateSnapshot) -> dict[str, Any]:
    """Every section of the report, in display order, plus ``findings`` and ``key_numbers``. A row
    snapshot (format 1, versions stored before the aggregate freeze) is aggregated first."""
    snap = aggregate_rows(snapshot) if isinstance(snapshot, Snapshot) else snapshot
    position = s.positioning(snap)
    gap = s.gaps(snap, position)
    out: dict[str, Any] = {
        "trend": s.trend(snap),
        "geography": s.geography(snap),
        "applicants": s.applicants(snap),
        "inventors": s.inventors(snap),
        "technology": s.technology(snap),
        "legal_status": s.legal_status(snap),
        "operations": s.operations(snap),
        "key_patents": s.key_patents(snap),
        "positioning": position,
        "gaps": gap,
        "collaboration": s.collaboration(snap, gap["rows"]),
    }
    out["findings"] = auto_findings(out)
    out["key_numbers"] = key_numbers(out)
    return out


def key_numbers(sections: Mapping[str, Any]) -> dict[str, Any]:
    """The numbers a refresh is compared on (``KEY_NUMBERS`` order)."""
    return {
        "patents": sections["positioning"]["scope_total"],
        "valid": sections["legal_status"]["valid"],
        "high_value_or_a": sections["key_patents"]["count"],
        "applicants": sections["applicants"]["distinct"],
        "inventors": sections["inventors"]["distinct"],
        "operations": sum(int(r[1]) for r in sections["operations"]["rows"]),
        "library_share": sections["positioning"]["library_share"],
        "gaps": len(sections["gaps"]["rows"]),
        "stage": sections["trend"]["lifecycle"]["stage"],
    }


def diff_key_numbers(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per key number: label, before, after, change (numbers: after − before; text: None)
    and whether it changed."""
    rows = []
    for key, label in KEY_NUMBERS.items():
        a, b = before.get(key), after.get(key)
        numeric = isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool)
        change = round(b - a, 4) if numeric else None  # type: ignore[operator]
        rows.append(
            {"key": key, "label": label, "before": a, "after": b, "change": change, "changed": a != b}
        )
    return rows


def chart_options(sections: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """ECharts options per section (sections with nothing to draw are left out)."""
    specs: dict[str, ChartSpec] = {}
    t = sections["trend"]["rows"]
    if t:
        specs["trend"] = ChartSpec(
            "line",
            [str(r[0]) for r in t],
            [("专利数", [r[1] for r in t]), ("申请人数", [r[2] for r in t])],
            "件",
        )
    g = sections["geography"]["rows"]
    if g:
        specs["geography"] = ChartSpec("hbar", [r[0] for r in g], [("专利数", [r[2] for r in g])], "件")
    a = sections["applicants"]["by_kind"]
    if a:
        specs["applicants"] = ChartSpec("pie", [r[0] for r in a], [("专利数", [r[2] for r in a])], "件")
    inv = sections["inventors"]["rows"]
    if inv:
        specs["inventors"] = ChartSpec("hbar", [r[0] for r in inv], [("专利数", [r[1] for r in inv])], "件")
    tech = sections["technology"]["rows"]
    if tech:
        specs["technology"] = ChartSpec(
            "pie", [f"{r[0]} {r[1]}".strip() for r in tech], [("专利数", [r[2] for r in tech])], "件"
        )
    legal = sections["legal_status"]["rows"]
    if legal:
        specs["legal_status"] = ChartSpec(
            "pie", [r[0] for r in legal], [("专利数", [r[2] for r in legal])], "件"
        )
    ops = sections["operations"]["rows"]
    if any(r[1] for r in ops):
        specs["operations"] = ChartSpec("bar", [r[0] for r in ops], [("次数", [r[1] for r in ops])], "次")
    pos = [r for r in sections["positioning"]["rows"] if r[5] is not None]
    if pos and not sections["positioning"]["whole_library"]:
        specs["positioning"] = ChartSpec("bar", [r[0] for r in pos], [("专业化指数", [r[5] for r in pos])])
    return {key: chart_option(spec) for key, spec in specs.items()}
