"""Import views by role: the upload page, the template, a batch's page and its reject report.

Imports are for platform roles and universities' TTO staff (each university its own batches);
inventors, enterprises and viewers get a 403 everywhere. Each batch's creation, start and end are
audited with the actor, the organisation and the counts; upload mistakes are Chinese form errors.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from patentbridge.core.models import AuditEvent
from patentbridge.ingest.models import ImportBatch
from patentbridge.patents.models import Patent

from .factories import import_rows, make_org, patent_row
from .matrix import ALL_ROLES, anonymous, client_for, queries

pytestmark = pytest.mark.django_db

IMPORTERS = ("admin", "operator", "tto", "college", "other_tto")
CSV = "application_number,title,applicants,filing_date\n{number},一种测试用装置,西安交通大学,2023-05-01\n"


def _csv_upload(name: str = "rows.csv", number: str | None = None) -> SimpleUploadedFile:
    number = number or patent_row()["application_number"]
    return SimpleUploadedFile(name, CSV.format(number=number).encode("utf-8"), content_type="text/csv")


@pytest.fixture
def batch(users, tmp_path):
    """The university's finished batch: two imported rows and one rejected."""
    return import_rows(users["tto"], [patent_row(), patent_row(), {"application_number": "坏号"}], tmp_path)


# --- pages by role -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/imports/", "/imports/template.xlsx"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_import_pages_by_role(users, role, url):
    """Platform roles and TTO staff (college reviewers included) reach the upload page and template."""
    assert client_for(users[role]).get(url).status_code == (200 if role in IMPORTERS else 403)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("operator", 200),
        ("tto", 200),
        ("college", 200),
        ("other_tto", 404),
        ("inventor", 403),
        ("enterprise", 403),
        ("viewer", 403),
    ],
)
@pytest.mark.parametrize("suffix", ["", "rejects.csv"])
def test_batch_page_and_report_by_role(users, batch, role, status, suffix):
    """A university's batch is its own and the platform's; another university gets a 404 (no hint),
    roles without imports a 403."""
    assert client_for(users[role]).get(f"/imports/{batch.pk}/{suffix}").status_code == status


