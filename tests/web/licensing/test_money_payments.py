"""Payments against receivables: who may record them, the amount rules, the state machine, the
evidence file and the payment_recorded signal."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from patentbridge.core.models import AuditEvent
from patentbridge.licensing import signals
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import Payment
from patentbridge.licensing.services.documents import document_path
from patentbridge.licensing.services.money_payments import can_record_payments, record_payment
from patentbridge.licensing.services.money_usage import submit_usage_report
from web.licensing.factories import MONEY_PAID_START, fee_lump_sum, make_contract, make_money_contract

pytestmark = pytest.mark.django_db

PAID_ON = dt.date(2027, 1, 20)


@pytest.fixture
def receivable(parties, patent):
    """The §13 receivable: ¥60,000 due 2027-01-30 for 2026."""
    contract = make_money_contract(parties, [patent])
    rep = submit_usage_report(
        parties.enterprise_user,
        contract,
        period_start=MONEY_PAID_START,
        values={"net_sales": "200000.00"},
        on=dt.date(2027, 1, 5),
    )
    return rep.receivable


@pytest.fixture
def recorded() -> Iterator[list[dict[str, Any]]]:
    caught: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        caught.append(kwargs)

    signals.payment_recorded.connect(receiver, weak=False)
    yield caught
    signals.payment_recorded.disconnect(receiver)


def refused(call) -> LicensingRefused:
    with pytest.raises(LicensingRefused) as caught:
        call()
    return caught.value


def test_a_full_payment_settles_the_receivable_and_is_announced(parties, receivable, recorded):
    """OPEN → PAID, amount_paid updated, audit event, and payment_recorded(payment=, actor=) sent."""
    payment = record_payment(parties.tto, receivable, amount="60000.00", paid_on=PAID_ON)
    receivable.refresh_from_db()
    assert (receivable.state, receivable.amount_paid) == ("paid", Decimal("60000.00"))
    assert (payment.amount, payment.paid_on, payment.recorded_by) == (
        Decimal("60000.00"),
        PAID_ON,
        parties.tto,
    )
    assert recorded == [{"signal": signals.payment_recorded, "payment": payment, "actor": parties.tto}]
    event = AuditEvent.objects.get(action="licensing.payment.recorded", target_id=str(payment.pk))
    assert event.data["state"] == {"before": "open", "after": "paid"} and event.data["amount"] == "60000.00"


def test_part_payments_then_the_rest(parties, receivable):
    """20,000 then 40,000: PARTIAL then PAID; commas in the typed amount are accepted."""
    record_payment(parties.operator, receivable, amount="20,000.00", paid_on=PAID_ON)
    receivable.refresh_from_db()
    assert (receivable.state, receivable.amount_paid) == ("partial", Decimal("20000.00"))
    record_payment(parties.tto, receivable, amount="40000", paid_on=PAID_ON)
    receivable.refresh_from_db()
    assert (receivable.state, receivable.amount_paid) == ("paid", Decimal("60000.00"))
    assert Payment.objects.filter(receivable=receivable).count() == 2


def test_an_overpayment_is_refused_and_nothing_changes(parties, receivable, recorded):
    """More than the outstanding amount is refused with both amounts named; no row, no signal."""
    record_payment(parties.tto, receivable, amount="50000.00", paid_on=PAID_ON)
    problem = refused(lambda: record_payment(parties.tto, receivable, amount="10000.01", paid_on=PAID_ON))
    assert (
        problem.code == "PAYMENT_OVER" and "¥10,000.01" in problem.reason and "¥10,000.00" in problem.reason
    )
    receivable.refresh_from_db()
    assert receivable.amount_paid == Decimal("50000.00") and len(recorded) == 1


def test_a_settled_receivable_takes_no_more_money(parties, receivable):
    record_payment(parties.tto, receivable, amount="60000.00", paid_on=PAID_ON)
    problem = refused(lambda: record_payment(parties.tto, receivable, amount="1.00", paid_on=PAID_ON))
    assert problem.code == "PAYMENT_SETTLED" and "状态为“已收清”" in problem.reason


def test_an_unreported_royalty_period_takes_no_payment(parties, patent):
    """Amount unknown until the usage report: refused with the reason."""
    contract = make_money_contract(parties, [patent])
    pending = contract.receivables.get(period_start=MONEY_PAID_START)
    problem = refused(lambda: record_payment(parties.tto, pending, amount="1.00", paid_on=PAID_ON))
    assert problem.code == "PAYMENT_NO_AMOUNT" and "使用情况报告" in problem.reason


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "大于 0"),
        ("-5", "大于 0"),
        ("abc", "格式不正确"),
        ("1e3", "格式不正确"),
        ("1.001", "最多保留 2 位小数"),
        (1.5, "浮点数"),
        ("9" * 50, "格式不正确"),
        ("", "格式不正确"),
    ],
)
def test_hostile_amounts_are_refused(parties, receivable, amount, words):
    problem = refused(lambda: record_payment(parties.tto, receivable, amount=amount, paid_on=PAID_ON))
    assert problem.code == "PAYMENT_INVALID" and words in problem.reason


def test_dates_in_the_future_or_before_signing_are_refused(parties, receivable):
    future = refused(
        lambda: record_payment(
            parties.tto, receivable, amount="1", paid_on=dt.date(2027, 2, 2), as_of=dt.date(2027, 2, 1)
        )
    )
    assert "晚于今天" in future.reason
    early = refused(lambda: record_payment(parties.tto, receivable, amount="1", paid_on=dt.date(2020, 1, 1)))
    assert "早于合同签订日期" in early.reason


def test_who_may_record(parties, receivable):
    """Licensor TTO and operators yes; the licensee, another university's TTO, an inventor no."""
    contract = receivable.contract
    assert can_record_payments(parties.tto, contract) and can_record_payments(parties.operator, contract)
    for user in (parties.enterprise_user, parties.other_tto, parties.inventor):
        assert not can_record_payments(user, contract)
        with pytest.raises(PermissionDenied):
            record_payment(user, receivable, amount="1.00", paid_on=PAID_ON)
    assert not Payment.objects.filter(receivable=receivable).exists()


