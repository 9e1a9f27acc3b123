"""Import service: accounting, reject report, idempotent re-import, GBK, resume, attribution."""

from __future__ import annotations

import csv
import io

import pytest

from patentbridge.core.models import AuditEvent
from patentbridge.ingest.models import ImportBatch
from patentbridge.ingest.reports import REPORT_HEADER, reject_report_csv
from patentbridge.ingest.services import run_batch
from patentbridge.patents.models import Party, Patent, PatentClass

from .conftest import demo_file, run_import

pytestmark = pytest.mark.django_db


def _accounted(batch: ImportBatch) -> bool:
    return batch.imported + batch.updated + batch.unchanged + batch.rejected == batch.rows_read


def test_real_patsnap_export_imports_and_merges_a_b_pairs(users, chains, tmp_path):
    """127 publications of 122 applications: 122 new patents, 5 merged, nothing lost."""
    batch = run_import(users["operator"], demo_file(tmp_path, "hthp_patents.json.gz"))
    assert batch.status == ImportBatch.Status.COMPLETED
    assert (batch.rows_read, batch.imported, batch.updated, batch.rejected) == (127, 122, 5, 0)
    assert _accounted(batch)
    assert Patent.objects.count() == 122
    merged = Patent.objects.get(publication_number="CN118111132B")  # its A publication is in the file too
    assert merged.grant_number == "CN118111132B" and merged.legal_status == "granted"
    assert PatentClass.objects.filter(scheme="chain", code="GLC").count() > 50
    assert Party.objects.filter(name="西安交通大学", kind="university").exists()


def test_reimporting_the_same_file_changes_nothing(users, chains, tmp_path):
    """The second run reports every row unchanged and writes no patent audit events."""
    path = demo_file(tmp_path, "hthp_patents.json.gz")
    run_import(users["operator"], path)
    stamps = dict(Patent.objects.values_list("application_number", "updated_at"))
    events = AuditEvent.objects.filter(action__startswith="patents.").count()
    second = run_import(users["operator"], path)
    assert (second.rows_read, second.imported, second.updated, second.unchanged) == (127, 0, 0, 127)
    assert dict(Patent.objects.values_list("application_number", "updated_at")) == stamps
    assert AuditEvent.objects.filter(action__startswith="patents.").count() == events


def test_reject_report_lists_row_field_value_and_reason(users, tmp_path):
    """Bad rows land in the report with their row numbers; counts add up to rows read."""
    path = tmp_path / "mixed.csv"
    path.write_text(
        "申请号,专利名称,申请日,IPC分类号\n"
        "202310123456.6,一种电池,2023-05-01,H01M10/0525\n"
        "202310123456.5,校验位错误,2023-05-01,\n"
        "202320123456.1,日期错误,2023-02-30,\n"
        "202330123456.7,带坏IPC的外观,2023-01-01,H01M10/0525;坏\n",
        encoding="utf-8",
    )
    batch = run_import(users["operator"], path)
    assert (batch.rows_read, batch.imported, batch.rejected, batch.warnings) == (4, 2, 2, 1)
    rows = list(csv.reader(io.StringIO(reject_report_csv(batch).decode("utf-8-sig"))))
    assert tuple(rows[0]) == REPORT_HEADER
    body = {(r[0], r[2], r[3]) for r in rows[1:]}
    assert ("3", "拒绝", "application_number") in body
    assert ("4", "拒绝", "filing_date") in body
    assert ("5", "警告", "ipc") in body
    reason = next(r[6] for r in rows[1:] if r[0] == "3")
    assert "校验位" in reason


def test_gbk_csv_imports_with_chinese_intact(users, tmp_path):
    """A GBK export (as Excel on Chinese Windows saves it) reads correctly."""
    text = demo_file(tmp_path, "schema_sample_10.csv.gz").read_text(encoding="utf-8")
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    batch = run_import(users["operator"], path)
    assert (batch.rows_read, batch.imported, batch.rejected) == (10, 10, 0)
    patent = Patent.objects.get(application_number="202223220665.2")
    assert patent.title == "一种无人机机载多功能盒" and patent.province == "河南"
    assert patent.patent_type == "utility_model" and patent.legal_status == "granted"


def test_interrupted_batch_resumes_without_duplicates(users, tmp_path, monkeypatch):
    """A run that dies after its first committed chunk resumes from last_row; totals are exact."""
    import patentbridge.ingest.services as services

    path = demo_file(tmp_path, "hthp_patents.json.gz")
    from patentbridge.ingest.services import create_batch

    batch = create_batch(actor=users["operator"], source=path, original_name=path.name)
    original = services._apply_chunk
    calls = {"n": 0}

    def dying_apply(batch_obj, chunk, actor):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("simulated crash")
        return original(batch_obj, chunk, actor)

    monkeypatch.setattr(services, "_apply_chunk", dying_apply)
    crashed = run_batch(batch.pk, chunk_size=50)
    assert crashed.status == ImportBatch.Status.FAILED and crashed.rows_read == 50 and _accounted(crashed)
    monkeypatch.setattr(services, "_apply_chunk", original)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING
    )  # what a kill leaves behind
    resumed = run_batch(batch.pk, chunk_size=50)
    assert resumed.status == ImportBatch.Status.COMPLETED
    assert resumed.rows_read == 127 and _accounted(resumed)
    assert Patent.objects.count() == 122


