"""Ownership on every write path: imports and the entry form change only what the writer may change.

Security finding: a university's TTO could rewrite another organisation's patents (pending ones and
operator-owned library ones) by importing a file, and the entry form told other universities whether
an unapproved number existed. See ``patentbridge/patents/ownership.py`` for the rule and the wording.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from patentbridge.core.models import AuditEvent
from patentbridge.ingest.models import ImportBatch, ImportIssue
from patentbridge.ingest.reports import reject_report_csv
from patentbridge.ingest.services import create_batch, run_batch
from patentbridge.patents import services
from patentbridge.patents.choices import LegalStatusChoices, LibraryStatusChoices
from patentbridge.patents.models import Patent
from patentbridge.patents.ownership import REFUSED_FORM, REFUSED_IMPORT

from .conftest import PASSWORD, make_user, run_import

pytestmark = pytest.mark.django_db

HEADER = "申请号,专利名称,申请人,申请日,IPC分类号,法律状态\n"
PENDING_B = "202310654321.2"  # 山东大学's patent, still waiting for college review
LIBRARY_OP = "202310111111.9"  # an operator-owned patent already in the library
OWN_A = "202310222222.7"  # 西安交通大学's own patent
NEW_A = "202310333333.5"  # a number nobody holds yet
# What a hostile (or careless) file says about other organisations' patents.
HOSTILE = "被改写的名称,西安交通大学,2023-05-01,G06F16/00,驳回"


def _form(number: str, title: str, applicant: str) -> dict[str, str]:
    return {
        "application_number": number,
        "title": title,
        "applicants": applicant,
        "filing_date": "2023-05-01",
        "ipc": "H01M10/0525",
        "legal_status": "实质审查",
    }


def _csv(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def _state(number: str) -> dict[str, Any]:
    """Everything an import could touch on one patent: its row, party links, classes and audit trail."""
    patent = Patent.objects.get(application_number=number)
    return {
        "row": Patent.objects.filter(pk=patent.pk).values().get(),
        "parties": sorted(patent.party_links.values_list("party__name", "role", "position")),
        "classes": sorted(patent.classes.values_list("scheme", "code")),
        "audit": list(
            AuditEvent.objects.filter(target_type="patents.patent", target_id=str(patent.pk))
            .order_by("id")
            .values_list("action", flat=True)
        ),
    }


def _accounted(batch: ImportBatch) -> bool:
    return batch.imported + batch.updated + batch.unchanged + batch.rejected == batch.rows_read


@pytest.fixture
def others(users: dict[str, Any], orgs: dict[str, Any], tmp_path: Path) -> dict[str, dict[str, Any]]:
    """Uni B's pending patent (form, submitted) and an operator-owned library patent (import)."""
    services.create_patent(
        actor=users["other_tto"], data=_form(PENDING_B, "山东大学的待审专利", "山东大学"), submit=True
    )
    library = _csv(
        tmp_path, "library.csv", f"{LIBRARY_OP},运营中心的入库专利,青岛某研究院,2023-05-01,H01M10/0525,授权"
    )
    batch = run_import(users["operator"], library, org=orgs["centre"])
    assert batch.imported == 1
    pending = Patent.objects.get(application_number=PENDING_B)
    in_library = Patent.objects.get(application_number=LIBRARY_OP)
    assert (pending.library_status, pending.owner_org) == ("pending_college", orgs["other_uni"])
    assert (in_library.library_status, in_library.owner_org) == ("in_library", orgs["centre"])
    return {PENDING_B: _state(PENDING_B), LIBRARY_OP: _state(LIBRARY_OP)}