def test_evidence_is_hashed_and_stored_with_the_contracts_documents(parties, receivable):
    """The uploaded slip becomes a Document of the contract (kind payment) stored by SHA-256."""
    content = b"%PDF-1.4\n% bank slip\n"
    upload = SimpleUploadedFile("../../银行回单.pdf", content, content_type="application/pdf")
    payment = record_payment(parties.tto, receivable, amount="60000.00", paid_on=PAID_ON, evidence=upload)
    doc = payment.evidence
    assert doc is not None and doc.contract == receivable.contract and doc.kind == "payment"
    assert doc.sha256 == hashlib.sha256(content).hexdigest() and doc.size == len(content)
    assert document_path(doc).read_bytes() == content
    assert "/" not in doc.name and ".." not in doc.name


def test_empty_evidence_is_refused_and_rolls_back_the_payment(parties, receivable):
    upload = SimpleUploadedFile("空.pdf", b"", content_type="application/pdf")
    problem = refused(
        lambda: record_payment(parties.tto, receivable, amount="1.00", paid_on=PAID_ON, evidence=upload)
    )
    assert problem.code == "DOCUMENT_INVALID" and "收款凭证" in problem.reason
    receivable.refresh_from_db()
    assert receivable.amount_paid == 0 and not Payment.objects.exists()


def test_lump_sum_paid_in_one(parties, patent):
    """A paid-from-day-one lump sum is payable at once (its amount is known at signing)."""
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum("120000.00"), stage="signed")
    row = contract.receivables.get()
    record_payment(parties.tto, row, amount="120000.00", paid_on=contract.signed_at)
    row.refresh_from_db()
    assert row.state == "paid"
