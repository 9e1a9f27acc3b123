"""The aggregate snapshot of a navigation report (formats 2 and 3): what the sections read, as counts and
short lists, so that its size and the cost of computing the report do not grow with the scope.

The web app fills it with SQL ``GROUP BY`` queries (``patentbridge.navigation.aggregates``);
``aggregate_rows`` fills it from the compact rows of a format-1 snapshot with the same rules, so
old stored versions still recompute and the SQL is tested against this pure-Python reference.
Only the top-N lists (applicants, inventors, teams, key patents, title samples of the largest
topics) are kept as rows.

Format 3 adds the operations figure ``platform`` (patents in the scope of a licence contract
signed on the platform by the as-of day), which also counts in ``operated`` and in the key
patents' ``idle`` and operated flags. A snapshot without it (format 2, stored before the figure
existed, or the aggregate of rows that do not record it) is read and written as it was — no
``platform`` key, format 2 — so its canonical bytes, its sha256 and its sections stay the same;
code that wants a number reads a missing ``platform`` as 0 (``platform_licensed``).
"""

from __future__ import annotations

import gzip
import heapq
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from patentbridge_engine.navigation.snapshot import Baseline, CanonicalForm, NavRow, Snapshot, SnapshotError

__all__ = [
    "AGGREGATE_FORMAT",
    "KEY_ROWS",
    "MAX_TITLES",
    "TOPICS",
    "TOP_N",
    "AggregateSnapshot",
    "aggregate_rows",
    "key_order",
    "load_snapshot",
    "platform_licensed",
    "team_counts",
    "top",
    "top_teams",
]

AGGREGATE_FORMAT = 3
# Snapshots stored before the platform's own licences were counted (no "platform" figure).
_FORMAT_WITHOUT_PLATFORM = 2
TOP_N = 10
# Key patents listed in the report (the count covers all of them).
KEY_ROWS = 20
# Topic clusters shown, and the titles sampled per cluster to name it: a few hundred titles name
# a cluster as well as all of them, and segmenting is the costly part.
TOPICS = 8
MAX_TITLES = 300
_OPERATIONS = ("transfers", "licences", "pledges", "open", "operated")
PLATFORM = "platform"


def top(counts: Mapping[str, int], n: int = TOP_N) -> list[tuple[str, int]]:
    """Most frequent first, ties by code point (deterministic, and the same order whatever the
    database's collation); a heap, not a full sort, since a whole library has many names."""
    return heapq.nsmallest(n, counts.items(), key=lambda kv: (-kv[1], kv[0]))


def key_order(high_value: bool, grade: str, year: int | None, number: str) -> tuple[Any, ...]:
    """Order of key patents: high-value first, then grade (ungraded last), newest, number."""
    return (not high_value, grade or "Z", -(year or 0), number)


def team_counts(rows: Iterable[tuple[str, Sequence[str]]]) -> dict[tuple[str, str], int]:
    """Patents per team (applicant, lead inventor) from ``(applicant, inventors)`` per patent. The
    lead is the one of the patent's inventors who appears most often on that applicant's patents
    (ties to the first named) — the matching app's rule (``search.teams.assign_teams``). Exact for
    any set of applicants given with all their patents, which is what lets the web app compute
    the top teams from its largest applicants only."""
    items = [(a, [i for i in dict.fromkeys(invs) if i]) for a, invs in rows if a]
    pairs: dict[tuple[str, str], int] = {}
    for a, names in items:
        for i in names:
            pairs[(a, i)] = pairs.get((a, i), 0) + 1
    out: dict[tuple[str, str], int] = {}
    for a, names in items:
        if not names:
            continue
        lead = names[0] if len(names) == 1 else max(names, key=lambda i: (pairs[(a, i)], -names.index(i)))
        out[(a, lead)] = out.get((a, lead), 0) + 1
    return out


def _int_map(data: Mapping[str, Any]) -> dict[str, int]:
    return {str(k): int(v) for k, v in data.items()}


