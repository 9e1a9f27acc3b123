"""Counting the rollup (``analytics.rollups``): a full recount, and the incremental refresh of
the patents the triggers of ``analytics.dirty`` recorded as changed.

One function derives a patent's rollup cells from its facts (``cells``); the full build applies it
to every patent and keeps the facts in ``RollupLedger``; the incremental refresh subtracts the
ledger's cells of each changed patent and adds the cells of its facts now. Both paths count with
the same code, so they cannot drift apart.

Cells, per organisation and local calendar month of the date that makes a patent count:
``inv`` (created; by library status), ``lib`` (entered the library: the later of created and the
last approval; by patent type), ``grade`` (the later of entered and graded; by final grade and
high value), ``chain`` (entered; by chain code, ``*`` = in any chain), ``branch`` (entered; chain ×
IPC subclass of the main class), ``college`` (entered; the patent's 所属学院, trimmed) and ``nav``
(today's library, no month; chain × application year | IPC section). Each cell is kept per
organisation and summed for the platform, the province and the city (``rollup_areas``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from patentbridge.analytics import dirty, rollup_areas
from patentbridge.analytics.models import IndicatorRollup, RollupDirty, RollupLedger, RollupState
from patentbridge.analytics.rollup_areas import RowKey

__all__ = ["APPROVED", "INCREMENTAL_LIMIT", "Cell", "Fact", "cells", "fingerprint", "full", "refresh"]

APPROVED = "patents.patent.approved"
# Part of the fingerprint: bumped whenever ``cells`` changes what it counts, so a rollup counted
# by older code is recounted instead of read (or patched incrementally) as if it were current.
CELLS_VERSION = 3
# Above this many changed patents (a large import, the grading sweep) one recount is cheaper.
INCREMENTAL_LIMIT = 50_000
_CHUNK = 20_000
_IN_CHUNK = 900  # ids per IN (…) list: under SQLite's older variable limit
Cell = tuple[str, dt.date | None, int | None, str, str]
# patent_id, org_id, inv_month, status, lib_month, patent_type, grade_month, final, high_value,
# college, ipc_main, filing_year, chains — the RollupLedger columns, in order.
Fact = tuple[
    int, int | None, dt.date, str, dt.date | None, str, dt.date | None, str, bool, str, str, int, str
]
_LEDGER_COLUMNS = (
    "patent_id, org_id, inv_month, status, lib_month, patent_type, grade_month, final, high_value, "
    "college, ipc_main, filing_year, chains"
)


def fingerprint() -> str:
    """Cells version + library version (any patent/classification write) + newest grade marks +
    approvals."""
    from patentbridge.core.models import AuditEvent
    from patentbridge.grading.models import PatentGrade
    from patentbridge.patents.versioned_cache import library_version

    version, token = library_version()
    # One aggregate per query: SQLite answers a lone MAX from the index, several at once by a scan.
    marks = [PatentGrade.objects.aggregate(m=Max(field))["m"] for field in ("pk", "graded_at", "override_at")]
    marks.append(AuditEvent.objects.filter(action=APPROVED).aggregate(m=Max("pk"))["m"])
    return "|".join([f"c{CELLS_VERSION}", str(version), str(token), *(str(m) for m in marks)])


# -- facts and cells -------------------------------------------------------------------------
def _month(value: dt.datetime, zone: dt.tzinfo) -> dt.date:
    """First day of ``value``'s month in the site's zone (``zone``: looked up once per batch, not
    through ``timezone.localtime`` per value — a thread-local read, seconds over a million rows)."""
    return value.astimezone(zone).date().replace(day=1)


def cells(fact: Fact) -> Iterator[Cell]:
    """The rollup cells one patent adds 1 to: each monthly cell, and the same cell in the
    all-time total (month None) a reader subtracts recent months from."""
    for cell in _monthly(fact):
        yield cell
        if cell[1] is not None:
            yield (cell[0], None, *cell[2:])


def _monthly(fact: Fact) -> Iterator[Cell]:
    _, org, inv_month, status, lib_month, kind, grade_month, final, high, college, ipc, year, chains = fact
    yield ("inv", inv_month, org, status, "")
    if lib_month is None:
        return
    yield ("lib", lib_month, org, kind, "")
    if grade_month is not None:
        yield ("grade", grade_month, org, final, "1" if high else "")
    yield ("college", lib_month, org, college, "")
    codes = chains.split(",") if chains else []
    branch = ipc.strip()[:4].upper()
    nav = f"{year}|{ipc[:1] or '-'}"
    for code in codes:
        yield ("chain", lib_month, org, code, "")
        yield ("branch", lib_month, org, code, branch)
        yield ("nav", None, org, code, nav)
    if codes:
        yield ("chain", lib_month, org, "*", "")


def _approvals(ids: list[int] | None) -> dict[int, dt.datetime]:
    """Patent id → its last approval into the library (audit log); all patents when ``ids`` is None."""
    from patentbridge.core.models import AuditEvent

    qs = AuditEvent.objects.filter(action=APPROVED, target_type="patents.patent")
    if ids is not None:
        qs = qs.filter(target_id__in=[str(i) for i in ids])
    out: dict[int, dt.datetime] = {}
    for target, at in qs.values_list("target_id", "timestamp").iterator():
        if target.isdigit() and (int(target) not in out or at > out[int(target)]):
            out[int(target)] = at
    return out


def _facts(ids: dict[str, Any], approvals: dict[int, dt.datetime]) -> list[Fact]:
    """Facts of the patents whose id matches the lookups ``ids`` ({"gte": a, "lt": b} or {"in": [...]})."""
    from patentbridge.grading.models import PatentGrade
    from patentbridge.patents.models import Patent, PatentClass

    where = Q(**{f"pk__{lookup}": value for lookup, value in ids.items()})
    on_patent = Q(**{f"patent_id__{lookup}": value for lookup, value in ids.items()})
    grades = {
        pk: (final, high, at)
        for pk, final, high, at in PatentGrade.objects.filter(on_patent)
        .order_by()
        .values_list("patent_id", "final", "high_value", "graded_at")
    }
    chains: dict[int, list[str]] = defaultdict(list)
    for pk, code in (
        PatentClass.objects.filter(on_patent, scheme="chain").order_by().values_list("patent_id", "code")
    ):
        chains[pk].append(code)
    out: list[Fact] = []
    rows = (
        Patent.objects.filter(where)
        .order_by()
        .values_list(
            "pk",
            "owner_org_id",
            "created_at",
            "library_status",
            "patent_type",
            "college",
            "ipc_main",
            "filing_date",
        )
    )
    zone = timezone.get_default_timezone()
    for pk, org, created, status, kind, college, ipc, filed in rows:
        lib_month = grade_month = None
        final, high = "", False
        if status == "in_library":
            approved = approvals.get(pk)
            entered = max(created, approved) if approved is not None else created
            lib_month = _month(entered, zone)
            if pk in grades:
                final, high, graded = grades[pk]
                grade_month = _month(max(entered, graded), zone)
        codes = ",".join(sorted(chains.get(pk, [])))
        year = filed.year if filed else 0
        out.append(
            (pk, org, _month(created, zone), status or "", lib_month, kind or "", grade_month, final or "",
             bool(high), (college or "").strip(), ipc or "", year, codes)
        )  # fmt: skip
    return out


def _ledger_write(facts: list[Fact]) -> None:
    if not facts:
        return
    marks = ", ".join(["%s"] * 13)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO analytics_rollupledger ({_LEDGER_COLUMNS}) VALUES ({marks})",
            [list(f) for f in facts],
        )


def _chunks(ids: list[int], size: int = _IN_CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# -- full build ------------------------------------------------------------------------------
def _count_everything() -> Counter[Cell]:
    """Every patent's facts into the ledger (rewritten whole) and their cells counted."""
    from patentbridge.patents.models import Patent

    counts: Counter[Cell] = Counter()
    approvals = _approvals(None)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM analytics_rollupledger")
    top = Patent.objects.aggregate(m=Max("pk"))["m"] or 0
    for low in range(0, top + 1, _CHUNK):
        facts = _facts({"gte": low, "lt": low + _CHUNK}, approvals)
        for fact in facts:
            counts.update(cells(fact))
        _ledger_write(facts)
    return counts


