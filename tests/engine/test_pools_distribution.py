"""Pool revenue distribution against hand-worked examples (guide §4.d P6 and the §13 vector):
management fee first, then patent count, grade weights or agreed shares, floored to the fen with the
left-over fens by largest remainder."""

from __future__ import annotations

from decimal import Decimal

import pytest

from patentbridge_engine.pools.distribution import (
    DistributionError,
    Holding,
    SharingRule,
    distribute,
    split_to_fen,
)

Y = Decimal


def holdings(member: str, n: int, days: int, grade: str = "") -> list[Holding]:
    return [Holding(member, f"{member}{i}", days, grade) for i in range(n)]


def amounts(statement: object) -> dict[str, Decimal]:
    return {line.member: line.amount for line in statement.lines}  # type: ignore[attr-defined]


def test_guide_vector_core_weight_two_against_general_half_the_time() -> None:
    """§13: distributable ¥900,000; A 6 core patents all period (w=2), B 6 general patents half the
    period (w=1): weights 6·2·730 = 8,760 vs 6·1·365 = 2,190 → 4 : 1 → A ¥720,000, B ¥180,000."""
    hs = holdings("A", 6, 730, "A") + holdings("B", 6, 365, "C")
    st = distribute(Y("900000"), hs, rule=SharingRule.GRADE_WEIGHT, grade_weights={"A": Y(2), "C": Y(1)})
    assert amounts(st) == {"A": Y("720000.00"), "B": Y("180000.00")}
    assert [line.weight for line in st.lines] == [Y(8760), Y(2190)]
    assert st.fee == Y("0.00") and st.distributable == Y("900000.00")


def test_management_fee_is_taken_first() -> None:
    """¥1,000,000 gross, 10 % fee → ¥100,000 to the agency, ¥900,000 shared by patent count:
    A 2 patents × 365 days, B 1 patent × 365 days → 2 : 1 → ¥600,000 / ¥300,000."""
    st = distribute(
        Y("1000000"),
        holdings("A", 2, 365) + holdings("B", 1, 365),
        rule=SharingRule.PATENT_COUNT,
        fee_rate=Y("0.1"),
    )
    assert (st.gross, st.fee, st.distributable) == (Y("1000000.00"), Y("100000.00"), Y("900000.00"))
    assert amounts(st) == {"A": Y("600000.00"), "B": Y("300000.00")}
    assert [line.patents for line in st.lines] == [2, 1]


def test_patent_count_uses_days_in_pool() -> None:
    """¥100 between A (1 patent, 300 days) and B (1 patent, 100 days): 75 / 25."""
    st = distribute(Y("100"), holdings("A", 1, 300) + holdings("B", 1, 100), rule=SharingRule.PATENT_COUNT)
    assert amounts(st) == {"A": Y("75.00"), "B": Y("25.00")}


def test_left_over_fens_go_by_largest_remainder_then_name() -> None:
    """¥100.00 in three equal parts: 33.333… each → floors 33.33 ×3 = 99.99, one fen left; the
    remainders are equal, so it goes to the member that sorts first."""
    st = distribute(
        Y("100"),
        holdings("a", 1, 10) + holdings("b", 1, 10) + holdings("c", 1, 10),
        rule=SharingRule.PATENT_COUNT,
    )
    assert amounts(st) == {"a": Y("33.34"), "b": Y("33.33"), "c": Y("33.33")}
    assert sum(amounts(st).values()) == Y("100.00")


def test_largest_remainder_wins_over_name() -> None:
    """¥10.00 by weights 1 : 2 : 3 (of 6): exact 1.6666…, 3.3333…, 5.00 → floors 1.66, 3.33, 5.00
    (9.99); remainders 0.00666…, 0.00333…, 0 → the fen goes to x (1.67)."""
    parts = split_to_fen(Y("10.00"), {"z": Y(3), "y": Y(2), "x": Y(1)})
    assert parts == {"x": Y("1.67"), "y": Y("3.33"), "z": Y("5.00")}


def test_agreed_shares() -> None:
    """¥50,000 with a 5 % fee (¥2,500) → ¥47,500 at 50 % / 30 % / 20 % = 23,750 / 14,250 / 9,500."""
    st = distribute(
        Y("50000"),
        [],
        rule=SharingRule.AGREED,
        fee_rate=Y("0.05"),
        agreed={"甲": Y("0.5"), "乙": Y("0.3"), "丙": Y("0.2")},
    )
    assert st.fee == Y("2500.00")
    assert amounts(st) == {"甲": Y("23750.00"), "乙": Y("14250.00"), "丙": Y("9500.00")}


def test_default_grade_weights() -> None:
    """Defaults A=3, B=2, C=1: A-patent 100 days (300) vs C-patent 100 days (100) of ¥4,000 → 3,000 / 1,000."""
    st = distribute(
        Y("4000"),
        [Holding("m1", "p1", 100, "A"), Holding("m2", "p2", 100, "C")],
        rule=SharingRule.GRADE_WEIGHT,
    )
    assert amounts(st) == {"m1": Y("3000.00"), "m2": Y("1000.00")}


def test_fee_rounds_half_up_to_the_fen() -> None:
    """¥0.05 × 10 % = ¥0.005 → ¥0.01 fee, ¥0.04 left."""
    st = distribute(Y("0.05"), holdings("A", 1, 1), rule=SharingRule.PATENT_COUNT, fee_rate=Y("0.1"))
    assert (st.fee, st.distributable) == (Y("0.01"), Y("0.04"))


def test_refusals_are_chinese() -> None:
    with pytest.raises(DistributionError, match="没有在池的专利"):
        distribute(Y("100"), holdings("A", 1, 0), rule=SharingRule.PATENT_COUNT)
    with pytest.raises(DistributionError, match="合计须等于 100%"):
        distribute(Y("100"), [], rule=SharingRule.AGREED, agreed={"甲": Y("0.6")})
    with pytest.raises(DistributionError, match="不能为负数"):
        distribute(Y("100"), [], rule=SharingRule.AGREED, agreed={"甲": Y("1.5"), "乙": Y("-0.5")})
    with pytest.raises(DistributionError, match="管理费比例"):
        distribute(Y("100"), holdings("A", 1, 1), rule=SharingRule.PATENT_COUNT, fee_rate=Y("1"))
    with pytest.raises(DistributionError, match="负数"):
        distribute(Y("-1"), holdings("A", 1, 1), rule=SharingRule.PATENT_COUNT)
    with pytest.raises(DistributionError, match="在池天数为负数"):
        distribute(Y("1"), holdings("A", 1, -1), rule=SharingRule.PATENT_COUNT)
    with pytest.raises(DistributionError, match="权重合计为零"):
        split_to_fen(Y("1"), {"a": Y(0)})


def test_rule_labels() -> None:
    assert SharingRule.GRADE_WEIGHT.label == "按专利分级权重"
