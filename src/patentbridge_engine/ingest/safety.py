"""Limits for hostile or broken import files, checked before anything expensive is parsed.

An upload is untrusted: an XLSX is a ZIP archive that may unpack to gigabytes (a "zip bomb"),
a JSON document may nest deeper than Python's recursion limit, and any reader may fail in
ways its library does not document. This module holds the limits, the cheap ZIP check that
runs before openpyxl opens a workbook, and the one place that turns an unexpected reader
exception into a Chinese message for the user.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from patentbridge_engine.errors import InputFormatError

__all__ = ["DEFAULT_LIMITS", "FileLimits", "check_xlsx_archive", "describe_read_error", "nesting_depth"]

_MB = 1 << 20


@dataclass(frozen=True, slots=True)
class FileLimits:
    """Upper bounds for one import file; the defaults suit a laptop with a few GB of RAM."""

    # openpyxl (read-only) still streams each worksheet, so the total mostly bounds disk and
    # time; 2 GiB is about ten times the largest real export we have seen unpacked.
    max_unpacked_bytes: int = 2048 * _MB
    # Text XML deflates 5-20x; repeated-byte bombs reach 1000x. Members smaller than
    # ``ratio_min_bytes`` are not checked (tiny styles.xml files compress very well).
    max_ratio: int = 100
    ratio_min_bytes: int = 4 * _MB
    # openpyxl loads every shared string into memory before the first row: 300 MB of
    # sharedStrings.xml cost ~900 MB RAM and minutes. 256 MB holds ~100k rows of abstracts.
    max_shared_strings_bytes: int = 256 * _MB
    # Real workbooks have a few dozen members; thousands means a crafted archive.
    max_members: int = 10_000
    # Patent records are flat objects with short lists; 64 levels leaves room for odd exports
    # while staying far below the interpreter's recursion limit (about 1,000 frames).
    max_json_depth: int = 64


DEFAULT_LIMITS = FileLimits()


def check_xlsx_archive(path: Path, limits: FileLimits = DEFAULT_LIMITS) -> None:
    """Refuse an XLSX that is not a ZIP archive or would unpack too large, reading only its directory.

    The sizes checked are the ones the archive declares; Python's zipfile never inflates a
    member beyond its declared size (it fails with a CRC error instead), so they are binding.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise InputFormatError("不是有效的 Excel（XLSX）文件：文件不是 ZIP 压缩包或已损坏") from exc
    if len(members) > limits.max_members:
        raise InputFormatError(f"Excel 文件包含的部件过多（{len(members)} 个），疑似恶意构造的文件")
    total = sum(m.file_size for m in members)
    if total > limits.max_unpacked_bytes:
        raise InputFormatError(
            f"Excel 文件解压后过大（{total // _MB} MB，上限 {limits.max_unpacked_bytes // _MB} MB）"
        )
    for member in members:
        if member.file_size >= limits.ratio_min_bytes and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise InputFormatError(
                f"Excel 文件中的 {member.filename} 压缩比异常（{member.file_size // max(member.compress_size, 1)} 倍），"
                "疑似压缩炸弹，已拒绝"
            )
        if member.filename.lower().endswith("sharedstrings.xml") and (
            member.file_size > limits.max_shared_strings_bytes
        ):
            raise InputFormatError(
                f"Excel 文件的共享字符串表过大（{member.file_size // _MB} MB，上限 "
                f"{limits.max_shared_strings_bytes // _MB} MB）；请拆分文件或另存为 CSV"
            )


def nesting_depth(value: Any, limit: int) -> int:
    """Depth of nested lists/dicts in ``value``, counted without recursion and stopping past ``limit``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, (dict, list)):
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children)
    return deepest


def describe_read_error(exc: BaseException) -> str:
    """A Chinese message for any exception raised while reading a file (shown on the batch page)."""
    if isinstance(exc, InputFormatError):
        return str(exc)
    if isinstance(exc, zipfile.BadZipFile):
        return f"Excel（XLSX）文件已损坏，无法解压：{exc}"
    if isinstance(exc, RecursionError):
        return "文件嵌套层级过深，无法读取"
    if isinstance(exc, MemoryError):
        return "文件过大，读取时超出可用内存；请拆分文件后再导入"
    if isinstance(exc, UnicodeError):
        return "文件编码无法识别，请另存为 UTF-8 或 GB18030"
    if isinstance(exc, csv.Error):
        return f"CSV 格式错误：{exc}"
    if isinstance(exc, ParseError):
        return f"文件中的 XML 无法解析：{exc}"
    if isinstance(exc, OSError):
        return f"文件无法读取：{exc}"
    return f"文件无法读取（{type(exc).__name__}：{exc}）"
