"""Navigation report sections on a hand-built snapshot whose answers are worked out below."""

from __future__ import annotations

import datetime as dt

import pytest

from patentbridge_engine.navigation import (
    Baseline,
    NavRow,
    Snapshot,
    SnapshotError,
    build_sections,
    complete_year,
    diff_key_numbers,
    lifecycle_stage,
)


def row(n: int, year: int | None, branch: str, **kw: object) -> NavRow:
    base: dict[str, object] = {
        "number": f"CN{n:03d}",
        "year": year,
        "branch": branch,
        "group": f"{branch} 1",
        "chains": ("heat",),
        "region": "370902",
        "applicant": "泰安热泵有限公司",
        "applicant_kind": "enterprise",
        "inventors": ("张三",),
        "legal": "granted",
        "grade": "",
        "high_value": False,
        "transfers": 0,
        "licences": 0,
        "pledges": 0,
        "open_licence": False,
        "title": "空气源热泵机组",
    }
    base.update(kw)
    return NavRow(**base)  # type: ignore[arg-type]


# Filing years: 2019×1, 2020×2, 2021×1 (previous three complete years = 4),
# 2022×2, 2023×2, 2024×2 (recent = 6), 2025×1 (not complete on 2026-11-28), one undated.
YEARS = [2019, 2020, 2020, 2021, 2022, 2022, 2023, 2023, 2024, 2024, 2025, None]
ROWS = [
    row(i, y, "F24D" if i < 8 else "F25B", region="370902" if i % 2 else "370100")
    for i, y in enumerate(YEARS)
]
ROWS[0] = row(
    0, 2019, "F24D", applicant="山东农业大学", applicant_kind="university", inventors=("李四", "王五")
)
ROWS[1] = row(1, 2020, "F24D", grade="A", high_value=True, licences=2, legal="unknown")
ROWS[2] = row(2, 2020, "F24D", grade="A", transfers=1, pledges=1)
ROWS[3] = row(3, 2021, "F24D", grade="B", high_value=True)
ROWS.append(row(12, 2023, "H01M", applicant="某电池公司", open_licence=True, inventors=("赵六",)))

BASELINE = Baseline(
    total=100,
    branches={"F24D": 10, "F25B": 40, "H01M": 30, "A61K": 20},
    universities={"H01M": [("山东大学", 12), ("青岛大学", 5)], "A61K": [("山东中医药大学", 9)]},
)
LABELS = {
    "branch": {"F24D": "家庭或区域集中供暖", "H01M": "电池"},
    "region": {"3709": "泰安市", "3701": "济南市"},
}


def snapshot(rows: list[NavRow] = ROWS, baseline: Baseline = BASELINE) -> Snapshot:
    return Snapshot(
        meta={"kind": "chain", "scope": "heat", "as_of": "2026-11-28"},
        rows=rows,
        baseline=baseline,
        labels=LABELS,
    )


def test_complete_year_follows_the_18_month_publication_lag() -> None:
    assert complete_year(dt.date(2026, 11, 28)) == 2024
    assert complete_year(dt.date(2026, 6, 30)) == 2024
    assert complete_year(dt.date(2026, 6, 29)) == 2023


def test_trend_and_lifecycle() -> None:
    t = build_sections(snapshot())["trend"]
    assert t["rows"][0] == [2019, 1, 1, False]
    assert [r[0] for r in t["rows"]] == [2019, 2020, 2021, 2022, 2023, 2024, 2025]
    # 2023 holds two heat-pump filings and the battery one, from two applicants.
    assert t["rows"][4] == [2023, 3, 2, False]
    assert t["rows"][-1] == [2025, 1, 1, True]
    assert t["undated"] == 1
    # recent 2022–2024 = 2 + 3 + 2 = 7, previous 2019–2021 = 4 → growth 0.75 → 成长期
    assert t["lifecycle"] == {
        "stage": "成长期",
        "recent": 7,
        "previous": 4,
        "growth": 0.75,
        "window": [2019, 2024],
    }


