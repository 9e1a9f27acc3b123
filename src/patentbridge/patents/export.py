"""CSV and XLSX export of a filtered patent list (Chinese column headers)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from patentbridge.core.spreadsheet import csv_bytes, xlsx_bytes
from patentbridge.patents.models import Patent

__all__ = ["EXPORT_COLUMNS", "export_csv", "export_rows", "export_xlsx"]

EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("application_number", "申请号"),
    ("publication_number", "公开（公告）号"),
    ("grant_number", "授权公告号"),
    ("title", "专利名称"),
    ("patent_type", "专利类型"),
    ("applicants", "申请人"),
    ("patentees", "当前权利人"),
    ("inventors", "发明人"),
    ("filing_date", "申请日"),
    ("publication_date", "公开（公告）日"),
    ("grant_date", "授权公告日"),
    ("expiry_date", "期限届满日"),
    ("legal_status", "法律状态"),
    ("ipc_main", "IPC主分类号"),
    ("ipc", "IPC分类号"),
    ("province", "地区"),
    ("applicant_kind", "申请人类型"),
    ("library_status", "入库状态"),
    ("grade", "价值分级"),
    ("self_assessment", "价值自评"),
    ("chains", "重点产业链"),
    ("sei", "战略性新兴产业"),
    ("abstract", "摘要"),
)
_DISPLAY = {"patent_type", "legal_status", "applicant_kind", "library_status", "self_assessment"}


def export_rows(queryset: QuerySet[Patent]) -> Iterator[list[Any]]:
    """Rows of display values, streamed in chunks with their classes prefetched."""
    # The grade lives in the grading app; its one-to-one row is read by relation name only.
    qs = queryset.order_by("application_number").select_related("grade").prefetch_related("classes")
    for patent in qs.iterator(chunk_size=1000):
        classes = list(patent.classes.all())
        row: list[Any] = []
        for key, _ in EXPORT_COLUMNS:
            if key == "grade":
                grade = getattr(patent, "grade", None)
                row.append(grade.final if grade is not None else "")
            elif key in ("chains", "sei"):
                scheme = "chain" if key == "chains" else "sei"
                row.append("；".join(c.name for c in classes if c.scheme == scheme))
            elif key in _DISPLAY:
                row.append(getattr(patent, f"get_{key}_display")())
            else:
                value = getattr(patent, key)
                row.append("；".join(value) if isinstance(value, list) else ("" if value is None else value))
        yield row


def export_csv(queryset: QuerySet[Patent]) -> bytes:
    """The filtered list as CSV (UTF-8 with BOM; formula-like text neutralised by ``csv_bytes``)."""
    return csv_bytes([label for _, label in EXPORT_COLUMNS], export_rows(queryset))


def export_xlsx(queryset: QuerySet[Patent]) -> bytes:
    """The filtered list as an XLSX file (formula-like text neutralised by ``xlsx_bytes``)."""
    return xlsx_bytes("专利清单", [label for _, label in EXPORT_COLUMNS], export_rows(queryset))
