"""Income distribution pages: the form and sheet of one receipt, its approval and PDF, and the
inventor's own income lines (never anyone else's)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import IncomeDistribution
from patentbridge.licensing.services import income, statements, statements_pdf
from patentbridge.licensing.services.money import cny, display_label
from patentbridge.licensing.services.money_queries import get_distribution, get_payment
from patentbridge.licensing.services.policy_text import version_text
from patentbridge.licensing.views.deal_common import refused_text, run
from patentbridge.licensing.views.forms_money import DistributionForm
from patentbridge.licensing.views.money import contract_url, pdf_response

__all__ = ["approve", "distribution", "distribution_pdf", "my_income"]


def _pct(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}"


def _sheet(dist: IncomeDistribution) -> dict[str, Any]:
    return {
        "dist": dist,
        "gross": cny(dist.gross),
        "net": cny(dist.net),
        "pool": cny(dist.inventor_pool),
        "tto": cny(dist.tto_amount),
        "unit": cny(dist.unit_amount),
        "share": _pct(dist.inventor_share),
        "deductions": [
            (income.DEDUCTION_LABELS.get(k, k), cny(Decimal(v))) for k, v in dist.deductions.items()
        ],
        "lines": [(ln, _pct(ln.share), cny(ln.amount)) for ln in dist.lines.select_related("user")],
        "basis": (dist.policy or {}).get("basis", []),
        "versions": [version_text(v) for v in (dist.policy or {}).get("versions", [])],
        "coowners": [(n, cny(Decimal(a))) for n, a in (dist.policy or {}).get("coowners", [])],
    }


@login_required
def distribution(request: HttpRequest, pk: str) -> HttpResponse:
    """收益分配 of one payment: the computed sheet (with approval) and the (re)compute form."""
    payment = get_payment(request.user, pk)
    contract = payment.receivable.contract
    policies.require(request.user, "licensing.income")
    if not income.can_manage_income(request.user, contract):
        raise PermissionDenied("只有许可方的技术转移人员或运营人员可以处理本合同的收益分配")
    try:
        basis = income.income_basis(payment)
    except LicensingRefused as exc:
        messages.error(request, refused_text(exc))
        return redirect(contract_url(contract))
    kinds = [(k, income.DEDUCTION_LABELS.get(k, k)) for k in basis.allowed]
    existing = IncomeDistribution.objects.filter(payment=payment).first()
    form = DistributionForm(request.POST or None, deduction_kinds=kinds)
    if request.method == "POST" and form.is_valid():
        done, _ = run(
            request,
            lambda: income.compute_distribution(
                request.user,
                payment,
                deductions=form.cleaned_data["deductions"],
                own_rule_share=form.cleaned_data["own_rule"],
                tto_share=form.cleaned_data["tto_share"],
                inventors=form.inventors,
                on=timezone.localdate(),
            ),
            "收益分配已计算，待另一位人员审批",
        )
        if done:
            return redirect("licensing:money_distribution", pk=payment.pk)
    if request.method == "POST":
        rows = list(
            zip(request.POST.getlist("inventor_name"), request.POST.getlist("inventor_share"), strict=False)
        )
    elif existing is not None:
        rows = [(ln.person, _pct(ln.share)) for ln in existing.lines.all()]
    else:
        rows = [(n, _pct(s)) for n, s in income.default_inventor_splits(contract)]
    context = {
        "payment": payment,
        "payment_amount": cny(payment.amount),
        "receivable_label": display_label(payment.receivable),
        "contract": contract,
        "contract_url": contract_url(contract),
        "basis": basis,
        "gross": cny(basis.gross),
        "floors": [(f.label, _pct(f.share), f.source) for f in basis.floors],
        "coowners": [(n, cny(a)) for n, a in basis.coowners],
        "form": form,
        "inventor_rows": [*rows, ("", ""), ("", "")],
        "existing": _sheet(existing) if existing else None,
        "may_approve": existing is not None
        and existing.state == "computed"
        and existing.computed_by_id != request.user.pk,
    }
    return render(request, "licensing/money/distribution.html", context)


@login_required
@require_POST
def approve(request: HttpRequest, pk: str) -> HttpResponse:
    """A second TTO user or operator approves a computed distribution."""
    dist = get_distribution(request.user, pk)
    run(
        request,
        lambda: income.approve_distribution(request.user, dist, on=timezone.localdate()),
        "收益分配已审批",
    )
    return redirect("licensing:money_distribution", pk=dist.payment_id)


@login_required
def distribution_pdf(request: HttpRequest, pk: str) -> HttpResponse:
    """职务科技成果许可收入分配表 (PDF) of one receipt."""
    dist = get_distribution(request.user, pk)
    sheet = statements.distribution_sheet(request.user, dist, as_of=timezone.localdate())
    return pdf_response(statements_pdf.render_pdf(sheet), sheet.filename)


@login_required
def my_income(request: HttpRequest) -> HttpResponse:
    """我的许可收益: the inventor's own lines of every distribution naming them."""
    lines = income.own_income_lines(request.user)
    items: list[dict[str, Any]] = [
        {
            "line": ln,
            "share": _pct(ln.share),
            "amount": cny(ln.amount),
            "contract": ln.distribution.payment.receivable.contract,
            "paid_on": ln.distribution.payment.paid_on,
            "approved": ln.distribution.state == "approved",
        }
        for ln in lines
    ]
    approved = sum((ln.amount for ln in lines if ln.distribution.state == "approved"), Decimal("0.00"))
    return render(
        request, "licensing/money/my_income.html", {"items": items, "approved_total": cny(approved)}
    )
