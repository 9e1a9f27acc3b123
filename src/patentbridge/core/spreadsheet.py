"""Every CSV and XLSX the platform writes goes through this module, so no export can carry a formula.

Patent titles, applicant names and reject-report values come from imported files and user forms. A
spreadsheet program treats a text cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage
return before one) as a formula, so a title like ``=HYPERLINK("http://evil","点击")`` would run in the
operator's Excel ("CSV/formula injection"). Following the OWASP recommendation, such text cells are
prefixed with a single quote; numbers and dates stay typed values. ``tests/web/test_exports_safe.py``
fails when a module writes CSV or XLSX without these helpers.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

__all__ = [
    "FORMULA_PREFIXES",
    "column_width",
    "csv_bytes",
    "safe_cell",
    "safe_row",
    "xlsx_bytes",
    "xlsx_sheets",
]

# OWASP "CSV Injection": characters that make a spreadsheet evaluate a cell (tab and CR because
# some programs strip them and then see the next character).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Values a spreadsheet stores as typed numbers or dates; they are never evaluated as formulas.
_TYPED = (bool, int, float, Decimal, datetime.date, datetime.datetime, datetime.time)


def safe_cell(value: Any) -> Any:
    """``value`` ready for a spreadsheet cell: formula-like text gets a leading ``'``.

    ``None`` (an empty cell), numbers and dates are returned unchanged; anything else is turned into
    text (``str``) and neutralised.
    """
    if value is None or isinstance(value, _TYPED):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    """``safe_cell`` applied to every value of a row."""
    return [safe_cell(value) for value in row]


def csv_bytes(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV file (UTF-8 with a BOM, so Excel shows Chinese correctly) with every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(header))
    for row in rows:
        # CSV has no types: numbers and dates are written as their text, None as an empty field.
        writer.writerow(["" if cell is None else str(cell) for cell in safe_row(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def column_width(label: str) -> float:
    """A readable column width for a header: CJK characters count double; long texts get more room."""
    if label in _WIDE:
        return 60.0
    units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in label)
    return float(max(10, min(40, units + 4)))


# Columns that hold sentences rather than codes.
_WIDE = frozenset({"摘要", "专利名称", "名称", "原因", "理由", "主权项", "需求描述"})


Sheet = tuple[str, Sequence[str], Iterable[Iterable[Any]], Sequence[float] | None]


def xlsx_bytes(
    sheet_title: str,
    header: Sequence[str],
    rows: Iterable[Iterable[Any]],
    widths: Sequence[float] | None = None,
) -> bytes:
    """One sheet with ``header`` then ``rows``, as the bytes of an .xlsx file, every cell made safe;
    bold frozen header row and column widths (from ``widths`` or the header labels)."""
    return xlsx_sheets([(sheet_title, header, rows, widths)])


def xlsx_sheets(sheets: Sequence[Sheet]) -> bytes:
    """Several sheets (title, header, rows, widths or None) in one workbook, formatted like
    ``xlsx_bytes``. A write-only workbook keeps memory flat for large exports."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet_title, header, rows, widths in sheets:
        sheet = workbook.create_sheet(sheet_title)
        sheet.freeze_panes = "A2"
        for index, label in enumerate(header, start=1):
            width = widths[index - 1] if widths and index <= len(widths) else column_width(str(label))
            sheet.column_dimensions[get_column_letter(index)].width = width
        cells = []
        for value in safe_row(header):
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
