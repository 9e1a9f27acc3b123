"""The monthly rollup (``analytics.rollups``) gives exactly the figures read from the records alone:
every platform indicator, for the platform, regions at three levels and organisations of both
sides, on as-of days at and around month boundaries, approvals and gradings; and it follows
changes made after it was built (new patents, regrading, approval) without a manual rebuild."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from patentbridge.analytics import rollups
from patentbridge.analytics.indicators import compute
from patentbridge.analytics.models import IndicatorRollup, RollupState
from patentbridge_engine.analytics import Scope
from web.analytics.world import World, _chain, _grade, _set, at
from web.factories import make_patent

# Month boundaries (first and last days), the days of p2's approval and grading, and later days.
DAYS = [
    dt.date(2024, 1, 4),
    dt.date(2024, 1, 10),
    dt.date(2024, 1, 31),
    dt.date(2024, 2, 1),
    dt.date(2024, 3, 31),
    dt.date(2024, 6, 14),
    dt.date(2024, 6, 15),
    dt.date(2024, 6, 20),
    dt.date(2024, 6, 30),
    dt.date(2024, 7, 1),
    dt.date(2024, 9, 1),
    dt.date(2024, 11, 30),
    dt.date(2025, 3, 15),
]


def _extra(world: World) -> None:
    """More patents across months: one created in March and approved in May (graded in April,
    before it entered), one graded the month after it was created, one late-night record on a
    month's last day (local time differs from UTC), one without type."""
    from patentbridge.core.models import AuditEvent

    uni_a, uni_b = world.orgs["uni_a"], world.orgs["uni_b"]
    late = make_patent(owner=uni_b)
    _set(late, created_at=at(2024, 3, 20))
    event = AuditEvent.objects.create(
        action="patents.patent.approved", target_type="patents.patent", target_id=str(late.pk)
    )
    AuditEvent.objects.filter(pk=event.pk).update(timestamp=at(2024, 5, 2))
    _grade(late, "A", at(2024, 4, 10), high_value=True)
    _chain(late, "SWYY")
    _chain(late, "GLC")
    regraded = make_patent(owner=uni_a)
    _set(regraded, created_at=at(2024, 1, 31, hour=23))  # 15:00 UTC, still January locally
    _grade(regraded, "B", at(2024, 2, 1, hour=0))
    _chain(regraded, "GLC")
    for month in (2, 4, 6, 8):
        p = make_patent(owner=uni_b if month % 4 else uni_a)
        _set(p, created_at=at(2024, month, 15), patent_type="utility_model" if month > 4 else "invention")
        _grade(p, "CD"[month % 2 == 0 and month > 4], at(2024, month + 1, 1))
    untyped = make_patent(owner=uni_a)
    _set(untyped, created_at=at(2024, 6, 30, hour=23), patent_type="")


def _scopes(world: World, day: dt.date) -> list[Scope]:
    o = world.orgs
    return [
        Scope(as_of=day),
        Scope(as_of=day, region="37"),
        Scope(as_of=day, region="3701"),
        Scope(as_of=day, region="370902"),
        Scope(as_of=day, region="3715"),
        Scope(as_of=day, org_id=o["uni_a"].pk, org_side="supply"),
        Scope(as_of=day, region="3709", org_id=o["uni_b"].pk, org_side="supply"),
        Scope(as_of=day, org_id=o["ent_x"].pk, org_side="demand"),
    ]


def _values(scope: Scope, *, fast: bool) -> list[dict[str, Any]]:
    rollups.ENABLED = fast
    try:
        return [v.as_dict() for v in compute(scope)]
    finally:
        rollups.ENABLED = True


def _assert_same(world: World, days: list[dt.date]) -> None:
    for day in days:
        for scope in _scopes(world, day):
            assert _values(scope, fast=True) == _values(scope, fast=False), (day, scope.describe())


@pytest.mark.django_db
def test_rollup_matches_the_records_on_every_day_and_scope(world: World) -> None:
    _extra(world)
    _assert_same(world, DAYS)
    # The rollup was really read: whole months of the library are in it.
    assert IndicatorRollup.objects.filter(metric="lib", month=dt.date(2024, 1, 1)).exists()


