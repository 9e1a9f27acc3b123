"""From a file on disk to a stream of per-row outcomes.

``detect_format`` picks a reader; ``iter_outcomes`` maps headers, adapts source quirks and
builds records. Every row read yields exactly one :class:`RowOutcome` (a record, or the
issues that reject it), which is what lets the importer account for every row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patentbridge_engine.errors import InputFormatError
from patentbridge_engine.ingest.adapters import adapt_row
from patentbridge_engine.ingest.build import build_record
from patentbridge_engine.ingest.cnipa_xml import read_xml_files
from patentbridge_engine.ingest.headers import HeaderMap, map_headers
from patentbridge_engine.ingest.html_table import read_html_table
from patentbridge_engine.ingest.readers import read_csv, read_json, read_jsonl, read_xlsx
from patentbridge_engine.ingest.record import PatentRecord, RowIssue, SourceRow
from patentbridge_engine.ingest.safety import DEFAULT_LIMITS, FileLimits, describe_read_error

__all__ = ["FORMATS", "RowOutcome", "detect_format", "header_report", "iter_outcomes", "read_rows"]

FORMATS = ("csv", "xlsx", "xls", "jsonl", "json", "xml")
_REPLACEMENT = "\ufffd"


@dataclass(slots=True)
class RowOutcome:
    """The result of one source row: ``record`` when usable, otherwise ``issues`` say why not."""

    row_number: int
    label: str
    record: PatentRecord | None
    issues: list[RowIssue] = field(default_factory=list)


def detect_format(path: Path) -> str:
    """Format from the file name (or ``xml`` for a directory of XML files)."""
    if path.is_dir():
        return "xml"
    suffix = path.suffix.lower()
    mapping = {
        ".csv": "csv",
        ".tsv": "csv",
        ".txt": "csv",
        ".xlsx": "xlsx",
        ".xlsm": "xlsx",
        # CNKI and other databases export an HTML table named .xls (a binary .xls is refused there).
        ".xls": "xls",
        ".jsonl": "jsonl",
        ".ndjson": "jsonl",
        ".json": "json",
        ".xml": "xml",
    }
    if suffix not in mapping:
        raise InputFormatError(
            f"无法识别的文件类型：{path.name}（支持 CSV、XLSX、CNKI 导出的 XLS、JSONL、JSON、XML）"
        )
    return mapping[suffix]


def read_rows(path: Path, fmt: str | None = None, limits: FileLimits = DEFAULT_LIMITS) -> Iterator[SourceRow]:
    """Stream the raw rows of ``path`` in format ``fmt`` (detected when None).

    Whatever a reader raises while reading (a broken archive, a stack overflow, memory)
    surfaces as :class:`InputFormatError` with a Chinese message: the caller fails the
    batch with that message instead of crashing (#d, #f).
    """
    fmt = fmt or detect_format(path)
    if fmt == "csv":
        return _guarded(read_csv(path))
    if fmt == "xlsx":
        return _guarded(read_xlsx(path, limits))
    if fmt == "xls":
        return _guarded(read_html_table(path))
    if fmt == "jsonl":
        return _guarded(read_jsonl(path, limits))
    if fmt == "json":
        return _guarded(read_json(path, limits))
    if fmt == "xml":
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".xml") if path.is_dir() else [path]
        return _guarded(read_xml_files(files))
    raise InputFormatError(f"不支持的格式：{fmt}")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


def _without_nul(value: Any) -> Any:
    """U+0000 becomes U+FFFD: PostgreSQL cannot store NUL in text or JSON, and a cell holding
    one is undecodable text, so its row is rejected like any other bad byte (#e)."""
    if isinstance(value, str):
        return value.replace("\x00", _REPLACEMENT) if "\x00" in value else value
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


def _guarded(rows: Iterator[SourceRow]) -> Iterator[SourceRow]:
    try:
        for row in rows:
            if _has_nul(row.values):
                row = SourceRow(row.row_number, _without_nul(row.values), row.label)
            yield row
    except InputFormatError:
        raise
    except Exception as exc:  # any reader failure (MemoryError and RecursionError included) is the file's
        raise InputFormatError(describe_read_error(exc)) from exc


def iter_outcomes(
    rows: Iterator[SourceRow], overrides: Mapping[str, str] | None = None, *, start_after: int = 0
) -> Iterator[RowOutcome]:
    """Build one outcome per row; rows numbered ``<= start_after`` are skipped (resume)."""
    maps: dict[tuple[str, ...], HeaderMap] = {}
    checked_first = False
    for row in rows:
        if row.row_number <= start_after:
            continue
        if "__error__" in row.values:
            issue = RowIssue(row.row_number, "row", row.label, str(row.values["__error__"]))
            yield RowOutcome(row.row_number, row.label, None, [issue])
            continue
        values = adapt_row(row.values)
        keys = tuple(values)
        header_map = maps.get(keys)
        if header_map is None:
            header_map = map_headers([k for k in keys if not k.startswith("__")], overrides)
            maps[keys] = header_map
        if not checked_first and header_map.missing_required():
            raise InputFormatError(
                "未找到申请号列或公开（公告）号列：请检查表头，或提供映射文件指明哪一列是申请号"
            )
        checked_first = True
        record, issues = build_record(SourceRow(row.row_number, values, row.label), header_map)
        if "__extra__" in values:
            issues.append(RowIssue(row.row_number, "row", "", "该行的列数多于表头，多出的值已忽略"))
        yield RowOutcome(row.row_number, row.label, record, issues)


def header_report(
    path: Path, fmt: str | None = None, overrides: Mapping[str, str] | None = None
) -> HeaderMap | None:
    """How the first row's headers map (None for an empty or unreadable file), shown before import."""
    try:
        first = next(iter(read_rows(path, fmt)), None)
    except InputFormatError:  # read_rows reports every reader failure this way
        return None
    if first is None or "__error__" in first.values:
        return None
    values = adapt_row(first.values)
    return map_headers([k for k in values if not k.startswith("__")], overrides)