def test_import_pages_send_anonymous_visitors_to_login(batch):
    client = anonymous()
    for url in (
        "/imports/",
        "/imports/template.xlsx",
        f"/imports/{batch.pk}/",
        f"/imports/{batch.pk}/rejects.csv",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_batch_list_shows_only_the_own_universitys_batches(users, tmp_path, batch):
    """The other university's list is empty; the operator's holds every batch."""
    mine = import_rows(users["other_tto"], [patent_row()], tmp_path)
    assert [b.pk for b in client_for(users["other_tto"]).get("/imports/").context["batches"]] == [mine.pk]
    assert {b.pk for b in client_for(users["operator"]).get("/imports/").context["batches"]} == {
        batch.pk,
        mine.pk,
    }


def test_reject_report_lists_the_rejected_row(users, batch):
    """The CSV report (UTF-8 with BOM) has the rejected row's number and a Chinese reason."""
    response = client_for(users["tto"]).get(f"/imports/{batch.pk}/rejects.csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "坏号" in text and len(text.strip().splitlines()) == 2


def test_missing_batch_is_a_404(users):
    assert client_for(users["operator"]).get("/imports/999999/").status_code == 404


# --- uploading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["inventor", "enterprise", "viewer"])
def test_upload_by_roles_without_imports_is_refused(users, role):
    """A crafted upload is a 403; no batch, no stored file, no audit event."""
    response = client_for(users[role]).post("/imports/", {"file": _csv_upload()})
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="ingest.").exists()


def test_tto_upload_goes_to_the_own_university_whatever_the_form_says(
    users, orgs, django_capture_on_commit_callbacks
):
    """The organisation field is the operators'; a TTO's batch always belongs to its own university,
    starts the review chain, and is audited as created, started and completed."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(users["tto"]).post(
            "/imports/", {"file": _csv_upload(), "org": orgs["other_uni"].pk}
        )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{batch.pk}/"
    assert batch.org == orgs["uni"] and batch.initial_status == "pending_college"
    assert batch.status == "completed" and batch.imported == 1
    assert Patent.objects.get().owner_org == orgs["uni"]
    created = AuditEvent.objects.get(action="ingest.batch.created")
    assert created.actor == users["tto"] and created.org == orgs["uni"]
    assert created.data == {"file": "rows.csv", "format": "csv", "initial_status": "pending_college"}
    completed = AuditEvent.objects.get(action="ingest.batch.completed")
    assert (
        completed.org == orgs["uni"] and completed.data["imported"] == 1 and completed.data["rejected"] == 0
    )
    assert AuditEvent.objects.filter(action="ingest.batch.started", target_id=str(batch.pk)).count() == 1


@pytest.mark.parametrize("role", ["admin", "operator"])
def test_platform_upload_chooses_the_university_and_the_library(
    users, orgs, role, django_capture_on_commit_callbacks
):
    """Operators name the owning university; their rows go straight into the library."""
    with django_capture_on_commit_callbacks(execute=True):
        client_for(users[role]).post("/imports/", {"file": _csv_upload(), "org": orgs["uni"].pk})
    batch = ImportBatch.objects.get()
    assert batch.org == orgs["uni"] and batch.initial_status == "in_library"
    patent = Patent.objects.get()
    assert patent.owner_org == orgs["uni"] and patent.library_status == "in_library"
    assert AuditEvent.objects.get(action="ingest.batch.created").actor == users[role]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "这个字段是必填项"),
        ({"file": SimpleUploadedFile("notes.doc", b"x")}, "无法识别的文件类型"),
        (
            {"file": "CSV", "mapping": SimpleUploadedFile("map.json", b"{not json")},
            "映射文件不是有效的 JSON",
        ),
        (
            {"file": "CSV", "mapping": SimpleUploadedFile("map.json", json.dumps(["申请号"]).encode())},
            "映射文件应为 JSON 对象",
        ),
        ({"file": "CSV", "initial_status": "in_library"}, "无权以该入库状态导入"),
        ({"file": "CSV", "initial_status": "approved"}, "选择一个有效的选项"),
        ({"file": "CSV", "format": "pdf"}, "选择一个有效的选项"),
    ],
)
def test_upload_mistakes_are_chinese_form_errors(users, data, message):
    """Each mistake is shown on the form (200); no batch is created and nothing is audited."""
    data = {k: (_csv_upload() if v == "CSV" else v) for k, v in data.items()}
    response = client_for(users["tto"]).post("/imports/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not AuditEvent.objects.filter(action="ingest.batch.created").exists()


def test_operator_cannot_give_a_batch_to_an_enterprise(users, orgs):
    """Stock patents are inventoried for universities: an enterprise is not a valid owner."""
    response = client_for(users["operator"]).post(
        "/imports/", {"file": _csv_upload(), "org": orgs["company"].pk}
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not ImportBatch.objects.exists()


# --- query counts ----------------------------------------------------------------------------------


def test_batch_list_queries_do_not_grow_with_batches(users, tmp_path):
    """Each batch's organisation and creator come with the list, not one query per row."""
    client = client_for(users["operator"])
    import_rows(users["tto"], [patent_row()], tmp_path)
    few = queries(client, "/imports/")
    for n in range(5):
        actor = users["other_tto"] if n % 2 else users["operator"]
        import_rows(actor, [patent_row()], tmp_path, org=make_org() if actor == users["operator"] else None)
    assert ImportBatch.objects.count() == 6
    assert queries(client, "/imports/") == few


def test_batch_page_queries_do_not_grow_with_issues(users, tmp_path):
    """A batch with one rejected row or twenty: the page is the same number of queries."""
    client = client_for(users["tto"])
    small = import_rows(users["tto"], [{"application_number": "坏号", "title": "x"}], tmp_path)
    large = import_rows(
        users["tto"], [{"application_number": f"坏号{n}", "title": "x"} for n in range(20)], tmp_path
    )
    assert (small.rejected, large.rejected) == (1, 20)
    assert queries(client, f"/imports/{small.pk}/") == queries(client, f"/imports/{large.pk}/")
