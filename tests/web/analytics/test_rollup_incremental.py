"""The drill-down indicators read the rollup and stay exact; the rollup catches up after writes
by recounting only the changed patents (ledger + trigger-recorded dirty list), and an
incremental refresh leaves exactly the rows a full recount would; when it cannot be exact
(triggers gone, ledger out of step) it recounts everything."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from patentbridge.analytics import dirty, rollups
from patentbridge.analytics.indicators import compute
from patentbridge.analytics.models import IndicatorRollup, RollupDirty, RollupLedger, RollupState
from patentbridge_engine.analytics import Scope
from web.analytics.world import World, _chain, _set, at
from web.factories import make_patent

DRILL = ["LIB-BY-COLLEGE", "LIB-BY-BRANCH"]
DAYS = [
    dt.date(2024, 1, 31),
    dt.date(2024, 2, 1),
    dt.date(2024, 3, 19),
    dt.date(2024, 3, 20),
    dt.date(2024, 5, 1),
    dt.date(2024, 5, 2),
    dt.date(2024, 6, 30),
    dt.date(2025, 1, 15),
]


def _colleges_and_branches(world: World) -> None:
    """Colleges typed with stray spaces and left empty, main IPC classes in lower case, one
    patent in two chains, one approved after it was recorded (its cells wait for the approval)."""
    from patentbridge.core.models import AuditEvent

    uni_a, uni_b = world.orgs["uni_a"], world.orgs["uni_b"]
    specs = [
        (uni_a, "机械学院", "h01m 10/05", at(2024, 1, 20), ["GLC"]),
        (uni_a, " 机械学院 ", "H01M4/00", at(2024, 2, 3), ["GLC", "SWYY"]),
        (uni_a, "", "", at(2024, 3, 20), ["GLC"]),
        (uni_b, "化工学院", "C07D 1/00", at(2024, 1, 31, hour=23), ["SWYY"]),
        (uni_b, "化工学院", "A61K31/00", at(2024, 5, 2), []),
    ]
    for owner, college, ipc, created, chains in specs:
        p = make_patent(owner=owner)
        _set(p, created_at=created, college=college, ipc_main=ipc)
        for code in chains:
            _chain(p, code)
    late = make_patent(owner=uni_b)
    _set(late, created_at=at(2024, 3, 1), college="化工学院", ipc_main="C07D5/00")
    _chain(late, "SWYY")
    event = AuditEvent.objects.create(
        action="patents.patent.approved", target_type="patents.patent", target_id=str(late.pk)
    )
    AuditEvent.objects.filter(pk=event.pk).update(timestamp=at(2024, 5, 2))


def _scopes(world: World, day: dt.date) -> list[Scope]:
    o = world.orgs
    return [
        Scope(as_of=day),
        Scope(as_of=day, region="37"),
        Scope(as_of=day, region="3709"),
        Scope(as_of=day, org_id=o["uni_a"].pk, org_side="supply"),
        Scope(as_of=day, region="3709", org_id=o["uni_b"].pk, org_side="supply"),
        Scope(as_of=day, org_id=o["ent_x"].pk, org_side="demand"),
    ]


def _values(scope: Scope, codes: list[str], *, fast: bool) -> list[dict[str, Any]]:
    rollups.ENABLED = fast
    try:
        return [v.as_dict() for v in compute(scope, codes)]
    finally:
        rollups.ENABLED = True


def _rows() -> set[tuple[Any, ...]]:
    return set(IndicatorRollup.objects.values_list("metric", "month", "org_id", "area", "key1", "key2", "n"))


def _recounted() -> set[tuple[Any, ...]]:
    """The rows a full recount gives now (the current rows are restored afterwards)."""
    RollupState.objects.filter(pk=1).update(fingerprint="")
    rollups.rebuild()
    return _rows()


@pytest.mark.django_db
def test_drilldowns_from_the_rollup_equal_the_records(world: World) -> None:
    _colleges_and_branches(world)
    for day in DAYS:
        for scope in _scopes(world, day):
            assert _values(scope, DRILL, fast=True) == _values(scope, DRILL, fast=False), (
                day,
                scope.describe(),
            )
    # The whole months really came from the rollup cells.
    assert IndicatorRollup.objects.filter(metric="college", key1="机械学院").exists()
    assert IndicatorRollup.objects.filter(metric="branch", key1="GLC", key2="H01M").exists()


@pytest.mark.django_db
def test_known_college_and_branch_figures(world: World) -> None:
    """On 2024-05-01 the late patent (approved 05-02) is not counted yet; on 05-02 it is."""
    _colleges_and_branches(world)
    uni_b = world.orgs["uni_b"].pk
    scope = Scope(as_of=dt.date(2024, 5, 1), org_id=uni_b, org_side="supply")
    college, _ = compute(scope, DRILL)
    before = {r.key: r.value for r in college.rows}
    assert before[f"{uni_b}:化工学院"] == 1
    after = {
        r.key: r.value
        for r in compute(Scope(as_of=dt.date(2024, 5, 2), org_id=uni_b, org_side="supply"), DRILL)[0].rows
    }
    assert after[f"{uni_b}:化工学院"] == 3  # + the late approval and the patent recorded on 05-02
    platform = {r.key: r.value for r in compute(Scope(as_of=dt.date(2024, 3, 20)), DRILL)[1].rows}
    assert platform["GLC/H01M"] == 2 and platform["SWYY/H01M"] == 1


@pytest.mark.django_db
def test_triggers_record_writes_of_every_table(world: World) -> None:
    from patentbridge.core.models import AuditEvent
    from patentbridge.grading.models import PatentGrade

    assert dirty.installed()
    rollups.refresh()
    assert not RollupDirty.objects.exists() and rollups.is_fresh()
    p = world.patents["p4"]
    _set(p, college="新学院")
    _chain(world.patents["p1"], "SWYY")
    PatentGrade.objects.filter(patent=world.patents["p5"]).update(final="A")
    AuditEvent.objects.create(
        action="patents.patent.approved", target_type="patents.patent", target_id="999999"
    )
    AuditEvent.objects.create(action="patents.patent.approved", target_type="patents.patent", target_id="x1")
    listed = set(RollupDirty.objects.values_list("patent_id", flat=True))
    assert {p.pk, world.patents["p1"].pk, world.patents["p5"].pk, 999999} <= listed
    assert not rollups.is_fresh()


@pytest.mark.django_db
def test_incremental_refresh_equals_a_full_recount(world: World) -> None:
    """Approval through the service, regrade in bulk, reclassification, a college typed anew,
    a new patent, a deleted one and an owner change: each caught up incrementally, each leaving
    the rows a full recount gives."""
    from patentbridge.grading.models import PatentGrade
    from patentbridge.patents import services
    from patentbridge.patents.models import Patent, PatentClass

    _colleges_and_branches(world)
    assert rollups.refresh() == "full"  # the first build fills the ledger
    assert RollupLedger.objects.count() == Patent.objects.count()
    admin = world.users["operator"]
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    pending = make_patent(owner=world.orgs["uni_a"], status="pending_university", college="电气学院")
    _chain(pending, "GLC")

    def approve() -> None:
        services.approve_university(actor=admin, patent=pending, self_assessment="good")

    def regrade() -> None:
        PatentGrade.objects.filter(patent=world.patents["p4"]).update(final="A", high_value=True)

    def reclassify() -> None:
        PatentClass.objects.filter(patent=world.patents["p1"], scheme="chain").delete()
        _chain(world.patents["p1"], "SWYY")

    def retype_college() -> None:
        _set(world.patents["p5"], college=" 材料学院")

    made: list[Any] = []

    def new_patent() -> None:
        made.append(make_patent(owner=world.orgs["uni_b"], ipc_main="B65G1/00"))
        _chain(made[0], "GLC")

    def delete() -> None:
        Patent.objects.filter(pk=made[0].pk).delete()

    def move_owner() -> None:
        _set(world.patents["p1"], owner_org=world.orgs["uni_b"])

    for step in (approve, regrade, reclassify, retype_college, new_patent, delete, move_owner):
        step()
        assert rollups.refresh() == "incremental", step.__name__
        caught_up = _rows()
        assert RollupState.objects.get(pk=1).mode == "incremental"
        assert rollups.is_fresh()
        assert caught_up == _recounted(), step.__name__
    # The figures read after the last step equal the records.
    for scope in _scopes(world, dt.date.today()):
        codes = [*DRILL, "LIB-APPROVED", "LIB-GRADED", "LIB-BY-CHAIN", "LIB-INVENTORIED"]
        assert _values(scope, codes, fast=True) == _values(scope, codes, fast=False)


@pytest.mark.django_db
def test_a_change_the_triggers_did_not_see_means_a_full_recount(world: World) -> None:
    rollups.refresh()
    dirty.remove()
    try:
        p = make_patent(owner=world.orgs["uni_a"])
        assert not RollupDirty.objects.exists()
        assert not rollups.is_fresh()  # the fingerprint moved
        assert rollups.refresh() == "full"
        assert IndicatorRollup.objects.filter(metric="inv", org_id=p.owner_org_id).exists()
        assert rollups.is_fresh()
    finally:
        dirty.install()
    assert dirty.installed()


@pytest.mark.django_db
def test_a_missing_trigger_means_a_full_recount_even_with_listed_patents(world: World) -> None:
    from django.db import connection

    rollups.refresh()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {dirty.TRIGGERS[-1]}")
        else:
            cursor.execute("DROP TRIGGER pb_rollup_dirty ON core_auditevent")
    try:
        assert not dirty.installed()
        _set(world.patents["p4"], college="X")
        assert RollupDirty.objects.exists()
        assert rollups.refresh() == "full"
        assert not RollupDirty.objects.exists()
    finally:
        dirty.install()


@pytest.mark.django_db
def test_a_ledger_out_of_step_falls_back_to_a_full_recount(world: World) -> None:
    rollups.refresh()
    expected = _rows()
    # The rollup lost the college cell the ledger says p4 added: taking it out would go below zero.
    p4 = world.patents["p4"]
    IndicatorRollup.objects.filter(metric="college", org_id=p4.owner_org_id).delete()
    _set(p4, college="Y")
    assert rollups.refresh() == "full"
    rows = _rows()
    assert {r for r in rows if r[0] != "college"} == {r for r in expected if r[0] != "college"}
    assert RollupState.objects.get(pk=1).mode == "full"


@pytest.mark.django_db
def test_a_redated_approval_is_seen_although_the_fingerprint_did_not_move(world: World) -> None:
    """Re-dating an approval moves no fingerprint mark; the dirty list still makes readers catch up."""
    from patentbridge.core.models import AuditEvent

    day = dt.date(2024, 6, 30)
    assert compute(Scope(as_of=day), ["LIB-APPROVED"])[0].value == 4
    p2 = world.patents["p2"]
    AuditEvent.objects.filter(action="patents.patent.approved", target_id=str(p2.pk)).update(
        timestamp=at(2024, 7, 2)
    )
    assert not rollups.is_fresh()
    assert compute(Scope(as_of=day), ["LIB-APPROVED"])[0].value == 3
    assert RollupState.objects.get(pk=1).mode == "incremental"
    assert _values(Scope(as_of=day), ["LIB-APPROVED", "LIB-GRADED"], fast=True) == _values(
        Scope(as_of=day), ["LIB-APPROVED", "LIB-GRADED"], fast=False
    )


@pytest.mark.django_db
def test_grades_follow_a_bulk_regrade(world: World) -> None:
    from patentbridge.grading.models import PatentGrade

    rollups.refresh()
    PatentGrade.objects.filter(patent=world.patents["p1"]).update(final="D", graded_at=at(2024, 2, 10))
    day = dt.date(2024, 6, 30)
    graded = {r.key: r.value for r in compute(Scope(as_of=day), ["LIB-GRADED"])[0].rows}
    assert graded["A"] == 0 and graded["D"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize("tail", [True, False])
def test_totals_minus_recent_months_equals_the_months_before(
    world: World, tail: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways of reading whole months (months before as_of's month; all-time totals minus the
    months from it on) give the records' figures on every day and scope."""
    _colleges_and_branches(world)
    monkeypatch.setattr(rollups, "_tail_is_shorter", lambda ctx, month: tail)
    codes = [*DRILL, "LIB-APPROVED", "LIB-GRADED", "LIB-BY-CHAIN", "LIB-INVENTORIED", "LIB-BY-OWNER"]
    for day in DAYS:
        for scope in _scopes(world, day):
            assert _values(scope, codes, fast=True) == _values(scope, codes, fast=False), (day, tail)


@pytest.mark.django_db
def test_a_rollup_counted_by_older_cells_is_recounted_not_patched(world: World) -> None:
    from patentbridge.analytics import rollup_build

    rollups.refresh()
    state = RollupState.objects.get(pk=1)
    old = f"c{rollup_build.CELLS_VERSION - 1}|" + state.fingerprint.split("|", 1)[1]
    RollupState.objects.filter(pk=1).update(fingerprint=old)
    _set(world.patents["p4"], college="Z")  # a listed patent that an incremental pass would take
    assert not rollups.is_fresh()
    assert rollups.refresh() == "full"


@pytest.mark.django_db
def test_figures_shared_by_indicators_are_read_once_per_context(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from patentbridge.analytics.indicators import Context
    from patentbridge.analytics.indicators.library import owner_counts

    ctx = Context(Scope(as_of=dt.date(2024, 6, 30)))
    first = owner_counts(ctx)
    with CaptureQueriesContext(connection) as queries:
        again = owner_counts(ctx)
    assert again is first and len(queries) == 0
    # A new context (the next request) reads again.
    assert owner_counts(Context(Scope(as_of=dt.date(2024, 6, 30)))) == first
