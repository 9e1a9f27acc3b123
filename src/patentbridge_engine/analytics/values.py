"""Computed indicator values: the headline number, its breakdown rows and their JSON form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from patentbridge_engine.analytics.catalogue import IndicatorDef

__all__ = ["Number", "Row", "Scope", "Value", "format_value", "number_json"]

Number = int | Decimal | float | None


@dataclass(frozen=True)
class Scope:
    """Whose records an indicator counts: as of ``as_of``; inside GB/T 2260 ``region`` prefix ("" =
    everywhere); for organisation ``org_id`` on its ``org_side`` ("supply": the university's
    patents, offers and licences granted; "demand": the enterprise's needs and licences taken);
    for inventor ``inventor_id`` (their own patents and income lines)."""

    as_of: dt.date
    region: str = ""
    org_id: int | None = None
    org_side: str = ""
    inventor_id: int | None = None

    def describe(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "region": self.region,
            "org_id": self.org_id,
            "org_side": self.org_side,
            "inventor_id": self.inventor_id,
        }


@dataclass(frozen=True)
class Row:
    """One breakdown line: a key (code), a Chinese label, the value, optional extra columns
    (name → value, in order) and a drill-down link filled in by the web layer."""

    key: str
    label: str
    value: Number
    extra: tuple[tuple[str, Number | str], ...] = ()
    link: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "label": self.label, "value": number_json(self.value)}
        if self.extra:
            out["extra"] = {name: number_json(v) if not isinstance(v, str) else v for name, v in self.extra}
        return out


@dataclass(frozen=True)
class Value:
    """One indicator's result for a scope. ``value`` None means "cannot be computed" (e.g. a rate
    without a denominator), never zero; ``note`` says why in Chinese."""

    definition: IndicatorDef
    value: Number
    rows: Sequence[Row] = field(default_factory=tuple)
    note: str = ""

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def display(self) -> str:
        return format_value(self.value, self.definition.unit)

    def as_dict(self, scope: Scope | None = None) -> dict[str, Any]:
        d = self.definition
        out: dict[str, Any] = {
            "id": d.id,
            "group": d.group,
            "name": d.name,
            "value": number_json(self.value),
            "unit": d.unit,
            "display": self.display,
            "kind": d.kind.value,
            "kind_label": d.kind_label,
            "definition": d.definition,
            "source": d.source,
            "guide_ref": d.guide_ref,
            "breakdown": d.breakdown,
            "row_unit": d.rows_unit,
            "rows": [r.as_dict() for r in self.rows],
            "note": self.note,
        }
        if scope is not None:
            out["scope"] = scope.describe()
        return out


def number_json(value: Number) -> int | float | None:
    """A JSON number: Decimal money as float with two places, whole numbers as int."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01")))
    return value


def format_value(value: Number, unit: str) -> str:
    """The value as shown on pages: ``¥12,345.00`` for money, ``37.5%`` for rates, ``1,234 件``
    for counts; ``—`` when it cannot be computed."""
    if value is None:
        return "—"
    if unit == "元":
        return f"¥{Decimal(value):,.2f}"
    if unit == "%":
        return f"{float(value):.1f}%"
    if isinstance(value, float):
        return f"{value:,.1f} {unit}"
    return f"{value:,} {unit}"
