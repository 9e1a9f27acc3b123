"""The titles a navigation report's topic section samples: per main group (of the largest ones),
the first ``MAX_TITLES`` titled patents by application number. Two ways, the same result (the
group's first titles are among its main IPCs' first titles):

- a wide scope (half the library or more: a province, the whole library) is read main IPC by
  main IPC along the (main IPC, application number) index, each read asking only for numbers
  below the group's current ``MAX_TITLES``-th — once one main IPC has filled the sample the others
  add the few that sort before it (0.5 s where numbering every patent of the groups took 1.25 s,
  845,000 patents in scope);
- a narrow scope (a chain, a city) numbers its own patents of the groups with a window: walking
  the index there would pass over the many patents of each main IPC outside the scope.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet, Value, Window
from django.db.models.functions import Collate, RowNumber

from patentbridge.patents.models import Patent
from patentbridge_engine.navigation.aggregate import MAX_TITLES

__all__ = ["INDEX_NAME", "first_titles", "group_titles", "numbered_titles"]

INDEX_NAME = "patent_ipc_number"
# Parts per statement: under SQLite's limit of 500 terms in one compound SELECT.
_PARTS = 200


def _number() -> Any:
    """The application number compared by code point on both databases (PostgreSQL: the "C"
    collation, which the index is built with; SQLite compares text by code point already)."""
    if connection.vendor == "postgresql":
        return Collate(F("application_number"), "C")
    return F("application_number")


def _first(ipc: str, scoped: QuerySet[Patent], bound: str | None, limit: int) -> QuerySet[Any]:
    """The first ``limit`` titled patents of ``scoped`` with main IPC ``ipc`` and a number below
    ``bound``, as (number, title) in number order."""
    qs = scoped.filter(ipc_main=ipc).exclude(title="").alias(pb_number=_number())
    if bound is not None:
        qs = qs.filter(pb_number__lt=Value(bound))
    return qs.order_by("pb_number").values_list("application_number", "title")[:limit]


def _below(ipc: str, scoped: QuerySet[Patent], bound: str | None, limit: int) -> list[tuple[str, str]]:
    """``_first`` read."""
    return [(str(n), str(t)) for n, t in _first(ipc, scoped, bound, limit)]


def _below_many(
    ipcs: Sequence[str], scoped: QuerySet[Patent], bound: str | None, limit: int
) -> list[tuple[str, str]]:
    """``_below`` of every main IPC of ``ipcs`` in one statement per ``_PARTS`` of them (each
    part ordered and limited, wrapped as a derived table and joined by ``UNION ALL``): a
    statement per main IPC pays its planning each time, most of all on PostgreSQL."""
    out: list[tuple[str, str]] = []
    for start in range(0, len(ipcs), _PARTS):
        sqls: list[str] = []
        params: list[Any] = []
        for n, ipc in enumerate(ipcs[start : start + _PARTS]):
            sql, part_params = _first(ipc, scoped, bound, limit).query.sql_with_params()
            sqls.append(f"SELECT * FROM ({sql}) AS t{n}")
            params.extend(part_params)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(sqls), params)
            out.extend((str(number), str(title)) for number, title in cursor.fetchall())
    return out


def first_titles(
    scoped: QuerySet[Patent],
    ipcs: Sequence[str],
    limit: int = MAX_TITLES,
    sizes: dict[str, int] | None = None,
) -> list[tuple[str, str]]:
    """(number, title) of the first ``limit`` titled patents of ``scoped`` whose main IPC is one
    of ``ipcs``, by application number.

    On PostgreSQL two rounds: the largest main IPC (by ``sizes``, the scope's patents per main
    IPC) alone, whose ``limit``-th number bounds the rest; then every other main IPC's first titles
    below that bound, in one statement (planning one statement per main IPC cost 5 ms each there).
    Exact: a title among the group's first ``limit`` from another main
    IPC sorts before that bound."""
    wanted = sorted(set(ipcs), key=lambda i: (-(sizes or {}).get(i, 0), i))
    if not wanted:
        return []
    if connection.vendor != "postgresql":
        # SQLite plans a statement in microseconds: one per main IPC, each bounded by the best so
        # far, reads the fewest rows (a compound statement of them measured slower there).
        best: list[tuple[str, str]] = []
        for ipc in wanted:
            found = _below(ipc, scoped, best[-1][0] if len(best) >= limit else None, limit)
            best = heapq.nsmallest(limit, [*best, *found])
        return best
    best = _below(wanted[0], scoped, None, limit)
    bound = best[-1][0] if len(best) >= limit else None
    rest = _below_many(wanted[1:], scoped, bound, limit) if len(wanted) > 1 else []
    return heapq.nsmallest(limit, [*best, *rest])


def numbered_titles(
    scoped: QuerySet[Patent], members: dict[str, list[str]], groups: Sequence[str]
) -> dict[str, list[tuple[str, str]]]:
    """``group_titles`` by one window query over the scope's patents of the groups."""
    group_of = {ipc: g for g in groups for ipc in members.get(g, [])}
    rows = (
        scoped.filter(ipc_main__in=list(group_of))
        .exclude(title="")
        .order_by()
        .annotate(rn=Window(RowNumber(), partition_by=[F("ipc_main")], order_by=[_number().asc()]))
        .filter(rn__lte=MAX_TITLES)
        .values_list("ipc_main", "application_number", "title")
    )
    out: dict[str, list[tuple[str, str]]] = {g: [] for g in groups}
    for ipc, number, title in rows:
        out[group_of[ipc]].append((str(number), str(title)))
    return {g: sorted(found)[:MAX_TITLES] for g, found in out.items()}


def group_titles(
    scoped: QuerySet[Patent],
    members: dict[str, list[str]],
    groups: Sequence[str],
    *,
    wide: bool = True,
    sizes: dict[str, int] | None = None,
) -> dict[str, list[tuple[str, str]]]:
    """Group → its first titles, from the main IPCs in ``members``: along the index for a
    ``wide`` scope (``sizes``: the scope's patents per main IPC, to start from the largest), by
    a window over the scope's own patents otherwise."""
    if not wide:
        return numbered_titles(scoped, members, groups)
    return {g: first_titles(scoped, members.get(g, []), sizes=sizes) for g in groups}