@pytest.mark.parametrize("number", [PENDING_B, LIBRARY_OP])
def test_tto_import_cannot_rewrite_another_organisations_patent(users, others, tmp_path, number):
    """A TTO's row naming another organisation's patent (pending or in the library) is rejected:
    title, applicants, legal status, parties, classes and audit trail stay exactly as they were."""
    path = _csv(
        tmp_path, "hostile.csv", f"{number},{HOSTILE}", f"{NEW_A},本校新专利,西安交通大学,2023-05-01,,"
    )
    batch = run_import(users["tto"], path)
    assert (batch.rows_read, batch.imported, batch.updated, batch.unchanged, batch.rejected) == (
        2,
        1,
        0,
        0,
        1,
    )
    assert _accounted(batch)
    assert _state(number) == others[number]
    issue = ImportIssue.objects.get(batch=batch, severity=ImportIssue.Severity.ERROR)
    assert (issue.row_number, issue.field, issue.value, issue.reason) == (
        2,
        "application_number",
        number,
        REFUSED_IMPORT,
    )
    assert Patent.objects.get(application_number=NEW_A).owner_org == users["tto"].membership.org


def test_reject_report_and_api_name_row_field_and_reason(users, others, tmp_path):
    """The downloadable report and /api/imports/…/issues show row, field 申请号 and the Chinese reason."""
    batch = run_import(users["tto"], _csv(tmp_path, "hostile.csv", f"{PENDING_B},{HOSTILE}"))
    rows = list(csv.reader(io.StringIO(reject_report_csv(batch).decode("utf-8-sig"))))
    assert rows[1][0] == "2" and rows[1][2:] == [
        "拒绝",
        "application_number",
        "申请号",
        PENDING_B,
        REFUSED_IMPORT,
    ]
    client = Client()
    assert client.login(username="tto", password=PASSWORD)
    issues = client.get(f"/api/imports/{batch.pk}/issues").json()
    assert [(i["row_number"], i["field"], i["reason"], i["severity"]) for i in issues] == [
        (2, "application_number", REFUSED_IMPORT, "error")
    ]


def test_refusal_does_not_reveal_approval_state_owner_or_content(users, others, tmp_path):
    """Another organisation's unapproved and approved patents get the same reason, even for a row
    identical to the stored record (never "unchanged", which would confirm the other's data), and
    the reason names no owner, title or status."""
    identical = f"{PENDING_B},山东大学的待审专利,山东大学,2023-05-01,H01M10/0525,实质审查"
    path = _csv(tmp_path, "probe.csv", identical, f"{LIBRARY_OP},{HOSTILE}")
    batch = run_import(users["tto"], path)
    assert (batch.unchanged, batch.rejected) == (0, 2) and _accounted(batch)
    reasons = set(ImportIssue.objects.filter(batch=batch).values_list("reason", flat=True))
    assert reasons == {REFUSED_IMPORT}
    # The reason is one constant; it names neither owner, title nor any library or legal state.
    states = [label for _, label in (*LibraryStatusChoices.choices, *LegalStatusChoices.choices)]
    for leak in ("山东大学", "待审专利", "入库专利", *states):
        assert leak not in REFUSED_IMPORT
    assert _state(PENDING_B) == others[PENDING_B]


def test_refusals_count_right_across_chunks(users, others, tmp_path):
    """With one row per chunk the counters still add up and every refused row is reported once."""
    path = _csv(
        tmp_path,
        "chunks.csv",
        f"{PENDING_B},{HOSTILE}",
        f"{NEW_A},本校新专利,西安交通大学,2023-05-01,,",
        f"{LIBRARY_OP},{HOSTILE}",
        f"{PENDING_B},再次尝试,西安交通大学,2023-05-01,,",
    )
    batch = create_batch(actor=users["tto"], source=path, original_name=path.name)
    batch = run_batch(batch.pk, chunk_size=1)
    assert (batch.rows_read, batch.imported, batch.rejected, batch.last_row) == (4, 1, 3, 5)
    assert _accounted(batch)
    refused = ImportIssue.objects.filter(batch=batch, severity="error").order_by("row_number")
    assert list(refused.values_list("row_number", "value")) == [
        (2, PENDING_B),
        (4, LIBRARY_OP),
        (5, PENDING_B),
    ]
    assert _state(PENDING_B) == others[PENDING_B] and _state(LIBRARY_OP) == others[LIBRARY_OP]


