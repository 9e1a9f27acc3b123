"""incoPat licence/pledge/transfer columns through the real import pipeline into the rights ledger.

Invariants protected:
- a CSV with the incoPat right columns, imported with the real batch service, leaves one ledger
  row per record (source "import", ref "{record_no or kind}-{start}") once the import's domain
  events are delivered;
- re-importing the same file adds nothing and writes no ledger audit events; a changed cell
  updates its row; a record gone from the source is removed (audited);
- a bad cell is a warning with its row number and field in the import report, never a dropped
  row, and produces no event;
- license/pledge/transfer counts rise to the ledger's record counts (never below the export's own
  count), are audited, and grading follows them.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from patentbridge.core import events
from patentbridge.core.models import AuditEvent
from patentbridge.grading.models import PatentGrade
from patentbridge.ingest.models import ImportIssue
from patentbridge.licensing.models import RightEvent
from patentbridge.licensing.services import rights_import
from patentbridge.patents.models import Patent
from web.conftest import run_import

pytestmark = pytest.mark.django_db

HEADERS = [
    "申请号",
    "专利名称",
    "申请日",
    "专利类型",
    "申请人",
    "许可次数",
    "许可合同备案号",
    "许可合同备案日期",
    "许可人",
    "被许可人",
    "当前被许可人",
    "许可类型",
    "质押号",
    "质押期限",
    "质权人",
    "当前质权人",
    "转让登记号",
    "转让登记日",
    "转让人",
    "受让人",
]
A, B, C = "202110123456.7", "202210234567.X", "202310345678.2"


def _row(number: str, **cells: str) -> dict[str, str]:
    base = {
        "申请号": number,
        "专利名称": f"一种储能装置{number[-3:]}",
        "申请日": f"{number[:4]}-02-01",
        "专利类型": "发明",
    }
    base["申请人"] = "西安交通大学"
    return {**base, **cells}


ROWS = [
    _row(
        A,
        许可合同备案号="X2021370000001",
        许可合同备案日期="2021-03-01",
        许可人="西安交通大学",
        被许可人="甲公司",
        许可类型="独占许可",
        质押号="Y2022370000002",
        质押期限="2022-01-01至2024-12-31",
        质权人="某银行",
        转让登记号="Z2020000003",
        转让登记日="2020-05-06",
        转让人="张三",
        受让人="西安交通大学",
    ),
    _row(
        B,
        许可次数="3",
        许可合同备案号="X2022370000004;X2022370000005",
        许可合同备案日期="2022-01-01;2022-06-01",
        被许可人="丙公司;丁公司",
        许可类型="普通许可;普通许可",
    ),
    _row(C, 许可合同备案号="X2023370000006", 许可合同备案日期="去年春天", 被许可人="戊公司"),
]


def _write(directory: Path, rows: list[dict[str, str]], name: str = "incopat.csv") -> Path:
    path = directory / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADERS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


@pytest.fixture
def wired(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ledger subscribes to the library's events (as licensing/wiring.py does at start-up),
    restored afterwards so other tests see the subscriber lists they expect."""
    from patentbridge.licensing import signals

    for name in (events.PATENTS_CHANGED, events.IMPORT_COMPLETED):
        monkeypatch.setitem(events._subscribers, name, list(events._subscribers[name]))
    monkeypatch.setattr(signals.contract_signed, "receivers", list(signals.contract_signed.receivers))
    rights_import.register()


def _import(actor: Any, path: Path, capture: Any) -> Any:
    with capture(execute=True):
        return run_import(actor, path)


def _ledger(number: str) -> list[tuple[Any, ...]]:
    return list(
        RightEvent.objects.filter(patent__application_number=number)
        .order_by("kind", "start_date", "source_ref")
        .values_list(
            "kind", "sub_kind", "start_date", "end_date", "counterparty", "record_no", "source", "source_ref"
        )
    )


def test_incopat_columns_become_ledger_events(users, tmp_path, wired, django_capture_on_commit_callbacks):
    """Every licence, pledge and transfer record of the file is one import row in the ledger."""
    batch = _import(users["operator"], _write(tmp_path, ROWS), django_capture_on_commit_callbacks)
    assert (batch.rows_read, batch.imported, batch.rejected) == (3, 3, 0)
    assert _ledger(A) == [
        (
            "licence",
            "exclusive",
            dt.date(2021, 3, 1),
            None,
            "甲公司",
            "X2021370000001",
            "import",
            "X2021370000001-2021-03-01",
        ),
        (
            "pledge",
            "registered",
            dt.date(2022, 1, 1),
            dt.date(2024, 12, 31),
            "某银行",
            "Y2022370000002",
            "import",
            "Y2022370000002-2022-01-01",
        ),
        (
            "transfer",
            "",
            dt.date(2020, 5, 6),
            None,
            "西安交通大学",
            "Z2020000003",
            "import",
            "Z2020000003-2020-05-06",
        ),
    ]
    assert [(r[1], r[4], r[7]) for r in _ledger(B)] == [
        ("ordinary", "丙公司", "X2022370000004-2022-01-01"),
        ("ordinary", "丁公司", "X2022370000005-2022-06-01"),
    ]
    stored = Patent.objects.get(application_number=A).right_records
    assert stored["被许可人"] == "甲公司" and stored["质押期限"] == "2022-01-01至2024-12-31"


