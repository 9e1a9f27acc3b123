"""Fee schedules (许可使用费支付方式和标准, transactions-and-analytics.md §2.d FeeSchedule) as frozen
dataclasses, read from and written to one JSON-able dict.

The dict is a contract: the web layer stores it in the database and the API accepts it as posted,
so ``FeeSchedule.from_dict`` validates strictly (unknown keys and values are refused) and
``to_dict`` writes the canonical form, which ``from_dict`` reads back to an equal schedule::

    {"free": false,                                   # true = 免费许可; then "components" must be []
     "components": [                                  # at most 100; at most one entry_fee, lump_sum, royalty
       {"type": "entry_fee", "amount": "50000.00",
        "due": "signing" | "conversion"},             # at signing, or when a trial converts to paid
       {"type": "lump_sum", "amount": "120000.00",
        "instalments": [{"date": "2026-03-01", "amount": "60000.00"}, ...]},
                                                      # [] = whole amount at signing; else dates ascending
                                                      # and amounts summing exactly to "amount"
       {"type": "royalty",
        "base": "net_sales"|"sales"|"profit"|"units"|"new_output_value" | null,
        "kind": "fixed"|"increasing"|"decreasing"|"tiered",
        "rates": [{"from_year": 1, "rate": "0.03"}, {"from_year": 3, "rate": "0.04"}],
                                                      # fixed: one step from year 1; increasing/decreasing:
                                                      # steps by contract year (from 1, ascending, monotone)
                 | [{"from_amount": "0", "rate": "0.03"}, {"from_amount": "1000000", "rate": "0.02"}],
                                                      # tiered: marginal tiers on the period base, from 0
                 | [{"from_year": 1, "per_unit": "2.50"}],   # base "units": CNY per unit by contract year
        "min_annual": "10000.00" | null, "cap_annual": null, "cap_total": null,
        "report_period": "quarter"|"half"|"year" | null, "pay_within_days": 30},
       {"type": "milestone", "event": "首批产品上市", "amount": "20000.00"}]}

Amounts are strings with at most two decimals (ints are accepted, floats never), > 0 and ≤ 10^12;
rates are fractions (``"0.03"`` = 3 %) with at most six decimals, in [0, 1]; ``pay_within_days``
is 0–365 (default 30). A royalty may be saved as a draft with ``base``/``report_period`` null or no
rates: it parses, and rule L9 (``schedule_findings`` below) blocks it until it is complete.
Malformed input raises ``FeeScheduleError(field, reason)`` with a path like
``components[2].rates[1].rate`` and a Chinese reason."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from patentbridge_engine.licensing.fee_parse import parse_components
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
    component_dict,
    describe_component,
)
from patentbridge_engine.licensing.findings import Finding, Severity
from patentbridge_engine.licensing.money import format_cny, format_rate

__all__ = [
    "Component",
    "EntryFee",
    "EntryFeeDue",
    "FeeSchedule",
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
    "fee_text_needs_negotiation",
    "schedule_findings",
]


@dataclass(frozen=True)
class FeeSchedule:
    """A whole fee schedule: explicitly free, or a list of components (see the module docstring)."""

    free: bool = False
    components: tuple[Component, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> FeeSchedule:
        """Parse and validate the stored/posted dict; raises ``FeeScheduleError``."""
        free, components = parse_components(data)
        return cls(free=free, components=components)

    @classmethod
    def free_schedule(cls) -> FeeSchedule:
        """免费许可 (e.g. a trial phase or a free open licence)."""
        return cls(free=True, components=())

    def to_dict(self) -> dict[str, object]:
        """The canonical JSON-able dict; ``from_dict(to_dict())`` returns an equal schedule."""
        return {"free": self.free, "components": [component_dict(c) for c in self.components]}

    @property
    def is_free(self) -> bool:
        return self.free

    @property
    def entry_fee(self) -> EntryFee | None:
        return next((c for c in self.components if isinstance(c, EntryFee)), None)

    @property
    def lump_sum(self) -> LumpSum | None:
        return next((c for c in self.components if isinstance(c, LumpSum)), None)

    @property
    def royalty(self) -> Royalty | None:
        return next((c for c in self.components if isinstance(c, Royalty)), None)

    @property
    def milestones(self) -> tuple[Milestone, ...]:
        return tuple(c for c in self.components if isinstance(c, Milestone))

    @property
    def fixed_total(self) -> Decimal:
        """Sum of every fixed amount: entry fee, lump sum and milestones (royalties excluded)."""
        return sum((c.amount for c in self.components if not isinstance(c, Royalty)), Decimal("0.00"))

    @property
    def payment_type(self) -> Literal["free", "fixed", "royalty"]:
        """CNIPA's licence-statistics vocabulary (§2.b item 9): 免费 / 固定或可折算金额 / 提成.
        Any royalty makes it ``royalty`` (入门费+提成 counts as royalty); an explicitly free
        schedule is ``free``; everything else is ``fixed``."""
        if self.free:
            return "free"
        return "royalty" if self.royalty is not None else "fixed"

    def describe(self) -> str:
        """One Chinese line, e.g. ``入门费 ¥50,000.00（转为付费时支付）+ 净销售额的 3%（每年最低
        ¥10,000.00），按年报告``."""
        if self.free:
            return "免费许可"
        if not self.components:
            return "未约定许可费"
        # A full-width closing bracket already separates visually: "…（签约时支付）+ 净销售额…".
        return " + ".join(describe_component(c) for c in self.components).replace("） + ", "）+ ")


SOURCE_L9 = "民法典第八百四十六条"
SOURCE_OPEN = "专利法第五十条、第五十一条"
SOURCE_GUIDE = "国家知识产权局关于全面推进专利开放许可制度实施工作的通知（2024）"

# Wording that leaves the fee to later bargaining. An open licence must be payable by anyone from
# the published standard alone (专利法 Arts. 50–51), so any of these in the fee text blocks it.
_NEGOTIATION_WORDS = ("面议", "协商", "另议", "双方商定", "另行商定", "另行约定", "面谈", "待定")
_SPACE = re.compile(r"[\s\u3000]+")


def fee_text_needs_negotiation(text: str) -> bool:
    """True when free-text fee terms say the amount is still to be negotiated (面议、协商、另议、
    双方商定 …). Whitespace inside the words ("面 议") is ignored."""
    folded = _SPACE.sub("", text or "")
    return any(word in folded for word in _NEGOTIATION_WORDS)


def schedule_findings(
    schedule: FeeSchedule,
    *,
    guide_max_fixed: Decimal,
    guide_max_net_sales: Decimal,
    guide_max_profit: Decimal,
    for_open_licence: bool,
    fee_text: str = "",
) -> list[Finding]:
    """Rule L9 and the open-licence fee checks for one schedule.

    * Not explicitly free and no component, or a royalty without base, report period or rate:
      ``L9`` (block, 民法典 Art. 846) — for an open licence the same gap is ``FEE_NOT_COMPUTABLE``
      (block, 专利法 Arts. 50–51), because any licensee must be able to compute the fee unaided.
    * Open licence whose ``fee_text`` needs negotiation (``fee_text_needs_negotiation``):
      ``FEE_NOT_COMPUTABLE`` (block).
    * Open licence above the 2024 CNIPA guidance — fixed amounts (entry fee + lump sum +
      milestones) above ``guide_max_fixed``, a royalty rate on net sales (or on gross sales, which
      is at least as heavy) above ``guide_max_net_sales``, or on profit above ``guide_max_profit``:
      ``FEE_ABOVE_GUIDE`` (warn only; the guidance says "一般不高于"). Negotiated licences are not
      measured against this open-licence guidance.

    The three guide values come from the dated policy table (P.OL_GUIDE_MAX_*)."""
    code, source = ("FEE_NOT_COMPUTABLE", SOURCE_OPEN) if for_open_licence else ("L9", SOURCE_L9)
    findings: list[Finding] = []
    if not schedule.free and not schedule.components:
        findings.append(
            Finding(code, Severity.BLOCK, "未约定许可使用费：须约定收费项目，或明确为免费许可", source)
        )
    royalty = schedule.royalty
    if royalty is not None and not royalty.is_measurable:
        missing = [
            label
            for label, gap in (
                ("计提基数", royalty.base is None),
                ("报告周期", royalty.report_period is None),
                ("提成比例", not royalty.rates),
            )
            if gap
        ]
        reason = f"提成未约定{'、'.join(missing)}，无法按期计算应付金额"
        findings.append(Finding(code, Severity.BLOCK, reason, source))
    if for_open_licence and fee_text_needs_negotiation(fee_text):
        reason = "许可使用费标准含“面议”“协商”等待定表述；开放许可的费用须由被许可人按公布的标准直接计算"
        findings.append(Finding("FEE_NOT_COMPUTABLE", Severity.BLOCK, reason, SOURCE_OPEN))
    if for_open_licence:
        findings.extend(_guide_findings(schedule, guide_max_fixed, guide_max_net_sales, guide_max_profit))
    return findings


def _guide_findings(
    schedule: FeeSchedule, max_fixed: Decimal, max_net_sales: Decimal, max_profit: Decimal
) -> list[Finding]:
    found: list[Finding] = []
    fixed = schedule.fixed_total
    if fixed > max_fixed:
        reason = f"固定费用合计 {format_cny(fixed)} 高于指导标准（一般不高于 {format_cny(max_fixed)}）"
        found.append(Finding("FEE_ABOVE_GUIDE", Severity.WARN, reason, SOURCE_GUIDE))
    royalty = schedule.royalty
    if royalty is None or royalty.base is None:
        return found
    limits = {
        RoyaltyBase.NET_SALES: max_net_sales,
        RoyaltyBase.SALES: max_net_sales,
        RoyaltyBase.PROFIT: max_profit,
    }
    limit = limits.get(royalty.base)
    top = max((s.rate for s in royalty.rates if not isinstance(s, UnitPrice)), default=None)
    if limit is not None and top is not None and top > limit:
        reason = (
            f"提成比例 {format_rate(top)}（{royalty.base.label}）高于指导标准"
            f"（一般不高于{royalty.base.label}的 {format_rate(limit)}）"
        )
        found.append(Finding("FEE_ABOVE_GUIDE", Severity.WARN, reason, SOURCE_GUIDE))
    return found
