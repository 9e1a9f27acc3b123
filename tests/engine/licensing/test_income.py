"""Net income, rule L12 income splits, co-owner fee sharing and the annual fee with the best single
reduction (transactions-and-analytics.md §2.d, §3.d, §13)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from patentbridge_engine.licensing.findings import Severity
from patentbridge_engine.licensing.income import (
    AnnualFee,
    Floor,
    annual_fee,
    coowner_split,
    describe_split,
    income_split,
    net_income,
)
from patentbridge_engine.licensing.money import allocate

D = Decimal
NATIONAL = Floor(D("0.50"), "法定下限", "促进科技成果转化法第四十五条第一款")
SHANDONG = Floor(D("0.70"), "山东省下限", "山东省促进科技成果转化条例第三十四条")
TEAM = [("张三", D("0.5")), ("李四", D("0.3")), ("王五", D("0.2"))]


# --- net income -----------------------------------------------------------------------------------


def test_net_income_deducts_allowed_kinds_only():
    allowed = ["taxes", "transaction"]
    assert net_income(D("100000"), {"taxes": D("6000"), "transaction": D("4000.50")}, allowed) == D(
        "89999.50"
    )
    with pytest.raises(ValueError, match=r"专利维护费用.*不在本单位允许扣除的范围内"):
        net_income(D("100000"), {"maintenance": D("1")}, allowed)
    with pytest.raises(ValueError, match="不能为负数"):
        net_income(D("100000"), {"taxes": D("-1")}, allowed)


def test_net_income_never_goes_below_zero():
    assert net_income(D("1000"), {"transaction": D("5000")}, ["transaction"]) == D("0.00")
    assert net_income(D("1000"), {}, []) == D("1000.00")


# --- income_split (rule L12) ----------------------------------------------------------------------


def test_shandong_public_university_gives_inventors_at_least_70_percent():
    """§13: 山东 public university, net ¥1,000,000 → inventors ≥ ¥700,000."""
    split = income_split(
        D("1000000"),
        floors=[NATIONAL, SHANDONG],
        state_run=True,
        own_rule_share=None,
        tto_share=D("0.10"),
        inventors=TEAM,
    )
    assert split.verdict.allowed
    assert split.inventor_share == D("0.70")
    assert split.inventor_pool == D("700000.00")
    assert split.tto_amount == D("100000.00") and split.unit_amount == D("200000.00")
    assert split.per_inventor == (
        ("张三", D("350000.00")),
        ("李四", D("210000.00")),
        ("王五", D("140000.00")),
    )
    assert split.inputs["floor_applied"] == {
        "share": "0.70",
        "label": "山东省下限",
        "source": SHANDONG.source,
    }
    assert len(split.inputs["floors"]) == 2
    assert (
        describe_split(split)
        == "净收入 ¥1,000,000.00：发明人 ¥700,000.00，技术转移机构 ¥100,000.00，单位 ¥200,000.00"
    )


def test_state_run_own_rule_below_the_floor_is_rejected():
    """§13: public university outside Shandong whose own rule says 40 % → rule rejected: ≥ 50 %."""
    split = income_split(
        D("1000000"),
        floors=[NATIONAL],
        state_run=True,
        own_rule_share=D("0.40"),
        tto_share=D("0"),
        inventors=TEAM,
    )
    (block,) = split.verdict.blocks
    assert block.code == "L12" and block.severity is Severity.BLOCK
    assert block.reason == "单位规定的 40% 低于法定下限 50%（促进科技成果转化法第四十五条第二款）"
    assert "第四十五条第二款" in block.source
    assert split.inventor_share == D("0.50") and split.inventor_pool == D("500000.00")


def test_state_run_own_rule_above_the_floor_applies():
    split = income_split(
        D("1000"),
        floors=[NATIONAL],
        state_run=True,
        own_rule_share=D("0.8"),
        tto_share=D("0.1"),
        inventors=[("张三", D("1"))],
    )
    assert split.verdict.allowed and split.inventor_pool == D("800.00") and split.unit_amount == D("100.00")


def test_other_units_follow_their_own_rule_and_the_floor_only_without_one():
    """Art. 45 ¶2 binds state-run units only; others may set a lower share by rule (¶1)."""
    own = income_split(
        D("1000"),
        floors=[NATIONAL],
        state_run=False,
        own_rule_share=D("0.3"),
        tto_share=D("0"),
        inventors=[("张三", D("1"))],
    )
    assert own.verdict.allowed and own.inventor_pool == D("300.00")
    default = income_split(
        D("1000"),
        floors=[NATIONAL],
        state_run=False,
        own_rule_share=None,
        tto_share=D("0"),
        inventors=[("张三", D("1"))],
    )
    assert default.inventor_pool == D("500.00")


def test_inventor_pool_rounds_up_so_the_floor_is_never_missed():
    split = income_split(
        D("0.03"),
        floors=[SHANDONG],
        state_run=True,
        own_rule_share=None,
        tto_share=D("0"),
        inventors=[("张三", D("1"))],
    )
    assert split.inventor_pool == D("0.03")  # 0.021 → 0.03 (half up would give 0.02 < 70 %)


@pytest.mark.parametrize(
    ("inventors", "fragment"),
    [
        ([("张三", D("0.5")), ("李四", D("0.4"))], "合计为 90%，必须等于 100%"),
        ([("张三", D("0.6")), ("李四", D("0.6"))], "合计为 120%"),
        ([], "未填写发明人分配比例"),
        ([("张三", D("0.5")), ("张三", D("0.5"))], "发明人重复：张三"),
        ([("张三", D("1.0")), ("李四", D("0"))], "必须大于 0"),
        ([(" ", D("1"))], "姓名不能为空"),
    ],
)
def test_invalid_inventor_splits_block_l12(inventors, fragment):
    split = income_split(
        D("1000"),
        floors=[NATIONAL],
        state_run=True,
        own_rule_share=None,
        tto_share=D("0"),
        inventors=inventors,
    )
    assert not split.verdict.allowed
    assert any(f.code == "L12" and fragment in f.reason for f in split.verdict.blocks)
    assert split.per_inventor == ()
    assert split.inventor_pool == D("500.00"), "the pool itself is still computed"


def test_tto_share_that_does_not_fit_is_blocked_and_trimmed():
    split = income_split(
        D("1000"),
        floors=[SHANDONG],
        state_run=True,
        own_rule_share=None,
        tto_share=D("0.4"),
        inventors=[("张三", D("1"))],
    )
    assert [f.code for f in split.verdict.blocks] == ["L12"]
    assert "合计超过 100%" in split.verdict.blocks[0].reason
    assert (split.inventor_pool, split.tto_amount, split.unit_amount) == (D("700.00"), D("300.00"), D("0.00"))


def test_remainder_cent_goes_to_the_largest_share():
    split = income_split(
        D("1000.01"),
        floors=[],
        state_run=False,
        own_rule_share=D("1"),
        tto_share=D("0"),
        inventors=[("甲", D("0.35")), ("乙", D("0.45")), ("丙", D("0.2"))],
    )
    # exact 350.0035 / 450.0045 / 200.002 round to 1,000.00; the missing cent goes to 乙 (45 %).
    assert split.per_inventor == (("甲", D("350.00")), ("乙", D("450.01")), ("丙", D("200.00")))


def test_bad_arguments_raise():
    kw = {
        "floors": [NATIONAL],
        "state_run": True,
        "own_rule_share": None,
        "tto_share": D("0"),
        "inventors": TEAM,
    }
    with pytest.raises(ValueError):
        income_split(D("-1"), **kw)
    with pytest.raises(ValueError):
        income_split(D("1"), **{**kw, "tto_share": D("1.1")})
    with pytest.raises(ValueError, match="须提供单位规定或法定下限"):
        income_split(D("1"), **{**kw, "floors": []})


shares = st.integers(1, 10_000)


@given(
    net=st.integers(0, 10**13).map(lambda c: D(c).scaleb(-2)),
    parts=st.lists(shares, min_size=1, max_size=12),
    floor=st.integers(0, 100).map(lambda p: D(p).scaleb(-2)),
    own=st.none() | st.integers(0, 100).map(lambda p: D(p).scaleb(-2)),
    tto=st.integers(0, 100).map(lambda p: D(p).scaleb(-2)),
    state_run=st.booleans(),
)
def test_split_amounts_always_sum_exactly(net, parts, floor, own, tto, state_run):
    """Property: pool + TTO + unit == net; inventors' amounts sum to the pool and are ≥ 0; for
    state-run units the pool never falls below floor × net."""
    total = sum(parts)
    splits = [D(p) / total for p in parts]
    splits[-1] = D(1) - sum(splits[:-1], D(0))  # exact 100 % despite division
    assume(all(s > 0 for s in splits))
    inventors = [(f"发明人{i}", s) for i, s in enumerate(splits)]
    split = income_split(
        net,
        floors=[Floor(floor, "法定下限", "x")],
        state_run=state_run,
        own_rule_share=own,
        tto_share=tto,
        inventors=inventors,
    )
    assert split.inventor_pool + split.tto_amount + split.unit_amount == split.net
    assert min(split.inventor_pool, split.tto_amount, split.unit_amount) >= 0
    assert sum((a for _, a in split.per_inventor), D(0)) == split.inventor_pool
    assert all(a >= 0 for _, a in split.per_inventor)
    if state_run:
        assert split.inventor_pool >= floor * split.net
    assert split.inventor_pool - split.inventor_share * split.net < D("0.01")


@given(
    total=st.integers(0, 10**13).map(lambda c: D(c).scaleb(-2)),
    weights=st.lists(st.integers(0, 10**6).map(D), min_size=1, max_size=30).filter(lambda w: sum(w) > 0),
)
def test_allocate_sums_exactly_and_stays_within_a_cent_and_a_half(total, weights):
    """Property: parts sum to the total, are never negative and stay within 1.5 cents of exact."""
    parts = allocate(total, weights)
    assert sum(parts, D(0)) == total
    wsum = sum(weights)
    for part, w in zip(parts, weights, strict=True):
        assert part >= 0
        assert abs(part - total * w / wsum) <= D("0.015")


# --- co-owners ------------------------------------------------------------------------------------


def test_coowner_split_equal_when_no_shares_given():
    """专利法 Art. 14: the fee is shared among co-owners; equal shares absent an agreement."""
    assert coowner_split(D("100.00"), [("大学A", None), ("企业B", None), ("企业C", None)]) == [
        ("大学A", D("33.34")),
        ("企业B", D("33.33")),
        ("企业C", D("33.33")),
    ]


def test_coowner_split_by_agreed_shares():
    assert coowner_split(D("50000"), [("大学A", D("0.6")), ("企业B", D("0.4"))]) == [
        ("大学A", D("30000.00")),
        ("企业B", D("20000.00")),
    ]


@pytest.mark.parametrize(
    "coowners",
    [
        [],
        [("大学A", D("0.6")), ("企业B", None)],
        [("大学A", D("0.6")), ("企业B", D("0.3"))],
        [("大学A", D("1.2")), ("企业B", D("-0.2"))],
    ],
)
def test_coowner_split_refuses_bad_shares(coowners):
    with pytest.raises(ValueError):
        coowner_split(D("100"), coowners)


@given(
    amount=st.integers(0, 10**13).map(lambda c: D(c).scaleb(-2)),
    n=st.integers(1, 20),
)
def test_coowner_equal_split_sums_exactly(amount, n):
    """Property: equal shares sum exactly and differ by at most one cent."""
    parts = [a for _, a in coowner_split(amount, [(f"共有人{i}", None) for i in range(n)])]
    assert sum(parts, D(0)) == amount
    assert max(parts) - min(parts) <= D("0.01")


# --- annual fee -----------------------------------------------------------------------------------


def test_annual_fee_best_single_reduction_section_13():
    """§13: invention year 5, ¥1,200, 85 % fee relief + open licence 15 % → 180 (max, not sum):
    relief alone pays 15 % = 180, the open-licence reduction alone pays 1,020; take the better."""
    fee = annual_fee(D("1200"), {"fee_relief": D("0.85"), "open_licence": D("0.15")})
    assert fee == AnnualFee(D("180.00"), "fee_relief", D("0.85"), D("1200.00"))
    assert fee.payable != D("1200") * D("0.15") * D("0.85"), "reductions must not stack"


def test_annual_fee_open_licence_alone_and_none():
    assert annual_fee(D("1200"), {"open_licence": D("0.15")}).payable == D("1020.00")
    assert annual_fee(D("1200"), {}) == AnnualFee(D("1200.00"), None, D("0"), D("1200.00"))


def test_annual_fee_tie_and_bad_rates():
    assert annual_fee(D("900"), {"b": D("0.7"), "a": D("0.7")}).chosen_reduction_key == "a"
    with pytest.raises(ValueError):
        annual_fee(D("900"), {"x": D("1.5")})
    with pytest.raises(ValueError):
        annual_fee(D("-1"), {})