@pytest.mark.django_db
def test_known_figures_from_the_rollup(world: World) -> None:
    """Worked example of the world: on 2024-06-30 the library holds p1 (Jan), p2 (approved
    06-15), p4 (Feb) and p5 (Jan) = 4; graded by then: p1 A, p2 B (06-20), p5 D = 3 (p4's C is
    from September); chains: GLC p1+p2, SWYY p4."""
    (approved, graded, chains) = (
        v for v in compute(Scope(as_of=dt.date(2024, 6, 30)), ["LIB-APPROVED", "LIB-GRADED", "LIB-BY-CHAIN"])
    )
    assert approved.value == 4
    assert {r.key: r.value for r in graded.rows} == {"A": 1, "B": 1, "C": 0, "D": 1}
    assert {r.key: r.value for r in chains.rows} == {"GLC": 2, "SWYY": 1}
    # A day before p2's approval it is not in the library yet; its grade waits for it too.
    early = compute(Scope(as_of=dt.date(2024, 6, 14)), ["LIB-APPROVED", "LIB-GRADED"])
    assert early[0].value == 3
    assert {r.key: r.value for r in early[1].rows}["B"] == 0


@pytest.mark.django_db
def test_rollup_follows_changes_without_a_manual_rebuild(world: World) -> None:
    day = dt.date(2024, 12, 31)
    scope = Scope(as_of=day)
    before = compute(scope, ["LIB-APPROVED"])[0].value
    built = RollupState.objects.get(pk=1).fingerprint
    # A new in-library patent from October (a whole month before as_of's month) …
    p = make_patent(owner=world.orgs["uni_b"])
    _set(p, created_at=at(2024, 10, 3))
    assert compute(scope, ["LIB-APPROVED"])[0].value == before + 1
    assert RollupState.objects.get(pk=1).fingerprint != built
    # … a regrade written in bulk (no signals) …
    from patentbridge.grading.models import PatentGrade

    PatentGrade.objects.filter(patent=world.patents["p4"]).update(final="A", graded_at=at(2024, 11, 2))
    graded = {r.key: r.value for r in compute(scope, ["LIB-GRADED"])[0].rows}
    assert graded["A"] == 2 and graded["C"] == 0
    # … and everything still equals the records.
    _assert_same(world, [dt.date(2024, 10, 2), dt.date(2024, 10, 3), day])


@pytest.mark.django_db
def test_inventor_and_demand_scopes_do_not_read_the_rollup(world: World) -> None:
    inventor = world.users["inventor_a"]
    scope = Scope(
        as_of=dt.date(2024, 6, 30), org_id=world.orgs["uni_a"].pk, org_side="supply", inventor_id=inventor.pk
    )
    from patentbridge.analytics.indicators import Context

    assert not rollups.usable(Context(scope))
    assert _values(scope, fast=True) == _values(scope, fast=False)
    demand = Scope(as_of=dt.date(2024, 6, 30), org_id=world.orgs["ent_x"].pk, org_side="demand")
    assert compute(demand, ["LIB-APPROVED"])[0].value == 0


@pytest.mark.django_db
def test_navigation_counts(world: World) -> None:
    """Today's library of a chain by application year, IPC section and city."""
    _extra(world)
    from patentbridge.patents.models import Patent

    glc = Patent.objects.filter(library_status="in_library", classes__scheme="chain", classes__code="GLC")
    expected: dict[tuple[int, str, str], int] = {}
    for p in glc:
        code = p.owner_org.region_code if p.owner_org else ""
        key = (p.filing_date.year if p.filing_date else 0, (p.ipc_main or "-")[:1], code[:4])
        expected[key] = expected.get(key, 0) + 1
    assert rollups.navigation_counts("GLC") == expected
    assert sum(rollups.navigation_counts("GLC", "3709").values()) == sum(
        n for (_, _, city), n in expected.items() if city == "3709"
    )


