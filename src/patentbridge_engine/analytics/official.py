"""Official figures (官方公布数据): the dated reference table shipped in ``data/official_figures.json``.

These are numbers CNIPA, NBS, a province or a seed document published — survey rates, national
accounts, special-action totals — not counts of the platform's records. They are kept apart from
platform indicators everywhere they are shown (separate section under ``OFFICIAL_SECTION_LABEL``,
separate key in JSON), so nobody reads a platform count as the survey rate (§7.c rules).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_FIGURES_FILE",
    "OFFICIAL_SECTION_LABEL",
    "TAG_LABELS",
    "OfficialFigure",
    "figures_as_of",
    "load_figures",
]

DEFAULT_FIGURES_FILE = Path(__file__).resolve().parent / "data" / "official_figures.json"
# The heading every view uses for this table; tests check it is present and separate.
OFFICIAL_SECTION_LABEL = "官方公布数据（非平台统计）"
# Verification tags of the guide (§0.3): what a reader may rely on.
TAG_LABELS = {
    "R": "官方原文或权威转载",
    "S": "二手来源（待核实）",
    "seed": "政策文件/新闻报道原文",
}
_REQUIRED = ("id", "name", "value", "unit", "period", "date", "region", "source_id", "source", "tag")


@dataclass(frozen=True)
class OfficialFigure:
    """One published number: what it measures, for which period and region, and where it is from.

    ``date`` is the day the figure refers to (period end, or the announcement day for running
    totals), so a report as of an earlier day does not show a figure that did not exist yet."""

    id: str
    indicator: str
    name: str
    value: Decimal
    unit: str
    period: str
    date: dt.date
    region: str
    source_id: str
    source: str
    tag: str
    note: str = ""

    @property
    def display(self) -> str:
        """The value with thousands separators and its own decimals: ``1,025,000``, ``12.71``."""
        return f"{self.value:,}"

    @property
    def tag_label(self) -> str:
        return TAG_LABELS[self.tag]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; the value is a number (int when whole)."""
        number: int | float = int(self.value) if self.value == self.value.to_integral() else float(self.value)
        return {
            "id": self.id,
            "indicator": self.indicator,
            "name": self.name,
            "value": number,
            "unit": self.unit,
            "period": self.period,
            "date": self.date.isoformat(),
            "region": self.region,
            "source_id": self.source_id,
            "source": self.source,
            "tag": self.tag,
            "tag_label": self.tag_label,
            "note": self.note,
            "kind": "official",
        }


def _parse(index: int, row: Any) -> OfficialFigure:
    if not isinstance(row, dict):
        raise ValueError(f"官方数据第 {index} 条不是对象")
    missing = [key for key in _REQUIRED if key not in row]
    if missing:
        raise ValueError(f"官方数据第 {index} 条缺少字段：{'、'.join(missing)}")
    if row["tag"] not in TAG_LABELS:
        raise ValueError(f"官方数据第 {index} 条的核实标记 {row['tag']!r} 无效（应为 R、S 或 seed）")
    try:
        value = Decimal(str(row["value"]))
        date = dt.date.fromisoformat(str(row["date"]))
    except (ArithmeticError, ValueError):
        raise ValueError(f"官方数据第 {index} 条的数值或日期无效") from None
    if not value.is_finite():
        raise ValueError(f"官方数据第 {index} 条的数值无效")
    return OfficialFigure(
        id=str(row["id"]),
        indicator=str(row.get("indicator", "")),
        name=str(row["name"]),
        value=value,
        unit=str(row["unit"]),
        period=str(row["period"]),
        date=date,
        region=str(row["region"]),
        source_id=str(row["source_id"]),
        source=str(row["source"]),
        tag=str(row["tag"]),
        note=str(row.get("note", "")),
    )


@lru_cache(maxsize=4)
def _load(path: str, stamp: tuple[int, int]) -> tuple[OfficialFigure, ...]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"官方数据文件不是合法的 JSON：第 {exc.lineno} 行第 {exc.colno} 列") from None
    rows = data.get("figures") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ValueError("官方数据文件缺少 figures 列表")
    figures = [_parse(i, row) for i, row in enumerate(rows, start=1)]
    order = {f.id: i for i, f in enumerate(figures)}
    ids = [f.id for f in figures]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"官方数据编号重复：{'、'.join(duplicates)}")
    # By the guide's indicator number (I1 … I14, figures without one last), then file order.
    return tuple(sorted(figures, key=lambda f: (_indicator_number(f.indicator), order[f.id])))


def _indicator_number(ref: str) -> int:
    return int(ref[1:]) if ref[:1] == "I" and ref[1:].isdigit() else 99


def load_figures(path: Path | None = None) -> tuple[OfficialFigure, ...]:
    """Every figure, by indicator then in file order (re-read when the file changes).

    Raises ValueError with a Chinese message naming the entry when the file is malformed."""
    file = path or DEFAULT_FIGURES_FILE
    stat = file.stat()
    return _load(str(file), (stat.st_mtime_ns, stat.st_size))


def figures_as_of(as_of: dt.date, path: Path | None = None) -> list[OfficialFigure]:
    """The figures that refer to a day on or before ``as_of``."""
    return [f for f in load_figures(path) if f.date <= as_of]
