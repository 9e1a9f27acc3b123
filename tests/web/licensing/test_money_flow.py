"""The money loop over HTTP with a frozen clock, as the parties click through it: the licensee
reports, the licensor records the payment with its slip, computes the distribution, a second
person approves, the inventor sees their line, and the statements and overview agree."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import IncomeDistribution, Payment
from patentbridge.licensing.services import income
from patentbridge.licensing.services.money_payments import record_payment
from web.factories import make_member, make_org
from web.licensing.factories import (
    MONEY_PAID_START,
    fee_lump_sum,
    make_contract,
    make_granted_patent,
    make_money_contract,
)

pytestmark = pytest.mark.django_db


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC), tick=False)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_report_pay_distribute_approve_and_read(parties, patent, client):
    zhang = make_member(parties.university, "inventor", username="张三")
    contract = make_money_contract(parties, [patent])
    page_url = f"/licensing/contracts/{contract.pk}/"
    with at(dt.date(2027, 1, 5)):
        client.force_login(parties.enterprise_user)
        response = client.post(
            f"/licensing/money/contracts/{contract.pk}/usage-reports/",
            {"period": "2026-01-01", "net_sales": "200000", "next": page_url},
            follow=True,
        )
        assert any("本期应付 ¥60,000.00" in m for m in messages_of(response))
    receivable = contract.receivables.get(period_start=MONEY_PAID_START)
    with at(dt.date(2027, 1, 25)):
        client.force_login(parties.tto)
        slip = SimpleUploadedFile("slip.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png")
        client.post(
            f"/licensing/money/receivables/{receivable.pk}/payments/",
            {"amount": "60000.00", "paid_on": "2027-01-25", "evidence": slip, "next": page_url},
        )
        payment = Payment.objects.get(receivable=receivable)
        response = client.post(
            f"/licensing/money/payments/{payment.pk}/distribution/",
            {"tto_share": "10", "inventor_name": ["张三", "李四"], "inventor_share": ["50", "50"]},
            follow=True,
        )
        assert 'data-testid="pool">¥42,000.00（70%）' in response.content.decode()
        dist = IncomeDistribution.objects.get(payment=payment)
        same = client.post(f"/licensing/money/distributions/{dist.pk}/approve/", follow=True)
        assert any("另一位人员审批" in m for m in messages_of(same))
        client.force_login(parties.operator)
        client.post(f"/licensing/money/distributions/{dist.pk}/approve/")
    dist.refresh_from_db()
    assert dist.state == "approved"
    with at(dt.date(2027, 2, 1)):
        client.force_login(zhang)
        mine = client.get("/licensing/money/my-income/").content.decode()
        assert "¥21,000.00" in mine and 'data-testid="approved-total">¥21,000.00' in mine
        client.force_login(parties.tto)
        overview = client.get("/licensing/money/receivables/").content.decode()
        assert 'data-testid="bucket-amount-0">¥0.00' in overview  # 2026 is settled, 2027 unreported
        page = client.get(page_url).content.decode()
        assert f'data-testid="state-{receivable.pk}">已收清' in page and "（有凭证）" in page
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "licensing.usage_report.submitted",
        "licensing.payment.recorded",
        "licensing.income.computed",
        "licensing.income.approved",
    } <= actions


def test_distribution_page_for_a_non_university_licensor_explains_and_returns(parties, client):
    company = make_org("某运营有限公司", "enterprise", region_code="370100")
    staff = make_member(company, "tto")
    contract = make_contract(
        parties,
        [make_granted_patent(company)],
        licensor_org=company,
        actor=staff,
        fee_schedule=fee_lump_sum("1000.00"),
        stage="signed",
    )
    payment = record_payment(
        parties.operator, contract.receivables.get(), amount="1000", paid_on=contract.signed_at
    )
    client.force_login(parties.operator)
    response = client.get(f"/licensing/money/payments/{payment.pk}/distribution/", follow=True)
    assert response.redirect_chain[-1][0] == f"/licensing/contracts/{contract.pk}/"
    assert any("许可方不是高校或科研院所" in m for m in messages_of(response))


def test_an_approved_distribution_has_no_form_and_the_pdf_link(parties, patent, client):
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum("1000.00"), stage="signed")
    payment = record_payment(
        parties.tto, contract.receivables.get(), amount="1000", paid_on=contract.signed_at
    )
    dist = income.compute_distribution(
        parties.tto,
        payment,
        deductions={},
        own_rule_share=None,
        tto_share=Decimal("0.1"),
        inventors=[("张三", Decimal("1"))],
        on=contract.signed_at,
    )
    income.approve_distribution(parties.operator, dist, on=contract.signed_at)
    client.force_login(parties.tto)
    html = client.get(f"/licensing/money/payments/{payment.pk}/distribution/").content.decode()
    assert 'data-testid="distribution-form"' not in html and 'data-testid="sheet-pdf"' in html
    assert 'data-testid="dist-state">已审批' in html
    again = client.post(
        f"/licensing/money/payments/{payment.pk}/distribution/",
        {"tto_share": "10", "inventor_name": ["张三"], "inventor_share": ["100"]},
        follow=True,
    )
    assert any("已审批，不能再修改" in m for m in messages_of(again))


def test_money_pages_need_a_login(client, parties):
    for url in (
        "/licensing/money/receivables/",
        "/licensing/money/my-income/",
        "/licensing/money/ledger.xlsx",
        "/licensing/money/receivables/1/statement.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_ledger_download_for_the_operator(parties, patent, client):
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum("8000.00"), stage="signed")
    with at(dt.date(2026, 5, 6)):
        client.force_login(parties.operator)
        response = client.get("/licensing/money/ledger.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="licence-ledger-20260506.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.title == "许可合同台账" and sheet.cell(2, 1).value == contract.contract_no
