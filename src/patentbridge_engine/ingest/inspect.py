"""Cheap inspection of an import file before it is queued: limits and a row estimate.

This runs in the web request (#b, #f), so nothing here parses the whole file: CSV/JSONL
rows are counted as newlines, an XLSX's rows come from the ``<dimension>`` element at the
top of its first worksheet (openpyxl would load every shared string first), and the full
parse happens later, in the worker.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from patentbridge_engine.ingest.safety import DEFAULT_LIMITS, FileLimits, check_xlsx_archive

__all__ = ["estimate_rows", "inspect_file", "xlsx_row_estimate"]

_BLOCK = 1 << 20
# The dimension element sits before the sheet data; writers put it in the first few hundred bytes.
_SHEET_HEAD_BYTES = 64 * 1024
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]{1,3}\d+(?::[A-Z]{1,3}(\d+))?\"")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Parts read whole to find the first sheet; real ones are a few KB.
_MAX_PART_BYTES = 4 << 20


def _small_part(archive: zipfile.ZipFile, name: str) -> Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_PART_BYTES:
        return None
    root: Element = SafeET.fromstring(archive.read(info))
    return root


def _first_sheet_name(archive: zipfile.ZipFile) -> str:
    """The first worksheet's part name, by the workbook's own order (not always sheet1.xml)."""
    workbook = _small_part(archive, "xl/workbook.xml")
    rels = _small_part(archive, "xl/_rels/workbook.xml.rels")
    if workbook is not None and rels is not None:
        first = next((el for el in workbook.iter() if el.tag.endswith("}sheet")), None)
        rel_id = first.get(f"{{{_REL_NS}}}id") if first is not None else None
        for rel in rels:
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "").lstrip("/")
                return target if target.startswith("xl/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def xlsx_row_estimate(path: Path) -> int | None:
    """Data rows (header excluded) of the first worksheet from its ``<dimension>``; None if absent."""
    with zipfile.ZipFile(path) as archive:
        name = _first_sheet_name(archive)
        try:
            with archive.open(name) as sheet:
                head = sheet.read(_SHEET_HEAD_BYTES)
        except KeyError:
            return None
    match = _DIMENSION.search(head)
    if match is None:
        return None
    last = int(match.group(1)) if match.group(1) else 1
    return max(last - 1, 0)


def estimate_rows(path: Path, fmt: str) -> int | None:
    """Rough row count for the progress bar (quoted line breaks make CSV counts approximate)."""
    if path.is_dir():
        return sum(1 for p in path.rglob("*") if p.suffix.lower() == ".xml")
    if fmt in ("csv", "jsonl"):
        with path.open("rb") as fh:
            lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(_BLOCK), b""))
        return max(lines - (1 if fmt == "csv" else 0), 0)
    if fmt == "xlsx":
        return xlsx_row_estimate(path)
    if fmt == "xls":  # an HTML table export: one <tr> per row, the first is the header
        with path.open("rb") as fh:
            rows = sum(block.lower().count(b"<tr") for block in iter(lambda: fh.read(_BLOCK), b""))
        return max(rows - 1, 0)
    if fmt == "xml":
        return 1
    return None


def inspect_file(path: Path, fmt: str, limits: FileLimits = DEFAULT_LIMITS) -> int | None:
    """Check the file against ``limits`` and return its row estimate.

    Raises :class:`InputFormatError` (Chinese message) for a file that must not be queued,
    e.g. an XLSX that is no ZIP archive or would unpack to more than the limits allow.
    """
    if fmt == "xlsx" and not path.is_dir():
        check_xlsx_archive(path, limits)
    try:
        return estimate_rows(path, fmt)
    except (OSError, zipfile.BadZipFile, ValueError, SyntaxError):
        # The estimate only drives the progress bar; the worker reports real read errors.
        return None
