"""Licences signed on the platform in the navigation report's operations (平台许可): the patents
of the scope in a licence contract signed on or before the as-of day, counted once each, in
"operated" and in the key patents' idle count and flags; read live (the cube is not involved);
a refreshed version of an unchanged library keeps its sha256.

The world: 泰安 (3709) holds p0–p6, 济南 p7–p12. As of ``AS_OF`` (patents recorded before it):

- contract A, signed 30 days before, on p0 and p1 (p1 left its scope 10 days before ``AS_OF``,
  after the signing: still licensed) and p4 (whose scope row ended before the signing: never
  licensed under it);
- contract B, signed 10 days after ``AS_OF``, on p2;
- contract C, a draft (never signed), on p3;
- contract D, signed 30 days before, on p7 (济南, outside the scope).

p1 also carries a licence counter and an open-licence declaration: one operated patent. Key
patents: p0 (A, high value), p2 (A) and p5 (B, high value); only p0 is licensed on the platform.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import TestCase
from django.utils import timezone

from patentbridge.grading.models import PatentGrade
from patentbridge.licensing.models import ContractPatent, LicenceContract, OpenLicenceDeclaration
from patentbridge.navigation import services
from patentbridge.navigation.aggregates import platform_licensed_ids
from patentbridge.navigation.freeze import freeze, freeze_rows, resolve_scope
from patentbridge.patents.models import Patent
from patentbridge_engine.navigation import Snapshot, aggregate_rows, build_sections, load_snapshot
from web.licensing.factories import fee_free
from web.navigation.world import World

pytestmark = pytest.mark.django_db

AS_OF = timezone.localdate() - dt.timedelta(days=100)
SIGNED = AS_OF - dt.timedelta(days=30)
_serial = iter(range(1, 100))


def _contract(world: World, patents: list[Any], signed: dt.date | None, state: str) -> LicenceContract:
    contract = LicenceContract.objects.create(
        contract_no=f"NAV-PL-{next(_serial):03d}",
        licensor_org=world.uni,
        licensee_org=world.ent,
        kind="ordinary",
        origin="negotiated",
        start_date=signed or AS_OF,
        end_date=AS_OF + dt.timedelta(days=700),
        state=state,
        signed_at=signed,
        created_by=world.operator,
    )
    for p in patents:
        ContractPatent.objects.create(licencecontract=contract, patent=p)
    return contract


def _grade(patent: Any, final: str, high_value: bool = False) -> None:
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
def licensed(world: World) -> World:
    p = world.patents
    # recorded long before the as-of day, so the library of AS_OF holds them
    Patent.objects.update(created_at=timezone.now() - dt.timedelta(days=400))
    a = _contract(world, [p[0], p[1], p[4]], SIGNED, "active_paid")
    ContractPatent.objects.filter(licencecontract=a, patent=p[1]).update(
        ended_on=AS_OF - dt.timedelta(days=10), end_reason="专利权终止"
    )
    ContractPatent.objects.filter(licencecontract=a, patent=p[4]).update(
        ended_on=SIGNED - dt.timedelta(days=1), end_reason="专利权终止"
    )
    _contract(world, [p[2]], AS_OF + dt.timedelta(days=10), "active_paid")
    _contract(world, [p[3]], None, "draft")
    _contract(world, [p[7]], SIGNED, "active_paid")
    Patent.objects.filter(pk=p[1].pk).update(license_count=1)
    OpenLicenceDeclaration.objects.create(
        patent=p[1],
        declarant_org=world.ent,
        term_kind="until_patent_expiry",
        created_by=world.operator,
        state="published",
        published_at=SIGNED,
        fee_schedule=fee_free(),
    )
    _grade(p[0], "A", high_value=True)
    _grade(p[2], "A")
    _grade(p[5], "B", high_value=True)
    return world


def _numbers(world: World, *idx: int) -> frozenset[str]:
    return frozenset(world.patents[i].application_number for i in idx)


def test_licensed_ids_follow_the_signing_day_and_the_scope_rows(licensed: World) -> None:
    p = licensed.patents
    assert platform_licensed_ids(AS_OF) == {p[0].pk, p[1].pk, p[7].pk}
    # contract B counts from its signing day on; the draft never
    assert platform_licensed_ids(AS_OF + dt.timedelta(days=10)) == {p[0].pk, p[1].pk, p[2].pk, p[7].pk}
    assert platform_licensed_ids(SIGNED - dt.timedelta(days=1)) == set()


def test_report_counts_exactly_the_scope_patents_licensed_on_the_platform(licensed: World) -> None:
    snap = freeze(resolve_scope("region", "3709"), AS_OF)
    ops = snap.operations
    # p0 and p1 (not p2: signed later; not p3: draft; not p4: left before signing; not p7: 济南)
    assert ops["platform"] == 2
    assert ops["open"] == 1 and ops["licences"] == 1
    assert ops["operated"] == 2  # p1 licensed three ways, counted once
    key = snap.key_patents
    assert key["count"] == 3 and key["idle"] == 2  # p2 and p5
    flags = {r[0]: r[5] for r in key["rows"]}
    assert flags == {
        p.application_number: p.pk == licensed.patents[0].pk
        for p in (licensed.patents[0], licensed.patents[2], licensed.patents[5])
    }
    sections = build_sections(snap)
    assert sections["operations"]["rows"][-1] == ["平台许可", 2]
    assert sections["key_numbers"]["operations"] == 0 + 1 + 0 + 1 + 2
    # 济南's report counts p7
    assert freeze(resolve_scope("region", "3701"), AS_OF).operations["platform"] == 1


def test_without_the_contracts_the_same_patents_are_idle(licensed: World) -> None:
    before = freeze(resolve_scope("region", "3709"), AS_OF)
    LicenceContract.objects.filter(signed_at=SIGNED).update(signed_at=None, state="draft")
    after = freeze(resolve_scope("region", "3709"), AS_OF)
    assert after.operations["platform"] == 0
    assert after.operations["operated"] == 1  # p1 still licensed by its counter
    assert after.key_patents["idle"] == before.key_patents["idle"] + 1  # p0
    assert [r[5] for r in after.key_patents["rows"]] == [False, False, False]


def test_sql_equals_the_row_reference_with_platform_flags(licensed: World) -> None:
    for kind, scope, licensed_numbers in (
        ("region", "3709", _numbers(licensed, 0, 1)),
        ("region", "37", _numbers(licensed, 0, 1, 7)),
        ("chain", "all", _numbers(licensed, 0, 1, 7)),
    ):
        spec = resolve_scope(kind, scope)
        rows = freeze_rows(spec, AS_OF)
        recorded = Snapshot(
            meta=rows.meta,
            rows=[r._replace(platform=r.number in licensed_numbers) for r in rows.rows],
            baseline=rows.baseline,
            labels=rows.labels,
        )
        sql, reference = freeze(spec, AS_OF), aggregate_rows(recorded)
        assert sql.as_dict() == reference.as_dict(), scope
        assert sql.sha256() == reference.sha256()
        # the recorded rows round-trip through their stored bytes
        back = load_snapshot(recorded.compressed())
        assert isinstance(back, Snapshot) and back.sha256() == recorded.sha256()


def test_cube_and_live_count_agree(licensed: World) -> None:
    from patentbridge.navigation.cube import reader, rebuild

    rebuild(AS_OF)
    spec = resolve_scope("region", "3709")
    assert reader(spec.cube, AS_OF) is not None  # the cube serves this scope
    assert freeze(spec, AS_OF).operations["platform"] == 2
    # a contract signed since the cube was built is still counted: it is read live
    LicenceContract.objects.filter(scope__patent=licensed.patents[3]).update(
        signed_at=AS_OF, state="active_paid"
    )
    assert reader(spec.cube, AS_OF) is not None
    assert freeze(spec, AS_OF).operations["platform"] == 3
    assert freeze(spec, AS_OF).sha256() == freeze(spec, AS_OF, use_cube=False).sha256()


def _request(world: World, project: Any) -> Any:
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = services.request_report(world.operator, project, as_of=AS_OF)
    report.refresh_from_db()
    return report


def test_frozen_version_is_reproducible_and_a_new_signing_shows_in_a_refresh(licensed: World) -> None:
    project = services.create_project(licensed.operator, {"kind": "region", "scope": "3709"})
    first = _request(licensed, project)
    assert first.state == "draft" and services.verify(first)
    snap = load_snapshot(bytes(first.snapshot))
    assert snap.sha256() == first.snapshot_sha256
    assert first.sections["operations"]["rows"][-1] == ["平台许可", 2]
    again = _request(licensed, project)
    assert again.snapshot_sha256 == first.snapshot_sha256  # nothing changed
    # a contract signed on the as-of day on p3 (a draft until now): the next refresh counts it
    LicenceContract.objects.filter(scope__patent=licensed.patents[3]).update(
        signed_at=AS_OF, state="active_paid"
    )
    later = _request(licensed, project)
    assert later.snapshot_sha256 != first.snapshot_sha256
    assert later.sections["operations"]["rows"][-1] == ["平台许可", 3]
    assert later.key_numbers["operations"] == first.key_numbers["operations"] + 1
    first.refresh_from_db()
    assert services.verify(first)  # the stored version is untouched
