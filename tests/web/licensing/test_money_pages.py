"""The money pages over HTTP: the contract page's panels for each party, the usage-report and
payment forms, the receivables overview with its ageing chart, the distribution page, and hostile
form input (always a Chinese message, never a 500)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from patentbridge.licensing.models import IncomeDistribution, Payment, UsageReport
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.licensing.services.money_usage import submit_usage_report
from web.licensing.factories import MONEY_PAID_START, fee_lump_sum, make_contract, make_money_contract

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)  # 2026's royalty (due 2027-01-30) is 30 days late


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def contract(parties, patent):
    return make_money_contract(parties, [patent])


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def report(parties, contract, net_sales="200000.00"):
    return submit_usage_report(
        parties.enterprise_user,
        contract,
        period_start=MONEY_PAID_START,
        values={"net_sales": net_sales},
        on=dt.date(2027, 1, 5),
    ).receivable


def test_the_licensee_sees_the_fee_and_the_report_form(parties, contract, client, frozen):
    html = page(client, parties.enterprise_user, f"/licensing/contracts/{contract.pk}/")
    assert 'data-testid="money-fee"' in html and "入门费 ¥50,000.00（转为付费时支付）" in html
    assert 'data-testid="usage-form"' in html and "必填：本合同按净销售额计提提成" in html
    assert "使用情况报告逾期 30 天" in html  # 2026 unreported, due 2027-01-30
    assert "登记收款" not in html and 'data-testid="money-income"' not in html


def test_the_licensor_sees_receivables_with_payment_forms_and_income(parties, contract, client, frozen):
    receivable = report(parties, contract)
    record_payment(parties.tto, receivable, amount="10000.00", paid_on=dt.date(2027, 1, 20))
    html = page(client, parties.tto, f"/licensing/contracts/{contract.pk}/")
    assert f'data-testid="pay-amount-{receivable.pk}"' in html and 'value="50000.00"' in html
    assert f'data-testid="state-{receivable.pk}">部分收款' in html
    assert 'data-testid="usage-form"' not in html
    assert 'data-testid="money-income"' in html and "计算收益分配" in html
    assert "¥60,000.00" in html and "待报告" in html


def test_a_lump_sum_licence_has_no_usage_panel_but_lists_its_instalments(parties, patent, client, frozen):
    """Nothing is ever reported under a lump sum: the report panel is left out; the overview links
    each instalment to its contract page."""
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum("120000.00"), stage="signed")
    html = page(client, parties.enterprise_user, f"/licensing/contracts/{contract.pk}/")
    assert 'data-testid="money-usage"' not in html and "一次性许可费" in html
    overview = page(client, parties.tto, "/licensing/money/receivables/")
    assert f'href="/licensing/contracts/{contract.pk}/"' in overview and "¥120,000.00" in overview


def test_posting_a_usage_report_from_the_panel(parties, contract, client, frozen):
    client.force_login(parties.enterprise_user)
    url = f"/licensing/money/contracts/{contract.pk}/usage-reports/"
    back = f"/licensing/contracts/{contract.pk}/"
    response = client.post(
        url, {"period": "2026-01-01", "net_sales": "200,000.00", "next": back}, follow=True
    )
    assert response.redirect_chain[-1][0] == back
    assert "已提交2026年度的使用情况报告，本期应付 ¥60,000.00" in messages_of(response)
    assert contract.receivables.get(period_start=MONEY_PAID_START).amount_due == Decimal("60000.00")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"period": "2026-01-01", "net_sales": "-1"}, "不能为负数"),
        ({"period": "2026-01-01", "sales": "5"}, "必须填写净销售额"),
        ({"period": "2026-13-01", "net_sales": "1"}, "请选择报告期"),
        ({"period": "2026-01-01", "net_sales": "9" * 41}, "不超过 40"),
        ({"period": "2026-01-01", "net_sales": "<script>"}, "格式不正确"),
    ],
)
def test_hostile_usage_forms_get_a_chinese_message(parties, contract, client, frozen, data, words):
    client.force_login(parties.enterprise_user)
    response = client.post(f"/licensing/money/contracts/{contract.pk}/usage-reports/", data, follow=True)
    assert response.status_code == 200
    assert any(words in m for m in messages_of(response)), messages_of(response)
    assert not UsageReport.objects.exists()


def test_usage_posts_by_others_are_refused(parties, contract, client, frozen):
    url = f"/licensing/money/contracts/{contract.pk}/usage-reports/"
    client.force_login(parties.tto)
    assert client.post(url, {"period": "2026-01-01", "net_sales": "1"}).status_code == 403
    client.force_login(parties.other_enterprise_user)
    assert client.post(url, {"period": "2026-01-01", "net_sales": "1"}).status_code == 404
    client.force_login(parties.enterprise_user)
    assert client.get(url).status_code == 405
    assert not UsageReport.objects.exists()


def test_recording_a_payment_with_evidence(parties, contract, client, frozen):
    receivable = report(parties, contract)
    client.force_login(parties.tto)
    slip = SimpleUploadedFile("回单.pdf", b"%PDF-1.4 slip", content_type="application/pdf")
    response = client.post(
        f"/licensing/money/receivables/{receivable.pk}/payments/",
        {"amount": "60000.00", "paid_on": "2027-02-01", "evidence": slip},
        follow=True,
    )
    assert "已登记收款 ¥60,000.00（已收清）" in messages_of(response)
    payment = Payment.objects.get(receivable=receivable)
    assert payment.evidence is not None and payment.evidence.name == "回单.pdf"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"amount": "60000.01", "paid_on": "2027-02-01"}, "超过未收金额"),
        ({"amount": "abc", "paid_on": "2027-02-01"}, "格式不正确"),
        ({"amount": "1", "paid_on": "2027-02-30"}, "YYYY-MM-DD"),
        ({"amount": "1", "paid_on": "1900-01-01"}, "收款日期不正确"),
        ({"amount": "1", "paid_on": "2027-03-02"}, "不能晚于今天"),
        ({"paid_on": "2027-02-01"}, "这个字段是必填项"),
    ],
)
def test_hostile_payment_forms_get_a_chinese_message(parties, contract, client, frozen, data, words):
    receivable = report(parties, contract)
    client.force_login(parties.tto)
    response = client.post(f"/licensing/money/receivables/{receivable.pk}/payments/", data, follow=True)
    assert response.status_code == 200
    assert any(words in m for m in messages_of(response)), messages_of(response)
    assert not Payment.objects.exists()


def test_payment_posts_by_others_are_refused(parties, contract, client, frozen):
    receivable = report(parties, contract)
    url = f"/licensing/money/receivables/{receivable.pk}/payments/"
    client.force_login(parties.enterprise_user)
    assert client.post(url, {"amount": "1", "paid_on": "2027-02-01"}).status_code == 403
    client.force_login(parties.other_tto)
    assert client.post(url, {"amount": "1", "paid_on": "2027-02-01"}).status_code == 404
    assert not Payment.objects.exists()


def test_receivables_overview_with_the_ageing_chart(parties, contract, client, frozen):
    receivable = report(parties, contract)
    record_payment(parties.tto, receivable, amount="20000.00", paid_on=dt.date(2027, 1, 20))
    html = page(client, parties.tto, "/licensing/money/receivables/")
    assert 'data-testid="ageing-total">¥40,000.00' in html
    assert 'data-testid="bucket-amount-1">¥40,000.00' in html  # 逾期1-30天
    assert 'data-testid="bucket-amount-0">¥0.00' in html
    assert "width:100.0%" in html and contract.contract_no in html
    assert 'data-testid="receivable-count">2<' in html  # 2026 partly paid + 2027 awaiting its report
    filtered = page(client, parties.tto, "/licensing/money/receivables/?state=overdue")
    assert 'data-testid="receivable-count">0<' in filtered  # not swept yet: still 部分收款
    assert 'data-testid="receivable-count">2<' in page(
        client, parties.tto, "/licensing/money/receivables/?state=<x>"
    )
    other = page(client, parties.other_tto, "/licensing/money/receivables/")
    assert contract.contract_no not in other and 'data-testid="no-receivables"' in other
    for user in (parties.enterprise_user, parties.inventor):
        client.force_login(user)
        assert client.get("/licensing/money/receivables/").status_code == 403


def test_distribution_page_computes_and_a_second_person_approves(parties, contract, client, frozen):
    receivable = report(parties, contract)
    payment = record_payment(parties.tto, receivable, amount="60000.00", paid_on=dt.date(2027, 2, 1))
    url = f"/licensing/money/payments/{payment.pk}/distribution/"
    html = page(client, parties.tto, url)
    assert 'value="张三"' in html and 'value="李四"' in html and 'value="50"' in html  # equal default
    assert "山东省促进科技成果转化条例" in html and "70%" in html
    data = {
        "own_rule": "",
        "tto_share": "10",
        "deduct_taxes": "0",
        "inventor_name": ["张三", "李四", ""],
        "inventor_share": ["60", "40", ""],
    }
    response = client.post(url, data, follow=True)
    assert "收益分配已计算，待另一位人员审批" in messages_of(response)
    dist = IncomeDistribution.objects.get(payment=payment)
    assert dist.inventor_pool == Decimal("42000.00")
    sheet = response.content.decode()
    assert 'data-testid="pool">¥42,000.00（70%）' in sheet and 'data-testid="approve"' not in sheet
    # The parameters used are named, not shown as stored version ids.
    assert "所用政策参数：" in sheet and "许可净收入奖励完成人最低比例（山东）（山东省" in sheet
    assert "@37@" not in sheet
    client.force_login(parties.operator)
    response = client.post(f"/licensing/money/distributions/{dist.pk}/approve/", follow=True)
    assert "收益分配已审批" in messages_of(response)
    dist.refresh_from_db()
    assert dist.state == "approved" and dist.approved_by == parties.operator


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"tto_share": "abc", "inventor_name": ["张三"], "inventor_share": ["100"]}, "百分数"),
        ({"tto_share": "10", "inventor_name": ["张三"], "inventor_share": ["120"]}, "百分数"),
        ({"tto_share": "10", "inventor_name": ["张三"], "inventor_share": ["33.333"]}, "两位小数"),
        ({"tto_share": "10", "inventor_name": ["张三", "李四"], "inventor_share": ["50", "40"]}, "100%"),
        (
            {"tto_share": "10", "own_rule": "40", "inventor_name": ["张三"], "inventor_share": ["100"]},
            "第四十五条第二款",
        ),
        (
            {"tto_share": "10", "deduct_taxes": "-5", "inventor_name": ["张三"], "inventor_share": ["100"]},
            "不小于 0",
        ),
        ({"tto_share": "10", "inventor_name": [""], "inventor_share": ["100"]}, "姓名"),
        ({"tto_share": "10"}, "请填写发明人"),
    ],
)
def test_hostile_distribution_forms_get_a_chinese_message(parties, contract, client, frozen, data, words):
    receivable = report(parties, contract)
    payment = record_payment(parties.tto, receivable, amount="60000.00", paid_on=dt.date(2027, 2, 1))
    client.force_login(parties.tto)
    response = client.post(f"/licensing/money/payments/{payment.pk}/distribution/", data)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not IncomeDistribution.objects.exists()


def test_distribution_page_is_for_the_licensor_only(parties, contract, client, frozen):
    receivable = report(parties, contract)
    payment = record_payment(parties.tto, receivable, amount="60000.00", paid_on=dt.date(2027, 2, 1))
    url = f"/licensing/money/payments/{payment.pk}/distribution/"
    client.force_login(parties.enterprise_user)
    assert client.get(url).status_code == 403
    client.force_login(parties.other_tto)
    assert client.get(url).status_code == 404
    client.force_login(parties.tto)
    assert client.get("/licensing/money/payments/abc/distribution/").status_code == 404
    assert client.get("/licensing/money/payments/99999999999999999999/distribution/").status_code == 404
