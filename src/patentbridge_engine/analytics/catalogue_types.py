"""Types of the indicator catalogue: the kind (平台口径 / 官方数据), the groups and one entry."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["GROUPS", "IndicatorDef", "IndicatorKind"]


class IndicatorKind(StrEnum):
    """Platform counts and official figures are never mixed in one table (§7.c rules)."""

    PLATFORM = "platform"
    OFFICIAL = "official"

    @property
    def label(self) -> str:
        return {"platform": "平台口径", "official": "官方数据"}[self.value]


# Group id → Chinese heading, in display order.
GROUPS: dict[str, str] = {
    "library": "专利资源库",
    "matching": "供需匹配",
    "licensing": "许可交易",
    "money": "许可收入",
    "open": "开放许可",
    "public_list": "公开实施清单",
    "menus": "专利菜单",
    "conversion": "转化率",
    "pools": "专利池",
    "roadshows": "一月一链路演",
}


@dataclass(frozen=True)
class IndicatorDef:
    """One catalogue entry. ``guide_ref`` names the guide's indicator row (I1–I14) it serves,
    when there is one; ``breakdown`` names what the detail rows are split by ("" for none);
    ``row_unit`` is the rows' unit when it differs from the headline's."""

    id: str
    group: str
    name: str
    definition: str
    unit: str
    source: str
    kind: IndicatorKind = IndicatorKind.PLATFORM
    guide_ref: str = ""
    breakdown: str = ""
    row_unit: str = ""

    @property
    def rows_unit(self) -> str:
        """The unit of the breakdown rows: a rate per university while the headline counts them."""
        return self.row_unit or self.unit

    @property
    def kind_label(self) -> str:
        return self.kind.label