def test_bad_cell_is_reported_with_row_and_field_and_makes_no_event(
    users, tmp_path, wired, django_capture_on_commit_callbacks
):
    """Row 4's unreadable filing date is a warning on that row; the patent is still imported."""
    batch = _import(users["operator"], _write(tmp_path, ROWS), django_capture_on_commit_callbacks)
    issues = list(
        ImportIssue.objects.filter(batch=batch).values_list("row_number", "field", "value", "severity")
    )
    assert (4, "license_filing_date", "去年春天", "warning") in issues
    issue = ImportIssue.objects.get(batch=batch, row_number=4, field="license_filing_date")
    assert "无法识别" in issue.reason
    assert batch.warnings >= 1
    assert Patent.objects.filter(application_number=C).exists()
    assert _ledger(C) == []


def test_reimport_adds_nothing_and_audits_nothing(users, tmp_path, wired, django_capture_on_commit_callbacks):
    """The same file again: same rows (same ids), no ledger audit events, counts unchanged."""
    path = _write(tmp_path, ROWS)
    _import(users["operator"], path, django_capture_on_commit_callbacks)
    ids = set(RightEvent.objects.values_list("pk", flat=True))
    audited = AuditEvent.objects.filter(action__startswith="licensing.").count()
    _import(users["operator"], path, django_capture_on_commit_callbacks)
    assert set(RightEvent.objects.values_list("pk", flat=True)) == ids
    assert AuditEvent.objects.filter(action__startswith="licensing.").count() == audited


def test_changed_cell_updates_and_dropped_record_is_removed(
    users, tmp_path, wired, django_capture_on_commit_callbacks
):
    """A released pledge ends its row in place; a licence gone from the export leaves the ledger."""
    _import(users["operator"], _write(tmp_path, ROWS), django_capture_on_commit_callbacks)
    pledge = RightEvent.objects.get(patent__application_number=A, kind="pledge")
    changed = [dict(r) for r in ROWS]
    changed[0].update(当前质权人="另一银行", 许可合同备案号="X2021370000009", 许可合同备案日期="2021-04-01")
    _import(users["operator"], _write(tmp_path, changed, "second.csv"), django_capture_on_commit_callbacks)
    pledge.refresh_from_db()
    assert pledge.end_date == pledge.start_date == dt.date(2022, 1, 1)  # released on an unknown day
    assert RightEvent.objects.filter(patent__application_number=A, kind="pledge").count() == 1
    licences = RightEvent.objects.filter(patent__application_number=A, kind="licence")
    assert list(licences.values_list("record_no", flat=True)) == ["X2021370000009"]
    removed = AuditEvent.objects.get(action="licensing.right_event.removed")
    assert removed.data["events"] == [
        {"kind": "licence", "source_ref": "X2021370000001-2021-03-01", "record_no": "X2021370000001"}
    ]


def test_counts_follow_the_ledger_but_never_drop_below_the_export(
    users, tmp_path, wired, django_capture_on_commit_callbacks
):
    """A gets 1/1/1 from its ledger; B keeps the export's 许可次数 3 although two records are listed."""
    _import(users["operator"], _write(tmp_path, ROWS), django_capture_on_commit_callbacks)
    a = Patent.objects.get(application_number=A)
    assert (a.license_count, a.pledge_count, a.transfer_count) == (1, 1, 1)
    b = Patent.objects.get(application_number=B)
    assert (b.license_count, b.pledge_count, b.transfer_count) == (3, None, None)
    audit = AuditEvent.objects.get(action="licensing.patent_counts.updated", target_id=str(a.pk))
    assert audit.data["after"] == {"license_count": 1, "pledge_count": 1, "transfer_count": 1}
    assert not AuditEvent.objects.filter(
        action="licensing.patent_counts.updated", target_id=str(b.pk)
    ).exists()


def test_grades_follow_the_counts(users, tmp_path, wired, django_capture_on_commit_callbacks):
    """The transaction indicator of A's grade reads the licence the ledger counted."""
    _import(users["operator"], _write(tmp_path, ROWS), django_capture_on_commit_callbacks)
    grade = PatentGrade.objects.get(patent__application_number=A)
    reasons = {i["key"]: i["reason"] for i in grade.detail["indicators"]}
    assert reasons["transactions"] == "已许可 1 次（市场已验证）"


