"""The aggregate freeze (SQL GROUP BY) against the row reference (one row per patent, aggregated by
the engine's ``aggregate_rows``) on the navigation world plus the cases the world lacks: grades,
operations, an open-licence declaration, repeated and empty inventors, an undated patent, a
patent without applicant, and patents outside the library or recorded after the as-of day.
Hand-worked answers for the counts the extra patents decide are asserted too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from patentbridge.navigation.freeze import freeze, freeze_rows, resolve_scope
from patentbridge.patents.models import Patent
from patentbridge_engine.navigation import (
    AggregateSnapshot,
    Snapshot,
    aggregate_rows,
    build_sections,
    load_snapshot,
)
from web.factories import make_patent
from web.licensing.factories import fee_free
from web.navigation.world import BATTERY, World, _patent

AS_OF = timezone.localdate()  # the patents are recorded today


def _grade(patent: Any, final: str, high_value: bool = False) -> None:
    from patentbridge.grading.models import PatentGrade

    PatentGrade.objects.create(
        patent=patent,
        grade=final,
        final=final,
        score=50,
        coverage=1,
        policy_version="test",
        high_value=high_value,
        graded_at=timezone.now(),
    )


@pytest.fixture
def richer(world: World) -> World:
    """The world plus the edge cases; 泰安 (3709) gains three in-library patents (one undated, one
    without applicant) and keeps out a rejected one and one recorded after ``AS_OF``."""
    from patentbridge.licensing.models import OpenLicenceDeclaration

    p = world.patents
    _grade(p[0], "A", high_value=True)  # 泰安热泵 2018: key, idle
    _grade(p[1], "A")  # 泰安热泵 2019: key, licensed below → operated
    _grade(p[2], "B", high_value=True)  # 泰安热泵 2021: key, open licence below → operated
    _grade(p[3], "C")  # graded, not key
    _grade(p[7], "A", high_value=True)  # 山东大学 (济南): key outside 泰安
    Patent.objects.filter(pk=p[1].pk).update(license_count=2, transfer_count=1)
    Patent.objects.filter(pk=p[4].pk).update(pledge_count=1)
    OpenLicenceDeclaration.objects.create(
        patent=p[2],
        declarant_org=world.ent,
        term_kind="until_patent_expiry",
        created_by=world.operator,
        state="published",
        published_at=dt.date(2024, 7, 15),
        fee_schedule=fee_free(),
    )
    # Inventors: a team of two on three patents, names repeated within a patent, an empty name.
    Patent.objects.filter(pk=p[5].pk).update(inventors=["王工", "张工", "王工", ""])
    Patent.objects.filter(pk=p[6].pk).update(inventors=["王工", "李工"])
    extra = _patent("泰安热泵有限公司", "enterprise", "山东", "泰安", 2020, dict(BATTERY, title="储能电池"))
    Patent.objects.filter(pk=extra.pk).update(filing_date=None, inventors=["王工"])
    make_patent(applicants=[], applicant_kind="", province="山东", city="泰安", ipc=["A01C7/20"])
    # 泰安电池公司's first patent by number is recorded as a person's: its kind in the ranking
    make_patent(
        number="200001000001.1",
        applicants=["泰安电池公司"],
        applicant_kind="individual",
        province="山东",
        city="泰安",
    )
    make_patent(status="rejected", province="山东", city="泰安", applicants=["泰安热泵有限公司"])
    late = make_patent(province="山东", city="泰安", applicants=["泰安电池公司"])
    Patent.objects.filter(pk=late.pk).update(created_at=timezone.now() + dt.timedelta(days=400))
    return world


SCOPES = [
    ("region", "3709", {}),
    ("region", "37", {}),
    ("chain", "GLC", {}),
    ("applicant", "山东大学", {}),
    ("rnd", "H01M", {}),
    ("chain", "all", {}),
    ("chain", "all", {"year_from": 2020, "year_to": 2022}),
]


def _recorded(snap: Snapshot, licensed: frozenset[str] = frozenset()) -> Snapshot:
    """The row snapshot with each row's platform-licence flag recorded (``freeze_rows`` leaves it
    unrecorded): ``licensed`` are the application numbers licensed on the platform — none in this
    world, which signs no contract."""
    rows = [r._replace(platform=r.number in licensed) for r in snap.rows]
    return Snapshot(meta=snap.meta, rows=rows, baseline=snap.baseline, labels=snap.labels)


def _both(kind: str, scope: str, years: dict[str, int]) -> tuple[AggregateSnapshot, AggregateSnapshot]:
    spec = resolve_scope(kind, scope)
    return freeze(spec, AS_OF, **years), aggregate_rows(_recorded(freeze_rows(spec, AS_OF, **years)))


@pytest.mark.parametrize(("kind", "scope", "years"), SCOPES)
def test_sql_aggregates_equal_the_row_reference(richer: World, kind: str, scope: str, years: Any) -> None:
    sql, reference = _both(kind, scope, years)
    a, b = sql.as_dict(), reference.as_dict()
    for key in b:
        assert a[key] == b[key], key
    assert sql.sha256() == reference.sha256()
    assert build_sections(sql) == build_sections(reference)


def test_hand_worked_counts_of_taian(richer: World) -> None:
    snap, _ = _both("region", "3709", {})
    # 7 world patents + the undated one, the one without applicant and the early-numbered one;
    # not the rejected or late one
    assert snap.total == 10 and snap.undated == 1
    assert snap.applicant_count == 2  # 泰安热泵有限公司, 泰安电池公司 (the blank one is no applicant)
    assert snap.key_patents["count"] == 3 and snap.key_patents["idle"] == 1
    assert snap.key_patents["graded"] == 4
    # high-value first (grade A 2018 before grade B 2021), then the grade-A 2019 one
    assert [r[3:5] for r in snap.key_patents["rows"]] == [["A", True], ["B", True], ["A", False]]
    assert [r[5] for r in snap.key_patents["rows"]] == [False, True, True]  # operated
    assert snap.operations == {
        "transfers": 1,
        "licences": 2,
        "pledges": 1,
        "open": 1,
        "operated": 3,
        "platform": 0,
    }
    # 王工 on p5 (once, though named twice), p6 and the undated patent; 张工 on p0–p4 and p5
    assert dict(map(tuple, snap.inventors)) == {"张工": 6, "王工": 3, "李工": 1}  # type: ignore[arg-type]
    # teams: 泰安热泵 — 张工 leads p0–p4 (its only inventor) and p5 (6 of its patents against
    # 王工's 2); the undated patent's only inventor is 王工; 泰安电池 — 王工 and 李工 tie at 1,
    # the first named leads
    assert sorted(map(tuple, snap.teams)) == sorted(  # type: ignore[arg-type]
        [("泰安热泵有限公司", "张工", 6), ("泰安热泵有限公司", "王工", 1), ("泰安电池公司", "王工", 1)]
    )
    applicants = {r[0]: r for r in snap.applicants}
    assert applicants["泰安热泵有限公司"][1:] == ["enterprise", 7, 2]  # p0–p5, the undated; p0, p2 high-value
    assert applicants["泰安电池公司"][1:] == ["individual", 2, 0]


def test_stored_aggregate_round_trips_and_old_row_versions_still_read(richer: World) -> None:
    spec = resolve_scope("region", "3709")
    snap = freeze(spec, AS_OF)
    back = load_snapshot(snap.compressed())
    assert isinstance(back, AggregateSnapshot) and back.sha256() == snap.sha256()
    assert build_sections(back) == build_sections(snap)
    rows = freeze_rows(spec, AS_OF)
    recorded = load_snapshot(_recorded(rows).compressed())
    assert isinstance(recorded, Snapshot) and build_sections(recorded) == build_sections(snap)
    # rows stored before platform licences were counted: the same sections but that row
    old = load_snapshot(rows.compressed())
    assert isinstance(old, Snapshot)
    before, now = build_sections(old), build_sections(snap)
    assert before["operations"]["rows"] == now["operations"]["rows"][:-1]
    assert now["operations"]["rows"][-1] == ["平台许可", 0]
    assert {k: v for k, v in before.items() if k not in ("operations", "findings")} == {
        k: v for k, v in now.items() if k not in ("operations", "findings")
    }
    # the same findings; the idle key patents' one names the ways the version counted
    assert [f["code"] for f in before["findings"]] == [f["code"] for f in now["findings"]]
    idle = {f["code"]: f["text"] for f in now["findings"]}["idle-key"]
    assert idle.endswith("尚无转让、许可、质押、开放许可或平台许可记录。")


def test_a_version_stored_as_rows_still_verifies(richer: World) -> None:
    """A version generated before the aggregate freeze holds rows: it still loads, recomputes to
    its stored sections, and a tampered number is still caught."""
    import json

    from patentbridge.navigation import services
    from web.navigation.test_services import generate

    report = generate(richer)
    assert services.verify(report)
    rows = freeze_rows(resolve_scope("region", "3709"), report.as_of)
    sections = json.loads(json.dumps(build_sections(rows), ensure_ascii=False))
    report.snapshot, report.snapshot_sha256 = rows.compressed(), rows.sha256()
    report.sections = {**sections, "meta": dict(rows.meta)}
    report.save()
    report.refresh_from_db()
    assert services.verify(report)
    # same numbers as the aggregate version it replaced
    assert sections["key_numbers"] == report.key_numbers
    report.sections = {**report.sections, "key_numbers": {**sections["key_numbers"], "patents": 1}}
    assert not services.verify(report)


@pytest.mark.parametrize("scope", ["37", "3709"])
def test_teams_beyond_the_first_round_are_read(
    richer: World, monkeypatch: pytest.MonkeyPatch, scope: str
) -> None:
    """With a first round of one applicant the second round (applicants named by a HAVING
    subquery) must find the other teams: the list equals the row reference's."""
    from patentbridge.navigation import aggregates

    monkeypatch.setattr(aggregates, "TEAM_FIRST_ROUND", 1)
    sql, reference = _both("region", scope, {})
    assert len(reference.teams) >= 3
    assert sql.teams == reference.teams
