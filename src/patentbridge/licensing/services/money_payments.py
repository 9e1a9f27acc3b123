"""Payments against receivables, with their evidence (收款凭证) stored by SHA-256 among the
contract's documents.

The licensor's TTO (its own contracts) or an operator records money received against one
receivable: never more than is still owed (an overpayment is refused, so the ledger never shows a
credit nobody decided about), never against a royalty period whose amount waits for the usage
report. The receivable moves OPEN → PARTIAL → PAID (an OVERDUE one stays OVERDUE until paid in
full) under the engine's state machine, and ``signals.payment_recorded`` is sent inside the
transaction so listeners (income distribution, notifications) commit or roll back with it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.licensing import signals
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import Document, LicenceContract, Payment, Receivable
from patentbridge.licensing.services.documents import attach_document
from patentbridge.licensing.services.money import cny, outstanding, step_state
from patentbridge_engine.licensing.money import parse_decimal
from patentbridge_engine.licensing.states import ReceivableEvent

__all__ = ["UploadedEvidence", "can_record_payments", "record_payment"]


class UploadedEvidence(Protocol):
    """What a Django ``UploadedFile`` offers and the document service needs."""

    name: str | None

    def chunks(self, chunk_size: int | None = None) -> Any: ...


def _attach(actor: Any, contract: LicenceContract, upload: UploadedEvidence) -> Document:
    """Store the evidence with the contract's other documents (``services.documents``: hashed,
    size-capped, kept by SHA-256) — one storage scheme for every licensing document."""
    try:
        return attach_document(actor, contract, upload, kind="payment")
    except ValidationError as exc:
        raise LicensingRefused("DOCUMENT_INVALID", "收款凭证：" + "；".join(exc.messages)) from None


def can_record_payments(user: Any, contract: LicenceContract) -> bool:
    """Operators and admins anywhere; a TTO for its own organisation's licences."""
    if not policies.can(user, "licensing.payments"):
        return False
    if policies.is_platform_wide(user):
        return True
    member = policies.membership_of(user)
    return member is not None and member.org_id == contract.licensor_org_id


def _amount(raw: object) -> Decimal:
    try:
        value = parse_decimal(
            raw.replace(",", "") if isinstance(raw, str) else raw, places=2, what="收款金额"
        )
    except ValueError as exc:
        raise LicensingRefused("PAYMENT_INVALID", str(exc)) from None
    if value <= 0:
        raise LicensingRefused("PAYMENT_INVALID", "收款金额必须大于 0")
    return value


def record_payment(
    actor: Any,
    receivable: Receivable,
    *,
    amount: object,
    paid_on: dt.date,
    evidence: UploadedEvidence | None = None,
    as_of: dt.date | None = None,
) -> Payment:
    """Record ``amount`` (a string like ``"60000.00"``) received on ``paid_on`` against
    ``receivable``, with an optional evidence file; ``as_of`` (today, for the UI) refuses a
    receipt dated in the future. Sends ``signals.payment_recorded(payment=, actor=)``.
    Raises ``PermissionDenied`` (not the licensor's TTO nor an operator) or ``LicensingRefused``."""
    policies.require(actor, "licensing.payments")
    if not can_record_payments(actor, receivable.contract):
        raise PermissionDenied("只有许可方的技术转移人员或运营人员可以登记本合同的收款")
    value = _amount(amount)
    if as_of is not None and paid_on > as_of:
        raise LicensingRefused("PAYMENT_INVALID", "收款日期不能晚于今天")
    with transaction.atomic():
        r = Receivable.objects.select_for_update().select_related("contract").get(pk=receivable.pk)
        contract = r.contract
        if contract.signed_at is not None and paid_on < contract.signed_at:
            raise LicensingRefused("PAYMENT_INVALID", "收款日期不能早于合同签订日期")
        owed = outstanding(r)
        if owed is None:
            raise LicensingRefused(
                "PAYMENT_NO_AMOUNT", "该期提成尚未提交使用情况报告，应收金额未确定，不能登记收款"
            )
        if r.state in ("paid", "waived") or owed <= 0:
            raise LicensingRefused(
                "PAYMENT_SETTLED", f"该笔应收款状态为“{r.get_state_display()}”，无需再登记收款"
            )
        if value > owed:
            raise LicensingRefused(
                "PAYMENT_OVER",
                f"收款金额 {cny(value)} 超过未收金额 {cny(owed)}；多收的款项不能登记，请核对后按未收金额登记",
            )
        doc = _attach(actor, contract, evidence) if evidence else None
        before = r.state
        event = ReceivableEvent.PAY_FULL if value == owed else ReceivableEvent.PAY_PART
        r.state = step_state(r, event)
        r.amount_paid = r.amount_paid + value
        r.save(update_fields=["state", "amount_paid"])
        payment = Payment.objects.create(
            receivable=r, amount=value, paid_on=paid_on, evidence=doc, recorded_by=actor
        )
        audit.record(
            "licensing.payment.recorded",
            actor=actor,
            target=payment,
            org=contract.licensor_org,
            data={
                "contract": contract.contract_no,
                "receivable": r.pk,
                "label": r.period_label,
                "amount": str(value),
                "paid_on": paid_on.isoformat(),
                "state": {"before": before, "after": r.state},
                "evidence_sha256": doc.sha256 if doc else "",
            },
        )
        signals.payment_recorded.send(sender=Payment, payment=payment, actor=actor)
    return payment