@dataclass(frozen=True)
class AggregateSnapshot(CanonicalForm):
    """Counts of one scope on its as-of day. Maps are code → patents ("" = not known);
    ``years`` rows are ``[year, patents, distinct applicants]``; ``applicants`` rows
    ``[name, kind, patents, high-value patents]`` (the kind of the applicant's first patent by
    application number); ``inventors`` ``[name, patents]``; ``teams`` ``[applicant, lead,
    patents]``; ``topics`` ``[main group, patents, [sample titles]]``; ``key_patents`` holds
    ``count``, ``idle``, ``graded`` and ``rows`` ``[number, title, applicant, grade, high value,
    operated]``; ``inside`` the baseline's universities that are applicants in the scope.
    ``operations`` holds ``platform`` from format 3 on (see the module docstring)."""

    meta: Mapping[str, Any]
    baseline: Baseline
    labels: Mapping[str, Mapping[str, str]]
    total: int
    years: Sequence[Sequence[int]]
    undated: int
    regions: Mapping[str, int]
    kinds: Mapping[str, int]
    applicants: Sequence[Sequence[Any]]
    applicant_count: int
    inventors: Sequence[Sequence[Any]]
    inventor_count: int
    teams: Sequence[Sequence[Any]]
    branches: Mapping[str, int]
    chains: Mapping[str, int]
    topics: Sequence[Sequence[Any]]
    legal: Mapping[str, int]
    operations: Mapping[str, int]
    key_patents: Mapping[str, Any]
    inside: Sequence[str] = field(default_factory=tuple)

    def label(self, kind: str, code: str) -> str:
        """The frozen display name of ``code`` (falls back to the code itself)."""
        return self.labels.get(kind, {}).get(code, code) or code

    @property
    def format(self) -> int:
        """3 when the snapshot counts the platform's own licences, else 2 (as it was stored)."""
        return AGGREGATE_FORMAT if PLATFORM in self.operations else _FORMAT_WITHOUT_PLATFORM

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "meta": dict(self.meta),
            "baseline": self.baseline.as_dict(),
            "labels": {k: dict(v) for k, v in self.labels.items()},
            "total": self.total,
            "years": [list(r) for r in self.years],
            "undated": self.undated,
            "regions": dict(self.regions),
            "kinds": dict(self.kinds),
            "applicants": [list(r) for r in self.applicants],
            "applicant_count": self.applicant_count,
            "inventors": [list(r) for r in self.inventors],
            "inventor_count": self.inventor_count,
            "teams": [list(r) for r in self.teams],
            "branches": dict(self.branches),
            "chains": dict(self.chains),
            "topics": [[g, n, list(t)] for g, n, t in self.topics],
            "legal": dict(self.legal),
            "operations": dict(self.operations),
            "key_patents": {**self.key_patents, "rows": [list(r) for r in self.key_patents["rows"]]},
            "inside": sorted(self.inside),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AggregateSnapshot:
        fmt = data.get("format")
        if fmt not in (AGGREGATE_FORMAT, _FORMAT_WITHOUT_PLATFORM):
            raise SnapshotError("快照格式版本不受支持")
        names = (*_OPERATIONS, PLATFORM) if fmt == AGGREGATE_FORMAT else _OPERATIONS
        try:
            key = data["key_patents"]
            return cls(
                meta=dict(data["meta"]),
                baseline=Baseline.from_dict(data["baseline"]),
                labels={str(k): {str(a): str(b) for a, b in v.items()} for k, v in data["labels"].items()},
                total=int(data["total"]),
                years=[[int(y), int(n), int(a)] for y, n, a in data["years"]],
                undated=int(data["undated"]),
                regions=_int_map(data["regions"]),
                kinds=_int_map(data["kinds"]),
                applicants=[[str(a), str(k), int(n), int(h)] for a, k, n, h in data["applicants"]],
                applicant_count=int(data["applicant_count"]),
                inventors=[[str(a), int(n)] for a, n in data["inventors"]],
                inventor_count=int(data["inventor_count"]),
                teams=[[str(a), str(i), int(n)] for a, i, n in data["teams"]],
                branches=_int_map(data["branches"]),
                chains=_int_map(data["chains"]),
                topics=[[str(g), int(n), [str(t) for t in titles]] for g, n, titles in data["topics"]],
                legal=_int_map(data["legal"]),
                operations={k: int(data["operations"][k]) for k in names},
                key_patents={
                    "count": int(key["count"]),
                    "idle": int(key["idle"]),
                    "graded": int(key["graded"]),
                    "rows": [
                        [str(n), str(t), str(a), str(g), bool(h), bool(o)] for n, t, a, g, h, o in key["rows"]
                    ],
                },
                inside=tuple(str(u) for u in data["inside"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SnapshotError("快照数据不完整或已损坏") from exc


def load_snapshot(blob: bytes) -> Snapshot | AggregateSnapshot:
    """A stored snapshot of any format: aggregate (3, with the platform's own licences; 2, written
    since the aggregate freeze and before them) or rows (1, versions stored before it)."""
    try:
        data = json.loads(gzip.decompress(blob))
    except (OSError, EOFError, ValueError) as exc:
        raise SnapshotError("快照数据已损坏，无法解压") from exc
    if not isinstance(data, dict):
        raise SnapshotError("快照数据不完整或已损坏")
    if data.get("format") in (AGGREGATE_FORMAT, _FORMAT_WITHOUT_PLATFORM):
        return AggregateSnapshot.from_dict(data)
    return Snapshot.from_dict(data)


def platform_licensed(snap: AggregateSnapshot) -> int:
    """Patents licensed on the platform; 0 for a snapshot stored before they were counted."""
    return int(snap.operations.get(PLATFORM, 0))


def _operated(r: NavRow) -> bool:
    """Transferred, licensed or pledged (the records' counters), under an open-licence declaration,
    or licensed on the platform (``platform``; None — not recorded — counts as not)."""
    return bool(r.transfers or r.licences or r.pledges or r.open_licence or r.platform)


def aggregate_rows(snap: Snapshot) -> AggregateSnapshot:
    """The aggregate snapshot of a row snapshot (format 1): the reference the SQL freeze is
    checked against, and the reader of versions stored as rows. The ``platform`` figure is
    given only when the rows record it (any row's ``platform`` is not None); rows stored before
    it existed give the format-2 aggregate they always gave."""
    rows = snap.rows  # application-number order (Snapshot sorts them)
    years: Counter[int] = Counter()
    year_people: dict[int, set[str]] = {}
    regions: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    names: Counter[str] = Counter()
    kind_of: dict[str, str] = {}
    valuable: Counter[str] = Counter()
    inventors: dict[str, int] = {}
    branches: Counter[str] = Counter()
    chains: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    legal: Counter[str] = Counter()
    undated = 0
    for r in rows:
        if r.year is None:
            undated += 1
        else:
            years[r.year] += 1
            if r.applicant:
                year_people.setdefault(r.year, set()).add(r.applicant)
        regions[r.region[:4] if len(r.region) >= 4 else r.region[:2]] += 1
        kinds[r.applicant_kind or "unknown"] += 1
        if r.applicant:
            names[r.applicant] += 1
            kind_of.setdefault(r.applicant, r.applicant_kind or "unknown")
            valuable[r.applicant] += r.high_value
        for i in set(r.inventors):
            if i:
                inventors[i] = inventors.get(i, 0) + 1
        branches[r.branch] += 1
        chains.update(r.chains)
        if r.group:
            groups[r.group] += 1
        legal[r.legal or "unknown"] += 1
    topics = []
    for group, size in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))[:TOPICS]:
        titles = [r.title for r in rows if r.group == group and r.title][:MAX_TITLES]
        topics.append([group, size, titles])
    keys = sorted(
        (r for r in rows if r.grade == "A" or r.high_value),
        key=lambda r: key_order(r.high_value, r.grade, r.year, r.number),
    )
    teams = team_counts((r.applicant, r.inventors) for r in rows)
    operations = {
        "transfers": sum(r.transfers for r in rows),
        "licences": sum(r.licences for r in rows),
        "pledges": sum(r.pledges for r in rows),
        "open": sum(r.open_licence for r in rows),
        "operated": sum(1 for r in rows if _operated(r)),
    }
    if any(r.platform is not None for r in rows):
        operations[PLATFORM] = sum(1 for r in rows if r.platform)
    universities = {u for v in snap.baseline.universities.values() for u, _ in v}
    return AggregateSnapshot(
        meta=snap.meta,
        baseline=snap.baseline,
        labels=snap.labels,
        total=len(rows),
        years=[[y, n, len(year_people.get(y, ()))] for y, n in sorted(years.items())],
        undated=undated,
        regions=dict(regions),
        kinds=dict(kinds),
        applicants=[[a, kind_of[a], n, valuable[a]] for a, n in top(names)],
        applicant_count=len(names),
        inventors=[[i, n] for i, n in top(inventors)],
        inventor_count=len(inventors),
        teams=top_teams(teams),
        branches=dict(branches),
        chains=dict(chains),
        topics=topics,
        legal=dict(legal),
        operations=operations,
        key_patents={
            "count": len(keys),
            "idle": sum(1 for r in keys if not _operated(r)),
            "graded": sum(1 for r in rows if r.grade),
            "rows": [
                [r.number, r.title, r.applicant, r.grade, r.high_value, _operated(r)] for r in keys[:KEY_ROWS]
            ],
        },
        inside=tuple(sorted(universities & set(names))),
    )


def _team_key(item: tuple[tuple[str, str], int]) -> tuple[int, str]:
    # The team's display key "applicant|lead" breaks ties, as the row-based report did.
    (a, i), n = item
    return (-n, f"{a}|{i}")


def top_teams(counts: Mapping[tuple[str, str], int], n: int = TOP_N) -> list[list[Any]]:
    """The ``n`` largest teams as ``[applicant, lead, patents]``, ties by "applicant|lead"."""
    return [[a, i, c] for (a, i), c in heapq.nsmallest(n, counts.items(), key=_team_key)]
