"""Navigation services on the hand-built world: sections with known answers, reproducibility,
the publish rule, refresh with a diff, audit events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from patentbridge.core.models import AuditEvent
from patentbridge.navigation import services
from patentbridge.navigation.models import NavigationProject, NavigationReport
from patentbridge_engine.navigation import diff_key_numbers, load_snapshot
from web.factories import make_patent
from web.navigation.world import World

pytestmark = pytest.mark.django_db
AS_OF = None  # today: the world is recorded today, and the library counts what was recorded by then


def request(actor: Any, project: NavigationProject, as_of: dt.date | None = AS_OF) -> NavigationReport:
    """Request a version and run the commit hooks (the test transaction never commits), so the
    background task runs inline as it does after a real commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = services.request_report(actor, project, as_of=as_of)
    report.refresh_from_db()
    return report


def generate(world: World, **data: str) -> NavigationReport:
    project = services.create_project(world.operator, {"kind": "region", "scope": "3709", **data})
    return request(world.operator, project)


def test_region_report_sections(world: World) -> None:
    report = generate(world)
    report.refresh_from_db()
    assert report.state == "draft" and report.progress == 100
    assert report.row_count == 7
    s = report.sections
    # 7 泰安 patents of 13; F25B: 6 of 8, H01M: 1 of 4, A01C: 0 of 1
    pos = {r[0]: r for r in s["positioning"]["rows"]}
    assert pos["F25B"][2:4] == [6, 8]
    assert pos["F25B"][5] == round((6 / 7) / (8 / 13), 3)
    assert pos["H01M"][5] == round((1 / 7) / (4 / 13), 3)
    # H01M (RTA 0.464) is a gap; A01C holds 1/13 ≥ 2 % of the library, RTA 0 → also a gap
    assert [g[0] for g in s["gaps"]["rows"]] == ["H01M", "A01C"]
    assert s["collaboration"]["rows"][0][:4] == ["山东大学", "H01M", s["gaps"]["rows"][0][1], 3]
    assert s["applicants"]["rows"][0][:3] == ["泰安热泵有限公司", "企业", 6]
    assert s["geography"]["rows"] == [["泰安市", "3709", 7, 1.0]]
    chains = {r[1]: r[2] for r in s["technology"]["chains"]}
    assert chains.get("GLC") == 6
    assert s["meta"]["title"] == "泰安市"
    assert report.findings.filter(automatic=True).count() >= 3
    assert AuditEvent.objects.filter(action="navigation.report.generated", target_id=str(report.pk)).exists()


def test_snapshot_reproduces_the_report(world: World) -> None:
    report = generate(world)
    report.refresh_from_db()
    assert services.verify(report)
    snap = load_snapshot(bytes(report.snapshot))
    assert snap.sha256() == report.snapshot_sha256
    # The library changes afterwards; the stored version still reproduces from its snapshot.
    make_patent(province="山东", city="泰安", filing_date=dt.date(2022, 1, 1))
    assert services.verify(report)
    report.sections = {**report.sections, "key_numbers": {**report.key_numbers, "patents": 99}}
    assert not services.verify(report)


def test_same_library_same_hash(world: World) -> None:
    a = generate(world)
    a.refresh_from_db()
    services.publish(world.operator, a)
    b = request(world.operator, a.project)
    b.refresh_from_db()
    assert b.version == 2 and b.previous_id == a.pk
    assert b.snapshot_sha256 == a.snapshot_sha256


def test_refresh_diff_of_key_numbers(world: World) -> None:
    a = generate(world)
    a.refresh_from_db()
    make_patent(
        province="山东",
        city="泰安",
        filing_date=dt.date(2023, 1, 1),
        applicants=["新公司"],
        legal_status="granted",
    )
    b = request(world.operator, a.project)
    b.refresh_from_db()
    rows = {r["key"]: r for r in diff_key_numbers(a.key_numbers, b.key_numbers)}
    assert rows["patents"]["before"] == 7 and rows["patents"]["after"] == 8 and rows["patents"]["change"] == 1
    assert rows["valid"]["change"] == 1 and rows["applicants"]["change"] == 1
    # The old version is untouched.
    a.refresh_from_db()
    assert a.row_count == 7


def test_publish_needs_a_finding_with_an_action(world: World) -> None:
    report = generate(world)
    report.refresh_from_db()
    for f in list(report.findings.all()):
        services.delete_finding(world.operator, f)
    services.add_finding(world.operator, report, {"text": "只有结论，没有对策"})
    with pytest.raises(ValidationError, match="对策"):
        services.publish(world.operator, report)
    with pytest.raises(ValidationError, match="同时填写"):
        services.add_finding(world.operator, report, {"text": "x", "action_kind": "push"})
    services.add_finding(
        world.operator,
        report,
        {"text": "电池分支薄弱", "action_kind": "collaborate", "action": "对接山东大学"},
    )
    services.publish(world.operator, report)
    report.refresh_from_db()
    assert report.state == "published"
    with pytest.raises(ValidationError, match="已发布"):
        services.add_finding(
            world.operator, report, {"text": "晚了", "action_kind": "push", "action": "推送"}
        )
    actions = set(AuditEvent.objects.filter(target_id=str(report.pk)).values_list("action", flat=True))
    assert {
        "navigation.finding.added",
        "navigation.finding.deleted",
        "navigation.report.published",
    } <= actions


def test_bad_scopes_are_chinese_errors(world: World) -> None:
    cases = [
        ({"kind": "region", "scope": "99"}, "地区代码无效"),
        ({"kind": "chain", "scope": "NOPE"}, "未找到产业链"),
        ({"kind": "applicant", "scope": "不存在的公司"}, "没有该申请人"),
        ({"kind": "rnd", "scope": "Z99"}, "IPC"),
        ({"kind": "bogus", "scope": "all"}, "导航类型"),
        ({"kind": "region", "scope": "3709", "year_from": "2030"}, "年份"),
        ({"kind": "region", "scope": "3709", "year_from": "2022", "year_to": "2020"}, "早于"),
    ]
    for data, message in cases:
        with pytest.raises(ValidationError, match=message):
            services.create_project(world.operator, data)


def test_county_scope_is_narrowed_to_its_city_with_a_note(world: World) -> None:
    report = generate(world, scope="370902")
    report.refresh_from_db()
    assert report.row_count == 7
    assert "县级" in report.sections["meta"]["notes"][0]


def test_roles(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.create_project(world.ent_user, {"kind": "region", "scope": "3709"})
    with pytest.raises(PermissionDenied):
        services.create_project(world.tto, {"kind": "region", "scope": "3709"})
    own = services.create_project(world.tto, {"kind": "applicant", "scope": "山东大学"})
    report = request(world.tto, own)
    report.refresh_from_db()
    assert report.row_count == 5
    other = services.create_project(world.operator, {"kind": "chain", "scope": "GLC"})
    with pytest.raises(PermissionDenied):
        services.request_report(world.tto, other)


def test_failed_generation_keeps_a_chinese_reason(world: World) -> None:
    from patentbridge.patents.models import IndustryChain

    project = services.create_project(world.operator, {"kind": "chain", "scope": "AGRI"})
    IndustryChain.objects.filter(code="AGRI").delete()
    report = request(world.operator, project)
    report.refresh_from_db()
    assert report.state == "failed" and "未找到产业链" in report.error
