"""Application pages: apply under an offer, apply with one click from a pushed patent marked
有意向, the application page, and the publisher's decisions (confirm an out-of-region applicant,
accept → contract draft, reject with a reason) and the applicant's withdrawal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.licensing.models import LicenceApplication, LicenceOffer
from patentbridge.licensing.services import applications as services
from patentbridge.licensing.services.deal_regions import region_label
from patentbridge.licensing.views.deal_common import flash_form_errors, run, visible_or_404
from patentbridge.licensing.views.forms_deals import AcceptForm, ApplicationForm, RejectForm
from patentbridge.matching.models import MatchItem
from patentbridge.matching.queries import restrict_items

__all__ = [
    "application_accept",
    "application_confirm_region",
    "application_detail",
    "application_reject",
    "application_withdraw",
    "apply",
    "apply_from_interest",
]


def _applied(number: str) -> Callable[[Any], str]:
    def text(application: Any) -> str:
        return f"已就专利 {number} 提交{application.get_requested_mode_display()}申请"

    return text


def _accepted(contract: Any) -> str:
    return f"已接受申请，生成合同草稿 {contract.contract_no}；请在合同页提交审批并签订"


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """申请试用/许可 under a published offer."""
    policies.require(request.user, "licensing.apply")
    offer = visible_or_404(LicenceOffer.objects.all(), request.user, pk)
    form = ApplicationForm(request.POST, offer=offer)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("licensing:offer", pk=offer.pk)
    chosen = set(form.cleaned_data["patents"])
    patents = [p for p in offer.patents.all() if p.application_number in chosen]
    ok, application = run(
        request,
        lambda: services.apply_for_licence(
            request.user,
            offer,
            patents=patents,
            requested_mode=form.cleaned_data["requested_mode"],
            intended_use=form.cleaned_data["intended_use"],
        ),
        "申请已提交，发布单位处理后会通知贵单位",
    )
    if ok and application is not None:
        return redirect("licensing:application", pk=application.pk)
    return redirect("licensing:offer", pk=offer.pk)


@login_required
@require_POST
def apply_from_interest(request: HttpRequest, item_pk: int) -> HttpResponse:
    """申请免费试用 with one click from the inbox (a pushed patent marked 有意向)."""
    policies.require(request.user, "licensing.apply")
    items = restrict_items(MatchItem.objects.select_related("need", "patent"), request.user)
    item = items.filter(pk=item_pk).first() if 0 < item_pk < 2**62 else None
    if item is None:
        messages.error(request, "未找到该推送")
        return redirect("licensing:mine")
    ok, application = run(
        request,
        lambda: services.apply_from_interest(request.user, item),
        _applied(item.patent.application_number),
    )
    if ok and application is not None:
        return redirect("licensing:application", pk=application.pk)
    return redirect("licensing:mine")


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The application with its decision forms for the publisher, withdrawal for the applicant."""
    policies.require(request.user, "licensing.view")
    application = visible_or_404(
        LicenceApplication.objects.select_related(
            "offer__publisher_org", "applicant_org", "match_item__need"
        ),
        request.user,
        pk,
    )
    member = policies.membership_of(request.user)
    is_applicant = member is not None and member.org_id == application.applicant_org_id
    decides = policies.can(request.user, "licensing.manage") and not is_applicant
    pending = application.state == "submitted"
    contract = getattr(application, "contract", None)
    today = timezone.localdate()
    return render(
        request,
        "licensing/deals/application_detail.html",
        {
            "application": application,
            "offer": application.offer,
            "patents": list(application.patents.all()),
            "region": region_label(application.applicant_org.region_code),
            "needs_confirmation": services.needs_region_confirmation(application),
            "contract": contract,
            "may_decide": decides and pending,
            "may_withdraw": is_applicant and pending,
            "accept_form": AcceptForm(
                today=today, initial={"on": today, "end": services.default_end(application, today)}
            ),
            "reject_form": RejectForm(),
        },
    )


def _decidable(request: HttpRequest, pk: int) -> LicenceApplication:
    policies.require(request.user, "licensing.manage")
    return visible_or_404(LicenceApplication.objects.select_related("offer"), request.user, pk)


@login_required
@require_POST
def application_confirm_region(request: HttpRequest, pk: int) -> HttpResponse:
    """Rule L11: confirm an applicant outside the offer's target regions."""
    application = _decidable(request, pk)
    run(
        request,
        lambda: services.confirm_region(request.user, application),
        "已确认区域外申请（计为区域外成交）",
    )
    return redirect("licensing:application", pk=application.pk)


@login_required
@require_POST
def application_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept → a contract draft with the offer's terms; the contract page runs the rest."""
    application = _decidable(request, pk)
    form = AcceptForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("licensing:application", pk=application.pk)
    ok, contract = run(
        request,
        lambda: services.accept_application(
            request.user, application, on=form.cleaned_data["on"], end=form.cleaned_data.get("end")
        ),
        _accepted,
    )
    if ok and contract is not None:
        return redirect("licensing:contract", pk=contract.pk)
    return redirect("licensing:application", pk=application.pk)


@login_required
@require_POST
def application_reject(request: HttpRequest, pk: int) -> HttpResponse:
    application = _decidable(request, pk)
    run(
        request,
        lambda: services.reject_application(request.user, application, reason=request.POST.get("reason", "")),
        "已拒绝申请，理由已告知申请企业",
    )
    return redirect("licensing:application", pk=application.pk)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    policies.require(request.user, "licensing.apply")
    application = visible_or_404(LicenceApplication.objects.all(), request.user, pk)
    run(request, lambda: services.withdraw_application(request.user, application), "申请已撤回")
    return redirect("licensing:application", pk=application.pk)
