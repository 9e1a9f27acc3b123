"""Reject reports: every rejected row and every warning, with row, field, value and reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from patentbridge.core.spreadsheet import csv_bytes
from patentbridge.ingest.models import ImportBatch

__all__ = ["REPORT_HEADER", "estimate_rows", "reject_report_csv", "write_reject_report"]

REPORT_HEADER = ("行号", "来源", "结果", "字段", "字段名", "值", "原因")


def _field_label(field: str) -> str:
    from patentbridge_engine.ingest.record import FIELD_LABELS

    return FIELD_LABELS.get(field, "整行" if field == "row" else field)


def reject_report_csv(batch: ImportBatch) -> bytes:
    """UTF-8 CSV with a BOM (so Excel opens it correctly), rejected rows first, then warnings.

    Values come straight from the imported file, so ``csv_bytes`` neutralises formula-like text.
    """

    def rows() -> Iterator[tuple[Any, ...]]:
        issues = batch.issues.order_by("-severity", "row_number", "id")  # "warning" > "error": errors first
        for issue in issues.iterator(chunk_size=2000):
            yield (
                issue.row_number,
                issue.label,
                issue.get_severity_display(),
                issue.field,
                _field_label(issue.field),
                issue.value,
                issue.reason,
            )

    return csv_bytes(REPORT_HEADER, rows())


def write_reject_report(batch: ImportBatch) -> Path:
    """Write the report under the data directory and return its path."""
    path = Path(settings.DATA_DIR) / "reports" / f"import-{batch.pk}-rejects.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(reject_report_csv(batch))
    return path


def estimate_rows(path: Path, fmt: str) -> int | None:
    """Rough row count for the progress bar (quoted line breaks make CSV counts approximate)."""
    try:
        if path.is_dir():
            return sum(1 for p in path.rglob("*") if p.suffix.lower() == ".xml")
        if fmt in ("csv", "jsonl"):
            with path.open("rb") as fh:
                lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
            return max(lines - (1 if fmt == "csv" else 0), 0)
        if fmt == "xlsx":
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True)
            try:
                return max((workbook.worksheets[0].max_row or 1) - 1, 0)
            finally:
                workbook.close()
        if fmt == "xml":
            return 1
    except OSError:
        return None
    return None
