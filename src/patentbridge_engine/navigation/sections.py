"""The sections of a navigation report (guide §6.d, GB/T 39551 "专利分析图集" and "产业定位图集"),
each computed from the counts and top-N lists of an aggregate snapshot (``aggregate.py``), so the
cost does not grow with the scope.

Every section is a plain JSON-ready dict: ``rows`` (lists in the order of ``columns``), plus the
numbers a finding or the key-number diff reads. Names of regions, chains and branches come from the
snapshot's frozen labels, so a recomputation years later shows the names of the day it was frozen.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from patentbridge_engine.navigation.aggregate import KEY_ROWS, PLATFORM, TOP_N, AggregateSnapshot, top
from patentbridge_engine.navigation.topics import topic_clusters

__all__ = [
    "GAP_RTA",
    "STRONG_RTA",
    "applicants",
    "collaboration",
    "complete_year",
    "gaps",
    "geography",
    "inventors",
    "key_patents",
    "legal_status",
    "lifecycle_stage",
    "operations",
    "positioning",
    "technology",
    "trend",
]

# Specialisation index (revealed technological advantage) below which a branch is weak in the
# scope and above which it is a strength; 1.0 = the scope's share equals the library's.
GAP_RTA = 0.5
STRONG_RTA = 1.5
# A branch counts for the gap list only when it holds at least this share of the library: gaps in
# branches the library itself barely covers are noise, not a direction.
GAP_MIN_LIBRARY_SHARE = 0.02
GROWTH_UP = 0.2
GROWTH_DOWN = -0.2
MIN_STAGE_SAMPLE = 10
VALID_STATES = frozenset({"granted"})
PENDING_STATES = frozenset({"filed", "published", "substantive_exam"})
UNKNOWN_STATES = frozenset({"", "unknown"})


def complete_year(as_of: dt.date) -> int:
    """The last filing year whose applications are all published by ``as_of``: applications are
    published up to 18 months after filing, so year y is complete from 30 June of y + 2."""
    return as_of.year - 2 if (as_of.month, as_of.day) >= (6, 30) else as_of.year - 3


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _top(counter: Counter[str], n: int = TOP_N) -> list[tuple[str, int]]:
    return top(counter, n)


def lifecycle_stage(per_year: dict[int, tuple[int, int]], last_complete: int) -> dict[str, Any]:
    """Growth stage from filings (and applicants) per year: the three complete years up to
    ``last_complete`` against the three before. Fewer than ``MIN_STAGE_SAMPLE`` patents in the six
    years → 样本不足; nothing before → 萌芽期; growth ≥ 20 % → 成长期; within ±20 % → 成熟期; else 衰退期."""
    recent = sum(per_year.get(y, (0, 0))[0] for y in range(last_complete - 2, last_complete + 1))
    previous = sum(per_year.get(y, (0, 0))[0] for y in range(last_complete - 5, last_complete - 2))
    growth = None if previous == 0 else round((recent - previous) / previous, 4)
    if recent + previous < MIN_STAGE_SAMPLE:
        stage = "样本不足"
    elif previous == 0:
        stage = "萌芽期"
    elif growth is not None and growth >= GROWTH_UP:
        stage = "成长期"
    elif growth is not None and growth > GROWTH_DOWN:
        stage = "成熟期"
    else:
        stage = "衰退期"
    return {"stage": stage, "recent": recent, "previous": previous, "growth": growth}


def trend(snap: AggregateSnapshot) -> dict[str, Any]:
    """Filings and distinct applicants per filing year; years not yet fully published are flagged,
    and the growth stage uses complete years only."""
    as_of = dt.date.fromisoformat(str(snap.meta["as_of"]))
    last = complete_year(as_of)
    per_year = {int(y): (int(n), int(a)) for y, n, a in snap.years}
    rows = [[y, n, a, y > last] for y, (n, a) in sorted(per_year.items())]
    # A scope whose records stop before the last complete year (an old bibliographic export) is
    # judged on its own last six years, and says so, rather than on six empty years.
    anchor = min(last, max(per_year)) if per_year else last
    life = lifecycle_stage(per_year, anchor)
    life["window"] = [anchor - 5, anchor]
    notes = [f"发明专利申请自申请日起约 18 个月公开，{last + 1} 年及以后的数据尚不完整，不计入阶段判断。"]
    if anchor < last:
        notes.append(
            f"本范围的专利数据只到 {anchor} 年，生命周期按 {anchor - 5}–{anchor} 年判断，不代表当前阶段。"
        )
    return {
        "columns": ["申请年", "专利数", "申请人数", "未完全公开"],
        "rows": rows,
        "last_complete_year": last,
        "undated": snap.undated,
        "lifecycle": life,
        "note": "".join(notes),
    }


def geography(snap: AggregateSnapshot) -> dict[str, Any]:
    """Patents per city (4-digit region prefix; province-only codes stay as 2 digits)."""
    counts: Counter[str] = Counter()
    for code, n in snap.regions.items():
        counts[code or "?"] += n
    total = snap.total
    rows = [
        [snap.label("region", c) if c != "?" else "地区不详", c if c != "?" else "", n, _share(n, total)]
        for c, n in _top(counts, 20)
    ]
    return {"columns": ["地区", "代码", "专利数", "占比"], "rows": rows, "unknown": counts.get("?", 0)}


def applicants(snap: AggregateSnapshot, n: int = TOP_N) -> dict[str, Any]:
    """Patents by applicant type, and the top-N applicants with their type and high-value count."""
    kinds: Counter[str] = Counter()
    for k, c in snap.kinds.items():
        kinds[k or "unknown"] += c
    total = snap.total
    ranked = sorted(snap.applicants, key=lambda r: (-int(r[2]), str(r[0])))[:n]
    return {
        "by_kind": [[snap.label("applicant_kind", k), k, c, _share(c, total)] for k, c in _top(kinds, 10)],
        "columns": ["申请人", "类型", "专利数", "高价值发明专利"],
        "rows": [[name, snap.label("applicant_kind", kind), c, hv] for name, kind, c, hv in ranked],
        "distinct": snap.applicant_count,
    }


def inventors(snap: AggregateSnapshot, n: int = TOP_N) -> dict[str, Any]:
    """The most productive inventors and the inventor teams: a team is an applicant with its lead
    inventor (``aggregate.team_counts``, the matching app's rule)."""
    ranked = sorted(snap.inventors, key=lambda r: (-int(r[1]), str(r[0])))[:n]
    teams = sorted(snap.teams, key=lambda r: (-int(r[2]), f"{r[0]}|{r[1]}"))[:n]
    return {
        "columns": ["发明人", "专利数"],
        "rows": [[name, c] for name, c in ranked],
        "teams": [[a, lead, c] for a, lead, c in teams],
        "distinct": snap.inventor_count,
    }


def technology(snap: AggregateSnapshot, n: int = TOP_N) -> dict[str, Any]:
    """IPC subclass composition (top-N with the rest summed) and topic clusters."""
    counts: Counter[str] = Counter()
    for b, c in snap.branches.items():
        counts[b or "?"] += c
    total = snap.total
    top = _top(counts, n)
    rest = total - sum(c for _, c in top)
    rows = [[b, snap.label("branch", b) if b != "?" else "未分类", c, _share(c, total)] for b, c in top]
    if rest > 0:
        rows.append(["", "其他", rest, _share(rest, total)])
    return {
        "columns": ["IPC小类", "名称", "专利数", "占比"],
        "rows": rows,
        "chains": [[snap.label("chain", c), c, k] for c, k in _top(Counter(dict(snap.chains)), 20)],
        "topics": topic_clusters(snap.topics),
    }


def legal_status(snap: AggregateSnapshot) -> dict[str, Any]:
    """Patents per legal state, with the coverage (share whose state is known)."""
    counts: Counter[str] = Counter()
    for state, c in snap.legal.items():
        counts[state or "unknown"] += c
    total = snap.total
    known = total - sum(counts.get(s, 0) for s in UNKNOWN_STATES)
    return {
        "columns": ["法律状态", "代码", "专利数", "占比"],
        "rows": [[snap.label("legal", s), s, c, _share(c, total)] for s, c in _top(counts, 20)],
        "valid": sum(counts.get(s, 0) for s in VALID_STATES),
        "pending": sum(counts.get(s, 0) for s in PENDING_STATES),
        "coverage": _share(known, total),
    }


def operations(snap: AggregateSnapshot) -> dict[str, Any]:
    """Transfers, licences, pledges and open-licence declarations recorded on the scope's patents,
    and the patents licensed on the platform (平台许可) — that row only in snapshots that count
    them (a version stored before shows the rows it always showed)."""
    ops = snap.operations
    rows: list[list[Any]] = [
        ["转让", ops["transfers"]],
        ["许可", ops["licences"]],
        ["质押", ops["pledges"]],
        ["开放许可声明", ops["open"]],
    ]
    if PLATFORM in ops:
        rows.append(["平台许可", ops[PLATFORM]])
    return {
        "columns": ["运营方式", "次数"],
        "rows": rows,
        "operated": ops["operated"],
        "operated_share": _share(ops["operated"], snap.total),
    }


def key_patents(snap: AggregateSnapshot, n: int = KEY_ROWS) -> dict[str, Any]:
    """Grade-A or high-value invention patents: high-value first, then grade, newest, number (the
    snapshot keeps them in that order)."""
    key = snap.key_patents
    return {
        "columns": ["申请号", "专利名称", "申请人", "分级", "高价值", "已运营"],
        "rows": [
            [number, title, applicant, grade or "未分级", "是" if hv else "否", "是" if operated else "否"]
            for number, title, applicant, grade, hv, operated in list(key["rows"])[:n]
        ],
        "count": key["count"],
        "idle": key["idle"],
        "graded": key["graded"],
    }


def positioning(snap: AggregateSnapshot) -> dict[str, Any]:
    """Per branch: the scope's patents, the library's, the scope's share of the library's and the
    specialisation index RTA = (scope_b / scope) / (library_b / library). Branches: the library's
    twelve largest plus any of the scope's."""
    base = snap.baseline
    counts: Counter[str] = Counter({b: c for b, c in snap.branches.items() if b})
    scope_total = snap.total
    largest = [b for b, _ in _top(Counter(dict(base.branches)), 12)]
    branches = list(dict.fromkeys([*largest, *(b for b, _ in _top(counts, 12))]))
    rows = []
    for b in branches:
        lib = base.branches.get(b, 0)
        mine = counts.get(b, 0)
        rta = (
            round((mine / scope_total) / (lib / base.total), 3)
            if scope_total and lib and base.total
            else None
        )
        rows.append([b, snap.label("branch", b), mine, lib, _share(mine, lib), rta])
    return {
        "columns": ["IPC小类", "名称", "本范围专利", "全库专利", "占全库份额", "专业化指数"],
        "rows": rows,
        "scope_total": scope_total,
        "library_total": base.total,
        "library_share": _share(scope_total, base.total),
        "whole_library": scope_total == base.total,
    }


def gaps(snap: AggregateSnapshot, position: dict[str, Any] | None = None) -> dict[str, Any]:
    """Branches the library holds in strength (≥ 2 % of it) where the scope's specialisation index
    is below ``GAP_RTA``; largest library branches first. Empty when the scope is the library."""
    position = position or positioning(snap)
    rows = []
    if not position["whole_library"] and position["scope_total"]:
        for b, name, mine, lib, _, rta in position["rows"]:
            if lib / max(position["library_total"], 1) >= GAP_MIN_LIBRARY_SHARE and (rta or 0) < GAP_RTA:
                rows.append([b, name, mine, lib, rta])
    rows.sort(key=lambda r: (-r[3], r[0]))
    strengths = sorted(
        (
            [b, name, mine, lib, rta]
            for b, name, mine, lib, _, rta in position["rows"]
            if (rta or 0) >= STRONG_RTA
        ),
        key=lambda r: (-(r[4] or 0), r[0]),
    )
    return {
        "columns": ["IPC小类", "名称", "本范围专利", "全库专利", "专业化指数"],
        "rows": rows,
        "strengths": strengths,
    }


def collaboration(
    snap: AggregateSnapshot, gap_rows: Sequence[Sequence[Any]], per_branch: int = 3
) -> dict[str, Any]:
    """Universities with patents in the gap branches (from the library baseline), the most
    productive ``per_branch`` per branch; a university already in the scope is marked."""
    inside = set(snap.inside)
    rows = []
    for gap in gap_rows:
        branch, name = str(gap[0]), str(gap[1])
        for uni, count in list(snap.baseline.universities.get(branch, ()))[:per_branch]:
            rows.append([uni, branch, name, count, "是" if uni in inside else "否"])
    return {"columns": ["高校", "IPC小类", "名称", "该分支专利", "已在本范围"], "rows": rows}
