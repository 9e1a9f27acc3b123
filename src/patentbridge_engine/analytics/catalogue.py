"""The indicator catalogue (统计监测指标目录, transactions-and-analytics.md §7.c).

Every number the platform reports has one entry: an id, a Chinese name, the definition the count
follows, its unit, where the definition comes from, and whether it is a platform count (平台口径:
computed from the platform's own records, as of a date) or an official figure (官方数据: published
by CNIPA/NBS or a province, shipped as the dated reference table in ``official.py``). The web layer
binds a compute function to each platform id; nothing here reads a database.
"""

from __future__ import annotations

from patentbridge_engine.analytics.catalogue_types import GROUPS, IndicatorDef, IndicatorKind
from patentbridge_engine.analytics.definitions import CATALOGUE

__all__ = ["CATALOGUE", "GROUPS", "IndicatorDef", "IndicatorKind", "by_group", "indicator"]

_BY_ID = {d.id: d for d in CATALOGUE}


def indicator(indicator_id: str) -> IndicatorDef:
    """The catalogue entry ``indicator_id``; KeyError (Chinese message) for an unknown id."""
    try:
        return _BY_ID[indicator_id]
    except KeyError:
        raise KeyError(f"未知的指标：{indicator_id}") from None


def by_group() -> list[tuple[str, str, list[IndicatorDef]]]:
    """(group id, heading, entries) in display order, groups without entries left out."""
    out = []
    for key, heading in GROUPS.items():
        entries = [d for d in CATALOGUE if d.group == key]
        if entries:
            out.append((key, heading, entries))
    return out
