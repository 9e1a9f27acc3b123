"""The contract page's money panels, rendered for each role through the panel registry, and the
lookups behind the money pages (a row the user may not see is a 404, never a hint)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.test import RequestFactory

from patentbridge.core.panels import panels_for, render_panels
from patentbridge.licensing.services import income
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.licensing.services.money_queries import (
    get_contract,
    get_distribution,
    get_payment,
    get_receivable,
)
from patentbridge.licensing.services.money_usage import submit_usage_report
from web.factories import make_member, make_org
from web.licensing.factories import (
    MONEY_PAID_START,
    fee_free,
    fee_lump_sum,
    make_contract,
    make_granted_patent,
    make_money_contract,
)

pytestmark = pytest.mark.django_db

MONEY_PANELS = ("money_fee", "money_receivables", "money_usage", "money_income")


def render(user, contract) -> str:
    request = RequestFactory().get(f"/licensing/contracts/{contract.pk}/")
    request.user = user
    request.session = {}  # type: ignore[assignment]
    return str(render_panels("contract", request, contract))


@pytest.fixture
def paid(parties, patent):
    """The §13 contract reported for 2026 and paid ¥60,000 (payment, distribution computed)."""
    contract = make_money_contract(parties, [patent])
    rep = submit_usage_report(
        parties.enterprise_user,
        contract,
        period_start=MONEY_PAID_START,
        values={"net_sales": "200000.00"},
        on=dt.date(2027, 1, 5),
    )
    payment = record_payment(parties.tto, rep.receivable, amount="60000.00", paid_on=dt.date(2027, 1, 20))
    dist = income.compute_distribution(
        parties.tto,
        payment,
        deductions={},
        own_rule_share=None,
        tto_share=Decimal("0.1"),
        inventors=[("张三", Decimal("1"))],
        on=dt.date(2027, 1, 21),
    )
    return contract, payment, dist


def test_the_four_panels_are_registered_in_order():
    keys = [p.key for p in panels_for("contract") if p.key in MONEY_PANELS]
    assert keys == list(MONEY_PANELS)


def test_each_role_sees_its_panels(parties, paid):
    """Licensee: fee, receivables, reports (no payment form, no income); licensor TTO: all but the
    report form; operator: like the TTO; another university's TTO and an inventor: nothing."""
    contract, payment, _ = paid
    licensee = render(parties.enterprise_user, contract)
    assert all(f'data-testid="money-{k}"' in licensee for k in ("fee", "receivables", "usage"))
    assert 'data-testid="money-income"' not in licensee and "登记收款" not in licensee
    tto = render(parties.tto, contract)
    assert 'data-testid="money-income"' in tto and f'data-testid="income-{payment.pk}"' in tto
    assert "已计算" in tto and 'data-testid="usage-form"' not in tto
    assert 'data-testid="money-income"' in render(parties.operator, contract)
    for outsider in (parties.other_tto, parties.inventor, parties.other_enterprise_user):
        html = render(outsider, contract)
        assert not any(f'data-testid="money-{k}"' in html for k in ("fee", "receivables", "usage", "income"))


def test_the_report_form_lists_only_open_begun_periods(parties, paid):
    """2026 is reported: the form offers 2027 only (it has begun by today, 2026-11-28 or later)."""
    contract, _, _ = paid
    html = render(parties.enterprise_user, contract)
    assert 'value="2026-01-01"' not in html.split('data-testid="usage-period"')[1].split("</select>")[0]


def test_a_free_licence_says_so(parties, patent):
    contract = make_contract(parties, [patent], fee_schedule=fee_free(), stage="signed")
    html = render(parties.tto, contract)
    assert "免费许可" in html and "付费条件为免费许可，没有应收款" in html


def test_a_contract_before_its_paid_phase_says_so(parties, patent):
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum(), stage="draft")
    assert "合同签订并进入付费期后" in render(parties.tto, contract)
    trial = make_contract(parties, [patent], trial_months=6, stage="signed")
    assert "合同尚未进入付费期" in render(parties.tto, trial)


def test_a_trial_with_terms_still_open_is_not_called_a_free_licence(parties, patent):
    """A free trial whose paid terms come at conversion: the panels say the terms are open and
    that the trial costs nothing, not that the licence is free."""
    trial = make_contract(parties, [patent], trial_months=6, fee_schedule=fee_free(), stage="signed")
    assert trial.state == "active_trial"
    html = render(parties.tto, trial)
    assert "试用期后的付费条件尚未约定" in html
    assert "试用期内不收取许可费；转为付费许可时约定付费条件后生成应收款计划" in html
    assert "免费许可" not in html


def test_a_malformed_schedule_is_described_not_a_500(parties, patent):
    """A stored schedule the engine refuses reads as a Chinese sentence on the page."""
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum(), stage="draft")
    contract.fee_schedule = {"free": "yes"}
    assert "付费条件格式有误" in render(parties.tto, contract)


def test_no_income_panel_for_a_licensor_that_is_not_a_university(parties):
    company = make_org("某运营有限公司", "enterprise", region_code="370100")
    staff = make_member(company, "tto")
    patent = make_granted_patent(company)
    contract = make_contract(
        parties, [patent], licensor_org=company, actor=staff, fee_schedule=fee_lump_sum(), stage="signed"
    )
    html = render(parties.operator, contract)
    assert 'data-testid="money-receivables"' in html and 'data-testid="money-income"' not in html


def test_lookups_are_scoped_and_404_for_others(parties, paid):
    contract, payment, dist = paid
    receivable = payment.receivable
    assert get_contract(parties.enterprise_user, str(contract.pk)) == contract
    assert get_receivable(parties.tto, receivable.pk) == receivable
    assert get_payment(parties.operator, payment.pk) == payment
    assert get_distribution(parties.tto, dist.pk) == dist
    for user in (parties.other_tto, parties.other_enterprise_user):
        for lookup, key in (
            (get_contract, contract.pk),
            (get_receivable, receivable.pk),
            (get_payment, payment.pk),
            (get_distribution, dist.pk),
        ):
            with pytest.raises(Http404):
                lookup(user, key)
    for bad in ("x", "", "0", "-1", "1.5", str(2**63), "١"):
        with pytest.raises(Http404):
            get_contract(parties.operator, bad)
