"""Reject reports: every rejected row and every warning, with row, field, value and reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from patentbridge.core.spreadsheet import csv_bytes
from patentbridge.ingest.models import ImportBatch
from patentbridge_engine.ingest.inspect import estimate_rows as engine_estimate
from patentbridge_engine.ingest.record import FIELD_LABELS

__all__ = ["REPORT_HEADER", "estimate_rows", "reject_report_csv", "write_reject_report"]

REPORT_HEADER = ("行号", "来源", "结果", "字段", "字段名", "值", "原因")


def _field_label(field: str) -> str:

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
    """Rough row count for the progress bar, without parsing the file.

    #b: an XLSX's count comes from its sheet's ``<dimension>`` (openpyxl loaded every shared
    string first: 196 s and +900 MB for a 300 MB sharedStrings.xml). None when unknown.
    """
    import zipfile

    try:
        return engine_estimate(path, fmt)
    except (OSError, ValueError, SyntaxError, zipfile.BadZipFile):
        return None
