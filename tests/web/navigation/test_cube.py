"""The navigation cube: a report read from it equals the report counted live on the patents, for
every scope the cube serves; it is read only while fresh (library version and grade marks, the
as-of day), a change sends the next report back to the live count and queues a rebuild, and a
rebuild replaces the rows instead of adding to them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.utils import timezone

from patentbridge.navigation import cube
from patentbridge.navigation.freeze import freeze, resolve_scope
from patentbridge.navigation.models import (
    NavigationApplicantCube,
    NavigationCube,
    NavigationCubeState,
    NavigationInventorCube,
)
from patentbridge.patents.models import Patent
from web.factories import make_patent
from web.navigation.test_aggregate_freeze import _grade, richer
from web.navigation.world import World

__all__ = ["richer"]  # the fixture, imported for its edge cases

AS_OF = timezone.localdate()

# (kind, scope, resolve_scope keywords, freeze keywords)
SCOPES: list[tuple[str, str, dict[str, str], dict[str, int]]] = [
    ("chain", "all", {}, {}),
    ("chain", "GLC", {}, {}),
    ("chain", "GLC", {"region": "3709"}, {}),
    ("region", "37", {}, {}),
    ("region", "3709", {}, {}),
    ("region", "370902", {}, {}),  # a county: narrowed to its city
    ("talent", "3701", {}, {}),
    ("rnd", "H01M", {}, {}),
    ("rnd", "H", {}, {}),
    ("rnd", "f25b1/00", {}, {}),  # longer than a subclass: the case-blind look-up
    ("chain", "all", {"ipc_prefix": "F25B"}, {}),
    ("region", "37", {"ipc_prefix": "H01M"}, {}),
    ("chain", "all", {}, {"year_from": 2020, "year_to": 2022}),
    ("region", "3709", {}, {"year_from": 2019}),
    ("chain", "AGRI", {}, {"year_to": 2020}),
]


def _table_rows() -> tuple[int, int, int]:
    return (
        NavigationCube.objects.count(),
        NavigationApplicantCube.objects.count(),
        NavigationInventorCube.objects.count(),
    )


def _pair(kind: str, scope: str, narrow: dict[str, str], years: dict[str, int]) -> tuple[Any, Any]:
    spec = resolve_scope(kind, scope, **narrow)
    assert cube.reader(spec.cube, AS_OF) is not None  # the cube serves this scope
    return freeze(spec, AS_OF, **years), freeze(spec, AS_OF, use_cube=False, **years)


@pytest.mark.parametrize(("kind", "scope", "narrow", "years"), SCOPES)
def test_report_from_the_cube_equals_the_live_count(
    richer: World, kind: str, scope: str, narrow: dict[str, str], years: dict[str, int]
) -> None:
    cube.rebuild(AS_OF)
    from_cube, live = _pair(kind, scope, narrow, years)
    a, b = from_cube.as_dict(), live.as_dict()
    for key in b:
        assert a[key] == b[key], key
    assert from_cube.sha256() == live.sha256()


def test_scopes_are_not_empty_and_differ(richer: World) -> None:
    """The comparison above is not between empty reports: the scopes count different patents."""
    cube.rebuild(AS_OF)
    totals = {(k, s, tuple(n.items()), tuple(y.items())): _pair(k, s, n, y)[0].total for k, s, n, y in SCOPES}
    assert min(totals.values()) >= 1
    # 13 world patents + 3 in-library ones of the fixture (not the rejected or the late one)
    assert totals[("chain", "all", (), ())] == 16
    assert totals[("region", "3709", (), ())] == 10
    assert 1 <= totals[("chain", "all", (), (("year_from", 2020), ("year_to", 2022)))] < 16


def test_an_applicant_scope_is_counted_live(richer: World) -> None:
    cube.rebuild(AS_OF)
    spec = resolve_scope("applicant", "山东大学")
    assert spec.cube is None and cube.reader(spec.cube, AS_OF) is None
    before = freeze(spec, AS_OF)
    NavigationCube.objects.update(patents=1000)  # not read for an applicant
    assert freeze(spec, AS_OF).sha256() == before.sha256() and before.total >= 1


def test_inventors_come_from_the_inventor_groups(richer: World) -> None:
    """A region report ranks inventors from the cube's inventor groups: a group inflated on
    purpose moves that inventor to the top, and the live count still ranks the records."""
    cube.rebuild(AS_OF)
    spec = resolve_scope("region", "37")
    live = freeze(spec, AS_OF, use_cube=False)
    assert live.inventors and freeze(spec, AS_OF).inventors == live.inventors
    last = live.inventors[-1][0]
    row = NavigationInventorCube.objects.filter(chain="", inventor=last).order_by("pk").first()
    assert row is not None
    NavigationInventorCube.objects.filter(pk=row.pk).update(patents=row.patents + 100)
    assert freeze(spec, AS_OF).inventors[0][0] == last
    assert freeze(spec, AS_OF, use_cube=False).inventors == live.inventors


def _inflate() -> None:
    """Corrupt the whole-library rows on purpose: a report that reads the cube shows it."""
    row = NavigationCube.objects.filter(chain="").order_by("pk").first()
    assert row is not None
    NavigationCube.objects.filter(pk=row.pk).update(patents=row.patents + 100)


def test_a_fresh_cube_is_read_and_a_patent_write_sends_reports_back_to_the_patents(richer: World) -> None:
    spec = resolve_scope("chain", "all")
    cube.rebuild(AS_OF)
    live = freeze(spec, AS_OF, use_cube=False).total
    _inflate()
    assert freeze(spec, AS_OF).total == live + 100  # read from the (corrupted) cube
    make_patent(province="山东", city="泰安", applicants=["新申请人"])  # moves the library version
    assert not cube.fresh_for(AS_OF)
    assert freeze(spec, AS_OF, use_cube=False).total == live + 1
    # the live count again; under immediate tasks the queued rebuild has already run
    assert freeze(spec, AS_OF).total == live + 1
    assert cube.fresh_for(AS_OF)
    assert NavigationCube.objects.filter(chain="").aggregate(n=Sum("patents"))["n"] == live + 1


def test_a_new_grade_makes_the_cube_stale(richer: World) -> None:
    cube.rebuild(AS_OF)
    assert cube.fresh_for(AS_OF)
    spec = resolve_scope("chain", "all")
    keys = freeze(spec, AS_OF).key_patents["count"]
    _grade(richer.patents[8], "A", high_value=True)
    assert not cube.fresh_for(AS_OF)
    cube.rebuild(AS_OF)
    from_cube, live = freeze(spec, AS_OF), freeze(spec, AS_OF, use_cube=False)
    assert from_cube.key_patents == live.key_patents and from_cube.key_patents["count"] == keys + 1


def test_another_day_reads_the_cube_only_when_its_library_was_complete(world: World) -> None:
    cube.rebuild(AS_OF)
    state = NavigationCubeState.objects.get(pk=1)
    assert state.complete  # every in-library patent is recorded and filed by today
    assert cube.fresh_for(AS_OF) and cube.fresh_for(AS_OF + dt.timedelta(days=30))
    assert not cube.fresh_for(AS_OF - dt.timedelta(days=1))  # an earlier day may hold fewer
    later = AS_OF + dt.timedelta(days=30)
    spec = resolve_scope("region", "37")
    assert freeze(spec, later).sha256() == freeze(spec, later, use_cube=False).sha256()
    # a patent recorded after the build day: that day's library is no longer all of it
    late = make_patent(province="山东", city="泰安")
    Patent.objects.filter(pk=late.pk).update(created_at=timezone.now() + dt.timedelta(days=3))
    cube.rebuild(AS_OF)
    assert not NavigationCubeState.objects.get(pk=1).complete
    assert cube.fresh_for(AS_OF) and not cube.fresh_for(AS_OF + dt.timedelta(days=5))
    assert freeze(spec, AS_OF + dt.timedelta(days=5)).total == freeze(spec, AS_OF).total + 1


def test_rebuild_replaces_rows_and_counts_chain_classes(richer: World) -> None:
    first = cube.rebuild(AS_OF)
    rows = _table_rows()
    second = cube.rebuild(AS_OF)
    assert _table_rows() == rows
    assert rows[2] > 0  # the world's patents name inventors
    assert first.rows == second.rows == sum(rows) and NavigationCubeState.objects.count() == 1
    # patents per chain class, as the live chain count reads them
    live = freeze(resolve_scope("chain", "all"), AS_OF, use_cube=False).chains
    per_chain = {
        c: n
        for c, n in NavigationCube.objects.exclude(chain="")
        .values_list("chain")
        .annotate(n=Sum("patents"))
        .order_by()
    }
    assert per_chain == live and sum(per_chain.values()) > 0


def test_refresh_task_rebuilds_only_a_stale_cube(richer: World) -> None:
    from patentbridge.navigation.tasks import refresh_cube

    assert not cube.in_use()
    assert refresh_cube.call() is True
    assert cube.in_use() and refresh_cube.call() is False
    Patent.objects.filter(pk=richer.patents[0].pk).update(legal_status="invalid")
    assert refresh_cube.call() is True
    assert NavigationCube.objects.filter(chain="", legal_status="invalid").exists()


def test_patent_events_queue_a_refresh_once_the_cube_is_in_use(
    richer: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from patentbridge.navigation import tasks

    queued: list[bool] = []

    class Recorder:
        def enqueue(self, forced: bool) -> None:
            queued.append(forced)

    monkeypatch.setattr(tasks, "refresh_cube", Recorder())
    tasks._changed(["CN1"])
    tasks._imported(None)
    assert queued == []  # never built: nothing to keep up to date
    cube.rebuild(AS_OF)
    tasks._changed(["CN1"])
    tasks._imported(None)
    assert queued == [False, True]


def test_changes_rebuild_at_most_every_gap_an_import_always(richer: World) -> None:
    from patentbridge.navigation.tasks import REBUILD_GAP, refresh_cube

    cube.rebuild()
    Patent.objects.filter(pk=richer.patents[0].pk).update(legal_status="invalid")
    assert refresh_cube.call(forced=False) is False  # rebuilt a moment ago
    assert not cube.fresh_for(AS_OF)
    NavigationCubeState.objects.update(built_at=timezone.now() - dt.timedelta(seconds=REBUILD_GAP + 1))
    assert refresh_cube.call(forced=False) is True and cube.fresh_for(AS_OF)
    Patent.objects.filter(pk=richer.patents[1].pk).update(legal_status="invalid")
    assert refresh_cube.call(forced=True) is True and cube.fresh_for(AS_OF)


def test_cli_rebuilds_and_refuses_a_bad_date(richer: World) -> None:
    out = io.StringIO()
    call_command("navigation_cube", stdout=out)
    assert "专利导航预汇总已重建" in out.getvalue() and AS_OF.isoformat() in out.getvalue()
    assert cube.fresh_for(AS_OF)
    with pytest.raises(CommandError) as err:
        call_command("navigation_cube", "--as-of", "2020-13-01", stdout=io.StringIO())
    assert err.value.returncode == 2


def test_a_data_directory_without_the_cube_tables_counts_live(
    richer: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    from patentbridge.navigation import tasks

    queued: list[bool] = []

    class Recorder:
        def enqueue(self, forced: bool = True) -> None:
            queued.append(forced)

    spec = resolve_scope("chain", "all")
    live = freeze(spec, AS_OF, use_cube=False)
    monkeypatch.setattr(tasks, "refresh_cube", Recorder())
    monkeypatch.setattr(cube, "_migrated", False)
    monkeypatch.setattr(connection.introspection, "table_names", lambda *a, **k: ["patents_patent"])
    assert not cube.migrated() and not cube.fresh_for(AS_OF)
    assert freeze(spec, AS_OF).sha256() == live.sha256()
    assert queued == []  # no rebuild queued onto tables that do not exist
    monkeypatch.undo()
    monkeypatch.setattr(tasks, "refresh_cube", Recorder())
    assert cube.migrated()
    freeze(spec, AS_OF)
    assert queued == [True]  # stale, migrated: the report queues a rebuild