def full(mark: str | None = None) -> float:
    """Recount every rollup row and the ledger from the records; returns the seconds taken.
    Skipped when the rollup is already current (a concurrent refresh caught up)."""
    started = time.perf_counter()
    with transaction.atomic():
        RollupState.objects.get_or_create(pk=1)
        state = RollupState.objects.select_for_update().get(pk=1)
        # Dirty rows first, then the fingerprint: a write committed in between is either in both
        # (counted) or leaves its dirty row behind for the next refresh.
        seen = RollupDirty.objects.aggregate(m=Max("pk"))["m"]
        mark = fingerprint()
        if state.fingerprint == mark and state.mode and seen is None:
            return 0.0
        counts = _count_everything()
        regions = rollup_areas.current_regions(cell[2] for cell in counts if cell[2] is not None)
        IndicatorRollup.objects.all().delete()
        _insert_rows(rollup_areas.with_areas(counts, regions))
        if seen is not None:
            RollupDirty.objects.filter(pk__lte=seen).delete()
        state.regions = regions
        _stamp(state, mark, "full", started)
    return time.perf_counter() - started


def _insert_rows(counts: Counter[RowKey]) -> None:
    """Insert the rollup rows by one prepared statement (model instances cost seconds per 100k)."""
    adapt = connection.ops.adapt_datefield_value
    rows = [(m, adapt(mo), o, a, k1, k2, n) for (m, mo, o, a, k1, k2), n in counts.items() if n]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(
                "INSERT INTO analytics_indicatorrollup (metric, month, org_id, area, key1, key2, n) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                rows[start : start + 10_000],
            )


