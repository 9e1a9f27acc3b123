"""Spreadsheet exports never carry a live formula (CSV/formula injection, OWASP)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from patentbridge.core.spreadsheet import csv_bytes, safe_cell, xlsx_bytes
from patentbridge.ingest.reports import reject_report_csv
from patentbridge.patents.models import Patent

from .conftest import run_import
from .test_permissions import client_for
from .test_public_list import _patent

pytestmark = pytest.mark.django_db

HOSTILE = ('=HYPERLINK("http://evil.example/x","点击查看")', "@SUM(1)", "-2+3")
SRC = Path(__file__).resolve().parents[2] / "src"


def _library(users) -> None:
    for i, title in enumerate(HOSTILE):
        Patent.objects.create(
            application_number=f"20231012345{i}.X",
            title=title,
            patent_type="invention",
            legal_status="granted",
            filing_date=dt.date(2023, 5, 1),
            owner_org=users["tto"].membership.org,
            library_status="in_library",
        )


def _xlsx_cells(content: bytes, column_title: str) -> list[tuple[object, str]]:
    sheet = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    column = header.index(column_title) + 1
    return [
        (sheet.cell(r, column).value, sheet.cell(r, column).data_type) for r in range(2, sheet.max_row + 1)
    ]


def test_safe_cell_quotes_formula_text_and_keeps_numbers_and_dates():
    """Text starting with = + - @ tab or CR gets a leading quote; numbers, dates and plain text stay."""
    for text in ("=1+1", "+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("一种电池 =1") == "一种电池 =1"
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5 and safe_cell(None) is None
    assert safe_cell(dt.date(2024, 2, 29)) == dt.date(2024, 2, 29)
    sheet = load_workbook(
        io.BytesIO(xlsx_bytes("t", ["a", "b", "c"], [[-3, dt.date(2024, 2, 29), "=1"]]))
    ).active
    assert [c.data_type for c in sheet[2]] == ["n", "d", "s"] and sheet.cell(2, 3).value == "'=1"
    assert csv_bytes(["a"], [["=1"], [None]]).decode("utf-8-sig").splitlines() == ["a", "'=1", '""']


def test_library_csv_and_xlsx_exports_neutralise_formula_titles(users):
    """The library export writes hostile titles as quoted text in both CSV and XLSX."""
    _library(users)
    client = client_for(users["enterprise"])
    xlsx = client.get("/patents/export/?format=xlsx")
    cells = _xlsx_cells(xlsx.content, "专利名称")
    assert sorted(cells) == sorted(("'" + t, "s") for t in HOSTILE)
    response = client.get("/patents/export/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = rows[0].index("专利名称")
    assert sorted(r[column] for r in rows[1:]) == sorted("'" + t for t in HOSTILE)


def test_public_list_export_neutralises_formula_titles(users):
    """The public implementation list XLSX writes a hostile title as quoted text, not a formula."""
    for i, title in enumerate(HOSTILE):
        _patent(users, f"20181000000{i}.1", title=title)
    call_command("public_list", "--as-of", "2029-03-01", stdout=io.StringIO())
    export = client_for(users["viewer"]).get("/grading/public-list/export/")
    cells = _xlsx_cells(export.content, "专利名称")
    assert cells and {value for value, _ in cells} == {"'" + t for t in HOSTILE}
    assert {kind for _, kind in cells} == {"s"}


def test_reject_report_neutralises_formula_values(users, tmp_path):
    """Rejected raw values from an imported file appear quoted in the downloadable reject report."""
    path = tmp_path / "hostile.csv"
    # Each hostile value stands in the application-number column, so each row is rejected with it.
    lines = ["申请号,专利名称,申请日"]
    lines += ['"{}",一种电池,2023-05-01'.format(v.replace('"', '""')) for v in HOSTILE]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    batch = run_import(users["operator"], path)
    assert batch.rejected == 3
    rows = list(csv.reader(io.StringIO(reject_report_csv(batch).decode("utf-8-sig"))))
    values = {r[5] for r in rows[1:] if r[3] == "application_number"}
    assert values == {"'" + v for v in HOSTILE}
    download = client_for(users["operator"]).get(f"/imports/{batch.pk}/rejects.csv")
    assert download.content == reject_report_csv(batch)


def test_no_module_writes_csv_or_xlsx_without_the_safe_helpers():
    """Only core/spreadsheet.py builds CSV writers or workbooks, so every export goes through safe_cell."""
    allowed = {
        SRC / "patentbridge" / "core" / "spreadsheet.py",
        # Writes the synthetic benchmark corpus (labelled test data, never an operator download); the
        # engine cannot import the Django project's helper.
        SRC / "patentbridge_engine" / "bench" / "synthetic.py",
        # Builds hostile workbooks for the import tests and benchmark (never a download).
        SRC / "patentbridge_engine" / "bench" / "hostile.py",
    }
    pattern = re.compile(r"csv\.(writer|DictWriter)\b|\bWorkbook\(|\.to_csv\(|\.to_excel\(|xlsxwriter")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path not in allowed and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