def test_cnipa_xml_directory_merges_application_parts(users, tmp_path):
    """18 application-body files of 5 applications make 4 patents with claims and abstracts; the fifth
    application sent only its claims (no title anywhere), so it is rejected instead of going in untitled."""
    batch = run_import(
        users["tto"], demo_file(tmp_path, "cnipa_application"), initial_status="pending_college"
    )
    assert batch.rows_read == 18 and batch.imported == 4 and batch.rejected == 1 and _accounted(batch)
    untitled = batch.issues.get(severity="error")
    assert untitled.field == "title" and "2015110360686" in untitled.label
    patent = Patent.objects.get(application_number="201810392222.0")
    assert patent.claims and patent.abstract and patent.title == "一种血液灌流器的密封检测装置"
    assert patent.library_status == "pending_college" and patent.owner_org == users["tto"].membership.org
    # No IPC in an application body: suggestions stand in for it.
    assert PatentClass.objects.filter(patent=patent, scheme="ipc_suggested").count() == 3


def test_platform_import_attributes_patents_to_member_universities(users, orgs, tmp_path):
    """A province-wide file assigns each new patent to the member organisation of its first applicant."""
    run_import(users["operator"], demo_file(tmp_path, "hthp_patents.json.gz"))
    owned = Patent.objects.filter(owner_org=orgs["uni"])
    assert owned.exists()
    assert all(p.applicants[0] == "西安交通大学" for p in owned)


def test_unreadable_file_fails_the_batch_with_a_reason(users, tmp_path):
    """A file without an application-number column fails as a whole and says why."""
    path = tmp_path / "nokey.csv"
    path.write_text("名称\n一种电池\n", encoding="utf-8")
    batch = run_import(users["operator"], path)
    assert batch.status == ImportBatch.Status.FAILED and "申请号" in batch.error
    assert AuditEvent.objects.filter(action="ingest.batch.failed", target_id=str(batch.pk)).exists()


def test_batch_lifecycle_is_audited(users, tmp_path):
    """Created, started and completed events carry the counts."""
    batch = run_import(users["operator"], demo_file(tmp_path, "schema_sample_10.csv.gz"))
    actions = list(
        AuditEvent.objects.filter(target_id=str(batch.pk), target_type="ingest.importbatch")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["ingest.batch.created", "ingest.batch.started", "ingest.batch.completed"]
    completed = AuditEvent.objects.get(action="ingest.batch.completed", target_id=str(batch.pk))
    assert completed.data["imported"] == 10 and completed.actor == users["operator"]
    assert AuditEvent.objects.filter(action="patents.patent.imported").count() == 10


def test_updated_patent_audit_holds_before_and_after(users, tmp_path):
    """A corrected row updates the record and the audit event shows what changed."""
    first = tmp_path / "v1.csv"
    first.write_text("申请号,专利名称\n202310123456.6,旧名称\n", encoding="utf-8")
    second = tmp_path / "v2.csv"
    second.write_text("申请号,专利名称\n202310123456.6,新名称\n", encoding="utf-8")
    run_import(users["operator"], first)
    batch = run_import(users["operator"], second)
    assert batch.updated == 1
    event = AuditEvent.objects.get(action="patents.patent.updated")
    assert event.data["before"]["title"] == "旧名称" and event.data["after"]["title"] == "新名称"


def test_university_staff_cannot_import_into_the_library_directly(users, tmp_path):
    """TTO imports start the approval chain; choosing in_library is refused."""
    from django.core.exceptions import PermissionDenied

    from patentbridge.ingest.services import create_batch

    path = demo_file(tmp_path, "schema_sample_10.csv.gz")
    with pytest.raises(PermissionDenied):
        create_batch(actor=users["tto"], source=path, original_name=path.name, initial_status="in_library")
    for role in ("inventor", "enterprise", "viewer"):
        with pytest.raises(PermissionDenied):
            create_batch(actor=users[role], source=path, original_name=path.name)


def test_an_unknown_status_is_reported_as_invalid_not_as_forbidden(users, tmp_path):
    """`--status approved` is a wrong value (named with the allowed ones), not a permission problem."""
    from django.core.exceptions import ValidationError

    from patentbridge.ingest.services import create_batch

    path = demo_file(tmp_path, "schema_sample_10.csv.gz")
    with pytest.raises(ValidationError, match=r"无效的入库状态：'approved'.*in_library"):
        create_batch(actor=users["operator"], source=path, original_name=path.name, initial_status="approved")