def _resum_areas(state: RollupState) -> None:
    """Sum the area rows again from the per-organisation rows with the owners' regions now."""
    cells = rollup_areas.per_org_rows()
    regions = rollup_areas.current_regions(cell[2] for cell in cells if cell[2] is not None)
    IndicatorRollup.objects.exclude(area=rollup_areas.ORG).delete()
    _insert_rows(rollup_areas.with_areas(cells, regions, orgs=False))
    state.regions = regions


def _stamp(state: RollupState, mark: str, mode: str, started: float) -> None:
    state.fingerprint = mark
    state.mode = mode
    state.built_at = timezone.now()
    state.seconds = round(time.perf_counter() - started, 3)
    state.save()


# -- incremental -----------------------------------------------------------------------------
class _Unbalanced(Exception):
    """A delta would take a cell below zero: the ledger and the rollup disagree."""


def _delta(ids: list[int]) -> tuple[Counter[Cell], list[Fact]]:
    """Cells now minus cells as last counted, for the patents ``ids``; and their facts now."""
    old: Counter[Cell] = Counter()
    new: Counter[Cell] = Counter()
    facts: list[Fact] = []
    approvals = _approvals(ids)
    for chunk in _chunks(ids):
        for row in RollupLedger.objects.filter(patent_id__in=chunk).values_list(*_LEDGER_COLUMNS.split(", ")):
            old.update(cells(row))
        part = _facts({"in": chunk}, approvals)
        for fact in part:
            new.update(cells(fact))
        facts.extend(part)
    delta: Counter[Cell] = Counter()
    for key in old.keys() | new.keys():
        if new[key] != old[key]:
            delta[key] = new[key] - old[key]
    return delta, facts


def _existing(keys: list[RowKey]) -> dict[RowKey, tuple[int, int]]:
    """Row key → (row id, count) of the rollup rows of ``keys``: one lookup per (metric, month,
    area) by the index, for just the organisations whose cells in it changed."""
    groups: dict[tuple[str, dt.date | None, str], set[int | None]] = defaultdict(set)
    for metric, month, org, area, _, _ in keys:
        groups[(metric, month, area)].add(org)
    wanted = set(keys)
    out: dict[RowKey, tuple[int, int]] = {}
    for (metric, month, area), orgs in groups.items():
        who = Q(org_id__in=sorted(o for o in orgs if o is not None))
        if None in orgs:
            who |= Q(org_id__isnull=True)
        when = Q(month__isnull=True) if month is None else Q(month=month)
        rows = IndicatorRollup.objects.filter(when, who, metric=metric, area=area).values_list(
            "pk", "org_id", "key1", "key2", "n"
        )
        for pk, org, k1, k2, n in rows:
            key = (metric, month, org, area, k1, k2)
            if key in wanted:
                out[key] = (pk, n)
    return out


