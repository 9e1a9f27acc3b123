"""Rule L13 royalties per period, report periods, the receivable plan and ageing
(transactions-and-analytics.md §2.d, §13 ``royalty_due``)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.licensing.fees import FeeSchedule
from patentbridge_engine.licensing.money import money
from patentbridge_engine.licensing.royalty import (
    AGEING_BUCKETS,
    LINE_CAP_ANNUAL,
    LINE_CAP_TOTAL,
    LINE_ENTRY_FEE,
    LINE_MINIMUM,
    ageing,
    contract_year_of,
    due_date,
    payment_plan,
    report_periods,
    royalty_for_period,
)

D = Decimal


def royalty(**over: object) -> dict[str, object]:
    r: dict[str, object] = {
        "type": "royalty",
        "base": "net_sales",
        "kind": "fixed",
        "rates": [{"from_year": 1, "rate": "0.03"}],
        "report_period": "year",
    }
    r.update(over)
    return r


def schedule(*components: dict[str, object]) -> FeeSchedule:
    return FeeSchedule.from_dict({"free": False, "components": list(components)})


ENTRY = {"type": "entry_fee", "amount": "50000.00", "due": "conversion"}
DEMO = schedule(ENTRY, royalty(min_annual="10000.00"))


# --- royalty_for_period --------------------------------------------------------------------------


def test_section_13_vector_entry_fee_plus_minimum():
    """§13: ¥50,000 entry fee + 3 % net sales, min ¥10,000/yr, year-1 net sales ¥200,000
    → 50,000 + max(6,000, 10,000) = 60,000."""
    c = royalty_for_period(DEMO, contract_year=1, base_value=D("200000"), include_entry_fee=True)
    assert c.amount == D("60000.00")
    assert c.lines == [
        (LINE_ENTRY_FEE, D("50000.00")),
        ("提成 (净销售额 ¥200,000.00 × 3%)", D("6000.00")),
        (LINE_MINIMUM, D("4000.00")),
    ]
    assert c.inputs["rate"] == "0.03" and c.inputs["min_annual"] == "10000.00"
    assert c.inputs["contract_year"] == 1 and c.inputs["include_entry_fee"] is True


def test_later_periods_carry_no_entry_fee_and_no_top_up_above_minimum():
    c = royalty_for_period(DEMO, contract_year=2, base_value=D("500000"), include_entry_fee=False)
    assert c.amount == D("15000.00")
    assert c.lines == [("提成 (净销售额 ¥500,000.00 × 3%)", D("15000.00"))]
    assert "entry_fee" not in c.inputs


def test_quarterly_minimum_is_scaled_by_the_period_fraction():
    c = royalty_for_period(
        DEMO, contract_year=1, base_value=D("10000"), period_fraction=D("0.25"), include_entry_fee=False
    )
    assert c.amount == D("2500.00")
    assert c.lines[-1] == (LINE_MINIMUM, D("2200.00"))
    assert c.inputs["period_minimum"] == "2500.00"


def test_annual_cap_scaled_by_fraction():
    s = schedule(royalty(cap_annual="40000"))
    c = royalty_for_period(
        s, contract_year=1, base_value=D("1000000"), period_fraction=D("0.5"), include_entry_fee=False
    )
    assert c.amount == D("20000.00")
    assert c.lines[-1] == (LINE_CAP_ANNUAL, D("-10000.00"))


def test_total_cap_limits_to_what_is_left():
    s = schedule(royalty(cap_total="100000", min_annual="5000"))
    c = royalty_for_period(
        s, contract_year=4, base_value=D("1000000"), paid_so_far_total=D("95000"), include_entry_fee=False
    )
    assert c.amount == D("5000.00")
    assert c.lines[-1] == (LINE_CAP_TOTAL, D("-25000.00"))
    spent = royalty_for_period(
        s, contract_year=5, base_value=D("1"), paid_so_far_total=D("100000"), include_entry_fee=False
    )
    assert spent.amount == D("0.00"), "the total cap beats the yearly minimum once reached"


@pytest.mark.parametrize(("year", "rate_text"), [(1, "3%"), (2, "3%"), (3, "4%"), (9, "5%")])
def test_increasing_rate_follows_the_contract_year(year, rate_text):
    s = schedule(
        royalty(
            kind="increasing",
            rates=[
                {"from_year": 1, "rate": "0.03"},
                {"from_year": 3, "rate": "0.04"},
                {"from_year": 5, "rate": "0.05"},
            ],
        )
    )
    c = royalty_for_period(s, contract_year=year, base_value=D("100000"), include_entry_fee=False)
    assert c.lines[0][0] == f"提成 (净销售额 ¥100,000.00 × {rate_text})"
    assert c.amount == money(D(rate_text[:-1]) / 100 * 100000)


def test_tiered_rates_are_marginal():
    s = schedule(
        royalty(
            kind="tiered",
            rates=[{"from_amount": "0", "rate": "0.03"}, {"from_amount": "1000000", "rate": "0.02"}],
        )
    )
    c = royalty_for_period(s, contract_year=1, base_value=D("1500000"), include_entry_fee=False)
    assert c.amount == D("40000.00")  # 1,000,000 × 3 % + 500,000 × 2 %
    assert c.lines[0][0] == "提成 (净销售额 ¥1,500,000.00，分段累进：¥1,000,000.00 × 3% + ¥500,000.00 × 2%)"
    below = royalty_for_period(s, contract_year=1, base_value=D("400000"), include_entry_fee=False)
    assert below.amount == D("12000.00")


def test_per_unit_royalty():
    s = schedule(
        royalty(
            base="units",
            kind="decreasing",
            rates=[{"from_year": 1, "per_unit": "2.50"}, {"from_year": 2, "per_unit": "2.00"}],
        )
    )
    c = royalty_for_period(s, contract_year=1, base_value=D("1000"), include_entry_fee=False)
    assert c.lines == [("提成 (销售数量 1,000 件 × ¥2.50)", D("2500.00"))]
    assert royalty_for_period(s, contract_year=2, base_value=D("1000"), include_entry_fee=False).amount == D(
        "2000.00"
    )


def test_rounding_is_half_up_to_the_cent():
    c = royalty_for_period(
        schedule(royalty()), contract_year=1, base_value=D("100.50"), include_entry_fee=False
    )
    assert c.amount == D("3.02")  # 3.015 → 3.02


def test_a_loss_owes_no_profit_royalty_but_the_minimum_still_applies():
    s = schedule(royalty(base="profit", rates=[{"from_year": 1, "rate": "0.2"}], min_annual="1000"))
    c = royalty_for_period(s, contract_year=1, base_value=D("-50000"), include_entry_fee=False)
    assert c.amount == D("1000.00")
    assert c.inputs["base_used"] == "0" and c.inputs["base_value"] == "-50000"


def test_negative_sales_are_refused():
    with pytest.raises(ValueError, match="净销售额不能为负数"):
        royalty_for_period(DEMO, contract_year=1, base_value=D("-1"), include_entry_fee=False)


def test_incomplete_royalty_cannot_be_computed():
    with pytest.raises(ValueError, match="L9"):
        royalty_for_period(
            schedule(royalty(base=None)), contract_year=1, base_value=D("1"), include_entry_fee=False
        )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"contract_year": 0},
        {"period_fraction": D("0")},
        {"period_fraction": D("1.01")},
        {"paid_so_far_total": D("-1")},
    ],
)
def test_out_of_range_arguments_are_refused(kwargs):
    args = {"contract_year": 1, "base_value": D("1"), "include_entry_fee": False, **kwargs}
    with pytest.raises(ValueError):
        royalty_for_period(DEMO, **args)


def test_free_and_fixed_only_schedules_owe_no_royalty():
    free = royalty_for_period(
        FeeSchedule.free_schedule(), contract_year=1, base_value=D("9"), include_entry_fee=True
    )
    assert free.amount == D("0.00") and free.lines == []
    entry_only = schedule(ENTRY)
    assert royalty_for_period(
        entry_only, contract_year=1, base_value=D("9"), include_entry_fee=True
    ).amount == D("50000.00")


money_st = st.integers(min_value=0, max_value=10**11).map(lambda c: D(c).scaleb(-2))
optional_money = st.none() | st.integers(min_value=1, max_value=10**9).map(lambda c: D(c).scaleb(-2))
fractions = st.sampled_from([D("1"), D("0.5"), D("0.25"), D("0.123456"), D("0.000001")])


@given(
    rate=st.integers(0, 10**6).map(lambda n: D(n).scaleb(-6)),
    base=money_st,
    low=optional_money,
    cap=optional_money,
    total=optional_money,
    fraction=fractions,
    paid=money_st,
    with_entry=st.booleans(),
)
def test_royalty_stays_between_minimum_and_caps(rate, base, low, cap, total, fraction, paid, with_entry):
    """Property: lines sum to the amount; the royalty is ≤ the scaled yearly cap and ≤ what the
    total cap leaves, and ≥ the scaled minimum unless the total cap leaves less."""
    if low is not None and ((cap is not None and low > cap) or (total is not None and low > total)):
        low = None
    comp = royalty(
        rates=[{"from_year": 1, "rate": str(rate)}],
        min_annual=low and str(low),
        cap_annual=cap and str(cap),
        cap_total=total and str(total),
    )
    s = schedule(ENTRY, comp)
    c = royalty_for_period(
        s,
        contract_year=1,
        base_value=base,
        period_fraction=fraction,
        paid_so_far_total=paid,
        include_entry_fee=with_entry,
    )
    assert c.amount == sum((a for _, a in c.lines), D(0))
    due = c.amount - (D("50000.00") if with_entry else 0)
    assert due >= 0
    remaining = None if total is None else max(D(0), total - paid)
    if cap is not None:
        assert due <= money(cap * fraction)
    if remaining is not None:
        assert due <= remaining
    if low is not None:
        assert due >= min(
            money(low * fraction), remaining if remaining is not None else money(low * fraction)
        )
    if low is None and cap is None and total is None:
        assert due == money(rate * base)


# --- contract years and report periods ----------------------------------------------------------


def test_contract_year_counts_anniversaries_of_the_paid_start():
    start = dt.date(2026, 7, 15)
    assert contract_year_of(start, start) == 1
    assert contract_year_of(start, dt.date(2027, 7, 14)) == 1
    assert contract_year_of(start, dt.date(2027, 7, 15)) == 2
    assert contract_year_of(dt.date(2024, 2, 29), dt.date(2025, 2, 28)) == 2  # 细则 Art. 5 month-end rule
    with pytest.raises(ValueError):
        contract_year_of(start, dt.date(2026, 7, 14))


def test_quarters_are_calendar_quarters_clipped_to_the_phase():
    periods = report_periods(dt.date(2026, 2, 15), dt.date(2026, 11, 30), "quarter")
    assert [(p.label, p.start, p.end) for p in periods] == [
        ("2026年第1季度", dt.date(2026, 2, 15), dt.date(2026, 3, 31)),
        ("2026年第2季度", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("2026年第3季度", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("2026年第4季度", dt.date(2026, 10, 1), dt.date(2026, 11, 30)),
    ]
    assert periods[1].fraction == D("0.25") and periods[2].fraction == D("0.25")
    assert periods[0].fraction == (D("0.25") * 45 / 90).quantize(D("0.000001"))
    assert periods[3].fraction == (D("0.25") * 61 / 92).quantize(D("0.000001"))


def test_halves_and_years():
    halves = report_periods(dt.date(2026, 1, 1), dt.date(2027, 3, 31), "half")
    assert [p.label for p in halves] == ["2026年上半年", "2026年下半年", "2027年上半年"]
    assert [p.fraction for p in halves[:2]] == [D("0.5"), D("0.5")]
    assert halves[-1].end == dt.date(2027, 3, 31)
    years = report_periods(dt.date(2026, 7, 1), dt.date(2028, 6, 30), "year")
    assert [(p.label, p.start, p.end) for p in years] == [
        ("2026年度", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        ("2027年度", dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
        ("2028年度", dt.date(2028, 1, 1), dt.date(2028, 6, 30)),
    ]
    assert years[1].fraction == D("1")


def test_one_day_phase_and_bad_arguments():
    (only,) = report_periods(dt.date(2026, 12, 31), dt.date(2026, 12, 31), "quarter")
    assert only.label == "2026年第4季度" and only.start == only.end
    with pytest.raises(ValueError, match="报告周期"):
        report_periods(dt.date(2026, 1, 1), dt.date(2026, 2, 1), "month")
    with pytest.raises(ValueError):
        report_periods(dt.date(2026, 2, 1), dt.date(2026, 1, 1), "year")


@given(
    st.dates(dt.date(2020, 1, 1), dt.date(2040, 1, 1)),
    st.integers(0, 2000),
    st.sampled_from(["quarter", "half", "year"]),
)
def test_periods_tile_the_phase(start, length, kind):
    """Property: periods are contiguous, cover [start, end] exactly, and never cross a calendar year."""
    end = start + dt.timedelta(days=length)
    periods = report_periods(start, end, kind)
    assert periods[0].start == start and periods[-1].end == end
    for a, b in itertools.pairwise(periods):
        assert b.start == a.end + dt.timedelta(days=1)
    assert all(p.start.year == p.end.year and 0 < p.fraction <= 1 for p in periods)


def test_due_date_adds_calendar_days():
    assert due_date(dt.date(2026, 3, 31), 30) == dt.date(2026, 4, 30)
    assert due_date(dt.date(2026, 12, 31), 0) == dt.date(2026, 12, 31)
    with pytest.raises(ValueError):
        due_date(dt.date(2026, 3, 31), -1)


# --- payment plan ---------------------------------------------------------------------------------


def test_payment_plan_for_entry_fee_royalty_and_milestone():
    s = schedule(
        ENTRY,
        royalty(report_period="half", pay_within_days=15),
        {"type": "milestone", "event": "首批产品上市", "amount": "20000"},
    )
    plan = payment_plan(
        s, paid_start=dt.date(2026, 7, 15), paid_end=dt.date(2027, 7, 14), signing_date=dt.date(2026, 1, 10)
    )
    assert [(r.component, r.label, r.due_date, r.amount) for r in plan] == [
        ("entry_fee", "入门费", dt.date(2026, 7, 15), D("50000.00")),  # due on conversion
        ("royalty", "提成（2026年下半年）", dt.date(2027, 1, 15), None),
        ("royalty", "提成（2027年上半年）", dt.date(2027, 7, 15), None),
        ("royalty", "提成（2027年下半年）", dt.date(2027, 7, 29), None),
        ("milestone", "里程碑：首批产品上市", None, D("20000.00")),
    ]
    assert (plan[1].period_start, plan[1].period_end) == (dt.date(2026, 7, 15), dt.date(2026, 12, 31))
    assert (plan[3].period_start, plan[3].period_end) == (dt.date(2027, 7, 1), dt.date(2027, 7, 14))


def test_payment_plan_lump_sum_and_signing_entry_fee():
    s = schedule(
        {
            "type": "lump_sum",
            "amount": "120000",
            "instalments": [
                {"date": "2026-03-01", "amount": "60000"},
                {"date": "2026-09-01", "amount": "60000"},
            ],
        },
        {"type": "entry_fee", "amount": "1000", "due": "signing"},
    )
    plan = payment_plan(
        s, paid_start=dt.date(2026, 1, 1), paid_end=dt.date(2026, 12, 31), signing_date=dt.date(2025, 12, 20)
    )
    assert [(r.label, r.due_date, r.amount) for r in plan] == [
        ("入门费", dt.date(2025, 12, 20), D("1000.00")),
        ("一次性许可费（第1期，共2期）", dt.date(2026, 3, 1), D("60000.00")),
        ("一次性许可费（第2期，共2期）", dt.date(2026, 9, 1), D("60000.00")),
    ]
    whole = payment_plan(
        schedule({"type": "lump_sum", "amount": "5"}),
        paid_start=dt.date(2026, 1, 1),
        paid_end=dt.date(2026, 1, 2),
        signing_date=dt.date(2025, 12, 1),
    )
    assert [(r.label, r.due_date, r.amount) for r in whole] == [
        ("一次性许可费", dt.date(2025, 12, 1), D("5.00"))
    ]


def test_payment_plan_edge_cases():
    kw = {
        "paid_start": dt.date(2026, 1, 1),
        "paid_end": dt.date(2026, 12, 31),
        "signing_date": dt.date(2026, 1, 1),
    }
    assert payment_plan(FeeSchedule.free_schedule(), **kw) == []
    with pytest.raises(ValueError, match="L9"):
        payment_plan(schedule(royalty(report_period=None)), **kw)
    with pytest.raises(ValueError):
        payment_plan(
            DEMO,
            paid_start=dt.date(2026, 2, 1),
            paid_end=dt.date(2026, 1, 1),
            signing_date=dt.date(2026, 1, 1),
        )


# --- ageing -------------------------------------------------------------------------------------


def test_ageing_buckets_and_boundaries():
    as_of = dt.date(2026, 12, 31)
    ago = lambda n: as_of - dt.timedelta(days=n)  # noqa: E731
    items = [
        (ago(-5), D("1")),
        (ago(0), D("2")),
        (ago(1), D("4")),
        (ago(30), D("8")),
        (ago(31), D("16")),
        (ago(90), D("32")),
        (ago(91), D("64")),
        (ago(180), D("128")),
        (ago(181), D("256.50")),
    ]
    assert ageing(items, as_of) == {
        "未到期": D("3.00"),
        "逾期1-30天": D("12.00"),
        "逾期31-90天": D("48.00"),
        "逾期91-180天": D("192.00"),
        "逾期180天以上": D("256.50"),
    }


def test_ageing_has_every_bucket_even_when_empty_and_refuses_negative():
    assert ageing([], dt.date(2026, 1, 1)) == {label: D("0.00") for label, _ in AGEING_BUCKETS}
    assert list(ageing([], dt.date(2026, 1, 1))) == [
        "未到期",
        "逾期1-30天",
        "逾期31-90天",
        "逾期91-180天",
        "逾期180天以上",
    ]
    with pytest.raises(ValueError):
        ageing([(dt.date(2026, 1, 1), D("-1"))], dt.date(2026, 1, 1))
