"""Grading in the platform: grades after import, the CLI, overrides, facets, pages, back-test."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from patentbridge.core.models import AuditEvent
from patentbridge.grading.models import PatentGrade
from patentbridge.grading.services import grade_numbers, override_grade
from patentbridge.patents.models import Patent

from .conftest import demo_file, run_import
from .test_permissions import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(users, chains, tmp_path, django_capture_on_commit_callbacks):
    """Real records imported; the after-commit task grades them."""
    with django_capture_on_commit_callbacks(execute=True):
        run_import(users["operator"], demo_file(tmp_path, "hthp_patents.json.gz"))
        run_import(users["operator"], demo_file(tmp_path, "schema_sample_10.csv.gz"))
    return Patent.objects.count()


def test_imports_are_graded_after_commit(graded):
    """Every imported patent has a grade with all indicators, reasons and the policy version."""
    assert PatentGrade.objects.count() == graded
    grade = PatentGrade.objects.select_related("patent").first()
    assert grade.final == grade.grade and grade.policy_version == "PB-GRADE-2024.1"
    assert len(grade.detail["indicators"]) == 15 and all(i["reason"] for i in grade.detail["indicators"])
    assert {g for g in PatentGrade.objects.values_list("grade", flat=True)} <= {"A", "B", "C", "D"}
    assert AuditEvent.objects.filter(action="grading.grades.computed").exists()


def test_grade_command_json(graded):
    number = Patent.objects.order_by("pk").first().application_number
    out = StringIO()
    call_command("grade", number, "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["application_number"] for r in rows] == [number]
    row = rows[0]
    assert {"grade", "score", "policy_version", "high_value_flags", "indicators"} <= set(row)
    assert all({"key", "score", "reason"} <= set(i) for i in row["indicators"])
    with pytest.raises(CommandError, match="库中没有"):
        call_command("grade", "202399999999.5", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("grade", "not-a-number", stdout=StringIO())


def _owned_patent(users):
    patent = Patent.objects.order_by("pk").first()
    Patent.objects.filter(pk=patent.pk).update(owner_org=users["tto"].membership.org)
    patent.refresh_from_db()
    return patent


def test_override_needs_a_reason_the_right_role_and_is_audited(users, graded):
    patent = _owned_patent(users)
    computed = patent.grade.grade
    target = "A" if computed != "A" else "D"
    with pytest.raises(PermissionDenied):
        override_grade(actor=users["other_tto"], patent=patent, grade=target, reason="我校更看好")
    with pytest.raises(PermissionDenied):
        override_grade(actor=users["enterprise"], patent=patent, grade=target, reason="我们更看好")
    with pytest.raises(ValidationError):
        override_grade(actor=users["tto"], patent=patent, grade=target, reason=" ")
    with pytest.raises(ValidationError):
        override_grade(actor=users["tto"], patent=patent, grade="E", reason="理由充分的说明")
    row = override_grade(
        actor=users["tto"], patent=patent, grade=target, reason="已与企业达成意向，市场前景明确"
    )
    assert (row.final, row.grade, row.override) == (target, computed, target)
    event = AuditEvent.objects.get(action="grading.grade.overridden")
    assert event.data["before"]["final"] == computed and event.data["after"]["final"] == target
    assert event.data["computed"]["grade"] == computed
    grade_numbers([patent.application_number])  # recomputation keeps the person's decision
    assert PatentGrade.objects.get(pk=row.pk).final == target
    override_grade(actor=users["tto"], patent=patent, grade="", reason="")
    assert PatentGrade.objects.get(pk=row.pk).final == computed


def test_grade_facet_and_filter(users, graded):
    response = client_for(users["operator"]).get("/patents/")
    facet = {f["value"]: f["count"] for f in response.context["facets"]["grade"]}
    assert sum(facet.values()) == graded
    letter = max(facet, key=facet.get)
    filtered = client_for(users["operator"]).get("/patents/", {"grade": letter})
    assert filtered.context["page"].paginator.count == facet[letter]
    api = client_for(users["operator"]).get("/api/patents", {"grade": letter}).json()
    assert api["count"] == facet[letter]


def test_patent_page_shows_breakdown_policy_and_override(users, graded):
    patent = _owned_patent(users)
    override_grade(actor=users["tto"], patent=patent, grade="B", reason="学院评审会意见")
    page = client_for(users["tto"]).get(f"/patents/{patent.application_number}/").content.decode()
    assert 'data-testid="grade-breakdown"' in page and "PB-GRADE-2024.1" in page
    assert "学院评审会意见" in page and 'data-testid="override-save"' in page
    other = client_for(users["other_tto"]).get(f"/patents/{patent.application_number}/")
    assert other.status_code == 200  # a library patent: visible to every university
    assert 'data-testid="override-save"' not in other.content.decode()
    assert client_for(users["other_tto"]).post(
        f"/grading/patents/{patent.application_number}/override/", {"grade": "A", "reason": "越权调整尝试"}
    ).status_code in (403, 404)
    policy = client_for(users["enterprise"]).get("/grading/policy/").content.decode()
    assert "PB-GRADE-2024.1" in policy and "剩余保护期" in policy


def test_backtest_command_reports_and_admits_thin_data(graded):
    out = StringIO()
    call_command("backtest", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["patents"] == graded
    assert report["left_out_indicators"] == ["transactions"]
    assert report["with_outcome_data"] <= graded
    assert report["verdict"]


@pytest.mark.django_db(transaction=True)
def test_grades_are_computed_outside_the_write_transaction(monkeypatch):
    """The computation runs with no transaction open (SQLite's BEGIN IMMEDIATE would otherwise
    hold the write lock through it); only the write of each chunk is transactional, and an
    override set before the run stays the final grade."""
    from django.db import connection

    from patentbridge.grading import services

    from .factories import make_patent

    patents = [make_patent(title=f"一种测试装置{i}") for i in range(3)]
    grade_numbers([p.application_number for p in patents])
    PatentGrade.objects.filter(patent=patents[0]).update(override="A", final="A")
    seen: list[bool] = []
    real = services.grade_patent

    def spy(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "grade_patent", spy)
    assert grade_numbers([p.application_number for p in patents]) == 3
    assert seen == [False, False, False]
    assert PatentGrade.objects.get(patent=patents[0]).final == "A"