def _apply(delta: Counter[RowKey]) -> None:
    """Add ``delta`` to the rollup rows (creating and deleting rows as counts appear and vanish)."""
    if not delta:
        return
    existing = _existing(list(delta))
    changed: list[tuple[int, int]] = []
    gone: list[int] = []
    added: list[IndicatorRollup] = []
    for key, d in delta.items():
        found = existing.get(key)
        total = (found[1] if found else 0) + d
        if total < 0:
            raise _Unbalanced(key)
        if found is None:
            if total:
                metric, month, org, area, k1, k2 = key
                added.append(
                    IndicatorRollup(
                        metric=metric, month=month, org_id=org, area=area, key1=k1, key2=k2, n=total
                    )
                )
        elif total == 0:
            gone.append(found[0])
        else:
            changed.append((total, found[0]))
    if changed:
        # One prepared statement per row: far cheaper than bulk_update's CASE over thousands of ids.
        with connection.cursor() as cursor:
            cursor.executemany("UPDATE analytics_indicatorrollup SET n = %s WHERE id = %s", changed)
    for chunk in _chunks(gone):
        IndicatorRollup.objects.filter(pk__in=chunk).delete()
    IndicatorRollup.objects.bulk_create(added, batch_size=2000)


def _apply_with_areas(state: RollupState, delta: Counter[Cell]) -> None:
    """Apply a per-organisation ``delta`` and its area rows; when an owner moved region since
    the area rows were summed, apply the organisations' rows and sum the areas again."""
    regions = dict(state.regions)
    new = {cell[2] for cell in delta if cell[2] is not None and str(cell[2]) not in regions}
    regions.update(rollup_areas.current_regions(new))
    if rollup_areas.moved(state.regions):
        own = Counter({(m, mo, o, rollup_areas.ORG, k1, k2): n for (m, mo, o, k1, k2), n in delta.items()})
        _apply(own)
        _resum_areas(state)
        return
    _apply(rollup_areas.with_areas(delta, regions))
    state.regions = regions


def refresh() -> str:
    """Bring the rollup up to date the cheapest exact way: "" when it already was, "areas" when
    only an owner's region moved (the area rows summed again),
    "incremental" when the changed patents were recounted, "full" after a recount of everything
    (no ledger yet, triggers missing, too many changes, or a fingerprint move the triggers did not
    record)."""
    started = time.perf_counter()
    try:
        with transaction.atomic():
            RollupState.objects.get_or_create(pk=1)
            state = RollupState.objects.select_for_update().get(pk=1)
            rows = list(
                RollupDirty.objects.order_by("pk").values_list("pk", "patent_id")[: INCREMENTAL_LIMIT + 1]
            )
            mark = fingerprint()
            if state.fingerprint == mark and state.mode and not rows:
                if not rollup_areas.moved(state.regions):
                    return ""
                _resum_areas(state)
                _stamp(state, mark, "areas", started)
                return "areas"
            same_cells = state.fingerprint.startswith(f"c{CELLS_VERSION}|")
            if same_cells and state.mode and rows and len(rows) <= INCREMENTAL_LIMIT and dirty.installed():
                delta, facts = _delta(sorted({pk for _, pk in rows}))
                _apply_with_areas(state, delta)
                for chunk in _chunks(sorted({pk for _, pk in rows})):
                    RollupLedger.objects.filter(patent_id__in=chunk).delete()
                _ledger_write(facts)
                for chunk in _chunks([pk for pk, _ in rows]):
                    RollupDirty.objects.filter(pk__in=chunk).delete()
                _stamp(state, mark, "incremental", started)
                return "incremental"
    except _Unbalanced:
        pass  # the transaction rolled back; recount everything below
    RollupState.objects.filter(pk=1).update(fingerprint="")
    full()
    return "full"
