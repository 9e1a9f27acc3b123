"""Readers for tabular exports: CSV/TSV, XLSX, JSONL and JSON arrays.

Each reader yields :class:`SourceRow` with the row number a person sees in the source
(header = row 1 for spreadsheets, so the first data row is 2; line numbers for JSONL;
array position + 1 for JSON). Readers stream: memory stays flat in the number of rows,
except for JSON arrays, which Python's json module reads whole.

Readers are given untrusted files: an XLSX is checked against :class:`FileLimits` before
openpyxl opens it, JSON nesting is bounded, and a line or element that cannot be parsed
becomes an ``__error__`` row (rejected with its number) rather than failing the file.
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
from patentbridge_engine.ingest.safety import DEFAULT_LIMITS, FileLimits, check_xlsx_archive, nesting_depth

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
        try:
            for cells in reader:
                row_number += 1
                if not any(c.strip() for c in cells):
                    continue
                yield SourceRow(row_number, _zip_row(headers, cells))
        except csv.Error as exc:  # e.g. a field beyond the size limit: the rest cannot be split reliably
            raise InputFormatError(f"CSV 格式错误（约第 {row_number} 行）：{exc}") from exc


def _zip_row(headers: list[str], cells: list[Any]) -> dict[str, Any]:
    values = dict(zip(headers, cells, strict=False))
    if len(cells) > len(headers):
        values["__extra__"] = cells[len(headers) :]
    return values


def read_xlsx(path: Path, limits: FileLimits = DEFAULT_LIMITS) -> Iterator[SourceRow]:
    """Stream the first worksheet of an XLSX workbook; the first non-empty row is the header.

    The archive's declared sizes are checked first (#b: a 300 MB sharedStrings.xml cost
    minutes and ~900 MB RAM inside openpyxl before a single row was read).
    """
    from openpyxl import load_workbook

    check_xlsx_archive(path, limits)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise InputFormatError(f"无法读取 Excel 文件：{exc}") from exc
    row_number = 0
    try:
        if not workbook.worksheets:
            raise InputFormatError("Excel 文件中没有工作表")
        sheet = workbook.worksheets[0]
        headers: list[str] | None = None
        for row_number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(c is not None and str(c).strip() for c in cells):
                continue
            if headers is None:
                headers = [str(c).strip() if c is not None else "" for c in cells]
                continue
            yield SourceRow(row_number, _zip_row(headers, list(cells)))
    except InputFormatError:
        raise
    except Exception as exc:  # broken sheet XML, bad CRC, unknown cell types: openpyxl's many types
        raise InputFormatError(f"Excel 文件第 {row_number + 1} 行附近无法读取：{exc}") from exc
    finally:
        workbook.close()


def _object_error(value: Any, limits: FileLimits, what: str) -> str:
    """Why a parsed JSON value cannot be a record ("" when it can)."""
    if not isinstance(value, dict):
        return f"{what}不是 JSON 对象"
    if nesting_depth(value, limits.max_json_depth) > limits.max_json_depth:
        return f"{what}嵌套层级超过 {limits.max_json_depth} 层"
    return ""


def read_jsonl(path: Path, limits: FileLimits = DEFAULT_LIMITS) -> Iterator[SourceRow]:
    """One JSON object per line; a line that is not a usable object is yielded with a parse marker."""
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
            except RecursionError:  # #d: deeper than the interpreter's stack, before our own bound
                yield SourceRow(line_number, {"__error__": "该行 JSON 嵌套层级过深"})
                continue
            except ValueError as exc:  # e.g. an integer longer than Python's 4,300-digit limit
                yield SourceRow(line_number, {"__error__": f"JSON 值无法读取：{exc}"})
                continue
            error = _object_error(value, limits, "该行")
            yield SourceRow(line_number, {"__error__": error} if error else value)


def read_json(path: Path, limits: FileLimits = DEFAULT_LIMITS) -> Iterator[SourceRow]:
    """A JSON array of objects (the PatSnap-style export) or an object with a list under ``data``.

    Undecodable bytes become U+FFFD, so only the elements holding them are rejected.
    """
    enc = detect_encoding(path)
    try:
        with path.open("r", encoding=enc, errors="replace") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise InputFormatError(f"无法解析 JSON 文件：{exc.msg}（第{exc.lineno}行第{exc.colno}列）") from exc
    except RecursionError as exc:  # #d: json recurses once per nesting level
        raise InputFormatError("JSON 文件嵌套层级过深，无法读取") from exc
    except ValueError as exc:  # e.g. an integer longer than Python's 4,300-digit limit
        raise InputFormatError(f"无法解析 JSON 文件：{exc}") from exc
    if isinstance(data, dict):
        data = data.get("data") or data.get("patents") or data.get("records")
    if not isinstance(data, list):
        raise InputFormatError("JSON 文件应为对象数组")
    for position, value in enumerate(data, start=1):
        error = _object_error(value, limits, "数组元素")
        yield SourceRow(position, {"__error__": error} if error else value)


def table_headers(rows: list[SourceRow]) -> list[str]:
    """Union of keys over sample rows (JSON records need not share keys), in first-seen order."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row.values:
            if not key.startswith("__"):
                seen.setdefault(key, None)
    return list(seen)
