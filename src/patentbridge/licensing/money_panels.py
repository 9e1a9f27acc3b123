"""Money's hooks into the licensing app: the receivable plan when a paid phase starts, and the
contract page's panels — 付费条件, 应收与收款, 使用情况报告, 收益分配."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core.labels import ACTION_LABELS
from patentbridge.core.panels import register_panel
from patentbridge.core.restrict import restrict
from patentbridge.licensing import signals
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import IncomeDistribution, LicenceContract, Payment
from patentbridge.licensing.services.income import can_manage_income
from patentbridge.licensing.services.money import cny, fee_description, plan_receivables, schedule_of
from patentbridge.licensing.services.money_payments import can_record_payments
from patentbridge.licensing.services.money_queries import receivable_rows
from patentbridge.licensing.services.money_usage import (
    REPORT_FIELDS,
    base_field,
    format_figure,
    reportable_periods,
)

__all__ = ["register"]

_ACTION_LABELS = {
    "licensing.receivables.planned": "排定应收款",
    "licensing.receivable.overdue": "应收款逾期",
    "licensing.usage_report.submitted": "提交使用情况报告",
    "licensing.payment.recorded": "登记收款",
    "licensing.income.computed": "计算收益分配",
    "licensing.income.recomputed": "重新计算收益分配",
    "licensing.income.approved": "审批收益分配",
}


def _plan_on_paid_phase(
    sender: Any, *, contract: LicenceContract, actor: Any, on_date: dt.date, **_: Any
) -> None:
    """A paid phase began: write its receivables in the same transaction (idempotent)."""
    plan_receivables(contract, on_date=on_date, actor=actor)


def _visible(request: HttpRequest, contract: LicenceContract) -> bool:
    return restrict(LicenceContract.objects.filter(pk=contract.pk), request.user, "view").exists()


def _today() -> dt.date:
    return timezone.localdate()


def _fee_panel(request: HttpRequest, contract: LicenceContract) -> dict[str, Any] | None:
    if not _visible(request, contract):
        return None
    try:
        schedule = schedule_of(contract)
        payment_type = {"free": "免费", "fixed": "固定金额", "royalty": "提成"}[schedule.payment_type]
    except LicensingRefused:  # a malformed stored schedule is described as such, never a 500
        payment_type = ""
    base = base_field(contract)
    fee_text = fee_description(contract)
    if _open_trial_terms(contract):
        # A free trial whose paid terms are still open is not a free licence: the terms come at
        # conversion, entered by the licensor side.
        fee_text = "试用期后的付费条件尚未约定（转为付费许可时由许可方登记）"
        payment_type = ""
    return {
        "contract": contract,
        "fee_text": fee_text,
        "payment_type": payment_type,
        "base_label": REPORT_FIELDS.get(base or "", ""),
    }


_BEFORE_PAID_PHASE = frozenset(
    {"draft", "in_approval", "public_notice", "approved", "signed", "active_trial", "conversion_due"}
)


def _open_trial_terms(contract: LicenceContract) -> bool:
    """A free trial not yet converted whose paid terms are still to be agreed (a converted
    contract on free terms is a free licence and says so)."""
    return contract.trial_end is not None and contract.state in _BEFORE_PAID_PHASE and _is_free(contract)


def _is_free(contract: LicenceContract) -> bool:
    try:
        return schedule_of(contract).is_free
    except LicensingRefused:
        return False


def _receivables_panel(request: HttpRequest, contract: LicenceContract) -> dict[str, Any] | None:
    if not _visible(request, contract):
        return None
    rows = receivable_rows(contract, as_of=_today())
    if _open_trial_terms(contract):
        empty = "试用期内不收取许可费；转为付费许可时约定付费条件后生成应收款计划。"
    elif _is_free(contract):
        empty = "付费条件为免费许可，没有应收款。"
    elif contract.signed_at is None:
        empty = "合同签订并进入付费期后，系统按付费条件自动生成应收款计划。"
    else:
        empty = "合同尚未进入付费期；转为付费实施后自动生成应收款计划。"
    return {
        "empty": empty,
        "contract": contract,
        "rows": rows,
        "may_pay": can_record_payments(request.user, contract),
        "today": _today(),
        "next": request.get_full_path(),
    }


def _usage_panel(request: HttpRequest, contract: LicenceContract) -> dict[str, Any] | None:
    if not _visible(request, contract):
        return None
    member = policies.membership_of(request.user)
    may_report = (
        policies.can(request.user, "licensing.report_usage")
        and member is not None
        and member.org_id == contract.licensee_org_id
        and contract.signed_at is not None
    )
    reports = list(contract.usage_reports.order_by("period_start"))
    periods = reportable_periods(contract)
    if not periods and not reports:  # no royalty and no trial: nothing is ever reported
        return None
    open_periods = [p for p in periods if not p.reported and p.start <= _today()]
    base = base_field(contract)
    return {
        "contract": contract,
        "reports": [
            (rep, [format_figure(name, getattr(rep, name)) for name in REPORT_FIELDS]) for rep in reports
        ],
        "periods": periods,
        "open_periods": open_periods,
        "may_report": may_report,
        "fields": list(REPORT_FIELDS.items()),
        "base": base,
        "base_label": REPORT_FIELDS.get(base or "", ""),
        "next": request.get_full_path(),
    }


def _income_panel(request: HttpRequest, contract: LicenceContract) -> dict[str, Any] | None:
    if contract.licensor_org.kind != "university" or not can_manage_income(request.user, contract):
        return None
    payments = list(
        Payment.objects.filter(receivable__contract=contract)
        .select_related("receivable")
        .order_by("paid_on", "pk")
    )
    dists = {d.payment_id: d for d in IncomeDistribution.objects.filter(payment__in=payments)}
    return {"contract": contract, "items": [(p, cny(p.amount), dists.get(p.pk)) for p in payments]}


def register() -> None:
    """Connect the paid-phase receiver and put the four money panels on the contract page."""
    signals.paid_phase_started.connect(_plan_on_paid_phase, weak=False, dispatch_uid="money.plan_receivables")
    for code, label in _ACTION_LABELS.items():
        ACTION_LABELS.setdefault(code, label)
    register_panel("contract", "money_fee", "licensing/money/_fee_panel.html", _fee_panel, order=40)
    register_panel(
        "contract",
        "money_receivables",
        "licensing/money/_receivables_panel.html",
        _receivables_panel,
        order=42,
    )
    register_panel("contract", "money_usage", "licensing/money/_usage_panel.html", _usage_panel, order=44)
    register_panel("contract", "money_income", "licensing/money/_income_panel.html", _income_panel, order=46)
