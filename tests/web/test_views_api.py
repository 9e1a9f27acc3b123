"""Library list, facets, export, patent page, upload with progress, and the REST API."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from patentbridge.accounts.models import ApiToken
from patentbridge.ingest.models import ImportBatch

from .conftest import demo_file, run_import
from .test_permissions import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(users, chains, tmp_path):
    run_import(users["operator"], demo_file(tmp_path, "hthp_patents.json.gz"))
    run_import(users["operator"], demo_file(tmp_path, "schema_sample_10.csv.gz"))


def test_list_facets_filter_and_page(users, library):
    """Facet counts reflect the filtered set; a facet filter narrows the list."""
    client = client_for(users["enterprise"])
    page = client.get("/patents/").content.decode()
    assert '共 <b data-testid="result-count">132</b> 件' in page
    narrowed = client.get("/patents/?patent_type=utility_model").content.decode()
    assert 'data-testid="result-count">30</b>' in narrowed
    henan = client.get("/patents/?province=河南").context["page"]
    assert henan.paginator.count >= 10 and all(p.province == "河南" for p in henan)
    assert client.get("/patents/?page=2").context["page"].number == 2


def test_keyword_search_covers_title_applicant_and_number(users, library):
    """Keyword search finds by title words, applicant name and number."""
    client = client_for(users["viewer"])
    assert client.get("/patents/?q=无人机").context["page"].paginator.count >= 4
    assert client.get("/patents/?q=西安交通大学").context["page"].paginator.count == 6  # 7 publications
    assert client.get("/patents/?q=201910834751").context["page"].paginator.count == 1


def test_htmx_request_gets_only_the_results_partial(users, library):
    """HTMX swaps the results block; a full page request renders the layout."""
    client = client_for(users["viewer"])
    partial = client.get("/patents/?chain=GLC", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "patent-table" in partial


@pytest.mark.parametrize("path", ["/patents/", "/api/patents"])
def test_list_query_count_does_not_grow_with_page_size(users, library, monkeypatch, path):
    """The list page and the API are a fixed number of queries whatever the page size: showing 2 rows
    or 100 rows costs the same (a per-row query, an N+1, would make the second larger), and at most 30."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from patentbridge.patents import views as patent_views

    client = client_for(users["viewer"])
    client.get(path)  # count and facets are cached per view scope: compare warm requests only
    queries = {}
    for size in (2, 100):
        if path == "/patents/":
            monkeypatch.setattr(patent_views, "PAGE_SIZE", size)
            url = path
        else:
            url = f"{path}?page_size={size}"
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        shown = response.context["page"].object_list if path == "/patents/" else response.json()["results"]
        assert len(shown) == size  # the page size really changed what was rendered
        queries[size] = len(captured)
    assert queries[2] == queries[100], queries
    assert queries[100] <= 30