def test_tto_import_updates_its_own_patent(users, others, tmp_path):
    """A university's re-import of its own patent is applied and audited as an update."""
    services.create_patent(actor=users["tto"], data=_form(OWN_A, "本校旧名称", "西安交通大学"), submit=True)
    path = _csv(tmp_path, "own.csv", f"{OWN_A},本校新名称,西安交通大学,2023-05-01,H01M10/0525,授权")
    batch = run_import(users["tto"], path)
    assert (batch.rows_read, batch.updated, batch.rejected) == (1, 1, 0) and _accounted(batch)
    patent = Patent.objects.get(application_number=OWN_A)
    assert patent.title == "本校新名称" and patent.legal_status == "granted"
    assert _state(OWN_A)["audit"][-1] == "patents.patent.updated"


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_platform_roles_update_anyones_patent(users, others, tmp_path, role):
    """Operators and admins correct any organisation's patent by import, pending or in the library."""
    path = _csv(
        tmp_path,
        "fix.csv",
        f"{PENDING_B},运营中心更正的名称,山东大学,2023-05-01,,",
        f"{LIBRARY_OP},更正后的入库专利,青岛某研究院,2023-05-01,,",
    )
    batch = run_import(users[role], path)
    assert (batch.rows_read, batch.updated, batch.rejected) == (2, 2, 0) and _accounted(batch)
    assert Patent.objects.get(application_number=PENDING_B).title == "运营中心更正的名称"
    assert Patent.objects.get(application_number=LIBRARY_OP).title == "更正后的入库专利"
    assert _state(PENDING_B)["audit"][-1] == "patents.patent.updated"


@pytest.mark.parametrize("number", [PENDING_B, LIBRARY_OP])
def test_form_refuses_another_organisations_number_with_one_generic_message(users, others, number):
    """The entry form gives the same generic refusal for another organisation's pending and library
    numbers — never "already in the library" — and changes nothing."""
    with pytest.raises(ValidationError) as refused:
        services.create_patent(actor=users["tto"], data=_form(number, "改写尝试", "西安交通大学"))
    assert refused.value.message_dict == {"application_number": [REFUSED_FORM]}
    assert "已在库" not in REFUSED_FORM and "已存在" not in REFUSED_FORM
    assert _state(number) == others[number]


def test_form_page_shows_the_generic_refusal(users, others):
    """Through the web form, too, another university's pending number gets only the generic message."""
    client = Client()
    assert client.login(username="tto", password=PASSWORD)
    response = client.post("/patents/new/", _form(PENDING_B, "改写尝试", "西安交通大学"))
    page = response.content.decode()
    assert response.status_code == 200
    assert REFUSED_FORM in page and "已在库中" not in page
    assert _state(PENDING_B) == others[PENDING_B]


def test_form_still_points_owners_to_their_own_patent(users):
    """For a patent the user may change, the form still says it is already there (no refusal)."""
    services.create_patent(actor=users["inventor"], data=_form(OWN_A, "本校专利", "西安交通大学"))
    with pytest.raises(ValidationError) as dup:
        services.create_patent(actor=users["tto"], data=_form(OWN_A, "本校专利", "西安交通大学"))
    assert "已在库中" in dup.value.message_dict["application_number"][0]


def test_inventor_cannot_touch_a_colleagues_submission(users, orgs):
    """An inventor can neither edit a colleague's draft nor learn about it through the form."""
    colleague = make_user("colleague", orgs["uni"], "inventor")
    draft = services.create_patent(actor=colleague, data=_form(OWN_A, "同事的草稿", "西安交通大学"))
    before = _state(OWN_A)
    with pytest.raises(PermissionDenied):
        services.update_patent(actor=users["inventor"], patent=draft, data=_form(OWN_A, "改写", "山东大学"))
    with pytest.raises(ValidationError) as refused:
        services.create_patent(actor=users["inventor"], data=_form(OWN_A, "改写", "山东大学"))
    assert refused.value.message_dict == {"application_number": [REFUSED_FORM]}
    assert _state(OWN_A) == before
    services.update_patent(actor=colleague, patent=draft, data=_form(OWN_A, "同事改的名称", "西安交通大学"))
    assert Patent.objects.get(application_number=OWN_A).title == "同事改的名称"