@pytest.mark.django_db
def test_a_patents_changed_event_refreshes_the_rollup_in_the_background(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    from patentbridge.core import events

    rollups.rebuild()
    p = make_patent(owner=world.orgs["uni_a"])
    assert not rollups.is_fresh()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.announce(events.PATENTS_CHANGED, [p.application_number])
    # The task ran (tasks are immediate in tests): the rollup now counts the new patent.
    assert rollups.is_fresh()
    assert IndicatorRollup.objects.filter(metric="inv", org_id=world.orgs["uni_a"].pk).exists()


@pytest.mark.django_db
def test_rollup_command_rebuilds(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rollup", stdout=out)
    assert "统计预汇总已重建" in out.getvalue()
    assert rollups.is_fresh()
    assert IndicatorRollup.objects.filter(metric="lib").count() > 0


def test_the_days_cover_both_ways_to_the_as_of_day() -> None:
    """``DAYS`` read some figures as months before + days up to as_of, others as months through
    as_of's month − the days after it: the equality test above checks both ways."""
    from patentbridge.analytics.indicators import Context

    signs = {day: rollups.window(Context(Scope(as_of=day))).sign for day in DAYS}
    assert set(signs.values()) == {1, -1}
    assert signs[dt.date(2024, 1, 4)] == 1
    assert signs[dt.date(2024, 1, 31)] == -1
    assert signs[dt.date(2024, 6, 20)] == -1


@pytest.mark.django_db
def test_todays_figures_read_the_rollup_and_an_empty_rest_of_the_month(world: World) -> None:
    """As of today nothing follows in the month: the window starts where today ends, the rollup
    gives every month through this one, and the figures still equal the records'."""
    from django.utils import timezone

    from patentbridge.analytics.indicators import Context

    _extra(world)
    today = timezone.localdate()
    w = rollups.window(Context(Scope(as_of=today)))
    assert w.sign == -1
    assert w.start == Context(Scope(as_of=today)).cutoff
    assert w.month == (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    for scope in _scopes(world, today):
        assert _values(scope, fast=True) == _values(scope, fast=False), scope.describe()


def _late_in_september(world: World) -> None:
    """Patents whose dates fall after 20 September 2024 in that month: recorded, approved (an old
    record), graded (an old library patent), with chains, a college and an IPC — and one approved
    in October, which belongs to October's cells, not to September's remainder."""
    from patentbridge.core.models import AuditEvent

    uni_a, uni_b = world.orgs["uni_a"], world.orgs["uni_b"]

    def approve(patent: Any, when: dt.datetime) -> None:
        event = AuditEvent.objects.create(
            action="patents.patent.approved", target_type="patents.patent", target_id=str(patent.pk)
        )
        AuditEvent.objects.filter(pk=event.pk).update(timestamp=when)

    fresh = make_patent(owner=uni_a)
    _set(fresh, created_at=at(2024, 9, 25), college="机械学院", ipc_main="H01M 10/05")
    _chain(fresh, "GLC")
    _grade(fresh, "A", at(2024, 9, 27), high_value=True)
    old_record = make_patent(owner=uni_b)
    _set(old_record, created_at=at(2024, 2, 3), college="化工学院", ipc_main="A61K 31/00")
    approve(old_record, at(2024, 9, 28))
    _chain(old_record, "SWYY")
    old_library = make_patent(owner=uni_b)
    _set(old_library, created_at=at(2024, 3, 3), ipc_main="C02F 1/00")
    _grade(old_library, "B", at(2024, 9, 26))
    _chain(old_library, "GLC")
    october = make_patent(owner=uni_a)
    _set(october, created_at=at(2024, 9, 29), college="机械学院")
    approve(october, at(2024, 10, 2))
    _chain(october, "GLC")


@pytest.mark.django_db
def test_the_rest_of_the_month_is_taken_back_exactly(world: World) -> None:
    """As of 20 September (10 days follow, 20 precede) the figures are the months through
    September minus what dates after the 20th — every indicator, scope and drill-down equal to
    the records'. On the 27th and 30th the same patents are partly or wholly inside the day."""
    from patentbridge.analytics.indicators import Context

    _extra(world)
    _late_in_september(world)
    for day in (dt.date(2024, 9, 20), dt.date(2024, 9, 27), dt.date(2024, 9, 30), dt.date(2024, 10, 1)):
        expected = -1 if day.day >= 20 else 1
        assert rollups.window(Context(Scope(as_of=day))).sign == expected
        for scope in _scopes(world, day):
            assert _values(scope, fast=True) == _values(scope, fast=False), (day, scope.describe())
