"""Area rows of the rollup (``analytics.rollup_areas``): the platform, a province and a city read
sums already made over their organisations. They must equal the per-organisation rows they are
summed from — after a full build, after an incremental refresh, and after an owner moves to
another region — and the figures read from them must equal the records'."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from patentbridge.accounts.models import Organization
from patentbridge.analytics import rollup_areas, rollups
from patentbridge.analytics.indicators import compute
from patentbridge.analytics.models import IndicatorRollup, RollupState
from patentbridge.analytics.rollup_areas import areas_of, scope_area
from patentbridge_engine.analytics import Scope
from web.analytics.test_rollups import _values
from web.analytics.world import World, _chain, _grade, _set, at
from web.factories import make_org, make_patent

DAY = dt.date(2024, 8, 20)


def _area_sums_from_org_rows() -> Counter[tuple[Any, ...]]:
    """What every area row should hold: the per-organisation rows summed by the owners' regions
    as they are now (computed here from the organisations, not by the code under test)."""
    codes = {o.pk: (o.region_code or "") for o in Organization.objects.all()}
    out: Counter[tuple[Any, ...]] = Counter()
    for metric, month, org, k1, k2, n in IndicatorRollup.objects.filter(area="").values_list(
        "metric", "month", "org_id", "key1", "key2", "n"
    ):
        code = codes.get(org, "") if org is not None else ""
        areas = ["*"] + ([code[:2]] if len(code) >= 2 else []) + ([code[:4]] if len(code) >= 4 else [])
        for area in areas:
            out[(metric, month, area, k1, k2)] += n
    return out


def _area_rows() -> Counter[tuple[Any, ...]]:
    rows = IndicatorRollup.objects.exclude(area="").values_list(
        "metric", "month", "area", "key1", "key2", "n"
    )
    return Counter({key[:-1]: key[-1] for key in rows})


def _assert_areas_consistent() -> None:
    assert IndicatorRollup.objects.exclude(area="").filter(org_id__isnull=False).count() == 0
    expected = _area_sums_from_org_rows()
    assert expected, "the fixture must put patents in the rollup"
    assert _area_rows() == +expected


def _scopes(day: dt.date) -> list[Scope]:
    return [Scope(as_of=day, region=r) for r in ("", "37", "3701", "3709", "3702", "370902")]


def _assert_figures_match(day: dt.date = DAY) -> None:
    for scope in _scopes(day):
        assert _values(scope, fast=True) == _values(scope, fast=False), scope.describe()


def _more_patents(world: World) -> None:
    uni_a, uni_b = world.orgs["uni_a"], world.orgs["uni_b"]
    for month, owner, grade in ((2, uni_a, "A"), (3, uni_b, "B"), (5, uni_b, "C"), (8, uni_a, "B")):
        p = make_patent(owner=owner)
        _set(p, created_at=at(2024, month, 12))
        _grade(p, grade, at(2024, month, 20), high_value=grade == "A")
        _chain(p, "GLC" if month % 2 else "SWYY")


def test_areas_of_and_scope_area() -> None:
    assert areas_of("370902") == ("*", "37", "3709")
    assert areas_of("370900") == ("*", "37", "3709")
    assert areas_of("") == ("*",)
    assert scope_area("", None, None) == "*"
    assert scope_area("37", None, None) == "37"
    assert scope_area("3709", None, None) == "3709"
    # A county, an odd prefix, an organisation or an inventor read the organisations' own rows.
    assert scope_area("370902", None, None) is None
    assert scope_area("370", None, None) is None
    assert scope_area("37", 5, None) is None
    assert scope_area("", None, 9) is None


@pytest.mark.django_db
def test_full_build_sums_every_area_from_the_organisation_rows(world: World) -> None:
    _more_patents(world)
    RollupState.objects.filter(pk=1).update(fingerprint="")
    rollups.rebuild()
    _assert_areas_consistent()
    # A platform row exists for a library cell and carries the whole platform's count.
    platform_lib = IndicatorRollup.objects.filter(metric="lib", area="*", month__isnull=True)
    per_org_lib = IndicatorRollup.objects.filter(metric="lib", area="", month__isnull=True)
    assert sum(r.n for r in platform_lib) == sum(r.n for r in per_org_lib) > 0
    state = RollupState.objects.get(pk=1)
    assert state.regions[str(world.orgs["uni_b"].pk)] == "370902"
    _assert_figures_match()


@pytest.mark.django_db
def test_incremental_refresh_keeps_the_area_rows_in_step(world: World) -> None:
    _more_patents(world)
    rollups.rebuild()
    newcomer = make_org("丙研究院", "institute", region_code="370203")
    for month in (4, 7):
        p = make_patent(owner=newcomer)
        _set(p, created_at=at(2024, month, 3))
        _chain(p, "GLC")
    assert rollups.refresh() == "incremental"
    _assert_areas_consistent()
    assert RollupState.objects.get(pk=1).regions[str(newcomer.pk)] == "370203"
    assert IndicatorRollup.objects.filter(area="3702", metric="inv").exists()
    _assert_figures_match()


@pytest.mark.django_db
def test_an_owner_moving_region_sums_the_areas_again(world: World) -> None:
    _more_patents(world)
    rollups.rebuild()
    uni_b = world.orgs["uni_b"]
    before = _values(Scope(as_of=DAY, region="3709"), fast=True)
    Organization.objects.filter(pk=uni_b.pk).update(region_code="370212")
    assert not rollups.is_fresh()
    assert rollups.refresh() == "areas"
    assert rollups.is_fresh()
    _assert_areas_consistent()
    # 乙学院's patents left 聊城 (3709) for 青岛 (3702).
    assert _values(Scope(as_of=DAY, region="3709"), fast=True) != before
    _assert_figures_match()


@pytest.mark.django_db
def test_a_move_and_new_patents_in_one_refresh(world: World) -> None:
    _more_patents(world)
    rollups.rebuild()
    uni_a = world.orgs["uni_a"]
    Organization.objects.filter(pk=uni_a.pk).update(region_code="370902")
    p = make_patent(owner=uni_a)
    _set(p, created_at=at(2024, 6, 2))
    _grade(p, "A", at(2024, 6, 9), high_value=True)
    assert rollups.refresh() == "incremental"
    _assert_areas_consistent()
    assert RollupState.objects.get(pk=1).regions[str(uni_a.pk)] == "370902"
    _assert_figures_match()


@pytest.mark.django_db
def test_a_platform_report_reads_area_rows_not_organisation_rows(world: World) -> None:
    """Corrupting a per-organisation row leaves the platform figure alone (it is not read) and
    changes the organisation's own figure (it is): the platform really reads the area rows."""
    _more_patents(world)
    rollups.rebuild()
    uni_a = world.orgs["uni_a"]
    platform = Scope(as_of=DAY)
    own = Scope(as_of=DAY, org_id=uni_a.pk, org_side="supply")
    platform_before = [v.as_dict() for v in compute(platform, ["LIB-APPROVED"])]
    own_before = [v.as_dict() for v in compute(own, ["LIB-APPROVED"])]
    # A month before DAY's: read as "the months before" (the history is shorter than the tail).
    row = IndicatorRollup.objects.filter(
        metric="lib", area="", org_id=uni_a.pk, month__lt=dt.date(2024, 8, 1)
    ).first()
    assert row is not None
    IndicatorRollup.objects.filter(pk=row.pk).update(n=row.n + 100)
    assert [v.as_dict() for v in compute(platform, ["LIB-APPROVED"])] == platform_before
    assert [v.as_dict() for v in compute(own, ["LIB-APPROVED"])] != own_before


