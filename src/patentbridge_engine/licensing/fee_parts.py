"""The parts of a fee schedule (see ``fees`` for the dict format): enums, one frozen dataclass per
component, the error type, and each component's canonical dict and Chinese description."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from patentbridge_engine.errors import PatentBridgeEngineError
from patentbridge_engine.licensing.money import format_cny, format_rate

__all__ = [
    "Component",
    "EntryFee",
    "EntryFeeDue",
    "FeeScheduleError",
    "Instalment",
    "LumpSum",
    "Milestone",
    "RateStep",
    "ReportPeriod",
    "Royalty",
    "RoyaltyBase",
    "RoyaltyKind",
    "Tier",
    "UnitPrice",
    "YearRate",
    "component_dict",
    "describe_component",
]


class FeeScheduleError(PatentBridgeEngineError, ValueError):
    """A fee-schedule dict is malformed: ``field`` is the JSON path, ``reason`` the Chinese text."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}：{reason}")
        self.field = field
        self.reason = reason


class RoyaltyBase(StrEnum):
    """What a royalty is computed on (民法典 Art. 846: 产品价格、专利实施后产生的新增产值、利润或产品销售额)."""

    NET_SALES = "net_sales"
    SALES = "sales"
    PROFIT = "profit"
    UNITS = "units"
    NEW_OUTPUT_VALUE = "new_output_value"

    @property
    def label(self) -> str:
        return _BASE_LABELS[self.value]


_BASE_LABELS = {
    "net_sales": "净销售额",
    "sales": "销售额",
    "profit": "利润",
    "units": "销售数量",
    "new_output_value": "新增产值",
}


class RoyaltyKind(StrEnum):
    """How the rate moves: one rate, stepped up or down by contract year, or marginal tiers."""

    FIXED = "fixed"
    INCREASING = "increasing"
    DECREASING = "decreasing"
    TIERED = "tiered"


class ReportPeriod(StrEnum):
    """How often the licensee reports usage and pays the royalty."""

    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def label(self) -> str:
        return {"quarter": "按季度报告", "half": "按半年报告", "year": "按年报告"}[self.value]

    @property
    def per_year(self) -> int:
        return {"quarter": 4, "half": 2, "year": 1}[self.value]


class EntryFeeDue(StrEnum):
    """When the entry fee (入门费/基本许可费) falls due."""

    SIGNING = "signing"
    CONVERSION = "conversion"

    @property
    def label(self) -> str:
        return {"signing": "签约时支付", "conversion": "转为付费时支付"}[self.value]


@dataclass(frozen=True)
class EntryFee:
    """入门费 (基本许可费): a fixed amount paid once, at signing or on conversion to paid."""

    amount: Decimal
    due: EntryFeeDue = EntryFeeDue.SIGNING
    type: Literal["entry_fee"] = "entry_fee"


@dataclass(frozen=True)
class Instalment:
    """One dated part of a lump sum."""

    date: dt.date
    amount: Decimal


@dataclass(frozen=True)
class LumpSum:
    """一次性许可费, optionally in dated instalments (none = the whole amount at signing)."""

    amount: Decimal
    instalments: tuple[Instalment, ...] = ()
    type: Literal["lump_sum"] = "lump_sum"


@dataclass(frozen=True)
class YearRate:
    """A royalty rate (fraction of the base) applying from contract year ``from_year`` on."""

    from_year: int
    rate: Decimal


@dataclass(frozen=True)
class UnitPrice:
    """A per-unit royalty in CNY applying from contract year ``from_year`` on (base ``units``)."""

    from_year: int
    per_unit: Decimal


@dataclass(frozen=True)
class Tier:
    """A marginal tier: ``rate`` applies to the part of the period base above ``from_amount``."""

    from_amount: Decimal
    rate: Decimal


RateStep = YearRate | UnitPrice | Tier


@dataclass(frozen=True)
class Royalty:
    """提成: ``rates`` by contract year (or tiers), with optional yearly minimum, yearly cap and
    total cap, paid ``pay_within_days`` after each ``report_period``. ``base``/``report_period``
    are None only in an unfinished draft (rule L9 blocks it)."""

    base: RoyaltyBase | None
    kind: RoyaltyKind
    rates: tuple[RateStep, ...]
    min_annual: Decimal | None = None
    cap_annual: Decimal | None = None
    cap_total: Decimal | None = None
    report_period: ReportPeriod | None = None
    pay_within_days: int = 30
    type: Literal["royalty"] = "royalty"

    @property
    def is_measurable(self) -> bool:
        """True when a base, a report period and at least one rate are set (rule L9)."""
        return self.base is not None and self.report_period is not None and bool(self.rates)


