"""Fee schedules: the stored/posted dict contract, descriptions, reporting type and rule L9 plus the
open-licence fee checks (transactions-and-analytics.md §2.d, §3.d, §13)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.licensing.fees import (
    EntryFee,
    EntryFeeDue,
    FeeSchedule,
    FeeScheduleError,
    Instalment,
    LumpSum,
    Milestone,
    ReportPeriod,
    Royalty,
    RoyaltyBase,
    RoyaltyKind,
    Tier,
    UnitPrice,
    YearRate,
    fee_text_needs_negotiation,
    schedule_findings,
)
from patentbridge_engine.licensing.findings import Severity, Verdict

D = Decimal
GUIDE = {
    "guide_max_fixed": D("20000000"),
    "guide_max_net_sales": D("0.20"),
    "guide_max_profit": D("0.40"),
}

ENTRY_PLUS_ROYALTY = {
    "free": False,
    "components": [
        {"type": "entry_fee", "amount": "50000.00", "due": "conversion"},
        {
            "type": "royalty",
            "base": "net_sales",
            "kind": "fixed",
            "rates": [{"from_year": 1, "rate": "0.03"}],
            "min_annual": "10000.00",
            "cap_annual": None,
            "cap_total": None,
            "report_period": "year",
            "pay_within_days": 30,
        },
    ],
}


def royalty_dict(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "type": "royalty",
        "base": "net_sales",
        "kind": "fixed",
        "rates": [{"from_year": 1, "rate": "0.03"}],
        "report_period": "year",
    }
    base.update(over)
    return base


def schedule_of(*components: dict[str, object]) -> dict[str, object]:
    return {"free": False, "components": list(components)}


# --- the dict contract -------------------------------------------------------------------------


def test_entry_fee_plus_royalty_parses_to_the_expected_parts():
    """The §2.e demo offer (¥50,000 entry fee + 3 % of net sales, min ¥10,000/yr) reads as such."""
    s = FeeSchedule.from_dict(ENTRY_PLUS_ROYALTY)
    assert s.entry_fee == EntryFee(D("50000.00"), EntryFeeDue.CONVERSION)
    royalty = s.royalty
    assert royalty is not None
    assert royalty.base is RoyaltyBase.NET_SALES
    assert royalty.rates == (YearRate(1, D("0.03")),)
    assert royalty.min_annual == D("10000")
    assert royalty.report_period is ReportPeriod.YEAR
    assert royalty.is_measurable


def test_canonical_dict_round_trips_exactly():
    """to_dict writes back exactly the canonical dict that was read."""
    assert FeeSchedule.from_dict(ENTRY_PLUS_ROYALTY).to_dict() == ENTRY_PLUS_ROYALTY


def test_lenient_spellings_are_written_back_canonically():
    """Integer amounts, short rates and omitted optional keys come back in canonical form."""
    d = schedule_of(
        {"type": "lump_sum", "amount": 120000, "instalments": [{"date": "2026-03-01", "amount": "120000"}]},
        {"type": "royalty", "base": "sales", "kind": "fixed", "rates": [{"from_year": 1, "rate": "0.0300"}]},
    )
    out = FeeSchedule.from_dict(d).to_dict()
    lump, royalty = out["components"]  # type: ignore[misc]
    assert lump == {
        "type": "lump_sum",
        "amount": "120000.00",
        "instalments": [{"date": "2026-03-01", "amount": "120000.00"}],
    }
    assert royalty["rates"] == [{"from_year": 1, "rate": "0.03"}]
    assert royalty["pay_within_days"] == 30
    assert royalty["min_annual"] is None and royalty["report_period"] is None


def test_from_dict_does_not_mutate_its_input():
    d = copy.deepcopy(ENTRY_PLUS_ROYALTY)
    FeeSchedule.from_dict(d)
    assert d == ENTRY_PLUS_ROYALTY


BAD = [
    # (description, dict, field, reason fragment)
    (
        "negative amount",
        schedule_of({"type": "entry_fee", "amount": "-1.00", "due": "signing"}),
        "components[0].amount",
        "不能为负数",
    ),
    (
        "zero amount",
        schedule_of({"type": "milestone", "event": "上市", "amount": "0"}),
        "components[0].amount",
        "大于 0",
    ),
    (
        "three decimals",
        schedule_of({"type": "entry_fee", "amount": "1.005", "due": "signing"}),
        "components[0].amount",
        "2 位小数",
    ),
    (
        "float amount",
        schedule_of({"type": "entry_fee", "amount": 1.5, "due": "signing"}),
        "components[0].amount",
        "浮点数",
    ),
    (
        "exponent notation",
        schedule_of({"type": "entry_fee", "amount": "1e5", "due": "signing"}),
        "components[0].amount",
        "格式不正确",
    ),
    (
        "absurd amount",
        schedule_of({"type": "entry_fee", "amount": "1000000000001", "due": "signing"}),
        "components[0].amount",
        "超出允许范围",
    ),
    (
        "instalments do not sum",
        schedule_of(
            {
                "type": "lump_sum",
                "amount": "100.00",
                "instalments": [
                    {"date": "2026-01-01", "amount": "60.00"},
                    {"date": "2026-06-01", "amount": "30.00"},
                ],
            }
        ),
        "components[0].instalments",
        "之和必须等于",
    ),
    (
        "instalment dates unsorted",
        schedule_of(
            {
                "type": "lump_sum",
                "amount": "100.00",
                "instalments": [
                    {"date": "2026-06-01", "amount": "50.00"},
                    {"date": "2026-01-01", "amount": "50.00"},
                ],
            }
        ),
        "components[0].instalments[1].date",
        "先后顺序",
    ),
    (
        "bad date",
        schedule_of(
            {
                "type": "lump_sum",
                "amount": "100.00",
                "instalments": [{"date": "2026/06/01", "amount": "100.00"}],
            }
        ),
        "components[0].instalments[0].date",
        "YYYY-MM-DD",
    ),
    (
        "rate above one",
        schedule_of(royalty_dict(rates=[{"from_year": 1, "rate": "1.5"}])),
        "components[0].rates[0].rate",
        "提成比例必须在 0 到 1 之间",
    ),
    (
        "negative rate",
        schedule_of(royalty_dict(rates=[{"from_year": 1, "rate": "-0.01"}])),
        "components[0].rates[0].rate",
        "提成比例必须在 0 到 1 之间",
    ),
    ("unknown base", schedule_of(royalty_dict(base="turnover")), "components[0].base", "未知的计提基数"),
    ("unknown kind", schedule_of(royalty_dict(kind="sliding")), "components[0].kind", "提成方式"),
    (
        "unknown period",
        schedule_of(royalty_dict(report_period="month")),
        "components[0].report_period",
        "报告周期",
    ),
    (
        "increasing that decreases",
        schedule_of(
            royalty_dict(
                kind="increasing", rates=[{"from_year": 1, "rate": "0.04"}, {"from_year": 3, "rate": "0.03"}]
            )
        ),
        "components[0].rates[1]",
        "递增提成的比例不能下降",
    ),
    (
        "decreasing that increases",
        schedule_of(
            royalty_dict(
                kind="decreasing", rates=[{"from_year": 1, "rate": "0.03"}, {"from_year": 3, "rate": "0.04"}]
            )
        ),
        "components[0].rates[1]",
        "递减提成的比例不能上升",
    ),
    (
        "rates unsorted",
        schedule_of(
            royalty_dict(
                kind="increasing",
                rates=[
                    {"from_year": 1, "rate": "0.03"},
                    {"from_year": 4, "rate": "0.04"},
                    {"from_year": 3, "rate": "0.05"},
                ],
            )
        ),
        "components[0].rates[2]",
        "从小到大",
    ),
    (
        "first year not 1",
        schedule_of(royalty_dict(rates=[{"from_year": 2, "rate": "0.03"}])),
        "components[0].rates[0]",
        "第 1 年",
    ),
    (
        "fixed with two steps",
        schedule_of(royalty_dict(rates=[{"from_year": 1, "rate": "0.03"}, {"from_year": 2, "rate": "0.03"}])),
        "components[0].rates",
        "只能有一档",
    ),
    (
        "tiers not from zero",
        schedule_of(royalty_dict(kind="tiered", rates=[{"from_amount": "100", "rate": "0.03"}])),
        "components[0].rates[0]",
        "0 元",
    ),
    (
        "tier with year key",
        schedule_of(royalty_dict(kind="tiered", rates=[{"from_year": 1, "rate": "0.03"}])),
        "components[0].rates[0].from_year",
        "未知字段",
    ),
    (
        "units tiered",
        schedule_of(royalty_dict(base="units", kind="tiered", rates=[])),
        "components[0].kind",
        "按件计费",
    ),
    (
        "units with rate",
        schedule_of(royalty_dict(base="units", rates=[{"from_year": 1, "rate": "0.03"}])),
        "components[0].rates[0].rate",
        "未知字段",
    ),
    (
        "min above annual cap",
        schedule_of(royalty_dict(min_annual="10000", cap_annual="5000")),
        "components[0].min_annual",
        "年封顶额",
    ),
    (
        "min above total cap",
        schedule_of(royalty_dict(min_annual="10000", cap_total="5000")),
        "components[0].min_annual",
        "累计封顶额",
    ),
    (
        "pay days as bool",
        schedule_of(royalty_dict(pay_within_days=True)),
        "components[0].pay_within_days",
        "整数",
    ),
    (
        "pay days absurd",
        schedule_of(royalty_dict(pay_within_days=1000)),
        "components[0].pay_within_days",
        "0 到 365",
    ),
    (
        "unknown component",
        schedule_of({"type": "bonus", "amount": "1"}),
        "components[0].type",
        "未知的收费项目",
    ),
    (
        "unknown key",
        schedule_of({"type": "entry_fee", "amount": "1", "due": "signing", "vat": "0.06"}),
        "components[0].vat",
        "未知字段",
    ),
    ("missing key", schedule_of({"type": "entry_fee", "amount": "1"}), "components[0].due", "缺少必填字段"),
    (
        "free with components",
        {"free": True, "components": [{"type": "milestone", "event": "x", "amount": "1"}]},
        "components",
        "免费许可不能同时约定收费项目",
    ),
    ("two royalties", schedule_of(royalty_dict(), royalty_dict()), "components", "提成只能约定一项"),
    (
        "empty milestone event",
        schedule_of({"type": "milestone", "event": "  ", "amount": "1"}),
        "components[0].event",
        "不能为空",
    ),
    ("free not bool", {"free": "no", "components": []}, "free", "true 或 false"),
    (
        "too many components",
        schedule_of(*[{"type": "milestone", "event": f"e{i}", "amount": "1"} for i in range(101)]),
        "components",
        "最多 100 项",
    ),
    (
        "too many rates",
        schedule_of(
            royalty_dict(kind="increasing", rates=[{"from_year": i, "rate": "0.01"} for i in range(1, 102)])
        ),
        "components[0].rates",
        "最多 100 项",
    ),
]


@pytest.mark.parametrize(("what", "data", "field", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_malformed_schedules_are_refused_with_field_and_chinese_reason(what, data, field, fragment):
    """Each malformed input names the offending JSON path and says why in Chinese."""
    with pytest.raises(FeeScheduleError) as info:
        FeeSchedule.from_dict(data)
    assert info.value.field == field
    assert fragment in info.value.reason


def test_schedule_error_is_a_value_error():
    """Callers that only know ValueError (e.g. API validation) still catch it."""
    with pytest.raises(ValueError, match="提成比例"):
        FeeSchedule.from_dict(schedule_of(royalty_dict(rates=[{"from_year": 1, "rate": "2"}])))


def test_draft_royalty_without_base_parses_but_is_not_measurable():
    """A draft saved with base/report period null is readable; L9 decides whether it may be used."""
    s = FeeSchedule.from_dict(schedule_of(royalty_dict(base=None, report_period=None)))
    assert s.royalty is not None and not s.royalty.is_measurable


# --- description and reporting type -------------------------------------------------------------


def test_describe_entry_fee_plus_royalty():
    assert (
        FeeSchedule.from_dict(ENTRY_PLUS_ROYALTY).describe()
        == "入门费 ¥50,000.00（转为付费时支付）+ 净销售额的 3%（每年最低 ¥10,000.00），按年报告"
    )


def test_describe_other_shapes():
    s = FeeSchedule(
        components=(
            LumpSum(
                D("120000.00"),
                (
                    Instalment(dt.date(2026, 3, 1), D("60000.00")),
                    Instalment(dt.date(2026, 9, 1), D("60000.00")),
                ),
            ),
            Royalty(
                RoyaltyBase.PROFIT,
                RoyaltyKind.INCREASING,
                (YearRate(1, D("0.1")), YearRate(3, D("0.125"))),
                cap_total=D("500000"),
                report_period=ReportPeriod.HALF,
            ),
            Milestone("首批产品上市", D("20000")),
        )
    )
    assert s.describe() == (
        "一次性许可费 ¥120,000.00（分 2 期支付）+ 利润的 10%（第1–2年）、12.5%（第3年起）"
        "（累计封顶 ¥500,000.00），按半年报告 + 里程碑“首批产品上市” ¥20,000.00"
    )
    tiered = FeeSchedule(
        components=(
            Royalty(
                RoyaltyBase.SALES,
                RoyaltyKind.TIERED,
                (Tier(D("0"), D("0.03")), Tier(D("1000000"), D("0.02"))),
                report_period=ReportPeriod.QUARTER,
            ),
        )
    )
    assert tiered.describe() == "销售额分段累进提成：¥0.00 以上部分 3%、¥1,000,000.00 以上部分 2%，按季度报告"
    units = FeeSchedule(
        components=(
            Royalty(
                RoyaltyBase.UNITS,
                RoyaltyKind.FIXED,
                (UnitPrice(1, D("2.5")),),
                report_period=ReportPeriod.YEAR,
            ),
        )
    )
    assert units.describe() == "每件 ¥2.50，按年报告"
    assert FeeSchedule.free_schedule().describe() == "免费许可"
    assert FeeSchedule().describe() == "未约定许可费"


@pytest.mark.parametrize(
    ("components", "expected"),
    [
        ((EntryFee(D("1.00")),), "fixed"),
        ((LumpSum(D("1.00")), Milestone("上市", D("1.00"))), "fixed"),
        ((EntryFee(D("1.00")), Royalty(RoyaltyBase.NET_SALES, RoyaltyKind.FIXED, ())), "royalty"),
        ((Royalty(RoyaltyBase.UNITS, RoyaltyKind.FIXED, (UnitPrice(1, D("1")),)),), "royalty"),
    ],
)
def test_payment_type_uses_the_cnipa_vocabulary(components, expected):
    """Entry fee + royalty counts as royalty; fixed amounts only are fixed (§2.b item 9)."""
    s = FeeSchedule(components=components)
    assert s.payment_type == expected
    assert not s.is_free


def test_free_schedule_is_free():
    s = FeeSchedule.free_schedule()
    assert s.is_free and s.payment_type == "free"
    assert s.to_dict() == {"free": True, "components": []}
    assert FeeSchedule.from_dict(s.to_dict()) == s


def test_fixed_total_sums_fixed_amounts_only():
    s = FeeSchedule(
        components=(
            EntryFee(D("50000.00")),
            LumpSum(D("1.50")),
            Milestone("x", D("2.25")),
            Royalty(RoyaltyBase.NET_SALES, RoyaltyKind.FIXED, (YearRate(1, D("0.5")),)),
        )
    )
    assert s.fixed_total == D("50003.75")


# --- rule L9 and the open-licence checks ---------------------------------------------------------


def test_l9_blocks_a_schedule_that_is_neither_free_nor_priced():
    found = schedule_findings(FeeSchedule(), for_open_licence=False, **GUIDE)
    assert [(f.code, f.severity) for f in found] == [("L9", Severity.BLOCK)]
    assert "民法典" in found[0].source


def test_l9_names_the_missing_parts_of_a_draft_royalty():
    s = FeeSchedule.from_dict(schedule_of(royalty_dict(base=None, report_period=None)))
    (finding,) = schedule_findings(s, for_open_licence=False, **GUIDE)
    assert finding.code == "L9" and finding.severity is Severity.BLOCK
    assert "计提基数" in finding.reason and "报告周期" in finding.reason and "提成比例" not in finding.reason


def test_complete_and_free_schedules_pass():
    for s in (FeeSchedule.from_dict(ENTRY_PLUS_ROYALTY), FeeSchedule.free_schedule()):
        assert schedule_findings(s, for_open_licence=True, **GUIDE) == []
        assert schedule_findings(s, for_open_licence=False, **GUIDE) == []


def test_open_licence_gap_is_fee_not_computable():
    """For an open licence an incomplete fee is FEE_NOT_COMPUTABLE (专利法 Arts. 50–51), not L9."""
    s = FeeSchedule.from_dict(schedule_of(royalty_dict(rates=[])))
    (finding,) = schedule_findings(s, for_open_licence=True, **GUIDE)
    assert finding.code == "FEE_NOT_COMPUTABLE" and finding.severity is Severity.BLOCK
    assert "专利法" in finding.source and "提成比例" in finding.reason


def test_open_licence_fee_text_mianyi_is_blocked():
    """§13: fee "面议" → blocked FEE_NOT_COMPUTABLE."""
    found = schedule_findings(
        FeeSchedule.free_schedule(), for_open_licence=True, fee_text="许可费面议", **GUIDE
    )
    assert [f.code for f in found] == ["FEE_NOT_COMPUTABLE"]
    assert not Verdict.of(found).allowed


def test_open_licence_royalty_25_percent_net_sales_is_allowed_with_warning():
    """§13: royalty 25 % of net sales → allowed, warn FEE_ABOVE_GUIDE."""
    s = FeeSchedule.from_dict(schedule_of(royalty_dict(rates=[{"from_year": 1, "rate": "0.25"}])))
    found = schedule_findings(s, for_open_licence=True, **GUIDE)
    verdict = Verdict.of(found)
    assert verdict.allowed
    assert [(f.code, f.severity) for f in found] == [("FEE_ABOVE_GUIDE", Severity.WARN)]
    assert "25%" in found[0].reason and "20%" in found[0].reason


@pytest.mark.parametrize(
    ("base", "rate", "warned"),
    [
        ("net_sales", "0.20", False),
        ("net_sales", "0.200001", True),
        ("sales", "0.21", True),
        ("profit", "0.40", False),
        ("profit", "0.41", True),
        ("new_output_value", "0.9", False),
    ],
)
def test_royalty_guide_limits_by_base(base, rate, warned):
    """The guide caps royalties at 20 % of net sales (gross sales at least as heavy) or 40 % of profit."""
    s = FeeSchedule.from_dict(schedule_of(royalty_dict(base=base, rates=[{"from_year": 1, "rate": rate}])))
    codes = [f.code for f in schedule_findings(s, for_open_licence=True, **GUIDE)]
    assert codes == (["FEE_ABOVE_GUIDE"] if warned else [])


def test_increasing_royalty_is_judged_on_its_highest_step():
    s = FeeSchedule.from_dict(
        schedule_of(
            royalty_dict(
                kind="increasing", rates=[{"from_year": 1, "rate": "0.05"}, {"from_year": 4, "rate": "0.30"}]
            )
        )
    )
    assert [f.code for f in schedule_findings(s, for_open_licence=True, **GUIDE)] == ["FEE_ABOVE_GUIDE"]


def test_fixed_amounts_above_the_guide_warn():
    s = FeeSchedule(components=(EntryFee(D("15000000.00")), Milestone("量产", D("5000000.01"))))
    (finding,) = schedule_findings(s, for_open_licence=True, **GUIDE)
    assert finding.code == "FEE_ABOVE_GUIDE" and finding.severity is Severity.WARN
    at_limit = FeeSchedule(components=(EntryFee(D("15000000.00")), Milestone("量产", D("5000000.00"))))
    assert schedule_findings(at_limit, for_open_licence=True, **GUIDE) == []


def test_negotiated_licences_are_not_measured_against_open_licence_guidance():
    """The 2024 guidance is about open licences; a directed licence at 25 % gets no warning."""
    s = FeeSchedule.from_dict(schedule_of(royalty_dict(rates=[{"from_year": 1, "rate": "0.25"}])))
    assert schedule_findings(s, for_open_licence=False, fee_text="面议", **GUIDE) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("面议", True),
        ("价格面 议", True),
        ("具体费用双方协商确定", True),
        ("另议", True),
        ("由双方商定", True),
        ("按净销售额的3%支付，每年最低1万元", False),
        ("", False),
        ("免费", False),
    ],
)
def test_fee_text_needs_negotiation(text, expected):
    assert fee_text_needs_negotiation(text) is expected


# --- properties ---------------------------------------------------------------------------------

cents = st.integers(min_value=1, max_value=10**14).map(lambda c: D(c).scaleb(-2))
rates = st.integers(min_value=0, max_value=10**6).map(lambda n: D(n).scaleb(-6))


@st.composite
def royalties(draw: st.DrawFn) -> Royalty:
    base = draw(st.none() | st.sampled_from(list(RoyaltyBase)))
    kind = draw(st.sampled_from(list(RoyaltyKind)))
    if base is RoyaltyBase.UNITS and kind is RoyaltyKind.TIERED:
        kind = RoyaltyKind.FIXED
    n = 1 if kind is RoyaltyKind.FIXED else draw(st.integers(0, 6))
    if kind is RoyaltyKind.TIERED:
        starts = sorted(
            draw(st.lists(cents, min_size=n - 1 if n else 0, max_size=n - 1 if n else 0, unique=True))
        )
        steps: tuple = tuple(Tier(s, draw(rates)) for s in ([D("0.00"), *starts] if n else []))
    else:
        years = (
            [1, *sorted(draw(st.lists(st.integers(2, 50), min_size=n - 1, max_size=n - 1, unique=True)))]
            if n
            else []
        )
        values = draw(
            st.lists(cents if base is RoyaltyBase.UNITS else rates, min_size=len(years), max_size=len(years))
        )
        values.sort(reverse=kind is RoyaltyKind.DECREASING)
        make = UnitPrice if base is RoyaltyBase.UNITS else YearRate
        steps = tuple(make(y, v) for y, v in zip(years, values, strict=True))
    low, high, total = (draw(st.none() | cents) for _ in range(3))
    if low is not None and any(c is not None and c < low for c in (high, total)):
        low = None
    return Royalty(
        base,
        kind,
        steps,
        low,
        high,
        total,
        draw(st.none() | st.sampled_from(list(ReportPeriod))),
        draw(st.integers(0, 365)),
    )


@st.composite
def lump_sums(draw: st.DrawFn) -> LumpSum:
    parts = draw(st.lists(cents, max_size=5))
    days = sorted(
        draw(
            st.lists(
                st.dates(dt.date(2020, 1, 1), dt.date(2060, 1, 1)),
                min_size=len(parts),
                max_size=len(parts),
                unique=True,
            )
        )
    )
    amount = sum(parts, D("0.00")) if parts else draw(cents)
    return LumpSum(amount, tuple(Instalment(d, a) for d, a in zip(days, parts, strict=True)))


@st.composite
def schedules(draw: st.DrawFn) -> FeeSchedule:
    if draw(st.booleans()) and draw(st.booleans()):
        return FeeSchedule.free_schedule()
    parts: list = []
    if draw(st.booleans()):
        parts.append(EntryFee(draw(cents), draw(st.sampled_from(list(EntryFeeDue)))))
    if draw(st.booleans()):
        parts.append(draw(lump_sums()))
    if draw(st.booleans()):
        parts.append(draw(royalties()))
    parts += [
        Milestone(e, draw(cents))
        for e in draw(
            st.lists(
                st.text(min_size=1, max_size=20).filter(lambda t: t.strip() == t and t.strip()), max_size=3
            )
        )
    ]
    return FeeSchedule(components=tuple(draw(st.permutations(parts))))


@given(schedules())
def test_round_trip_property(schedule):
    """from_dict(to_dict(s)) == s, and the canonical dict is a fixed point."""
    d = schedule.to_dict()
    back = FeeSchedule.from_dict(d)
    assert back == schedule
    assert back.to_dict() == d
    assert back.describe() == schedule.describe()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "amount",
                    "due",
                    "base",
                    "kind",
                    "rates",
                    "event",
                    "instalments",
                    "report_period",
                    "min_annual",
                ]
            ),
            json_values,
            max_size=6,
        ),
        max_size=3,
    )
)
def test_garbage_is_either_read_or_refused_with_a_schedule_error(components):
    """Posted data never crashes the parser with anything but FeeScheduleError."""
    try:
        FeeSchedule.from_dict({"free": False, "components": components})
    except FeeScheduleError as exc:
        assert exc.field and exc.reason
