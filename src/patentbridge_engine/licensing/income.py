"""Licence income: net income, rule L12 (the inventors' statutory share), co-owner fee sharing and
the annual fee after the best single reduction (transactions-and-analytics.md §2.d
IncomeDistribution, §3.d AnnualFeePlan, §13)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from patentbridge_engine.licensing.findings import Finding, Severity, Verdict
from patentbridge_engine.licensing.money import ZERO, allocate, format_cny, format_rate, money, money_up

__all__ = [
    "DEDUCTION_LABELS",
    "AnnualFee",
    "Floor",
    "IncomeSplit",
    "annual_fee",
    "coowner_split",
    "describe_split",
    "income_split",
    "net_income",
]

# Deduction kinds seen in university rules (§2.c: "净收入" = gross minus taxes, the unit's
# maintenance costs and transaction costs). Which are allowed is each unit's rule (§12 item 5), so
# callers pass ``allowed``; the labels only make refusals readable.
DEDUCTION_LABELS = {
    "taxes": "税费",
    "maintenance": "专利维护费用",
    "transaction": "交易成本（评估、谈判等）",
}
ART_45_2 = "促进科技成果转化法第四十五条第二款"

JsonValue = str | bool | None | dict[str, str] | list[dict[str, str]]


def _label(kind: str) -> str:
    return DEDUCTION_LABELS.get(kind, kind)


def net_income(gross: Decimal, deductions: Mapping[str, Decimal], allowed: Sequence[str]) -> Decimal:
    """Gross licence income minus the deductions the unit's rule allows; never below 0.00.
    A deduction of a kind not in ``allowed`` or a negative deduction raises ``ValueError``."""
    if gross < 0:
        raise ValueError("许可收入不能为负数")
    for kind, amount in deductions.items():
        if kind not in allowed:
            permitted = "、".join(_label(k) for k in allowed) or "无"
            raise ValueError(f"扣除项目“{_label(kind)}”不在本单位允许扣除的范围内（允许：{permitted}）")
        if amount < 0:
            raise ValueError(f"扣除项目“{_label(kind)}”的金额不能为负数")
    return max(ZERO, money(gross - sum(deductions.values(), Decimal(0))))


@dataclass(frozen=True)
class Floor:
    """A statutory minimum share of net income for the inventors, e.g. 0.50 "法定下限"
    (促进科技成果转化法 Art. 45 ¶1) or a provincial one (山东 0.70); values come from the policy table."""

    share: Decimal
    label: str
    source: str


@dataclass(frozen=True)
class IncomeSplit:
    """One distribution of net income. Amounts always satisfy inventor_pool + tto_amount +
    unit_amount == net, and ``per_inventor`` sums exactly to inventor_pool (it is empty when the
    inventor splits are invalid). ``verdict`` carries the L12 findings; ``inputs`` what was used."""

    net: Decimal
    inventor_share: Decimal
    inventor_pool: Decimal
    tto_amount: Decimal
    unit_amount: Decimal
    per_inventor: tuple[tuple[str, Decimal], ...]
    verdict: Verdict
    inputs: dict[str, JsonValue] = field(default_factory=dict)


def _check_fraction(value: Decimal, what: str) -> None:
    if not Decimal(0) <= value <= Decimal(1):
        raise ValueError(f"{what}必须在 0 到 1 之间")


def income_split(
    net: Decimal,
    *,
    floors: Sequence[Floor],
    state_run: bool,
    own_rule_share: Decimal | None,
    tto_share: Decimal,
    inventors: Sequence[tuple[str, Decimal]],
) -> IncomeSplit:
    """Split net licence income between inventors, the technology-transfer office and the unit
    (rule L12).

    Inventor share: for a state-run institute or university, max(own rule, highest floor) —
    Art. 45 ¶2 makes the floors bind their own rules, so a rule below the floor is also reported as
    an ``L12`` block. For other units the own rule applies when there is one and the highest floor
    only when there is none (Art. 45 ¶1). The pool is rounded *up* to the cent, because the floor
    is a minimum ("不低于") and half-up rounding could pay up to half a cent less.
    ``tto_share`` is a share of net income; if it does not fit beside the inventors' share the TTO
    gets what is left and an ``L12`` block says so. Inventor splits must be positive, named once
    and sum to exactly 100 % (else ``L12`` block); amounts are split so they sum exactly to the pool.
    Raises ``ValueError`` for a negative net or a share outside [0, 1]."""
    if net < 0:
        raise ValueError("净收入不能为负数")
    net = money(net)
    _check_fraction(tto_share, "技术转移机构提取比例")
    if own_rule_share is not None:
        _check_fraction(own_rule_share, "单位规定的发明人比例")
    for f in floors:
        _check_fraction(f.share, f"{f.label}")
    floor = max(floors, key=lambda f: f.share, default=None)
    if own_rule_share is None and floor is None:
        raise ValueError("未设定发明人分配比例：须提供单位规定或法定下限")
    findings: list[Finding] = []
    if state_run:
        share = max(own_rule_share or Decimal(0), floor.share if floor else Decimal(0))
        if own_rule_share is not None and floor is not None and own_rule_share < floor.share:
            reason = (
                f"单位规定的 {format_rate(own_rule_share)} 低于{floor.label} {format_rate(floor.share)}"
                f"（{ART_45_2}）"
            )
            findings.append(Finding("L12", Severity.BLOCK, reason, f"{floor.source}；{ART_45_2}"))
    else:
        share = own_rule_share if own_rule_share is not None else (floor.share if floor else Decimal(0))
    pool = min(net, money_up(net * share))
    tto = money(net * tto_share)
    if pool + tto > net:
        reason = f"发明人比例 {format_rate(share)} 与技术转移机构比例 {format_rate(tto_share)} 合计超过 100%"
        findings.append(Finding("L12", Severity.BLOCK, reason, ART_45_2))
        tto = net - pool
    split_findings, per_inventor = _inventor_amounts(pool, inventors)
    findings += split_findings
    inputs: dict[str, JsonValue] = {
        "net": str(net),
        "state_run": state_run,
        "own_rule_share": None if own_rule_share is None else str(own_rule_share),
        "floors": [{"share": str(f.share), "label": f.label, "source": f.source} for f in floors],
        "floor_applied": None
        if floor is None
        else {"share": str(floor.share), "label": floor.label, "source": floor.source},
        "inventor_share": str(share),
        "tto_share": str(tto_share),
        "inventor_splits": [{"name": n, "share": str(s)} for n, s in inventors],
    }
    return IncomeSplit(net, share, pool, tto, net - pool - tto, per_inventor, Verdict.of(findings), inputs)


def _inventor_amounts(
    pool: Decimal, inventors: Sequence[tuple[str, Decimal]]
) -> tuple[list[Finding], tuple[tuple[str, Decimal], ...]]:
    source = "促进科技成果转化法第四十五条"
    names = [n.strip() for n, _ in inventors]
    problems: list[str] = []
    if not inventors:
        problems.append("未填写发明人分配比例")
    if any(not n for n in names):
        problems.append("发明人姓名不能为空")
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        problems.append(f"发明人重复：{'、'.join(dupes)}")
    if any(s <= 0 for _, s in inventors):
        problems.append("每位发明人的分配比例必须大于 0")
    total = sum((s for _, s in inventors), Decimal(0))
    if inventors and total != 1:
        problems.append(f"发明人分配比例合计为 {format_rate(total)}，必须等于 100%")
    if problems:
        return [Finding("L12", Severity.BLOCK, p, source) for p in problems], ()
    amounts = allocate(pool, [s for _, s in inventors])
    return [], tuple(zip(names, amounts, strict=True))


def coowner_split(
    amount: Decimal, coowners: Sequence[tuple[str, Decimal | None]]
) -> list[tuple[str, Decimal]]:
    """Share a licence fee among a patent's co-owners (专利法 Art. 14: a co-owner who grants an
    ordinary licence alone must share the fee). Shares all None = equal shares; otherwise every
    share is given and they sum to exactly 1. Amounts sum exactly to ``amount`` (the remainder
    cent goes to the largest share). Raises ``ValueError`` with a Chinese message otherwise."""
    if not coowners:
        raise ValueError("共有人不能为空")
    if amount < 0:
        raise ValueError("许可费不能为负数")
    shares = [s for _, s in coowners]
    if all(s is None for s in shares):
        weights = [Decimal(1)] * len(coowners)
    elif any(s is None for s in shares):
        raise ValueError("共有人份额须全部填写，或全部留空按均等分配")
    else:
        weights = [s for s in shares if s is not None]
        if any(w < 0 for w in weights) or sum(weights, Decimal(0)) != 1:
            raise ValueError("共有人份额必须非负且合计等于 100%")
    return list(zip((n for n, _ in coowners), allocate(money(amount), weights), strict=True))


@dataclass(frozen=True)
class AnnualFee:
    """The annual fee after the most favourable single reduction: ``chosen_reduction_key`` is None
    (and ``chosen_rate`` 0) when no reduction applies."""

    payable: Decimal
    chosen_reduction_key: str | None
    chosen_rate: Decimal
    full_fee: Decimal = ZERO


def annual_fee(full_fee: Decimal, reductions: Mapping[str, Decimal]) -> AnnualFee:
    """Annual fee payable when several reductions apply: the single most favourable one, never
    stacked (财税〔2024〕23号 §2: "可选择最优惠政策，但不能重复享受").

    Each value in ``reductions`` is the share of the fee *waived*: fee relief (费减) of 85 % is
    ``0.85`` (the patentee pays 15 %), the open-licence reduction is ``0.15`` (pays 85 %). The §13
    vector "year-5 invention ¥1,200, 85 % relief + open licence → 1,200 × 0.15 = 180 (max, not
    sum)" therefore means: relief alone → 180, open licence alone → 1,020, best single → 180. It
    is not 1,200 × (1 − 0.85 − 0.15) = 0 (a sum) nor 1,200 × 0.15 × 0.85 = 153 (stacking).
    Equal rates are broken by key order so the choice is reproducible."""
    if full_fee < 0:
        raise ValueError("年费不能为负数")
    for key, rate in reductions.items():
        _check_fraction(rate, f"减缴比例“{key}”")
    full = money(full_fee)
    if not reductions:
        return AnnualFee(full, None, Decimal(0), full)
    key, rate = min(reductions.items(), key=lambda kv: (-kv[1], kv[0]))
    return AnnualFee(money(full * (1 - rate)), key, rate, full)


def describe_split(split: IncomeSplit) -> str:
    """One Chinese line for the distribution sheet, e.g. ``净收入 ¥1,000,000.00：发明人
    ¥700,000.00，技术转移机构 ¥100,000.00，单位 ¥200,000.00``."""
    return (
        f"净收入 {format_cny(split.net)}：发明人 {format_cny(split.inventor_pool)}，"
        f"技术转移机构 {format_cny(split.tto_amount)}，单位 {format_cny(split.unit_amount)}"
    )
