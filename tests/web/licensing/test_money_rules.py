"""Edge rules of receivables: ageing bucket boundaries, what the overdue sweep leaves alone, a
changed fee at conversion, report periods, the API's overdue days and Chinese audit labels."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from patentbridge.core.labels import action_label
from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import Receivable
from patentbridge.licensing.services import contracts, money
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.licensing.services.money_usage import reportable_periods, submit_usage_report
from patentbridge_engine.licensing.royalty import ageing
from web.factories import make_token
from web.licensing.factories import (
    MONEY_PAID_START,
    MONEY_TRIAL_START,
    fee_entry_royalty,
    fee_lump_sum,
    fee_royalty,
    make_contract,
    make_money_contract,
)

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 3, 1)


@pytest.fixture
def instalment(parties, patent):
    """A ¥100,000 instalment due 2026-03-01 on a lump sum signed 2026-01-01."""
    schedule = {
        "free": False,
        "components": [
            {
                "type": "lump_sum",
                "amount": "100000.00",
                "instalments": [{"date": "2026-03-01", "amount": "100000.00"}],
            }
        ],
    }
    contract = make_contract(parties, [patent], fee_schedule=schedule, stage="signed")
    return contract.receivables.get()


@pytest.mark.parametrize(
    ("days_late", "bucket"),
    [
        (0, "未到期"),
        (1, "逾期1-30天"),
        (30, "逾期1-30天"),
        (31, "逾期31-90天"),
        (90, "逾期31-90天"),
        (91, "逾期91-180天"),
        (180, "逾期91-180天"),
        (181, "逾期180天以上"),
    ],
)
def test_ageing_bucket_edges_match_the_engine(parties, instalment, days_late, bucket):
    """The day a bucket ends still belongs to it; the service agrees with the engine's ``ageing``."""
    as_of = DUE + dt.timedelta(days=days_late)
    totals = money.ageing_for(parties.tto, as_of=as_of)
    assert totals[bucket] == Decimal("100000.00")
    assert totals == ageing([(DUE, Decimal("100000.00"))], as_of)
    assert money.overdue_days(instalment, as_of) == days_late


def test_the_sweep_leaves_settled_undated_and_unreported_rows_alone(parties, patent, instalment):
    """Paid, milestone (no due date) and unreported royalty rows are never marked overdue."""
    record_payment(parties.tto, instalment, amount="100000.00", paid_on=dt.date(2026, 2, 1))
    schedule = {
        "free": False,
        "components": [{"type": "milestone", "event": "首批产品上市", "amount": "20000.00"}],
    }
    other = make_contract(parties, [patent], fee_schedule=schedule, stage="signed", kind="ordinary")
    milestone = other.receivables.get()
    royalty_contract = make_money_contract(parties, [patent])
    assert money.mark_overdue(dt.date(2030, 1, 1)) == []
    for row in (instalment, milestone, *royalty_contract.receivables.all()):
        row.refresh_from_db()
        assert row.state in ("paid", "open")
    assert milestone.due_date is None and money.overdue_days(milestone, dt.date(2030, 1, 1)) == 0


def test_the_sweep_is_audited_as_the_system_with_the_licensor_org(parties, instalment):
    (change,) = money.mark_overdue(DUE + dt.timedelta(days=5))
    event = AuditEvent.objects.get(action="licensing.receivable.overdue")
    assert event.actor is None and event.actor_name == "system"
    assert event.org == parties.university and event.data == change
    assert change["days_overdue"] == 5 and change["outstanding"] == "100000.00"


def test_an_overdue_receivable_stays_overdue_after_a_part_payment(parties, instalment):
    money.mark_overdue(DUE + dt.timedelta(days=10))
    record_payment(parties.tto, instalment, amount="30000.00", paid_on=DUE + dt.timedelta(days=11))
    instalment.refresh_from_db()
    assert instalment.state == "overdue" and money.outstanding(instalment) == Decimal("70000.00")
    assert money.ageing_for(parties.tto, as_of=DUE + dt.timedelta(days=40))["逾期31-90天"] == Decimal(
        "70000.00"
    )


def test_a_conversion_with_a_changed_fee_plans_the_new_schedule(parties, patent):
    """The licensee converts with a negotiated schedule: the receivables follow it (half-yearly),
    and the plan records the schedule it was made from."""
    contract = make_contract(
        parties,
        [patent],
        start=MONEY_TRIAL_START,
        end=dt.date(2027, 12, 31),
        trial_months=2,
        fee_schedule=fee_entry_royalty(),
        stage="conversion_due",
    )
    new = fee_entry_royalty(entry_fee="30000.00", report_period="half", min_annual=None)
    contracts.convert(parties.tto, contract, on=dt.date(2025, 12, 31), fee_schedule=new)
    labels = list(contract.receivables.order_by("period_start").values_list("period_label", flat=True))
    assert labels == [
        "提成（2026年上半年）",
        "提成（2026年下半年）",
        "提成（2027年上半年）",
        "提成（2027年下半年）",
    ]
    first = contract.receivables.order_by("period_start").first()
    assert first.inputs["schedule"]["components"][0]["amount"] == "30000.00"
    rep = submit_usage_report(
        parties.enterprise_user,
        contract,
        period_start=MONEY_PAID_START,
        values={"net_sales": "100000.00"},
        on=dt.date(2026, 7, 2),
    )
    assert rep.receivable.amount_due == Decimal("33000.00")  # 30,000 entry fee + 3 % of 100,000


def test_reportable_periods_list_trial_and_quarters(parties, patent):
    """A trial then quarters: the trial first, then every quarter with its receivable."""
    contract = make_contract(
        parties, [patent], trial_months=6, fee_schedule=fee_royalty(), stage="active_paid"
    )
    periods = reportable_periods(contract)
    assert periods[0].label == "试用期" and periods[0].receivable is None
    assert periods[0].end == contract.paid_start - dt.timedelta(days=1)
    quarters = periods[1:]
    assert [p.label for p in quarters[:2]] == ["2026年第3季度", "2026年第4季度"]
    assert quarters[0].start == contract.paid_start
    assert all(p.receivable is not None and not p.reported for p in quarters)
    assert len(quarters) == Receivable.objects.filter(contract=contract, component="royalty").count()


def test_the_api_shows_days_overdue_on_today(parties, instalment):
    _, key = make_token(parties.tto)
    with time_machine.travel(dt.datetime(2026, 3, 11, 9, tzinfo=dt.UTC), tick=False):
        response = Client().get(
            f"/api/licences/{instalment.contract_id}/receivables", HTTP_AUTHORIZATION=f"Bearer {key}"
        )
    (row,) = json.loads(response.content)
    assert row["days_overdue"] == 10 and row["component"] == "lump_sum"
    assert row["label"] == "一次性许可费（第1期，共1期）" and row["computation"] == []


def test_money_audit_actions_read_in_chinese(parties, patent):
    """The codes the money services write have Chinese names in the audit log."""
    for code, label in {
        "licensing.receivables.planned": "排定应收款",
        "licensing.receivable.overdue": "应收款逾期",
        "licensing.usage_report.submitted": "提交使用情况报告",
        "licensing.payment.recorded": "登记收款",
        "licensing.income.computed": "计算收益分配",
        "licensing.income.approved": "审批收益分配",
    }.items():
        assert action_label(code) == label
    make_contract(parties, [patent], fee_schedule=fee_lump_sum(), stage="signed")
    assert AuditEvent.objects.filter(action="licensing.receivables.planned").exists()