def test_platform_events_count_and_share_record_numbers(parties, patent):
    """A contract's licence and the same licence imported under its record number count once; a
    manual pledge without a number counts on its own."""
    from patentbridge.licensing.services.ledger import record_right_event

    for source, ref in (("contract", "XK-2025-0001"), ("import", "X2025-2025-01-01")):
        record_right_event(
            None,
            patent,
            kind="licence",
            start=dt.date(2025, 1, 1),
            record_no="X2025",
            source=source,
            source_ref=ref,
        )
    record_right_event(
        None, patent, kind="pledge", start=dt.date(2025, 2, 1), source="manual", source_ref="m1"
    )
    changed = rights_import.refresh_counts([patent])
    patent.refresh_from_db()
    assert (patent.license_count, patent.pledge_count, patent.transfer_count) == (1, 1, None)
    assert changed == {patent.application_number: {"license_count": (None, 1), "pledge_count": (None, 1)}}
    assert rights_import.refresh_counts([patent]) == {}


def test_two_unnumbered_records_on_one_day_stay_apart(parties, patent):
    """Without record numbers, the second same-day licence gets its own ref and both are kept."""
    patent.right_records = {"许可合同备案日期": "2024-01-02;2024-01-02", "被许可人": "甲公司;乙公司"}
    patent.save(update_fields=["right_records"])
    result = rights_import.sync_patent(patent)
    assert result.created == 2
    refs = sorted(RightEvent.objects.filter(patent=patent).values_list("source_ref", flat=True))
    assert refs == ["licence-2024-01-02", "licence-2024-01-02-2"]
    assert not rights_import.sync_patent(patent).changed


def test_patents_changed_event_syncs_the_ledger(parties, patent, wired, django_capture_on_commit_callbacks):
    """Any service announcing changed patents (here directly) brings their ledger in step."""
    from django.db import transaction

    patent.right_records = {"质押号": "Y9", "质押期限": "2025-01-01至2026-01-01", "质权人": "某银行"}
    patent.save(update_fields=["right_records"])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.announce(events.PATENTS_CHANGED, [patent.application_number])
    assert _ledger(patent.application_number)[0][:4] == (
        "pledge",
        "registered",
        dt.date(2025, 1, 1),
        dt.date(2026, 1, 1),
    )
    patent.refresh_from_db()
    assert patent.pledge_count == 1


def test_sync_all_finds_patents_with_cells_or_events_only(parties, patent):
    """``sync_numbers(None)`` (the sweep's catch-up) reads patents with cells; others are skipped."""
    from web.licensing.factories import make_granted_patent

    bare = make_granted_patent(parties.university)
    patent.right_records = {"转让登记号": "Z1", "转让登记日": "2024-05-01", "受让人": "某公司"}
    patent.save(update_fields=["right_records"])
    results = rights_import.sync_numbers(None)
    assert [r.application_number for r in results] == [patent.application_number]
    assert results[0].created == 1 and results[0].counts == {"transfer_count": (None, 1)}
    assert rights_import.sync_numbers(None) == []
    assert not RightEvent.objects.filter(patent=bare).exists()


def test_xlsx_date_cells_and_line_breaks_import(users, tmp_path, wired, django_capture_on_commit_callbacks):
    """An XLSX export with real date cells and records separated by line breaks in one cell
    gives the same ledger rows as the CSV spelling."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "申请号",
            "专利名称",
            "申请日",
            "许可合同备案号",
            "许可合同备案日期",
            "被许可人",
            "许可类型",
            "当前被许可人",
        ]
    )
    ws.append(
        [
            A,
            "一种储能装置",
            dt.datetime(2021, 2, 1),
            "X2021370000001\nX2022370000002",
            "2021-03-01\n2022-04-02",
            "甲公司\n乙公司",
            "独占许可\n普通许可",
            "乙公司",
        ]
    )
    ws.append(
        [
            B,
            "一种换热器",
            dt.datetime(2022, 2, 1),
            "X2023370000003",
            dt.datetime(2023, 7, 8),
            "丙公司",
            "",
            "",
        ]
    )
    path = tmp_path / "incopat.xlsx"
    wb.save(path)
    batch = _import(users["operator"], path, django_capture_on_commit_callbacks)
    assert (batch.imported, batch.rejected) == (2, 0)
    rows = {r[5]: r for r in _ledger(A)}
    # 甲公司 is no longer among the current licensees: ended on an unknown day (its filing day).
    assert rows["X2021370000001"][1:4] == ("exclusive", dt.date(2021, 3, 1), dt.date(2021, 3, 1))
    assert rows["X2022370000002"][1:4] == ("ordinary", dt.date(2022, 4, 2), None)
    assert [r[1:6] for r in _ledger(B)] == [
        ("ordinary", dt.date(2023, 7, 8), None, "丙公司", "X2023370000003")
    ]
    assert Patent.objects.get(application_number=B).right_records["许可合同备案日期"] == "2023-07-08"
    ended = ImportIssue.objects.get(batch=batch, row_number=2, field="licensee")
    assert "视为已终止" in ended.reason and ended.severity == "warning"