def test_csv_and_xlsx_export_of_a_filtered_list(users, library):
    """Exports contain exactly the filtered rows, with Chinese headers."""
    client = client_for(users["enterprise"])
    response = client.get("/patents/export/?province=河南&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = client.get("/patents/?province=河南").context["page"].paginator.count
    assert rows[0][0] == "申请号" and len(rows) == expected + 1
    assert {r[15] for r in rows[1:]} == {"河南"}
    xlsx = client.get("/patents/export/?patent_type=utility_model&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 31 and sheet.cell(1, 4).value == "专利名称"


def test_patent_page_shows_fields_reasons_provenance_history(users, library):
    """The patent page carries classifications with reasons, the import batch and the audit trail."""
    page = client_for(users["viewer"]).get("/patents/201910834751.6/").content.decode()
    assert "一种多级蒸发冷凝机械过冷跨临界CO2中高温热泵系统" in page
    assert "属于产业链配置" in page and "2039-09-04" in page
    assert "导入批次" in page and "patents.patent.imported" in page


def test_upload_runs_in_the_background_and_reports_progress(
    users, tmp_path, django_capture_on_commit_callbacks
):
    """Upload → batch page; the progress partial shows final counts and the report link."""
    client = client_for(users["tto"])
    content = demo_file(tmp_path, "schema_sample_10.csv.gz").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/imports/", {"file": SimpleUploadedFile("sample.csv", content)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{batch.pk}/"
    assert batch.status == "completed" and batch.imported == 10 and batch.initial_status == "pending_college"
    partial = client.get(f"/imports/{batch.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="completed"' in partial and "下载拒绝报告" in partial
    assert client.get(f"/imports/{batch.pk}/rejects.csv").status_code == 200


def test_upload_with_unknown_extension_shows_an_error(users):
    """A file type we cannot read is refused on the form, with no batch created."""
    client = client_for(users["tto"])
    response = client.post("/imports/", {"file": SimpleUploadedFile("notes.doc", b"x")})
    assert response.status_code == 200 and "无法识别的文件类型" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_api_list_uses_the_same_filters_as_the_page(users, library):
    """/api/patents?… returns the same count as /patents/?…, with facets."""
    client = client_for(users["viewer"])
    for query in ("patent_type=utility_model", "chain=GLC", "q=热泵&province=山东", "filing_year=2021"):
        page_count = client.get(f"/patents/?{query}").context["page"].paginator.count
        api = client.get(f"/api/patents?{query}").json()
        assert api["count"] == page_count, query
    data = client.get("/api/patents?page_size=5").json()
    assert len(data["results"]) == 5 and "chain" in data["facets"]


def test_api_patent_detail_includes_classes_and_provenance(users, library):
    """The record endpoint returns every field and the classes with reasons."""
    data = client_for(users["viewer"]).get("/api/patents/201910834751.6").json()
    assert data["title"].startswith("一种多级蒸发") and data["source_row"] == 1
    assert any(c["scheme"] == "chain" and "热泵" in c["reason"] for c in data["classes"])


def test_api_token_authentication(users, library):
    """A bearer token acts as its user; a wrong token is 401."""
    from django.test import Client

    key = ApiToken.new_key()
    ApiToken.objects.create(user=users["tto"], name="ci", key_hash=ApiToken.hash_key(key))
    client = Client()
    assert client.get("/api/patents", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get("/api/imports", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get("/api/patents", HTTP_AUTHORIZATION="Bearer pb_wrong").status_code == 401
    enterprise_key = ApiToken.new_key()
    ApiToken.objects.create(user=users["enterprise"], name="e", key_hash=ApiToken.hash_key(enterprise_key))
    assert client.get("/api/imports", HTTP_AUTHORIZATION=f"Bearer {enterprise_key}").status_code == 403


def test_api_import_progress_and_issues(users, tmp_path):
    """Batches expose progress counters and the rejected rows."""
    path = tmp_path / "bad.csv"
    path.write_text("申请号,专利名称\n202310123456.6,好\nbad,坏\n", encoding="utf-8")
    batch = run_import(users["operator"], path)
    client = client_for(users["operator"])
    data = client.get(f"/api/imports/{batch.pk}").json()
    assert (data["rows_read"], data["imported"], data["rejected"], data["percent"]) == (2, 1, 1, 100)
    issues = client.get(f"/api/imports/{batch.pk}/issues").json()
    assert issues[0]["row_number"] == 3 and issues[0]["field"] == "application_number"


def test_openapi_docs_are_served(users):
    """The OpenAPI schema and docs page are available."""
    client = client_for(users["viewer"])
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/patents" in schema["paths"] and "/api/imports/{batch_id}" in schema["paths"]


def test_login_and_logout_are_audited(users):
    """Signing in and out writes audit events."""
    from patentbridge.core.models import AuditEvent

    client = client_for(users["viewer"])
    client.post("/accounts/logout/")
    actions = list(AuditEvent.objects.filter(actor=users["viewer"]).values_list("action", flat=True))
    assert "accounts.user.logged_in" in actions and "accounts.user.logged_out" in actions


def test_audit_events_are_append_only(users):
    """The application cannot edit or delete an audit event."""
    from django.db import transaction

    from patentbridge.core import audit

    with transaction.atomic():
        event = audit.record("test.thing.done", actor=users["operator"])
    event.action = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_request_id_groups_one_requests_events(users):
    """Events written while serving one request share its id, echoed in the response header."""
    from patentbridge.core.models import AuditEvent

    client = client_for(users["inventor"])
    response = client.post(
        "/patents/new/", {"application_number": "202310123456.6", "title": "一种电池", "submit": "1"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="patents.patent.created")
    assert event.request_id and event.request_id == response["X-Request-ID"]