@pytest.mark.django_db
def test_a_deleted_owner_keeps_its_patents_on_the_platform_only(world: World) -> None:
    regions = rollup_areas.current_regions([world.orgs["uni_a"].pk, 987654])
    assert regions == {str(world.orgs["uni_a"].pk): "370102", "987654": ""}


@pytest.mark.django_db
def test_a_region_of_many_organisations_is_filtered_after_reading(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ``_LISTED_ORGS`` organisations a region's per-organisation rows are read without a
    list of ids and kept by organisation afterwards: the same figures as the records'."""
    _more_patents(world)
    rollups.rebuild()
    monkeypatch.setattr(rollups, "_LISTED_ORGS", 1)
    _assert_figures_match()
    # A county (per-organisation rows, not area rows) and an organisation inside a region.
    for scope in (
        Scope(as_of=DAY, region="370902"),
        Scope(as_of=DAY, region="37", org_id=world.orgs["uni_b"].pk, org_side="supply"),
    ):
        assert _values(scope, fast=True) == _values(scope, fast=False), scope.describe()


@pytest.mark.django_db
def test_the_province_breakdown_from_the_platform_equals_the_provinces_own(world: World) -> None:
    """The platform dashboard's map reads the province's breakdown from the platform's owner
    counts (``region_breakdown``): the same value the province's own scope computes."""
    from patentbridge.analytics.indicators import Context
    from patentbridge.analytics.indicators.library import region_breakdown

    _more_patents(world)
    make_org("北京某研究所", "institute", region_code="110108")
    rollups.rebuild()
    for fast in (True, False):
        rollups.ENABLED = fast
        try:
            platform = Context(Scope(as_of=DAY))
            for prefix in ("37", "3709", "3701"):
                own = compute(Scope(as_of=DAY, region=prefix), ["LIB-BY-REGION"])[0]
                assert region_breakdown(platform, prefix).as_dict() == own.as_dict(), (prefix, fast)
        finally:
            rollups.ENABLED = True
    with pytest.raises(ValueError):
        region_breakdown(Context(Scope(as_of=DAY, region="3709")), "3701")
