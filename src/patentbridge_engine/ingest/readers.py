"""Readers for tabular exports: CSV/TSV, XLSX, JSONL and JSON arrays.

Each reader yields :class:`SourceRow` with the row number a person sees in the source
(header = row 1 for spreadsheets, so the first data row is 2; line numbers for JSONL;
array position + 1 for JSON). Readers stream: memory stays flat in the number of rows,
except for JSON arrays, which Python's json module reads whole.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from patentbridge_engine.errors import InputFormatError
from patentbridge_engine.ingest.encoding import detect_encoding
from patentbridge_engine.ingest.record import SourceRow

__all__ = ["read_csv", "read_json", "read_jsonl", "read_xlsx", "table_headers"]

csv.field_size_limit(1 << 27)  # full claims texts exceed the 128 KiB default


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_csv(path: Path, encoding: str | None = None) -> Iterator[SourceRow]:
    """Stream a CSV/TSV file; undecodable bytes become U+FFFD so the row is rejected, not lost."""
    enc = encoding or detect_encoding(path)
    with path.open("r", encoding=enc, errors="replace", newline="") as fh:
        first = fh.readline()
        if not first.strip():
            raise InputFormatError("文件为空或缺少表头行")
        delimiter = _delimiter(first)
        headers = next(csv.reader([first], delimiter=delimiter))
        reader = csv.reader(fh, delimiter=delimiter)
        row_number = 1
        for cells in reader:
            row_number += 1
            if not any(c.strip() for c in cells):
                continue
            yield SourceRow(row_number, _zip_row(headers, cells))


def _zip_row(headers: list[str], cells: list[Any]) -> dict[str, Any]:
    values = dict(zip(headers, cells, strict=False))
    if len(cells) > len(headers):
        values["__extra__"] = cells[len(headers) :]
    return values


def read_xlsx(path: Path) -> Iterator[SourceRow]:
    """Stream the first worksheet of an XLSX workbook; the first non-empty row is the header."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise InputFormatError(f"无法读取 Excel 文件：{exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        headers: list[str] | None = None
        for row_number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(c is not None and str(c).strip() for c in cells):
                continue
            if headers is None:
                headers = [str(c).strip() if c is not None else "" for c in cells]
                continue
            yield SourceRow(row_number, _zip_row(headers, list(cells)))
    finally:
        workbook.close()


def read_jsonl(path: Path) -> Iterator[SourceRow]:
    """One JSON object per line; a line that is not an object is yielded with a parse marker."""
    enc = detect_encoding(path)
    with path.open("r", encoding=enc, errors="replace") as fh:
        for line_number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield SourceRow(line_number, {"__error__": f"JSON 格式错误：{exc.msg}（第{exc.colno}列）"})
                continue
            if not isinstance(value, dict):
                yield SourceRow(line_number, {"__error__": "该行不是 JSON 对象"})
                continue
            yield SourceRow(line_number, value)


def read_json(path: Path) -> Iterator[SourceRow]:
    """A JSON array of objects (the PatSnap-style export) or an object with a list under ``data``."""
    enc = detect_encoding(path)
    try:
        with path.open("r", encoding=enc) as fh:
            data = json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputFormatError(f"无法解析 JSON 文件：{exc}") from exc
    if isinstance(data, dict):
        data = data.get("data") or data.get("patents") or data.get("records")
    if not isinstance(data, list):
        raise InputFormatError("JSON 文件应为对象数组")
    for position, value in enumerate(data, start=1):
        if isinstance(value, dict):
            yield SourceRow(position, value)
        else:
            yield SourceRow(position, {"__error__": "数组元素不是 JSON 对象"})


def table_headers(rows: list[SourceRow]) -> list[str]:
    """Union of keys over sample rows (JSON records need not share keys), in first-seen order."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row.values:
            if not key.startswith("__"):
                seen.setdefault(key, None)
    return list(seen)
