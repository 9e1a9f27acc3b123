"""Imports of sources without application numbers (CNKI): A/B merge, twins kept apart, no untitled
patent goes live, and the patent page says which number identifies the patent."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from patentbridge.ingest.models import ImportIssue
from patentbridge.patents.models import Patent

from .conftest import run_import
from .test_permissions import client_for

pytestmark = pytest.mark.django_db
HEADERS = ["公开号", "题名", "申请人", "作者", "公开日期", "摘要", "中图分类号"]
A = [
    "CN116510786A",
    "一种双核金催化剂",
    "中山大学",
    "邹滔滔; 罗和江",
    "2023-06-02",
    "双核金催化剂。",
    "B01J31/22",
]
B = [
    "CN116510786B",
    "一种双核金催化剂",
    "中山大学",
    "邹滔滔; 罗和江",
    "2025-03-25",
    "双核金催化剂及应用。",
    "",
]


def _csv(tmp_path: Path, name: str, *rows: list[str], headers: list[str] = HEADERS) -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def test_a_and_b_rows_in_one_file_become_one_patent(users, chains, tmp_path):
    """Both publications of one application are one patent keyed CN116510786 with both numbers kept."""
    batch = run_import(users["operator"], _csv(tmp_path, "ab.csv", A, B))
    assert (batch.rows_read, batch.imported, batch.rejected) == (2, 1, 0)
    patent = Patent.objects.get()
    assert patent.application_number == "CN116510786" and patent.keyed_by_publication
    assert patent.grant_number == "CN116510786B" and patent.publication_date.isoformat() == "2025-03-25"
    assert patent.ipc == ["B01J31/22"]  # the A row's IPC survives the B row that has none
    assert patent.patent_number == ""  # no 专利号 is made up without an application number


def test_b_after_a_in_a_later_file_updates_the_same_patent(users, chains, tmp_path):
    """Re-importing the grant later merges into the stored patent (updated, not a duplicate)."""
    run_import(users["operator"], _csv(tmp_path, "a.csv", A))
    batch = run_import(users["operator"], _csv(tmp_path, "b.csv", B))
    assert (batch.imported, batch.updated, batch.rejected) == (0, 1, 0)
    assert Patent.objects.count() == 1
    assert Patent.objects.get().grant_number == "CN116510786B"


def test_a_row_that_is_not_the_same_application_is_refused_with_its_reason(users, chains, tmp_path):
    """Same serial but another title and other inventors: not merged, the row is rejected naming the fields."""
    twin = ["CN116510786B", "一种单核铜催化剂", "中山大学", "张三", "2025-03-25", "铜。", ""]
    run_import(users["operator"], _csv(tmp_path, "a.csv", A))
    batch = run_import(users["operator"], _csv(tmp_path, "twin.csv", twin))
    assert (batch.updated, batch.rejected) == (0, 1)
    issue = ImportIssue.objects.get(batch=batch)
    assert issue.field == "publication_number" and "专利名称、发明人不一致" in issue.reason
    assert Patent.objects.get().title == "一种双核金催化剂"
    # Within one file the same rule applies.
    batch = run_import(users["operator"], _csv(tmp_path, "both.csv", A, twin, headers=HEADERS))
    assert batch.rejected == 1


def test_untitled_new_patent_never_goes_live_but_may_complete_a_stored_one(users, chains, tmp_path):
    """A row without a title cannot create a patent (rejected, field 专利名称); the same row for a
    stored patent only adds what it has."""
    untitled = ["CN116510786B", "", "中山大学", "邹滔滔; 罗和江", "2025-03-25", "", ""]
    batch = run_import(users["operator"], _csv(tmp_path, "untitled.csv", untitled))
    assert (batch.imported, batch.rejected) == (0, 1)
    assert ImportIssue.objects.get(batch=batch).field == "title"
    assert not Patent.objects.exists()
    run_import(users["operator"], _csv(tmp_path, "a.csv", A))
    batch = run_import(users["operator"], _csv(tmp_path, "untitled2.csv", untitled))
    assert (batch.updated, batch.rejected) == (1, 0)
    assert Patent.objects.get().title == "一种双核金催化剂"


def test_application_numbered_rows_without_title_are_rejected_too(users, chains, tmp_path):
    """The title rule holds for every source: a numbered row with an empty title is not imported."""
    path = _csv(tmp_path, "n.csv", ["202310123456.6", "", "某公司"], headers=["申请号", "专利名称", "申请人"])
    batch = run_import(users["operator"], path)
    assert (batch.imported, batch.rejected) == (0, 1)


def test_patent_page_says_the_source_gave_no_application_number(users, chains, tmp_path):
    """The page never presents the publication key as an application number or a 专利号."""
    run_import(users["operator"], _csv(tmp_path, "a.csv", A))
    page = client_for(users["operator"]).get("/patents/CN116510786/").content.decode()
    assert 'data-testid="no-application-number"' in page and "来源数据未提供申请号" in page
    assert "ZLCN" not in page


def test_real_cnki_export_accounts_for_every_row(users, chains, tmp_path):
    """The bundled original CNKI export (154 rows): every row imported, merged or rejected with a
    reason; the 14 Taiwan (海外专利) rows are refused as not Chinese patents."""
    from .conftest import DEMO_DATA

    batch = run_import(users["operator"], DEMO_DATA / "CNKI-20250409225340308.xls")
    assert batch.status == "completed" and batch.format == "xls"
    assert batch.rows_read == 154
    assert batch.imported + batch.updated + batch.unchanged + batch.rejected == 154
    foreign = ImportIssue.objects.filter(batch=batch, field="publication_number", reason__contains="中国专利")
    assert foreign.count() == 14 == batch.rejected
    patent = Patent.objects.get(application_number="CN107725667")
    assert patent.inventors == ["周翠英", "苏定立", "景兴达", "刘镇"] and patent.ipc[0] == "F16F15/02"
    assert Patent.objects.count() == batch.imported
