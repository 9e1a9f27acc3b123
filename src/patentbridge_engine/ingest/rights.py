"""Licence, pledge and transfer columns of commercial exports (incoPat, guide §1.1), kept per
patent as raw cells.

The importer does not turn these cells into ledger events: the ledger belongs to the licensing
app, a layer above ingest. It stores the cells of a row as one dict on the patent
(``right_records``, keyed by the incoPat column name) and checks them here with the same reader
the licensing app uses (``licensing.incopat.events_from_incopat``), so a bad cell is reported
with its row number when the file is imported, not discovered later.

The columns of one group (licence, pledge, transfer) are aligned by position, so a row that
gives any column of a group replaces that whole group: mixing the 2nd licence date of one export
with the 2nd licensee of another would pair the wrong records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from patentbridge_engine.ingest.record import RowIssue
from patentbridge_engine.text.width import to_halfwidth

__all__ = [
    "RIGHT_COLUMN_GROUPS",
    "RIGHT_FIELDS",
    "merge_right_records",
    "right_cells",
    "right_issues",
]

# Canonical field (incoPat's English export name where it has one) → incoPat column name.
RIGHT_FIELDS: dict[str, str] = {
    "license_record_no": "许可合同备案号",
    "license_filing_date": "许可合同备案日期",
    "licensor": "许可人",
    "licensee": "被许可人",
    "licensee_current": "当前被许可人",
    "license_type": "许可类型",
    "pledge_no": "质押号",
    "pledge_term": "质押期限",
    "pledgee": "质权人",
    "pledgee_current": "当前质权人",
    "assignment_record_no": "转让登记号",
    "assignment_record_date": "转让登记日",
    "assignment_execution_date": "转让执行日",
    "assignor": "转让人",
    "assignee": "受让人",
}
_COLUMN_FIELD = {column: field for field, column in RIGHT_FIELDS.items()}

# Positionally aligned column groups: a row giving any column of a group replaces the group.
RIGHT_COLUMN_GROUPS: tuple[tuple[str, ...], ...] = (
    ("许可合同备案号", "许可合同备案日期", "许可人", "被许可人", "当前被许可人", "许可类型"),
    ("质押号", "质押期限", "质权人", "当前质权人"),
    ("转让登记号", "转让登记日", "转让执行日", "转让人", "受让人"),
)

# A cell longer than this is hostile or broken; it is cut (and reported) so one row cannot bloat
# the patent record. Real cells with dozens of records stay far below it.
MAX_CELL_CHARS = 4000


def _cell_text(raw: Any) -> str:
    """A cell as text that keeps its line breaks (they separate records in incoPat cells)."""
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, list):
        return "\n".join(_cell_text(v) for v in raw)
    lines = to_halfwidth(str(raw)).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def right_cells(values: Mapping[str, Any], row_number: int) -> tuple[dict[str, str], list[RowIssue]]:
    """The non-empty right cells of a mapped row (canonical field → raw value) as a dict keyed by
    incoPat column name, and a warning for each cell cut to ``MAX_CELL_CHARS``."""
    cells: dict[str, str] = {}
    issues: list[RowIssue] = []
    for field, column in RIGHT_FIELDS.items():
        if field not in values:
            continue
        text = _cell_text(values[field])
        if not text:
            continue
        if len(text) > MAX_CELL_CHARS:
            issues.append(
                RowIssue(row_number, field, text[:200], f"单元格超过 {MAX_CELL_CHARS} 个字符，只保留前面部分")
            )
            text = text[:MAX_CELL_CHARS]
        cells[column] = text
    return cells, issues


def _field_of(problem: str, cells: Mapping[str, str]) -> str:
    """The canonical field a problem line is about: the column it names first (the longest name
    at that position, so 被许可人 is not read as 许可人); else the first column given."""
    best: tuple[int, int, str] | None = None
    for column in RIGHT_FIELDS.values():
        at = problem.find(column)
        if at >= 0 and (best is None or (at, -len(column)) < (best[0], best[1])):
            best = (at, -len(column), column)
    if best is not None:
        return _COLUMN_FIELD[best[2]]
    return _COLUMN_FIELD[next(iter(cells))] if cells else "license_record_no"


def right_issues(row_number: int, cells: Mapping[str, str]) -> list[RowIssue]:
    """Warnings for the cells the ledger reader cannot use fully (row, field, cell value, reason).

    The row itself is still imported: its bibliographic data is good, and the cells are kept so a
    corrected reading can be applied later."""
    if not cells:
        return []
    # Imported here: licensing.incopat reads dates with ingest.values, so a module-level import
    # would make the two packages import each other while half-initialised.
    from patentbridge_engine.licensing.incopat import events_from_incopat

    _, problems = events_from_incopat(cells)
    issues = []
    for problem in problems:
        field = _field_of(problem, cells)
        issues.append(RowIssue(row_number, field, cells.get(RIGHT_FIELDS[field], "")[:200], problem))
    return issues


def merge_right_records(stored: Mapping[str, str] | None, incoming: Mapping[str, str]) -> dict[str, str]:
    """``stored`` with each group that ``incoming`` gives replaced whole (see the module note)."""
    merged = dict(stored or {})
    for group in RIGHT_COLUMN_GROUPS:
        if any(incoming.get(c) for c in group):
            for column in group:
                merged.pop(column, None)
                if incoming.get(column):
                    merged[column] = incoming[column]
    return merged