def test_lifecycle_of_a_scope_whose_records_stop_early() -> None:
    # 2005–2010 only: judged on 2005–2010 (recent 2008–2010 = 9, previous 2005–2007 = 3).
    old = [
        row(i, y, "F24D")
        for i, y in enumerate([2005, 2006, 2007, 2008, 2008, 2009, 2009, 2009, 2010, 2010, 2010, 2010])
    ]
    t = build_sections(snapshot(rows=old))["trend"]
    assert t["lifecycle"]["window"] == [2005, 2010]
    assert t["lifecycle"]["stage"] == "成长期" and t["lifecycle"]["growth"] == 2.0
    assert "只到 2010 年" in t["note"]


@pytest.mark.parametrize(
    ("per_year", "stage"),
    [
        ({2019: (3, 1), 2022: (3, 1)}, "样本不足"),
        ({2022: (5, 1), 2023: (6, 1)}, "萌芽期"),
        ({2019: (5, 1), 2022: (5, 1)}, "成熟期"),
        ({2019: (10, 1), 2022: (7, 1)}, "衰退期"),
        ({2019: (10, 1), 2022: (12, 1)}, "成长期"),
    ],
)
def test_lifecycle_stage_boundaries(per_year: dict[int, tuple[int, int]], stage: str) -> None:
    assert lifecycle_stage(per_year, 2024)["stage"] == stage


def test_geography_applicants_inventors() -> None:
    out = build_sections(snapshot())
    geo = {r[1]: r[2] for r in out["geography"]["rows"]}
    # odd numbers in 370902 (泰安), even in 370100 (济南); rows 0–3 and 12 were rebuilt in 370902.
    odd = sum(1 for i in range(4, 12) if i % 2)
    assert geo == {"3709": 4 + odd + 1, "3701": 12 - 4 - odd}
    assert out["geography"]["rows"][0][0] == "泰安市"
    kinds = {r[1]: r[2] for r in out["applicants"]["by_kind"]}
    assert kinds == {"enterprise": 12, "university": 1}
    top = out["applicants"]["rows"][0]
    assert top[0] == "泰安热泵有限公司" and top[2] == 11 and top[3] == 2
    assert out["applicants"]["distinct"] == 3
    assert out["inventors"]["rows"][0] == ["张三", 11]
    assert out["inventors"]["distinct"] == 4
    assert out["inventors"]["teams"][0] == ["泰安热泵有限公司", "张三", 11]


def test_technology_legal_operations_key_patents() -> None:
    out = build_sections(snapshot())
    tech = {r[0]: r[2] for r in out["technology"]["rows"]}
    assert tech == {"F24D": 8, "F25B": 4, "H01M": 1}
    assert out["technology"]["topics"][0][:2] == ["F24D 1", 8]
    assert "热泵" in out["technology"]["topics"][0][2]
    legal = out["legal_status"]
    assert legal["valid"] == 12 and legal["coverage"] == round(12 / 13, 4)
    assert out["operations"]["rows"] == [["转让", 1], ["许可", 2], ["质押", 1], ["开放许可声明", 1]]
    assert out["operations"]["operated"] == 3
    key = out["key_patents"]
    assert key["count"] == 3 and key["idle"] == 1
    # high-value first (CN001 grade A before CN003 grade B), then the A without high-value flag
    assert [r[0] for r in key["rows"]] == ["CN001", "CN003", "CN002"]


