"""Usage reports and the royalties they make due (rule L13, guide §13 vector), with every refusal
and permission of the service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import UsageReport
from patentbridge.licensing.services.money_usage import reportable_periods, submit_usage_report
from patentbridge_engine.licensing.money import money
from patentbridge_engine.licensing.royalty import report_periods
from web.licensing.factories import (
    MONEY_PAID_START,
    MONEY_TRIAL_START,
    fee_entry_royalty,
    fee_royalty,
    make_contract,
    make_money_contract,
)

pytestmark = pytest.mark.django_db

Y2026 = MONEY_PAID_START
Y2027 = dt.date(2027, 1, 1)
ON = dt.date(2028, 1, 10)  # both yearly periods have begun and ended


def report(parties, contract, period=Y2026, on=ON, **values):
    return submit_usage_report(parties.enterprise_user, contract, period_start=period, values=values, on=on)


def refused(call) -> LicensingRefused:
    with pytest.raises(LicensingRefused) as caught:
        call()
    return caught.value


def test_section_13_vector_entry_fee_plus_royalty_with_annual_minimum(parties, patent):
    """¥50,000 entry fee (due at conversion) + 3 % of net sales, min ¥10,000/yr, year-1 net sales
    ¥200,000 → 50,000 + max(6,000, 10,000) = ¥60,000, with the statement lines kept."""
    contract = make_money_contract(parties, [patent])
    rep = report(parties, contract, net_sales="200000.00")
    receivable = rep.receivable
    assert receivable.amount_due == Decimal("60000.00")
    assert receivable.usage_report == rep
    lines = receivable.inputs["computation"]["lines"]
    assert lines == [
        ["入门费", "50000.00"],
        ["提成 (净销售额 ¥200,000.00 × 3%)", "6000.00"],
        ["年最低提成补足", "4000.00"],
    ]
    assert sum(Decimal(a) for _, a in lines) == receivable.amount_due
    assert receivable.inputs["computation"]["inputs"]["contract_year"] == 1
    assert receivable.inputs["computation"]["royalty"] == "10000.00"
    assert rep.net_sales == Decimal("200000.00") and rep.period_label == "2026年度"
    event = AuditEvent.objects.get(action="licensing.usage_report.submitted", target_id=str(rep.pk))
    assert event.data["amount_due"] == "60000.00" and event.data["net_sales"] == "200000.00"


def test_second_year_has_no_entry_fee_and_the_rate_applies_above_the_minimum(parties, patent):
    """Year 2: ¥500,000 × 3 % = ¥15,000 (above the minimum), no entry fee line."""
    contract = make_money_contract(parties, [patent])
    report(parties, contract, net_sales="200000.00")
    second = report(parties, contract, period=Y2027, net_sales="500000.00").receivable
    assert second.amount_due == Decimal("15000.00")
    assert [label for label, _ in second.inputs["computation"]["lines"]] == [
        "提成 (净销售额 ¥500,000.00 × 3%)"
    ]
    assert second.inputs["computation"]["inputs"]["contract_year"] == 2


def test_total_cap_counts_earlier_royalties_but_not_the_entry_fee(parties, patent):
    """cap_total ¥20,000: year 1 owes 15,000 royalty (+ entry fee), year 2 only the 5,000 left; a
    reached cap leaves nothing to collect, so that period is settled at once."""
    schedule = fee_entry_royalty(min_annual=None, cap_total="20000.00")
    contract = make_money_contract(parties, [patent], fee_schedule=schedule, end=dt.date(2028, 12, 31))
    first = report(parties, contract, net_sales="500000.00").receivable
    assert first.amount_due == Decimal("65000.00")
    second = report(parties, contract, period=Y2027, net_sales="500000.00").receivable
    assert second.amount_due == Decimal("5000.00")
    third = report(
        parties, contract, period=dt.date(2028, 1, 1), net_sales="900000.00", on=dt.date(2029, 1, 2)
    )
    assert third.receivable.amount_due == Decimal("0.00") and third.receivable.state == "paid"


def test_a_clipped_quarter_prorates_the_minimum(parties, patent):
    """Conversion mid-quarter: the first quarter's minimum is ¥10,000 × its share of a year."""
    contract = make_contract(
        parties,
        [patent],
        trial_months=6,
        fee_schedule=fee_royalty(min_annual="10000.00"),
        stage="active_paid",
    )
    first = min(report_periods(contract.paid_start, contract.end_date, "quarter"), key=lambda p: p.start)
    rep = report(parties, contract, period=first.start, net_sales="0", on=dt.date(2026, 10, 2))
    assert rep.receivable.amount_due == Decimal("50000.00") + money(Decimal("10000.00") * first.fraction)
    assert Decimal("0") < first.fraction < Decimal("0.25")


def test_units_base_uses_the_price_per_unit(parties, patent):
    """A per-unit royalty: 1,200 units × ¥2.50 = ¥3,000 (no minimum, no entry fee)."""
    schedule = fee_entry_royalty(entry_fee=None, base="units", rate="2.50", min_annual=None)
    contract = make_money_contract(parties, [patent], fee_schedule=schedule)
    assert report(parties, contract, units="1200").receivable.amount_due == Decimal("3000.00")


def test_a_loss_owes_the_minimum_only(parties, patent):
    """Profit base: a negative profit is a valid report and owes no profit royalty, the minimum stays."""
    schedule = fee_entry_royalty(entry_fee=None, base="profit", rate="0.1")
    contract = make_money_contract(parties, [patent], fee_schedule=schedule)
    rep = report(parties, contract, profit="-30000.00")
    assert rep.profit == Decimal("-30000.00") and rep.receivable.amount_due == Decimal("10000.00")


