"""The navigation cube: the library's patents counted once per (chain, year, main IPC, legal
state, applicant kind, province, city), per (chain, first applicant, kind, year, IPC subclass,
province, city) and per (chain, inventor, year, IPC subclass, province, city), so a report over a chain, a region, an IPC subclass, years or the whole library
reads a few ten thousand narrow rows instead of every patent in scope (issue 13).

Freshness follows the statistics rollup: the state row keeps the fingerprint of the records the
cube was built from (the library version, which database triggers move on every patent or
classification write, and the newest grade marks, grades being counted too). A report uses the
cube only when the fingerprint still matches and its as-of day is the build day — or a later day
when the build's library held every in-library patent (nothing was left out by its dates, so a
later day with the same records sees the same library). Otherwise the report counts live, with
the same queries, and a rebuild is queued; either path gives the same snapshot.

A rebuild is six ``GROUP BY`` queries (``aggregates.cube_query``, the applicant grouping and the
inventor grouping, for the whole library and per chain class) whose groups replace the cube's rows in one transaction
that holds the state row (SQLite: its one writer), so concurrent rebuilds do not add rows twice.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, FilteredRelation, Max, Min, Q, QuerySet, Sum, TextField, Value
from django.db.models.functions import Substr
from django.utils import timezone

from patentbridge.grading.models import PatentGrade
from patentbridge.navigation.aggregates import (
    INVENTORS_PER_PATENT,
    _c,
    _when,
    _year,
    cube_query,
    first_applicant,
    inventor_groups,
)
from patentbridge.navigation.models import (
    NavigationApplicantCube,
    NavigationCube,
    NavigationCubeState,
    NavigationInventorCube,
)
from patentbridge.patents.models import Patent
from patentbridge.patents.versioned_cache import library_version
from patentbridge_engine.navigation.aggregate import TOP_N

__all__ = [
    "CubeReader",
    "CubeScope",
    "age",
    "fingerprint",
    "fresh_for",
    "in_use",
    "migrated",
    "reader",
    "rebuild",
]


@dataclass(frozen=True)
class CubeScope:
    """A scope in the cube's terms: its chain ("" = no chain), the (province, city) prefixes
    every patent must match and the IPC look-ups (lookup, code) on the main IPC's first four
    characters — the same look-ups ``freeze.resolve_scope`` puts on the patents."""

    chain: str = ""
    places: tuple[tuple[str, str], ...] = ()
    ipc: tuple[tuple[str, str], ...] = ()


def fingerprint() -> str:
    """The library version and the newest grade marks (grades are counted in the cube, and
    grading does not move the library version)."""
    version, token = library_version()
    # One aggregate per query: SQLite answers a lone MAX from the index, several at once by a scan.
    marks = [PatentGrade.objects.aggregate(m=Max(f))["m"] for f in ("pk", "graded_at", "override_at")]
    return "|".join([str(version), str(token), *(str(m) for m in marks)])


def _chained(lib: QuerySet[Patent], chained: bool) -> QuerySet[Patent]:
    """The library with ``nav_chain``: "" once per patent, or each of its chain codes (one row
    per chain class, as the live chain count counts them)."""
    if not chained:
        return lib.annotate(nav_chain=Value("", output_field=TextField()))
    return (
        lib.alias(nav_cls=FilteredRelation("classes", condition=Q(classes__scheme="chain")))
        .annotate(nav_chain=F("nav_cls__code"))
        .filter(nav_chain__isnull=False)
    )


def _applicants(scoped: QuerySet[Patent]) -> QuerySet[Any]:
    return (
        scoped.order_by()
        .annotate(a=first_applicant(), y=_year(), i4=Substr("ipc_main", 1, 4))
        .values_list("nav_chain", "a", "applicant_kind", "y", "i4", "province", "city")
        .annotate(n=Count("pk"), hv=_when(Q(grade__high_value=True)), first=Min(_c(F("application_number"))))
    )


def _inventor_groups(scoped: QuerySet[Patent]) -> tuple[str, list[Any]]:
    """SQL and parameters of the inventor groups (``aggregates.inventor_groups``)."""
    inner = (
        scoped.order_by()
        .annotate(nav_id=F("pk"), nav_inv=F("inventors"), y=_year(), i4=Substr("ipc_main", 1, 4))
        .values("nav_chain", "nav_id", "nav_inv", "y", "i4", "province", "city")
    )
    sql, params = inner.query.sql_with_params()
    grouped = inventor_groups(sql, ("nav_chain", "y", "i4", "province", "city"))
    # The cube's column order: chain, inventor, year, ipc4, province, city, patents.
    query = f"SELECT g.nav_chain, g.value, g.y, g.i4, g.province, g.city, g.n FROM ({grouped}) g"
    return query, [*params, INVENTORS_PER_PATENT]


def _table(model: Any, columns: Sequence[str]) -> tuple[str, str]:
    table = connection.ops.quote_name(model._meta.db_table)
    return table, ", ".join(connection.ops.quote_name(c) for c in columns)


def _insert(model: Any, columns: Sequence[str], sql: str, params: Sequence[Any]) -> int:
    """The groups inserted by the database itself (``INSERT … SELECT``)."""
    table, names = _table(model, columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)
        return int(cursor.rowcount)


def _insert_rows(model: Any, columns: Sequence[str], rows: list[Any]) -> int:
    """Groups already read, inserted by one prepared statement."""
    table, names = _table(model, columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    return len(rows)


_MAIN_COLUMNS = (
    "chain",
    "year",
    "ipc_main",
    "legal_status",
    "applicant_kind",
    "province",
    "city",
    "patents",
    "transfers",
    "licences",
    "pledges",
    "operated",
    "graded",
    "key",
    "key_operated",
)
_APPLICANT_COLUMNS = (
    "chain",
    "applicant",
    "applicant_kind",
    "year",
    "ipc4",
    "province",
    "city",
    "patents",
    "high_value",
    "first_number",
)
_INVENTOR_COLUMNS = ("chain", "inventor", "year", "ipc4", "province", "city", "patents")
_Query = tuple[Any, tuple[str, ...], str, list[Any]]


def _sql(qs: QuerySet[Any]) -> tuple[str, list[Any]]:
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def _queries(day: dt.date) -> list[_Query]:
    """(table, columns, grouping SQL, parameters) of a rebuild: whole library, then per chain
    class."""
    from patentbridge.navigation.freeze import library  # freeze reads the cube: imported late

    out: list[_Query] = []
    for chained in (False, True):
        lib = _chained(library(day), chained)
        out.append((NavigationCube, _MAIN_COLUMNS, *_sql(cube_query(lib, ("nav_chain",)))))
        out.append((NavigationApplicantCube, _APPLICANT_COLUMNS, *_sql(_applicants(lib))))
        out.append((NavigationInventorCube, _INVENTOR_COLUMNS, *_inventor_groups(lib)))
    return out


def _read(sql: str, params: Sequence[Any]) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def rebuild(as_of: dt.date | None = None) -> NavigationCubeState:
    """Recount the cube from the library of ``as_of`` (default today) and record its state.

    PostgreSQL inserts the groups by ``INSERT … SELECT`` in a transaction holding the state row
    (other writers are not blocked). SQLite has one writer at a time, so the scans run first,
    outside any write transaction, and only the delete and the inserts hold the write lock — an
    import is not kept waiting for the length of the scans (tens of seconds at a million)."""
    day = as_of or timezone.localdate()
    started = time.perf_counter()
    NavigationCubeState.objects.get_or_create(
        pk=1, defaults={"as_of": day, "fingerprint": "", "built_at": timezone.now()}
    )
    pg = connection.vendor == "postgresql"
    read: list[tuple[Any, tuple[str, ...], list[Any]]] = []
    if not pg:
        # Read before the scans: a write during the build leaves an older fingerprint behind,
        # so the next reader finds the cube stale rather than missing the write.
        mark = fingerprint()
        read = [(model, columns, _read(sql, params)) for model, columns, sql, params in _queries(day)]
    with transaction.atomic():
        state = NavigationCubeState.objects.select_for_update().get(pk=1)
        if pg:
            mark = fingerprint()
        NavigationCube.objects.all().delete()
        NavigationApplicantCube.objects.all().delete()
        NavigationInventorCube.objects.all().delete()
        rows = 0
        if pg:
            for model, columns, sql, params in _queries(day):
                rows += _insert(model, columns, sql, params)
        else:
            for model, columns, groups in read:
                rows += _insert_rows(model, columns, groups)
        total = NavigationCube.objects.filter(chain="").aggregate(n=Sum("patents"))["n"] or 0
        complete = total == Patent.objects.filter(library_status="in_library").count()
        state.as_of, state.fingerprint, state.complete = day, mark, complete
        state.built_at, state.rows = timezone.now(), rows
        state.seconds = round(time.perf_counter() - started, 3)
        state.save()
    return state


_migrated = False


def migrated() -> bool:
    """Whether the cube's tables exist. A data directory not yet migrated to navigation 0002
    (a benchmark corpus, say) then counts live instead of failing; once seen, remembered."""
    global _migrated
    if not _migrated:
        _migrated = NavigationCubeState._meta.db_table in connection.introspection.table_names()
    return _migrated


def fresh_for(as_of: dt.date) -> bool:
    """True when the cube counts exactly the library of ``as_of`` (see the module docstring)."""
    if not migrated():
        return False
    state = NavigationCubeState.objects.filter(pk=1).values_list("as_of", "fingerprint", "complete").first()
    if state is None or not state[1]:
        return False
    built, mark, complete = state
    if as_of != built and not (as_of > built and complete):
        return False
    return bool(mark == fingerprint())


class CubeReader:
    """The groups of one scope read from the cube, in the shapes ``aggregates.count_scope``
    reads live: filtered by the scope's chain, places, IPC look-ups and years."""

    def __init__(self, scope: CubeScope, year_from: int | None, year_to: int | None) -> None:
        self.scope = scope
        self.years = Q()
        if year_from:
            self.years &= Q(year__gte=year_from)
        if year_to:
            self.years &= Q(year__lte=year_to)

    def _where(self, ipc_field: str) -> Q:
        q = self.years
        for province, city in self.scope.places:
            q &= Q(province__startswith=province)
            if city:
                q &= Q(city__startswith=city)
        for lookup, code in self.scope.ipc:
            q &= Q(**{f"{ipc_field}__{lookup}": code})
        return q

    def main_rows(self) -> Iterable[Sequence[Any]]:
        """(year, main IPC, legal, kind, province, city, patents, transfers, licences, pledges,
        operated, graded, key, key operated) per group."""
        return (
            NavigationCube.objects.filter(self._where("ipc_main"), chain=self.scope.chain)
            .values_list(*_MAIN_COLUMNS[1:])
            .order_by()
        )

    def applicant_rows(self) -> Iterable[Sequence[Any]]:
        """(applicant, kind, year, patents, high-value, first application number) per group."""
        return (
            NavigationApplicantCube.objects.filter(self._where("ipc4"), chain=self.scope.chain)
            .values_list("applicant", "applicant_kind", "year")
            .annotate(n=Sum("patents"), hv=Sum("high_value"), first=Min(_c(F("first_number"))))
            .order_by()
        )

    def inventor_top(self) -> tuple[list[list[Any]], int]:
        """The ``TOP_N`` inventors by patents (ties by code point) and how many there are."""
        named = NavigationInventorCube.objects.filter(self._where("ipc4"), chain=self.scope.chain)
        grouped = named.values("inventor").annotate(n=Sum("patents"))
        rows = grouped.order_by(F("n").desc(), _c(F("inventor")).asc()).values_list("inventor", "n")[:TOP_N]
        count = named.values("inventor").distinct().order_by().count()
        return [[str(v), int(n)] for v, n in rows], count

    def chain_counts(self) -> dict[str, int] | None:
        """Patents per chain in a scope that is not itself a chain (None for a chain: its
        patents' other chains are not in the cube, the live count reads them)."""
        if self.scope.chain:
            return None
        rows = (
            NavigationCube.objects.filter(self._where("ipc_main"))
            .exclude(chain="")
            .values_list("chain")
            .annotate(n=Sum("patents"))
            .order_by()
        )
        return {str(code): int(n) for code, n in rows}


def reader(
    scope: CubeScope | None, as_of: dt.date, year_from: int | None = None, year_to: int | None = None
) -> CubeReader | None:
    """A reader when the scope can be served by the cube and the cube is fresh for ``as_of``."""
    if scope is None or not fresh_for(as_of):
        return None
    return CubeReader(scope, year_from, year_to)


def age() -> float:
    """Seconds since the cube was last built (infinite when never)."""
    built = NavigationCubeState.objects.filter(pk=1).values_list("built_at", flat=True).first()
    return (timezone.now() - built).total_seconds() if built else float("inf")


def in_use() -> bool:
    """Whether the cube has ever been built (one primary-key read)."""
    return NavigationCubeState.objects.filter(pk=1).exists()
