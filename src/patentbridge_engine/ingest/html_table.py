"""Reader for spreadsheet exports that are really HTML tables saved as ``.xls`` (CNKI and others).

CNKI's 中国专利 export ("CNKI-2025….xls") is an HTML page holding one ``<table>``; its first row
names the columns bilingually (``PubNo-公开号``, ``Title-题名``), and the English half is dropped
so the Chinese header vocabulary applies. The file is fed to the standard library's HTML parser
in blocks, so time is linear in the file size and memory stays flat in the number of rows.
A real binary (BIFF) ``.xls`` is not an HTML table and is refused with a clear reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from patentbridge_engine.errors import InputFormatError
from patentbridge_engine.ingest.record import SourceRow

__all__ = ["is_html_table", "read_html_table"]

_BLOCK = 1 << 16
# "PubNo-公开号" → "公开号": CNKI writes "English-中文" headers.
_BILINGUAL = re.compile(r"^[A-Za-z][A-Za-z ]*-(?=[^-]*[\u4e00-\u9fff])")
_WHITESPACE = re.compile(r"\s+")
# BIFF/OLE2 compound documents (true Excel 97–2003 files) start with this signature.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class _TableParser(HTMLParser):
    """Collects the cells of every ``<tr>`` of the first table into finished rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.tables = 0
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables += 1
            self._depth += 1
        elif self._depth == 1 and self.tables == 1:
            if tag == "tr":
                self._finish_row()
                self._row = []
            elif tag in ("td", "th") and self._row is not None:
                self._finish_cell()
                self._cell = []
            elif tag == "br" and self._cell is not None:
                self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._finish_row()
            self._depth = max(0, self._depth - 1)
        elif tag in ("td", "th"):
            self._finish_cell()
        elif tag == "tr":
            self._finish_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _finish_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.append(_WHITESPACE.sub(" ", "".join(self._cell)).strip())
        self._cell = None

    def _finish_row(self) -> None:
        self._finish_cell()
        if self._row is not None:
            self.rows.append(self._row)
        self._row = None


def is_html_table(path: Path) -> bool:
    """Whether a ``.xls`` file is an HTML table export (True) rather than a binary workbook."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(_OLE2):
        return False
    text = head.decode("utf-8", errors="ignore").lower()
    return "<table" in text or "<html" in text


def _header(cell: str) -> str:
    return _BILINGUAL.sub("", cell).strip()


def read_html_table(path: Path) -> Iterator[SourceRow]:
    """Stream the rows of the first HTML table; the first non-empty row is the header (row 1)."""
    if not is_html_table(path):
        raise InputFormatError(
            "无法读取该 .xls 文件：它是旧版二进制 Excel 格式。请在 Excel 中另存为 .xlsx 后再导入"
        )
    parser = _TableParser()
    headers: list[str] | None = None
    row_number = 0
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        while True:
            block = fh.read(_BLOCK)
            if block:
                parser.feed(block)
            else:
                parser.close()
                parser._finish_row()
            finished, parser.rows = parser.rows, []
            for cells in finished:
                row_number += 1
                if not any(cells):
                    continue
                if headers is None:
                    headers = [_header(c) for c in cells]
                    continue
                values: dict[str, object] = dict(zip(headers, cells, strict=False))
                if len(cells) > len(headers):
                    values["__extra__"] = cells[len(headers) :]
                yield SourceRow(row_number, values)
            if not block:
                break
    if headers is None:
        raise InputFormatError("文件中没有找到表格，无法导入")
