"""Money pages: the receivables overview with its ageing chart, usage reports and payments posted
from the contract page's panels, PDF statements, XLSX exports, and the inventor's own income.

Views read and call services only (scripts/check_view_writes.py); dates are today's in the site's
time zone (tests freeze the clock)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.licensing.models import LicenceContract
from patentbridge.licensing.services import money_payments, money_usage, statements, statements_pdf
from patentbridge.licensing.services.money import (
    AGEING_LABELS,
    COMPONENT_LABELS,
    ageing_for,
    cny,
    display_label,
)
from patentbridge.licensing.services.money_queries import get_contract, get_receivable
from patentbridge.licensing.views.deal_common import optional_url, run
from patentbridge.licensing.views.forms_money import PaymentForm, UsageReportForm

__all__ = [
    "ageing_export",
    "contract_url",
    "ledger_export",
    "pdf_response",
    "receivables_overview",
    "record_payment",
    "statement_pdf",
    "submit_usage",
    "xlsx_response",
]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STATE_FILTERS = (("", "全部未收清"), ("overdue", "逾期"), ("open", "待收"), ("partial", "部分收款"))


def contract_url(contract: LicenceContract) -> str:
    """The contract page (owned by the deals module) or the receivables overview meanwhile."""
    return optional_url("licensing:contract", contract.pk) or optional_url("licensing:money_receivables")


def _back(request: HttpRequest, contract: LicenceContract) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(contract_url(contract))


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An XLSX download with an ASCII file name."""
    response = HttpResponse(content, content_type=_XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser (inline) with an ASCII file name for saving."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _chart(totals: dict[str, Any]) -> list[dict[str, Any]]:
    """Bars of the ageing chart: label, amount text and width in percent of the largest bucket."""
    top = max(totals.values(), default=0) or 1
    return [
        {
            "label": label,
            "amount": cny(totals[label]),
            "width": round(float(totals[label] / top) * 100, 1),
            "late": i > 0,
        }
        for i, label in enumerate(AGEING_LABELS)
    ]


@login_required
def receivables_overview(request: HttpRequest) -> HttpResponse:
    """应收账款: every receivable still owed on the user's licences, with the ageing chart."""
    policies.require(request.user, "licensing.ledger")
    today = timezone.localdate()
    state = request.GET.get("state", "")
    if state not in dict(_STATE_FILTERS):
        state = ""
    rows = [
        {
            **item,
            "contract_url": contract_url(item["r"].contract),
            "label": display_label(item["r"]),
            "component": COMPONENT_LABELS.get(item["r"].component, item["r"].component),
            "due_text": "待报告" if item["r"].amount_due is None else cny(item["r"].amount_due),
            "owed_text": cny(item["owed"]),
        }
        for item in statements.ageing_items(request.user, as_of=today, state=state)
    ]
    totals = ageing_for(request.user, as_of=today)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "licensing/money/receivables.html",
        {
            "page": page,
            "chart": _chart(totals),
            "total": cny(sum(totals.values(), Decimal("0.00"))),
            "today": today,
            "state": state,
            "filters": _STATE_FILTERS,
            "querystring": request.GET.urlencode(),
        },
    )


@login_required
def ageing_export(request: HttpRequest) -> HttpResponse:
    """The receivables ageing workbook (same rows as the overview)."""
    policies.require(request.user, "licensing.ledger")
    today = timezone.localdate()
    content = statements.ageing_xlsx(request.user, as_of=today)
    return xlsx_response(content, f"receivables-ageing-{today:%Y%m%d}.xlsx")


@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The licence ledger workbook (operators: all; a TTO: its own licences)."""
    policies.require(request.user, "licensing.ledger")
    content = statements.ledger_xlsx(request.user)
    return xlsx_response(content, f"licence-ledger-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_POST
def submit_usage(request: HttpRequest, pk: str) -> HttpResponse:
    """The licensee posts a usage report from the contract page's panel."""
    contract = get_contract(request.user, pk)
    policies.require(request.user, "licensing.report_usage")
    form = UsageReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(request, contract)

    def call() -> Any:
        return money_usage.submit_usage_report(
            request.user,
            contract,
            period_start=form.cleaned_data["period"],
            values=form.values(),
            note=form.cleaned_data.get("note", ""),
            on=timezone.localdate(),
        )

    def success(report: Any) -> str:
        receivable = getattr(report, "receivable", None)
        if receivable is None:
            return f"已提交{report.period_label}的使用情况报告（试用期免费，无应付金额）"
        return f"已提交{report.period_label}的使用情况报告，本期应付 {cny(receivable.amount_due)}"

    run(request, call, success)
    return _back(request, contract)


@login_required
@require_POST
def record_payment(request: HttpRequest, pk: str) -> HttpResponse:
    """The licensor's TTO or an operator records money received against one receivable."""
    receivable = get_receivable(request.user, pk)
    policies.require(request.user, "licensing.payments")
    form = PaymentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(request, receivable.contract)
    run(
        request,
        lambda: money_payments.record_payment(
            request.user,
            receivable,
            amount=form.cleaned_data["amount"],
            paid_on=form.cleaned_data["paid_on"],
            evidence=form.cleaned_data.get("evidence"),
            as_of=timezone.localdate(),
        ),
        lambda p: f"已登记收款 {cny(p.amount)}（{p.receivable.get_state_display()}）",
    )
    return _back(request, receivable.contract)


@login_required
def statement_pdf(request: HttpRequest, pk: str) -> HttpResponse:
    """许可使用费结算单 (PDF) of one receivable, for whoever may see the contract."""
    receivable = get_receivable(request.user, pk)
    statement = statements.royalty_statement(request.user, receivable, as_of=timezone.localdate())
    return pdf_response(statements_pdf.render_pdf(statement), statement.filename)