def test_positioning_gaps_and_collaboration() -> None:
    out = build_sections(snapshot())
    pos = {r[0]: r for r in out["positioning"]["rows"]}
    # RTA = (scope_b / 13) / (library_b / 100)
    assert pos["F24D"][5] == round((8 / 13) / 0.10, 3)
    assert pos["F25B"][5] == round((4 / 13) / 0.40, 3)
    assert pos["H01M"][5] == round((1 / 13) / 0.30, 3)
    assert pos["A61K"][2] == 0 and pos["A61K"][5] == 0.0
    assert out["positioning"]["library_share"] == 0.13
    assert [g[0] for g in out["gaps"]["rows"]] == ["H01M", "A61K"]
    assert [s[0] for s in out["gaps"]["strengths"]] == ["F24D"]
    collab = out["collaboration"]["rows"]
    assert [c[0] for c in collab] == ["山东大学", "青岛大学", "山东中医药大学"]
    assert collab[0][1:4] == ["H01M", "电池", 12]


def test_findings_each_carry_an_action() -> None:
    findings = build_sections(snapshot())["findings"]
    codes = [f["code"] for f in findings]
    assert codes[:3] == ["stage", "gap:H01M", "gap:A61K"]
    assert "strength:F24D" in codes and "idle-key" in codes and "team" in codes
    assert all(f["action"] and f["action_kind"] for f in findings)
    gap = findings[1]
    assert "山东大学（12 件）" in gap["action"] and gap["action_kind"] == "collaborate"


def test_whole_library_has_no_gaps() -> None:
    base = Baseline(total=13, branches={"F24D": 8, "F25B": 4, "H01M": 1})
    out = build_sections(snapshot(baseline=base))
    assert out["positioning"]["whole_library"] is True
    assert out["gaps"]["rows"] == [] and out["collaboration"]["rows"] == []


def test_empty_snapshot_is_honest() -> None:
    out = build_sections(snapshot(rows=[]))
    assert out["trend"]["rows"] == [] and out["trend"]["lifecycle"]["stage"] == "样本不足"
    assert out["key_numbers"]["patents"] == 0
    assert out["findings"] == []


def test_reproducible_bytes_hash_and_round_trip() -> None:
    a, b = snapshot(), snapshot(rows=list(reversed(ROWS)))
    assert a.canonical() == b.canonical() and a.sha256() == b.sha256()
    assert a.compressed() == b.compressed()
    back = Snapshot.from_compressed(a.compressed())
    assert back.sha256() == a.sha256()
    assert build_sections(back) == build_sections(a)


def test_damaged_snapshots_are_refused_in_chinese() -> None:
    with pytest.raises(SnapshotError, match="损坏"):
        Snapshot.from_compressed(b"not gzip")
    with pytest.raises(SnapshotError, match="格式"):
        Snapshot.from_dict({"format": 99})
    with pytest.raises(SnapshotError, match="列数"):
        Snapshot.from_dict(
            {"format": 1, "meta": {}, "rows": [["x"]], "baseline": {"total": 0, "branches": {}}}
        )


def test_diff_of_key_numbers() -> None:
    before = build_sections(snapshot(rows=ROWS[:-1]))["key_numbers"]
    after = build_sections(snapshot())["key_numbers"]
    rows = {r["key"]: r for r in diff_key_numbers(before, after)}
    assert (
        rows["patents"]["before"] == 12 and rows["patents"]["after"] == 13 and rows["patents"]["change"] == 1
    )
    assert rows["operations"]["change"] == 1  # the battery patent's open-licence declaration
    assert rows["stage"]["change"] is None
    assert rows["valid"]["changed"] is True and rows["gaps"]["changed"] is False


def test_topic_sample_is_fixed_whatever_the_row_order() -> None:
    from patentbridge_engine.navigation.topics import MAX_TITLES

    many = [
        row(i, 2020, "F24D", title="空气源热泵机组" if i < MAX_TITLES else "太阳能集热器")
        for i in range(MAX_TITLES + 50)
    ]
    forward = build_sections(snapshot(rows=many))["technology"]["topics"]
    backward = build_sections(snapshot(rows=list(reversed(many))))["technology"]["topics"]
    assert forward == backward
    # only the first MAX_TITLES titles (by application number) name the cluster
    assert "集热器" not in forward[0][2] and forward[0][1] == MAX_TITLES + 50
