"""Revenue distribution of a pool for one period (guide §4.d rule P6).

``distributable = gross − management fee`` (the managing agency's fee, ``gross × rate`` rounded to
the fen, is taken first). The distributable amount is then shared among members

- by patent count: each patent weighs 1 for every day it was in the pool in the period;
- by grade weight: each patent weighs its grade's weight (A 核心 … D) for every such day;
- by agreed shares: fixed fractions in the pool agreement, which must add up to 1.

``share_i = distributable × Σ_{k∈P_i} w_k·days_k / Σ_k w_k·days_k``. Every amount is floored to the
fen and the fens left over go one each to the members with the largest remainders (ties: the
member that sorts first), so the lines always add up to the distributable amount exactly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = [
    "DEFAULT_GRADE_WEIGHTS",
    "DistributionError",
    "Holding",
    "Line",
    "SharingRule",
    "Statement",
    "distribute",
    "split_to_fen",
]

CENT = Decimal("0.01")
# Weights per grade when the pool does not set its own (core patents count three times a general one).
DEFAULT_GRADE_WEIGHTS: dict[str, Decimal] = {
    "A": Decimal(3),
    "B": Decimal(2),
    "C": Decimal(1),
    "D": Decimal(1),
}
_UNGRADED_WEIGHT = Decimal(1)


class DistributionError(ValueError):
    """A distribution that cannot be computed (the message is Chinese, for the user)."""


class SharingRule(StrEnum):
    """按专利数量 / 按分级权重 / 按约定比例."""

    PATENT_COUNT = "patent_count"
    GRADE_WEIGHT = "grade_weight"
    AGREED = "agreed"

    @property
    def label(self) -> str:
        return {"patent_count": "按入池专利数量", "grade_weight": "按专利分级权重", "agreed": "按约定比例"}[
            self.value
        ]


@dataclass(frozen=True)
class Holding:
    """One patent of a member in the period: its grade and the days it was in the pool."""

    member: str
    patent: str
    days: int
    grade: str = ""


@dataclass(frozen=True)
class Line:
    """One member's line of the statement."""

    member: str
    weight: Decimal  # Σ w·days (patent count, grade weight) or the agreed fraction
    share: Decimal  # fraction of the distributable amount (exact, not rounded)
    amount: Decimal
    patents: int


@dataclass(frozen=True)
class Statement:
    """The period's statement: gross, fee, distributable and one line per member."""

    gross: Decimal
    fee_rate: Decimal
    fee: Decimal
    distributable: Decimal
    rule: SharingRule
    lines: tuple[Line, ...]


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def split_to_fen(total: Decimal, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """``total`` (whole fen) split in proportion to ``weights``: floor each share to the fen, then
    hand out the remaining fens one by one by largest remainder, ties to the key that sorts first."""
    whole = sum(weights.values(), Decimal(0))
    if whole <= 0:
        raise DistributionError("分配权重合计为零，无法分配")
    exact = {k: total * w / whole for k, w in weights.items()}
    floored = {k: v.quantize(CENT, rounding=ROUND_DOWN) for k, v in exact.items()}
    left = int(((total - sum(floored.values(), Decimal(0))) / CENT).to_integral_value())
    order = sorted(exact, key=lambda k: (-(exact[k] - floored[k]), k))
    for k in order[:left]:
        floored[k] += CENT
    return floored


def _weight(holding: Holding, rule: SharingRule, grade_weights: Mapping[str, Decimal]) -> Decimal:
    if rule is SharingRule.GRADE_WEIGHT:
        return grade_weights.get(holding.grade, _UNGRADED_WEIGHT) * holding.days
    return Decimal(holding.days)


def distribute(
    gross: Decimal,
    holdings: Sequence[Holding],
    *,
    rule: SharingRule,
    fee_rate: Decimal = Decimal(0),
    grade_weights: Mapping[str, Decimal] | None = None,
    agreed: Mapping[str, Decimal] | None = None,
) -> Statement:
    """The statement for ``gross`` received in the period (see the module text for the rules)."""
    if gross.is_nan() or gross < 0:
        raise DistributionError("本期收入不能为负数")
    if fee_rate < 0 or fee_rate >= 1:
        raise DistributionError("管理费比例须不小于 0 且小于 1")
    gross = _money(gross)
    fee = _money(gross * fee_rate)
    distributable = gross - fee
    counts: dict[str, int] = {}
    for h in holdings:
        if h.days < 0:
            raise DistributionError(f"专利 {h.patent} 的在池天数为负数")
        if h.days > 0:
            counts[h.member] = counts.get(h.member, 0) + 1
    if rule is SharingRule.AGREED:
        shares = {k: Decimal(v) for k, v in (agreed or {}).items() if Decimal(v) != 0}
        if any(v < 0 for v in shares.values()):
            raise DistributionError("约定分配比例不能为负数")
        if sum(shares.values(), Decimal(0)) != 1:
            raise DistributionError("约定分配比例合计须等于 100%")
        weights = shares
    else:
        weights_map = dict(DEFAULT_GRADE_WEIGHTS if grade_weights is None else grade_weights)
        weights = {}
        for h in holdings:
            weights[h.member] = weights.get(h.member, Decimal(0)) + _weight(h, rule, weights_map)
        if sum(weights.values(), Decimal(0)) <= 0:
            raise DistributionError("本期没有在池的专利，无法按专利分配收入")
    amounts = split_to_fen(distributable, weights)
    whole = sum(weights.values(), Decimal(0))
    lines = tuple(
        Line(
            member=k, weight=weights[k], share=weights[k] / whole, amount=amounts[k], patents=counts.get(k, 0)
        )
        for k in sorted(weights)
    )
    return Statement(
        gross=gross, fee_rate=fee_rate, fee=fee, distributable=distributable, rule=rule, lines=lines
    )
