"""Strict reading of the fee-schedule dict (the format is documented in ``fees``). Every refusal
is a ``FeeScheduleError`` whose ``field`` is the JSON path of the offending value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from patentbridge_engine.licensing.fee_parts import (
    Component,
    EntryFee,
    EntryFeeDue,
    FeeScheduleError,
    Instalment,
    LumpSum,
    Milestone,
    RateStep,
    ReportPeriod,
    Royalty,
    RoyaltyBase,
    RoyaltyKind,
    Tier,
    UnitPrice,
    YearRate,
)
from patentbridge_engine.licensing.money import money, parse_decimal

__all__ = ["parse_components"]

# Bounds against absurd or hostile input: no real schedule has 100 components, instalments or
# rate steps, runs past contract year 50 (patent terms are ≤ 20 years) or pays after a year.
MAX_ITEMS = 100
MAX_YEAR = 50
MAX_PAY_DAYS = 365
MAX_EVENT_CHARS = 200
RATE_PLACES = 6  # 0.000001 = 0.0001 %: finer than any contract states

E = TypeVar("E", bound=StrEnum)

_ROYALTY_KEYS = {
    "type",
    "base",
    "kind",
    "rates",
    "min_annual",
    "cap_annual",
    "cap_total",
    "report_period",
    "pay_within_days",
}
_KEYS = {
    "entry_fee": ({"type", "amount", "due"}, {"type", "amount", "due"}),
    "lump_sum": ({"type", "amount"}, {"type", "amount", "instalments"}),
    "royalty": ({"type"}, _ROYALTY_KEYS),
    "milestone": ({"type", "event", "amount"}, {"type", "event", "amount"}),
}


def parse_components(data: Mapping[str, object]) -> tuple[bool, tuple[Component, ...]]:
    """Validate ``data``; return its ``free`` flag and components (``FeeSchedule.from_dict`` wraps them)."""
    _keys(data, "", required={"free", "components"}, allowed={"free", "components"})
    free = data["free"]
    if not isinstance(free, bool):
        raise FeeScheduleError("free", "必须为 true 或 false")
    raw = _list(data["components"], "components")
    components = tuple(_component(item, f"components[{i}]") for i, item in enumerate(raw))
    if free and components:
        raise FeeScheduleError("components", "免费许可不能同时约定收费项目")
    for kind, label in (("entry_fee", "入门费"), ("lump_sum", "一次性许可费"), ("royalty", "提成")):
        if sum(1 for c in components if c.type == kind) > 1:
            raise FeeScheduleError("components", f"{label}只能约定一项")
    return free, components


def _component(raw: object, field: str) -> Component:
    if not isinstance(raw, Mapping):
        raise FeeScheduleError(field, "必须是对象")
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in _KEYS:
        raise FeeScheduleError(
            f"{field}.type", "未知的收费项目类型（应为入门费、一次性许可费、提成或里程碑付款）"
        )
    required, allowed = _KEYS[kind]
    _keys(raw, field, required=required, allowed=allowed)
    if kind == "entry_fee":
        due = _enum(EntryFeeDue, raw["due"], f"{field}.due", "支付时间应为签约时或转为付费时")
        return EntryFee(amount=_amount(raw["amount"], f"{field}.amount"), due=due)
    if kind == "lump_sum":
        return _lump_sum(raw, field)
    if kind == "milestone":
        event = raw["event"]
        if not isinstance(event, str) or not event.strip():
            raise FeeScheduleError(f"{field}.event", "里程碑事件不能为空")
        if len(event) > MAX_EVENT_CHARS:
            raise FeeScheduleError(f"{field}.event", f"里程碑事件不能超过 {MAX_EVENT_CHARS} 个字")
        return Milestone(event=event.strip(), amount=_amount(raw["amount"], f"{field}.amount"))
    return _royalty(raw, field)


def _lump_sum(raw: Mapping[str, object], field: str) -> LumpSum:
    amount = _amount(raw["amount"], f"{field}.amount")
    items = _list(raw.get("instalments", []), f"{field}.instalments")
    instalments: list[Instalment] = []
    for i, item in enumerate(items):
        f = f"{field}.instalments[{i}]"
        if not isinstance(item, Mapping):
            raise FeeScheduleError(f, "必须是对象")
        _keys(item, f, required={"date", "amount"}, allowed={"date", "amount"})
        instalments.append(
            Instalment(date=_date(item["date"], f"{f}.date"), amount=_amount(item["amount"], f"{f}.amount"))
        )
        if i and instalments[i].date <= instalments[i - 1].date:
            raise FeeScheduleError(f"{f}.date", "分期付款日期必须按先后顺序排列且不能重复")
    if instalments and sum((i.amount for i in instalments), Decimal(0)) != amount:
        raise FeeScheduleError(f"{field}.instalments", "各期金额之和必须等于一次性许可费总额")
    return LumpSum(amount=amount, instalments=tuple(instalments))


def _royalty(raw: Mapping[str, object], field: str) -> Royalty:
    base_raw = raw.get("base")
    base = None if base_raw is None else _enum(RoyaltyBase, base_raw, f"{field}.base", "未知的计提基数")
    kind_raw = raw.get("kind", "fixed")
    kind = _enum(RoyaltyKind, kind_raw, f"{field}.kind", "提成方式应为固定、递增、递减或分段累进")
    period_raw = raw.get("report_period")
    period = (
        None
        if period_raw is None
        else _enum(ReportPeriod, period_raw, f"{field}.report_period", "报告周期应为季度、半年或年")
    )
    if base is RoyaltyBase.UNITS and kind is RoyaltyKind.TIERED:
        raise FeeScheduleError(f"{field}.kind", "按件计费不支持分段累进")
    rates = _rates(raw.get("rates", []), f"{field}.rates", base, kind)
    min_annual = _opt_amount(raw.get("min_annual"), f"{field}.min_annual", allow_zero=True)
    cap_annual = _opt_amount(raw.get("cap_annual"), f"{field}.cap_annual")
    cap_total = _opt_amount(raw.get("cap_total"), f"{field}.cap_total")
    if min_annual is not None and cap_annual is not None and min_annual > cap_annual:
        raise FeeScheduleError(f"{field}.min_annual", "年最低提成不能高于年封顶额")
    if min_annual is not None and cap_total is not None and min_annual > cap_total:
        raise FeeScheduleError(f"{field}.min_annual", "年最低提成不能高于累计封顶额")
    days = _int(raw.get("pay_within_days", 30), f"{field}.pay_within_days", 0, MAX_PAY_DAYS)
    return Royalty(
        base=base,
        kind=kind,
        rates=rates,
        min_annual=min_annual,
        cap_annual=cap_annual,
        cap_total=cap_total,
        report_period=period,
        pay_within_days=days,
    )


def _rates(raw: object, field: str, base: RoyaltyBase | None, kind: RoyaltyKind) -> tuple[RateStep, ...]:
    items = _list(raw, field)
    steps: list[RateStep] = []
    for i, item in enumerate(items):
        f = f"{field}[{i}]"
        if not isinstance(item, Mapping):
            raise FeeScheduleError(f, "必须是对象")
        if kind is RoyaltyKind.TIERED:
            _keys(item, f, required={"from_amount", "rate"}, allowed={"from_amount", "rate"})
            start = _amount(item["from_amount"], f"{f}.from_amount", allow_zero=True)
            steps.append(Tier(from_amount=start, rate=_rate(item["rate"], f"{f}.rate")))
        elif base is RoyaltyBase.UNITS:
            _keys(item, f, required={"from_year", "per_unit"}, allowed={"from_year", "per_unit"})
            year = _int(item["from_year"], f"{f}.from_year", 1, MAX_YEAR)
            steps.append(UnitPrice(from_year=year, per_unit=_amount(item["per_unit"], f"{f}.per_unit")))
        else:
            _keys(item, f, required={"from_year", "rate"}, allowed={"from_year", "rate"})
            year = _int(item["from_year"], f"{f}.from_year", 1, MAX_YEAR)
            steps.append(YearRate(from_year=year, rate=_rate(item["rate"], f"{f}.rate")))
    _check_order(steps, field, kind)
    return tuple(steps)


def _check_order(steps: list[RateStep], field: str, kind: RoyaltyKind) -> None:
    if not steps:
        return
    if kind is RoyaltyKind.FIXED and len(steps) > 1:
        raise FeeScheduleError(field, "固定比例提成只能有一档")
    starts = [s.from_amount if isinstance(s, Tier) else Decimal(s.from_year) for s in steps]
    first = Decimal(0) if kind is RoyaltyKind.TIERED else Decimal(1)
    if starts[0] != first:
        reason = "第一档必须从 0 元开始" if kind is RoyaltyKind.TIERED else "第一档必须从第 1 年开始"
        raise FeeScheduleError(f"{field}[0]", reason)
    for i in range(1, len(steps)):
        if starts[i] <= starts[i - 1]:
            raise FeeScheduleError(f"{field}[{i}]", "各档必须按起点从小到大排列且不能重复")
        prev, cur = _value(steps[i - 1]), _value(steps[i])
        if kind is RoyaltyKind.INCREASING and cur < prev:
            raise FeeScheduleError(f"{field}[{i}]", "递增提成的比例不能下降")
        if kind is RoyaltyKind.DECREASING and cur > prev:
            raise FeeScheduleError(f"{field}[{i}]", "递减提成的比例不能上升")


def _value(step: RateStep) -> Decimal:
    return step.per_unit if isinstance(step, UnitPrice) else step.rate


def _keys(raw: Mapping[str, object], field: str, *, required: set[str], allowed: set[str]) -> None:
    prefix = f"{field}." if field else ""
    for key in raw:
        if key not in allowed:
            raise FeeScheduleError(f"{prefix}{str(key)[:40]}", "未知字段")
    for key in sorted(required):
        if key not in raw:
            raise FeeScheduleError(f"{prefix}{key}", "缺少必填字段")


def _list(raw: object, field: str) -> list[object]:
    if not isinstance(raw, list | tuple):
        raise FeeScheduleError(field, "必须是列表")
    if len(raw) > MAX_ITEMS:
        raise FeeScheduleError(field, f"最多 {MAX_ITEMS} 项")
    return list(raw)


def _amount(raw: object, field: str, *, allow_zero: bool = False) -> Decimal:
    try:
        value = parse_decimal(raw, places=2)
    except ValueError as exc:
        raise FeeScheduleError(field, str(exc)) from None
    if value < 0:
        raise FeeScheduleError(field, "金额不能为负数")
    if value == 0 and not allow_zero:
        raise FeeScheduleError(field, "金额必须大于 0")
    return money(abs(value))  # abs: "-0.00" reads as 0.00, never a signed zero


def _opt_amount(raw: object, field: str, *, allow_zero: bool = False) -> Decimal | None:
    return None if raw is None else _amount(raw, field, allow_zero=allow_zero)


def _rate(raw: object, field: str) -> Decimal:
    try:
        value = parse_decimal(raw, places=RATE_PLACES, what="提成比例")
    except ValueError as exc:
        raise FeeScheduleError(field, str(exc)) from None
    if not Decimal(0) <= value <= Decimal(1):
        raise FeeScheduleError(field, "提成比例必须在 0 到 1 之间")
    return abs(value)  # abs: "-0" reads as 0, never a signed zero


def _int(raw: object, field: str, lo: int, hi: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise FeeScheduleError(field, "必须是整数")
    if not lo <= raw <= hi:
        raise FeeScheduleError(field, f"必须在 {lo} 到 {hi} 之间")
    return raw


def _date(raw: object, field: str) -> dt.date:
    if not isinstance(raw, str) or len(raw) != 10:
        raise FeeScheduleError(field, "日期格式应为 YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise FeeScheduleError(field, "日期格式应为 YYYY-MM-DD") from None


def _enum(cls: type[E], raw: object, field: str, reason: str) -> E:
    if not isinstance(raw, str):
        raise FeeScheduleError(field, reason)
    try:
        return cls(raw)
    except ValueError:
        raise FeeScheduleError(field, reason) from None
