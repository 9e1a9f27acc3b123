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

__all__ = ["FORMULA_PREFIXES", "csv_bytes", "safe_cell", "safe_row", "xlsx_bytes"]

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


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """One sheet with ``header`` then ``rows``, as the bytes of an .xlsx file, every cell made safe.

    A write-only workbook keeps memory flat for large exports.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(safe_row(header))
    for row in rows:
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
