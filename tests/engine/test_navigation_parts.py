"""Navigation engine parts: findings' branches, chart options per section, key numbers, labels and
the edge rows (unknown region, unknown kind, the 其他 slice)."""

from __future__ import annotations

from engine.test_navigation import BASELINE, ROWS, row, snapshot
from patentbridge_engine.navigation import Baseline, NavRow, Snapshot, build_sections, chart_options
from patentbridge_engine.navigation.findings import auto_findings


def test_chart_kinds_per_section() -> None:
    options = chart_options(build_sections(snapshot()))
    kinds = {k: v["series"][0]["type"] for k, v in options.items()}
    assert kinds == {
        "trend": "line",
        "geography": "bar",
        "applicants": "pie",
        "inventors": "bar",
        "technology": "pie",
        "legal_status": "pie",
        "operations": "bar",
        "positioning": "bar",
    }
    trend = options["trend"]
    assert trend["xAxis"]["data"][0] == "2019" and [s["name"] for s in trend["series"]] == [
        "专利数",
        "申请人数",
    ]
    # horizontal bars: categories on the y axis, first (largest) on top
    assert options["geography"]["yAxis"]["type"] == "category"
    assert options["geography"]["yAxis"]["data"][0] == "泰安市"


def test_no_chart_for_empty_or_meaningless_sections() -> None:
    quiet = [row(i, 2020, "F24D") for i in range(3)]
    options = chart_options(build_sections(snapshot(rows=quiet)))
    assert "operations" not in options  # nothing operated: nothing to draw
    whole = Baseline(total=3, branches={"F24D": 3})
    assert "positioning" not in chart_options(build_sections(snapshot(rows=quiet, baseline=whole)))
    assert chart_options(build_sections(snapshot(rows=[]))) == {}


def test_key_numbers() -> None:
    numbers = build_sections(snapshot())["key_numbers"]
    assert numbers == {
        "patents": 13,
        "valid": 12,
        "high_value_or_a": 3,
        "applicants": 3,
        "inventors": 4,
        "operations": 5,
        "library_share": 0.13,
        "gaps": 2,
        "stage": "成长期",
    }


def test_gap_without_university_suggests_looking_outside() -> None:
    base = Baseline(total=100, branches={"F24D": 10, "H01M": 90})
    findings = auto_findings(build_sections(snapshot(baseline=base)))
    gap = next(f for f in findings if f["code"] == "gap:H01M")
    assert gap["action_kind"] == "invest" and "域外" in gap["action"]


def test_low_legal_coverage_asks_for_data() -> None:
    unknown = [row(i, 2020 + i % 5, "F24D", legal="unknown") for i in range(12)]
    findings = auto_findings(build_sections(snapshot(rows=unknown)))
    data = [f for f in findings if f["code"] == "legal-coverage"]
    assert data and data[0]["action_kind"] == "data" and "0%" in data[0]["text"]


def test_edge_rows_unknown_region_and_kind_and_rest_slice() -> None:
    rows = [row(i, 2020, f"A0{i % 9 + 1}B", region="", applicant_kind="") for i in range(30)]
    rows += [row(100, 2020, "", group="")]
    out = build_sections(snapshot(rows=rows))
    geo = out["geography"]
    assert geo["unknown"] == 30 and geo["rows"][0][0] == "地区不详"
    assert {r[1] for r in out["applicants"]["by_kind"]} == {"unknown", "enterprise"}
    tech = out["technology"]["rows"]
    # nine branches of 3–4 patents plus the unclassified one: ten shown, no 其他 row needed
    assert len(tech) == 10 and any(r[1] == "未分类" for r in tech)
    many = [row(i, 2020, f"B{i:02d}C") for i in range(15)]
    tech = build_sections(snapshot(rows=many))["technology"]["rows"]
    assert tech[-1][1] == "其他" and tech[-1][2] == 5


def test_labels_frozen_in_the_snapshot_name_the_rows() -> None:
    snap = snapshot()
    assert snap.label("branch", "H01M") == "电池"
    assert snap.label("branch", "ZZZZ") == "ZZZZ"  # unknown code: shown as itself
    back = Snapshot.from_dict(snap.as_dict())
    assert back.labels == snap.labels and back.meta == snap.meta


def test_row_round_trip() -> None:
    r = ROWS[1]
    assert NavRow.from_list(r.as_list()) == r
    assert BASELINE.as_dict()["universities"]["H01M"][0] == ["山东大学", 12]
    assert Baseline.from_dict(BASELINE.as_dict()) == Baseline(
        total=100,
        branches=dict(BASELINE.branches),
        universities={k: list(v) for k, v in BASELINE.universities.items()},
    )


def test_aggregate_snapshot_round_trip_and_format_dispatch() -> None:
    from patentbridge_engine.navigation import AggregateSnapshot, aggregate_rows, load_snapshot

    agg = aggregate_rows(snapshot())
    back = load_snapshot(agg.compressed())
    assert isinstance(back, AggregateSnapshot) and back == AggregateSnapshot.from_dict(agg.as_dict())
    assert back.sha256() == agg.sha256() and build_sections(back) == build_sections(snapshot())
    old = load_snapshot(snapshot().compressed())  # a version stored as rows
    assert isinstance(old, Snapshot) and build_sections(old) == build_sections(back)


def test_damaged_aggregate_is_refused_in_chinese() -> None:
    import pytest

    from patentbridge_engine.navigation import AggregateSnapshot, SnapshotError, aggregate_rows

    data = aggregate_rows(snapshot()).as_dict()
    del data["operations"]
    with pytest.raises(SnapshotError, match="损坏"):
        AggregateSnapshot.from_dict(data)


def test_team_counts_follow_the_lead_inventor_rule() -> None:
    from patentbridge_engine.navigation import team_counts, top_teams

    rows = [
        ("甲公司", ("张", "李")),  # 李 is on three of 甲's patents, 张 on two → 李 leads
        ("甲公司", ("李",)),
        ("甲公司", ("李", "张", "李")),  # repeated name counts once
        ("乙公司", ("王", "赵")),  # tie 1–1 → the first named leads
        ("", ("孙",)),  # no applicant, no team
        ("乙公司", ("", "")),  # no named inventor
    ]
    assert team_counts(rows) == {("甲公司", "李"): 3, ("乙公司", "王"): 1}
    assert top_teams(team_counts(rows), 1) == [["甲公司", "李", 3]]


def test_aggregate_size_does_not_grow_with_the_scope() -> None:
    from patentbridge_engine.navigation import aggregate_rows

    def size(n: int) -> int:
        rows = [
            row(i, 2000 + i % 20, ("F24D", "F25B", "H01M")[i % 3], applicant=f"申请人{i % 5}")
            for i in range(n)
        ]
        return len(aggregate_rows(snapshot(rows=rows)).canonical())

    # 4,000 and 40,000 patents with the same years, branches and names (each topic past its
    # title sample): only the counts' digits differ
    assert size(40_000) - size(4_000) < 200