@dataclass(frozen=True)
class Milestone:
    """A fixed amount due when an event happens (no date: the event is reported, then invoiced)."""

    event: str
    amount: Decimal
    type: Literal["milestone"] = "milestone"


Component = EntryFee | LumpSum | Royalty | Milestone


def describe_component(c: Component) -> str:
    """One component in Chinese, e.g. ``入门费 ¥50,000.00（转为付费时支付）``."""
    if isinstance(c, EntryFee):
        return f"入门费 {format_cny(c.amount)}（{c.due.label}）"
    if isinstance(c, LumpSum):
        n = len(c.instalments)
        return f"一次性许可费 {format_cny(c.amount)}" + (f"（分 {n} 期支付）" if n > 1 else "")
    if isinstance(c, Milestone):
        return f"里程碑“{c.event}” {format_cny(c.amount)}"
    return _describe_royalty(c)


def _describe_royalty(r: Royalty) -> str:
    base = r.base.label if r.base is not None else "（计提基数未定）"
    if not r.rates:
        text = f"{base}提成（比例未定）"
    elif isinstance(r.rates[0], Tier):
        tiers = "、".join(
            f"{format_cny(t.from_amount)} 以上部分 {format_rate(t.rate)}"
            for t in r.rates
            if isinstance(t, Tier)
        )
        text = f"{base}分段累进提成：{tiers}"
    elif len(r.rates) == 1:
        text = _step_text(r.rates[0], base)
    else:
        years = [s.from_year for s in r.rates if not isinstance(s, Tier)]
        parts = []
        for i, step in enumerate(r.rates):
            span = f"第{years[i]}年起" if i + 1 == len(years) else f"第{years[i]}–{years[i + 1] - 1}年"
            parts.append(f"{_step_value(step)}（{span}）")
        text = "、".join(parts)
        if r.base is not RoyaltyBase.UNITS:
            text = f"{base}的 {text}"
    limits = []
    if r.min_annual is not None:
        limits.append(f"每年最低 {format_cny(r.min_annual)}")
    if r.cap_annual is not None:
        limits.append(f"每年封顶 {format_cny(r.cap_annual)}")
    if r.cap_total is not None:
        limits.append(f"累计封顶 {format_cny(r.cap_total)}")
    if limits:
        text += "（" + "，".join(limits) + "）"
    if r.report_period is not None:
        text += f"，{r.report_period.label}"
    return text


def _step_value(step: RateStep) -> str:
    if isinstance(step, UnitPrice):
        return f"每件 {format_cny(step.per_unit)}"
    return format_rate(step.rate)


def _step_text(step: RateStep, base: str) -> str:
    if isinstance(step, UnitPrice):
        return f"每件 {format_cny(step.per_unit)}"
    return f"{base}的 {format_rate(step.rate)}"


def _plain(value: Decimal) -> str:
    """A rate written without exponent or trailing zeros: 0.030 → "0.03", 1 → "1"."""
    return f"{value.normalize():f}"


def _step_dict(step: RateStep) -> dict[str, object]:
    if isinstance(step, YearRate):
        return {"from_year": step.from_year, "rate": _plain(step.rate)}
    if isinstance(step, UnitPrice):
        return {"from_year": step.from_year, "per_unit": f"{step.per_unit:.2f}"}
    return {"from_amount": f"{step.from_amount:.2f}", "rate": _plain(step.rate)}


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def component_dict(c: Component) -> dict[str, object]:
    """One component in the canonical dict form of the ``fees`` module docstring."""
    if isinstance(c, EntryFee):
        return {"type": c.type, "amount": f"{c.amount:.2f}", "due": c.due.value}
    if isinstance(c, LumpSum):
        return {
            "type": c.type,
            "amount": f"{c.amount:.2f}",
            "instalments": [{"date": i.date.isoformat(), "amount": f"{i.amount:.2f}"} for i in c.instalments],
        }
    if isinstance(c, Milestone):
        return {"type": c.type, "event": c.event, "amount": f"{c.amount:.2f}"}
    return {
        "type": c.type,
        "base": None if c.base is None else c.base.value,
        "kind": c.kind.value,
        "rates": [_step_dict(s) for s in c.rates],
        "min_annual": _opt(c.min_annual),
        "cap_annual": _opt(c.cap_annual),
        "cap_total": _opt(c.cap_total),
        "report_period": None if c.report_period is None else c.report_period.value,
        "pay_within_days": c.pay_within_days,
    }
