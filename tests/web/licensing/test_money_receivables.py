"""Receivable plans written when a paid phase starts, overdue marking and ageing (frozen dates,
real services and database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from patentbridge.core.models import AuditEvent
from patentbridge.licensing import signals
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import Receivable
from patentbridge.licensing.services import money
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.licensing.services.money_queries import receivable_rows
from patentbridge.licensing.services.money_usage import submit_usage_report
from patentbridge_engine.licensing.fees import FeeSchedule
from patentbridge_engine.licensing.royalty import payment_plan
from web.licensing.factories import (
    MONEY_PAID_START,
    fee_entry_royalty,
    fee_free,
    fee_lump_sum,
    fee_royalty,
    make_contract,
    make_money_contract,
)

pytestmark = pytest.mark.django_db


def labels(contract) -> list[str]:
    return list(contract.receivables.order_by("due_date", "pk").values_list("period_label", flat=True))


def test_conversion_plans_one_receivable_per_royalty_period_with_the_entry_fee_folded_in(parties, patent):
    """Entry fee due at conversion + yearly royalty: two yearly periods, no separate entry-fee row,
    the first period marked as carrying the entry fee, amounts empty until reported."""
    contract = make_money_contract(parties, [patent])
    rows = list(contract.receivables.order_by("period_start"))
    assert [r.period_label for r in rows] == ["提成（2026年度）", "提成（2027年度）"]
    assert {r.component for r in rows} == {"royalty"}
    assert [r.amount_due for r in rows] == [None, None]
    assert [r.due_date for r in rows] == [dt.date(2027, 1, 30), dt.date(2028, 1, 30)]
    assert [r.inputs["includes_entry_fee"] for r in rows] == [True, False]
    assert rows[0].inputs["paid_start"] == MONEY_PAID_START.isoformat()
    assert rows[0].inputs["period_fraction"] == "1"
    assert FeeSchedule.from_dict(rows[0].inputs["schedule"]) == FeeSchedule.from_dict(contract.fee_schedule)
    assert rows[0].inputs["policy_versions"] == ["PAYMENT_DEFAULT_SUSPEND_DAYS@CN@2024-01-01"]
    assert money.display_label(rows[0]) == "提成（2026年度）（含入门费）"


def test_the_plan_matches_the_engine_payment_plan(parties, patent):
    """Quarterly royalty after a mid-year conversion: the rows are the engine's plan (labels, periods,
    due dates), the clipped first quarter carries its share of a year."""
    contract = make_contract(
        parties, [patent], trial_months=6, fee_schedule=fee_royalty(), stage="active_paid"
    )
    plan = payment_plan(
        FeeSchedule.from_dict(contract.fee_schedule),
        paid_start=contract.paid_start,
        paid_end=contract.end_date,
        signing_date=contract.signed_at,
    )
    expected = [(p.label, p.period_start, p.period_end, p.due_date) for p in plan if p.component == "royalty"]
    got = [
        (r.period_label, r.period_start, r.period_end, r.due_date)
        for r in contract.receivables.order_by("due_date", "pk")
    ]
    assert got == expected
    first = contract.receivables.order_by("period_start").first()
    assert Decimal(first.inputs["period_fraction"]) < Decimal("0.25")  # 2026-07-16..09-30 of a quarter


def test_planning_is_idempotent(parties, patent):
    """A second plan call or a repeated signal creates nothing and writes no second audit event."""
    contract = make_money_contract(parties, [patent])
    before = sorted(Receivable.objects.filter(contract=contract).values_list("pk", flat=True))
    again = money.plan_receivables(contract, on_date=MONEY_PAID_START, actor=parties.tto)
    signals.paid_phase_started.send(
        sender=type(contract), contract=contract, actor=parties.tto, on_date=MONEY_PAID_START
    )
    assert sorted(r.pk for r in again) == before
    assert sorted(Receivable.objects.filter(contract=contract).values_list("pk", flat=True)) == before
    planned = AuditEvent.objects.filter(action="licensing.receivables.planned", target_id=str(contract.pk))
    assert planned.count() == 1
    assert planned.get().data["created"] == ["提成（2026年度）", "提成（2027年度）"]


def test_a_paid_licence_from_day_one_plans_its_lump_sum_at_signing(parties, patent):
    """Signing a paid licence sends paid_phase_started: the lump sum is due on the signing date."""
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum("120000.00"), stage="signed")
    (row,) = contract.receivables.all()
    assert (row.component, row.period_label, row.amount_due) == (
        "lump_sum",
        "一次性许可费",
        Decimal("120000.00"),
    )
    assert row.due_date == contract.signed_at
    assert row.state == "open"


def test_instalments_entry_fee_at_signing_and_milestones_each_get_a_row(parties, patent):
    """Entry fee at signing, two instalments and two milestones with the same event name: unique
    labels, dated rows first, milestones without a due date."""
    schedule = {
        "free": False,
        "components": [
            {"type": "entry_fee", "amount": "10000.00", "due": "signing"},
            {
                "type": "lump_sum",
                "amount": "100000.00",
                "instalments": [
                    {"date": "2026-03-01", "amount": "40000.00"},
                    {"date": "2026-09-01", "amount": "60000.00"},
                ],
            },
            {"type": "milestone", "event": "首批产品上市", "amount": "20000.00"},
            {"type": "milestone", "event": "首批产品上市", "amount": "5000.00"},
        ],
    }
    contract = make_contract(parties, [patent], fee_schedule=schedule, stage="signed")
    rows = list(contract.receivables.order_by("due_date", "pk"))
    got = [(r.component, r.period_label, r.amount_due) for r in rows]
    assert ("entry_fee", "入门费", Decimal("10000.00")) in got
    assert ("lump_sum", "一次性许可费（第1期，共2期）", Decimal("40000.00")) in got
    assert ("lump_sum", "一次性许可费（第2期，共2期）", Decimal("60000.00")) in got
    milestones = sorted(
        (r.period_label, r.amount_due, r.due_date) for r in rows if r.component == "milestone"
    )
    assert milestones == [
        ("里程碑：首批产品上市", Decimal("20000.00"), None),
        ("里程碑：首批产品上市#2", Decimal("5000.00"), None),
    ]


def test_entry_fee_due_at_signing_stays_its_own_receivable(parties, patent):
    """A licence paid from day one with the entry fee due at signing (a trial may not charge one,
    rule L10): the fee is its own receivable and no royalty period carries it."""
    contract = make_contract(
        parties,
        [patent],
        start=MONEY_PAID_START,
        end=dt.date(2027, 12, 31),
        fee_schedule=fee_entry_royalty(entry_due="signing"),
        stage="signed",
    )
    entry = contract.receivables.get(component="entry_fee")
    assert entry.amount_due == Decimal("50000.00") and entry.due_date == contract.signed_at
    assert not any(
        r.inputs.get("includes_entry_fee") for r in contract.receivables.filter(component="royalty")
    )


def test_a_free_licence_owes_nothing(parties, patent):
    """A free schedule: no receivable, no planning audit."""
    contract = make_contract(parties, [patent], fee_schedule=fee_free(), stage="signed")
    assert contract.receivables.count() == 0
    assert money.plan_receivables(contract, on_date=contract.signed_at) == []


def test_a_trial_before_conversion_has_no_receivables(parties, patent):
    """Trial periods owe nothing: until the conversion there is no receivable at all."""
    contract = make_contract(parties, [patent], trial_months=6, fee_schedule=fee_royalty(), stage="signed")
    assert contract.state == "active_trial"
    assert contract.receivables.count() == 0


def test_a_malformed_stored_schedule_is_refused_with_rule_l9(parties, patent):
    """A schedule the engine cannot read refuses the plan with a Chinese L9 reason."""
    contract = make_money_contract(parties, [patent])
    contract.fee_schedule = {"free": False, "components": [{"type": "royalty", "base": "bogus"}]}
    with pytest.raises(LicensingRefused) as caught:
        money.plan_receivables(contract, on_date=MONEY_PAID_START)
    assert caught.value.code == "L9" and "付费条件" in caught.value.reason


def _reported(parties, patent, net_sales: str = "200000.00"):
    contract = make_money_contract(parties, [patent])
    report = submit_usage_report(
        parties.enterprise_user,
        contract,
        period_start=MONEY_PAID_START,
        values={"net_sales": net_sales},
        on=dt.date(2027, 1, 5),
    )
    return contract, report.receivable


def test_mark_overdue_moves_open_and_partial_past_due_and_is_idempotent(parties, patent):
    """Past the due date with money owed: OPEN → OVERDUE, one JSON change, audited; a second
    sweep changes nothing; an unreported period is left alone."""
    contract, receivable = _reported(parties, patent)
    assert money.mark_overdue(dt.date(2027, 1, 30)) == []  # due that day, not yet late
    changes = money.mark_overdue(dt.date(2027, 3, 1))
    assert changes == [
        {
            "action": "receivable_overdue",
            "receivable": receivable.pk,
            "contract": contract.contract_no,
            "label": "提成（2026年度）",
            "due_date": "2027-01-30",
            "days_overdue": 30,
            "outstanding": "60000.00",
            "from_state": "open",
            "to_state": "overdue",
        }
    ]
    receivable.refresh_from_db()
    assert receivable.state == "overdue"
    assert (
        AuditEvent.objects.filter(action="licensing.receivable.overdue", target_id=str(receivable.pk)).count()
        == 1
    )
    assert money.mark_overdue(dt.date(2027, 3, 2)) == []
    later = contract.receivables.get(period_label="提成（2027年度）")
    assert money.mark_overdue(dt.date(2028, 6, 1)) == [] and later.amount_due is None


def test_partial_then_overdue_then_paid(parties, patent):
    """A part payment leaves PARTIAL; past due it turns OVERDUE; the rest makes it PAID."""
    _, receivable = _reported(parties, patent)
    record_payment(parties.tto, receivable, amount="20000.00", paid_on=dt.date(2027, 1, 20))
    receivable.refresh_from_db()
    assert receivable.state == "partial"
    (change,) = money.mark_overdue(dt.date(2027, 2, 10))
    assert change["from_state"] == "partial" and change["outstanding"] == "40000.00"
    record_payment(parties.tto, receivable, amount="40000.00", paid_on=dt.date(2027, 2, 11))
    receivable.refresh_from_db()
    assert (receivable.state, receivable.amount_paid, money.outstanding(receivable)) == (
        "paid",
        Decimal("60000.00"),
        Decimal("0.00"),
    )
    assert money.overdue_days(receivable, dt.date(2027, 5, 1)) == 0


def test_ageing_buckets_follow_the_engine_and_the_users_scope(parties, patent):
    """Outstanding amounts land in the bucket of their days overdue; another university's TTO sees
    nothing of this contract; unreported periods are not counted."""
    _, receivable = _reported(parties, patent)
    record_payment(parties.tto, receivable, amount="10000.00", paid_on=dt.date(2027, 1, 20))
    totals = money.ageing_for(parties.tto, as_of=dt.date(2027, 3, 31))  # 60 days late
    assert totals["逾期31-90天"] == Decimal("50000.00")
    assert sum(totals.values()) == Decimal("50000.00")
    assert list(totals) == list(money.AGEING_LABELS)
    assert money.ageing_for(parties.operator, as_of=dt.date(2027, 1, 1))["未到期"] == Decimal("50000.00")
    assert sum(money.ageing_for(parties.other_tto, as_of=dt.date(2027, 3, 31)).values()) == 0


def test_receivable_rows_show_labels_and_late_reports(parties, patent):
    """The contract page's rows: Chinese state labels, ¥ amounts, 待报告 and a late report's days."""
    contract = make_money_contract(parties, [patent])
    rows = receivable_rows(contract, as_of=dt.date(2027, 2, 9))
    first = rows[0]
    assert first["due_text"] == "待报告" and first["state_label"] == "待收"
    assert first["report_late_days"] == 10 and first["overdue_days"] == 0
    assert first["label"] == "提成（2026年度）（含入门费）"
    assert rows[1]["report_late_days"] == 0
