"""CNKI-style exports (an HTML table saved as .xls) are read row by row with Chinese headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from patentbridge_engine.errors import InputFormatError
from patentbridge_engine.ingest.html_table import is_html_table, read_html_table

CNKI_SAMPLE = (
    Path(__file__).resolve().parents[2] / "src" / "patentbridge" / "demo_data" / "CNKI-20250409225340308.xls"
)


def test_real_cnki_export_reads_every_row_with_chinese_headers() -> None:
    """The real CNKI export: 154 data rows (rows 2–155), bilingual headers reduced to their Chinese half."""
    rows = list(read_html_table(CNKI_SAMPLE))
    assert len(rows) == 154
    assert [r.row_number for r in rows] == list(range(2, 156))
    first = rows[0].values
    assert first["公开号"] == "CN107725667A"
    assert first["题名"] == "一种大型力学试验的高强隔振柱"
    assert first["作者"] == "周翠英; 苏定立; 景兴达; 刘镇"  # whitespace runs inside a cell collapsed
    assert "PubNo-公开号" not in first


def test_entities_breaks_and_extra_cells(tmp_path: Path) -> None:
    """Entities decode, <br> separates lines, empty rows are skipped and extra cells are kept aside."""
    path = tmp_path / "x.xls"
    path.write_text(
        "<html><body><table><tr><td>Title-题名</td><td>PubNo-公开号</td></tr>"
        "<tr><td></td><td></td></tr>"
        "<tr><td>A &amp; B<br>装置</td><td>CN1A</td><td>多余</td></tr></table></body></html>",
        encoding="utf-8",
    )
    rows = list(read_html_table(path))
    assert len(rows) == 1
    assert rows[0].row_number == 3
    assert rows[0].values["题名"] == "A & B 装置"
    assert rows[0].values["__extra__"] == ["多余"]


def test_binary_xls_and_tableless_files_are_refused_in_chinese(tmp_path: Path) -> None:
    """A real BIFF .xls or a page without a table fails with a Chinese reason, not a crash."""
    binary = tmp_path / "old.xls"
    binary.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert not is_html_table(binary)
    with pytest.raises(InputFormatError, match="二进制"):
        list(read_html_table(binary))
    empty = tmp_path / "empty.xls"
    empty.write_text("<html><body><p>无表格</p></body></html>", encoding="utf-8")
    with pytest.raises(InputFormatError, match="没有找到表格"):
        list(read_html_table(empty))


def test_unclosed_markup_is_read_without_backtracking(tmp_path: Path) -> None:
    """Hostile input (a huge unclosed cell) ends with at most the header row instead of an error; the
    parser reads in fixed blocks, so memory and time grow linearly (bench/hostile_files measures it)."""
    path = tmp_path / "hostile.xls"
    path.write_text("<table><tr><td>题名</td></tr><tr><td>" + "<" * 1_000_000, encoding="utf-8")
    rows = list(read_html_table(path))
    assert len(rows) <= 1
