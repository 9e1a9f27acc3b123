"""Money helpers for the licensing engine: CNY amounts are ``Decimal`` quantised to 0.01
(ROUND_HALF_UP, transactions-and-analytics.md §1.5), percentages are ``Decimal`` fractions
(``Decimal("0.03")`` = 3 %), and floats are refused everywhere so no binary rounding creeps in."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation

__all__ = [
    "CENT",
    "MAX_AMOUNT",
    "ZERO",
    "allocate",
    "format_cny",
    "format_rate",
    "money",
    "money_up",
    "parse_decimal",
]

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# 10^12 CNY is far above any licence fee (the 2024 open-licence guidance caps fixed fees at 2×10^7);
# anything larger is a typo or a hostile payload, and bounding it keeps Decimal arithmetic cheap.
MAX_AMOUNT = Decimal(10) ** 12


def money(value: Decimal | int) -> Decimal:
    """Quantise to 0.01 CNY, half up (the house rounding for every computed amount)."""
    if isinstance(value, float):  # pragma: no cover - guarded by typing, kept for callers without mypy
        raise TypeError("金额不能使用浮点数")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_up(value: Decimal) -> Decimal:
    """Quantise to 0.01 CNY away from zero: used where the law sets a minimum ("不低于"), so
    rounding can never pay less than the statutory floor."""
    return Decimal(value).quantize(CENT, rounding=ROUND_UP)


def parse_decimal(raw: object, *, places: int, what: str = "金额") -> Decimal:
    """Read a JSON value as an exact Decimal: a string like ``"50000.00"``, an int, or a Decimal.

    Floats and booleans are refused (a float has already lost exactness), as are NaN/Infinity,
    more than ``places`` decimal places and magnitudes above ``MAX_AMOUNT``. Raises ``ValueError``
    with a Chinese message naming ``what``."""
    if isinstance(raw, bool | float):
        raise ValueError(f'{what}必须写成字符串（如 "1000.00"），不能使用浮点数')
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        # Decimal() accepts "1e3", "NaN" and underscores; a contract amount is plain digits.
        if not text or len(text) > 40 or any(c not in "0123456789.-" for c in text):
            raise ValueError(f"{what}格式不正确：{raw[:40]!r}")
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"{what}格式不正确：{raw[:40]!r}") from exc
    else:
        raise ValueError(f"{what}必须是数字字符串")
    if not value.is_finite():
        raise ValueError(f"{what}必须是有限数值")
    if abs(value) > MAX_AMOUNT:
        raise ValueError(f"{what}超出允许范围（不超过 10^12）")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise ValueError(f"{what}最多保留 {places} 位小数")
    return value


def format_cny(amount: Decimal) -> str:
    """``Decimal("50000")`` → ``"¥50,000.00"``; negative amounts keep their sign after ¥."""
    q = money(amount)
    sign = "-" if q < 0 else ""
    return f"¥{sign}{abs(q):,.2f}"


def format_rate(rate: Decimal) -> str:
    """``Decimal("0.03")`` → ``"3%"``, ``Decimal("0.025")`` → ``"2.5%"`` (no trailing zeros)."""
    pct = (rate * 100).normalize()
    return f"{pct:f}%"


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (already in cents) by ``weights`` so the parts sum to ``total`` exactly.

    Each part is first rounded half up; the cents that rounding gained or lost go to the largest
    weights first (ties: earlier position), one cent each, cycling if needed and never taking a
    part below zero. In the usual case this is "the remainder cent goes to the largest share"; the
    cycling matters only with many tiny parts (10 × 0.005 would otherwise put -0.04 on one part).
    Every part stays within 1.5 cents of its exact share. Weights must be ≥ 0 with a positive sum.
    """
    total = money(total)
    if total < 0:
        raise ValueError("分配总额不能为负数")
    if not weights:
        raise ValueError("分配对象不能为空")
    if any(w < 0 for w in weights):
        raise ValueError("分配比例不能为负数")
    weight_sum = sum(weights, Decimal(0))
    if weight_sum <= 0:
        raise ValueError("分配比例之和必须大于 0")
    parts = [money(total * w / weight_sum) for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-weights[i], i))
    diff = int((total - sum(parts, ZERO)) / CENT)
    step = CENT if diff > 0 else -CENT
    while diff:
        moved = False
        for i in order:
            if diff == 0:
                break
            if step < 0 and parts[i] <= 0:
                continue
            parts[i] += step
            diff -= 1 if diff > 0 else -1
            moved = True
        if not moved:  # pragma: no cover - impossible: a negative diff implies some positive part
            raise AssertionError("allocation did not converge")
    return parts