@pytest.mark.parametrize(
    ("values", "code", "words"),
    [
        ({"sales": "100000"}, "USAGE_BASE_MISSING", "必须填写净销售额"),
        ({}, "USAGE_BASE_MISSING", "净销售额"),
        ({"net_sales": "-1.00"}, "USAGE_INVALID", "净销售额不能为负数"),
        ({"net_sales": "100", "units": "-3"}, "USAGE_INVALID", "不能为负数"),
        ({"net_sales": "1000000000000"}, "USAGE_INVALID", "过大"),
        ({"net_sales": "1e5"}, "USAGE_INVALID", "格式不正确"),
        ({"net_sales": "NaN"}, "USAGE_INVALID", "格式不正确"),
        ({"net_sales": 1.5}, "USAGE_INVALID", "不能使用浮点数"),
        ({"net_sales": "12.345"}, "USAGE_INVALID", "最多保留 2 位小数"),
        ({"net_sales": "1" * 5000}, "USAGE_INVALID", "格式不正确"),
        ({"net_sales": "二十万"}, "USAGE_INVALID", "格式不正确"),
        ({"net_sales": ["1"]}, "USAGE_INVALID", "数字字符串"),
    ],
)
def test_hostile_or_incomplete_figures_are_refused_in_chinese(parties, patent, values, code, words):
    """Each bad figure is refused with its Chinese reason and nothing is stored."""
    contract = make_money_contract(parties, [patent])
    problem = refused(lambda: report(parties, contract, **values))
    assert problem.code == code and words in problem.reason
    assert UsageReport.objects.filter(contract=contract).count() == 0
    assert contract.receivables.get(period_start=Y2026).amount_due is None


def test_duplicates_out_of_order_and_foreign_periods_are_refused(parties, patent):
    """A period outside the phase, a period not yet begun, a later period before an earlier one,
    and the same period twice: each refused with its own code."""
    contract = make_money_contract(parties, [patent])
    outside = refused(lambda: report(parties, contract, period=dt.date(2029, 1, 1)))
    assert outside.code == "USAGE_PERIOD" and "2029-01-01" in outside.reason
    mid = refused(lambda: report(parties, contract, period=dt.date(2026, 3, 1)))
    assert mid.code == "USAGE_PERIOD"
    early = refused(lambda: report(parties, contract, period=Y2027, on=dt.date(2026, 12, 31), net_sales="1"))
    assert early.code == "USAGE_PERIOD" and "尚未开始" in early.reason
    order = refused(lambda: report(parties, contract, period=Y2027, net_sales="1"))
    assert order.code == "USAGE_ORDER" and "2026年度" in order.reason
    report(parties, contract, net_sales="1")
    again = refused(lambda: report(parties, contract, net_sales="2"))
    assert again.code == "USAGE_DUPLICATE" and "不能重复" in again.reason
    assert UsageReport.objects.filter(contract=contract).count() == 1


def test_only_the_licensees_enterprise_users_report(parties, patent):
    """The licensor's TTO, an operator and another enterprise are refused; nothing is stored."""
    contract = make_money_contract(parties, [patent])
    for user in (parties.tto, parties.operator, parties.other_enterprise_user, parties.inventor):
        with pytest.raises(PermissionDenied):
            submit_usage_report(user, contract, period_start=Y2026, values={"net_sales": "1"}, on=ON)
    assert UsageReport.objects.filter(contract=contract).count() == 0


def test_the_trial_report_owes_nothing(parties, patent):
    """During the trial the licensee reports the trial period; it is stored without a receivable
    and the trial cannot be reported twice; the paid periods are reported as usual afterwards."""
    contract = make_contract(
        parties,
        [patent],
        start=MONEY_TRIAL_START,
        end=dt.date(2027, 12, 31),
        trial_months=2,
        fee_schedule=fee_entry_royalty(),
        stage="signed",
        usage_report_required=True,
    )
    periods = reportable_periods(contract)
    assert [(p.label, p.start, p.end, p.receivable) for p in periods] == [
        ("试用期", MONEY_TRIAL_START, dt.date(2025, 12, 31), None)
    ]
    rep = report(parties, contract, period=MONEY_TRIAL_START, on=dt.date(2025, 12, 20), units="30")
    assert not hasattr(rep, "receivable") or rep.receivable is None
    assert contract.receivables.count() == 0
    assert (
        refused(lambda: report(parties, contract, period=MONEY_TRIAL_START, units="1")).code
        == "USAGE_DUPLICATE"
    )


def test_a_contract_not_yet_signed_takes_no_report(parties, patent):
    """A draft contract with a trial term has nothing to report yet."""
    contract = make_contract(parties, [patent], start=MONEY_TRIAL_START, trial_months=2, stage="draft")
    problem = refused(lambda: report(parties, contract, period=MONEY_TRIAL_START, units="1"))
    assert problem.code == "USAGE_PERIOD" and "尚未签订" in problem.reason


def test_an_overlong_note_is_refused(parties, patent):
    """A note over 2,000 characters is refused before anything is stored."""
    contract = make_money_contract(parties, [patent])
    problem = refused(
        lambda: submit_usage_report(
            parties.enterprise_user,
            contract,
            period_start=Y2026,
            values={"net_sales": "1"},
            note="注" * 2001,
            on=ON,
        )
    )
    assert problem.code == "USAGE_INVALID"
