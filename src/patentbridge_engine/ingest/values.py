"""Parsing of the value formats found in Chinese patent exports."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from patentbridge_engine.text.width import normalize_text, to_halfwidth

__all__ = ["parse_bool", "parse_date", "parse_int", "split_list", "text_value"]

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
)
_LIST_SPLIT = re.compile(r"\s*[;；|\r\n]\s*")
# Excel stores dates as days since 1899-12-30.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Exports write "0" or a dash for "no date".
_EMPTY_MARKERS = {"", "0", "-", "--", "—", "无", "none", "null", "nan", "n/a"}


def text_value(raw: Any) -> str:
    """A cell as clean text; numbers keep no trailing ``.0``."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return normalize_text(str(raw))


def parse_date(raw: Any) -> dt.date | None:
    """Parse ``20221202``, ``2022-12-02``, ``2022/12/2``, ``2022年12月2日``, Excel dates; empty → None.

    Raises ValueError with a Chinese message for a non-empty value that is no date.
    """
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 < raw < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
    text = to_halfwidth(text_value(raw))
    if text.lower() in _EMPTY_MARKERS:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                break
    raise ValueError(f"日期无法识别：{text}")


def parse_int(raw: Any) -> int | None:
    """Parse a count; empty → None; raises ValueError for text that is no whole number ≥ 0."""
    text = to_halfwidth(text_value(raw)).replace(",", "")
    if text.lower() in _EMPTY_MARKERS - {"0"}:
        return None
    if not re.fullmatch(r"\d+", text):
        raise ValueError(f"应为非负整数：{text}")
    return int(text)


def parse_bool(raw: Any) -> bool | None:
    """是/否, Y/N, 1/0, true/false; empty → None."""
    text = text_value(raw).lower()
    if not text:
        return None
    if text in ("是", "y", "yes", "true", "1", "有", "√"):
        return True
    if text in ("否", "n", "no", "false", "0", "无"):
        return False
    raise ValueError(f"应为“是”或“否”：{text}")


def split_list(raw: Any) -> list[str]:
    """Split ``a;b；c`` (or a JSON list) into clean, de-duplicated items, order kept."""
    if raw is None:
        return []
    if isinstance(raw, list):
        items = raw
    else:
        # Split before text_value collapses whitespace: a line break inside a cell separates items.
        items = _LIST_SPLIT.split(raw if isinstance(raw, str) else text_value(raw))
    out: list[str] = []
    for item in items:
        value = text_value(item)
        if value and value not in out:
            out.append(value)
    return out
