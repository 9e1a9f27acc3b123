"""The import template and the Excel exports: headers the importer reads, a harmless example row,
frozen bold headers, column widths and the grade column."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from patentbridge.patents.models import Patent
from patentbridge_engine.ingest.headers import map_headers

from .conftest import run_import
from .factories import make_patents
from .test_permissions import client_for

pytestmark = pytest.mark.django_db


def test_template_headers_are_the_importers_own_and_the_example_never_imports(users, chains, tmp_path):
    """Every template header maps to a field; importing the template unchanged rejects its example row."""
    response = client_for(users["tto"]).get("/imports/template.xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["专利清单", "填写说明"]
    headers = [c.value for c in book["专利清单"][1]]
    mapped = map_headers(headers)
    assert not mapped.unmapped and len(mapped.fields) == len(headers)
    assert book["专利清单"].freeze_panes == "A2"
    path = tmp_path / "模板.xlsx"
    path.write_bytes(response.content)
    batch = run_import(users["tto"], path)
    assert (batch.rows_read, batch.imported, batch.rejected) == (1, 0, 1)
    assert not Patent.objects.exists()


def test_template_is_for_importers_only(users):
    """Enterprises do not import into the library: 403 in Chinese."""
    response = client_for(users["enterprise"]).get("/imports/template.xlsx")
    assert response.status_code == 403


def test_library_excel_export_has_widths_frozen_header_and_grade(users, chains):
    """The operator's XLSX: bold frozen header row, readable widths, and a 价值分级 column."""
    from patentbridge.grading.services import grade_numbers

    make_patents(3, classify=True)
    grade_numbers()  # grades follow changes after commit; the test transaction never commits
    response = client_for(users["operator"]).get("/patents/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert "价值分级" in header and sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    title_column = header.index("专利名称")
    letter = sheet.cell(row=1, column=title_column + 1).column_letter
    assert sheet.column_dimensions[letter].width >= 40
    grades = {row[header.index("价值分级")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert grades and grades <= {"A", "B", "C", "D"}
