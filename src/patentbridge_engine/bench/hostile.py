"""Hostile input files for tests and benchmarks, generated small (nothing big is committed).

Used by ``tests/engine/test_hostile_files.py``, ``tests/web/test_import_hostile.py`` and
``bench/hostile_files.py``; the importer must refuse them before parsing (see ``ingest/safety.py``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

__all__ = ["shared_strings_bomb", "small_xlsx"]


def small_xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    """A real workbook written by openpyxl with ``rows`` on its first sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def shared_strings_bomb(unpacked_mb: int = 300) -> bytes:
    """A valid workbook whose sharedStrings.xml unpacks to ``unpacked_mb`` MB (~0.3 MB on disk)."""
    base = zipfile.ZipFile(io.BytesIO(small_xlsx([["申请号"], ["202310123456.6"]])))
    out = io.BytesIO()
    entry = b"<si><t>" + "专利".encode() * 40 + b"</t></si>"
    block = entry * ((1 << 20) // len(entry))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in base.infolist():
            if item.filename != "xl/sharedStrings.xml":
                bomb.writestr(item, base.read(item))
        with bomb.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(unpacked_mb):
                member.write(block)
            member.write(b"</sst>")
    return out.getvalue()
