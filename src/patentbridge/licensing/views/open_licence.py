"""Open-licence pages everyone sees: the public catalogue (anonymous visitors included) with its
filters and XLSX export, a declaration's public page, an enterprise's written notice accepting it,
and "my open licences" (a TTO's declarations, an enterprise's acceptances). The declarant's pages
are in ``open_manage``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core.ids import MAX_PK
from patentbridge.core.spreadsheet import xlsx_bytes
from patentbridge.licensing.models import OpenLicenceAcceptance, OpenLicenceDeclaration
from patentbridge.licensing.services import open_licence
from patentbridge.licensing.views.deal_common import optional_url, run
from patentbridge.licensing.views.forms_open import AcceptForm
from patentbridge.patents.filters import page_number

__all__ = ["accept", "catalogue", "catalogue_export", "detail", "mine"]

PAGE_SIZE = 20


def _today() -> dt.date:
    return timezone.localdate()


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def catalogue(request: HttpRequest) -> HttpResponse:
    """开放许可目录: published declarations with chain, grade, IPC, type, fee and university filters."""
    flt, problems = open_licence.CatalogueFilter.from_mapping(request.GET)
    page = Paginator(open_licence.public_declarations(flt), PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    return render(
        request,
        "licensing/open/list.html",
        {
            "page": page,
            "rows": open_licence.page_rows(page.object_list),
            "flt": flt,
            "problems": problems.values(),
            "choices": open_licence.filter_choices(),
            "querystring": _querystring(request),
            "may_declare": policies.can(request.user, "licensing.declare"),
        },
    )


def catalogue_export(request: HttpRequest) -> HttpResponse:
    """The (filtered) catalogue as XLSX, for everyone (public facts only)."""
    flt, _ = open_licence.CatalogueFilter.from_mapping(request.GET)
    rows = open_licence.catalogue_rows(open_licence.public_declarations(flt))
    content = xlsx_bytes("开放许可目录", open_licence.CATALOGUE_HEADER, rows)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="open-licences.xlsx"'
    return response


def _acceptance_of(user: Any, decl: OpenLicenceDeclaration) -> Any:
    member = policies.membership_of(user)
    if member is None or not policies.can(user, "licensing.accept"):
        return None
    return decl.acceptances.select_related("contract").filter(licensee_org_id=member.org_id).first()


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published declaration's public page: the patent, the terms, how to accept."""
    decl = open_licence.get_public(pk)
    manage = open_licence.declarations_for(request.user, "change").filter(pk=decl.pk).exists()
    accepted = _acceptance_of(request.user, decl)
    return render(
        request,
        "licensing/open/detail.html",
        {
            "decl": decl,
            "row": open_licence.public_row(decl),
            "patent": decl.patent,
            "may_accept": policies.can(request.user, "licensing.accept") and accepted is None,
            "accepted": accepted,
            "contract_url": _contract_url(accepted),
            "manage": manage,
        },
    )


def _contract_url(acceptance: OpenLicenceAcceptance | None) -> str:
    if acceptance is None or acceptance.contract_id is None:
        return ""
    return optional_url("licensing:contract", acceptance.contract_id)


def _ever_published(pk: int) -> OpenLicenceDeclaration:
    """A declaration that was published at some time (a withdrawn one is refused by the service
    with its withdrawal date, not hidden), else 404."""
    if not 0 < pk < MAX_PK:
        raise Http404("未找到")
    found = (
        OpenLicenceDeclaration.objects.select_related("patent", "declarant_org")
        .filter(pk=pk, published_at__isnull=False)
        .first()
    )
    if found is None:
        raise Http404("未找到")
    return found


def _accepted_text(acceptance: OpenLicenceAcceptance | None) -> str:
    number = acceptance.contract.contract_no if acceptance and acceptance.contract else ""
    if acceptance is not None and acceptance.state == "notified":
        return (
            f"已通知专利权人并生成许可合同 {number}；按公告标准付款登记后即获得许可，请在备案期限前办理备案"
        )
    return f"已通知专利权人，取得普通许可（合同 {number}），请在备案期限前办理备案"


def _closed_reason(decl: OpenLicenceDeclaration) -> str:
    """Why a declaration that was once published can no longer be accepted (shown before any
    notice is written, instead of a form that could only be refused)."""
    if decl.state == "withdrawn":
        when = decl.withdrawal_published_at.isoformat() if decl.withdrawal_published_at else "此前"
        return (
            f"已于 {when} 公告撤回，不能再通过该声明获得许可；"
            "撤回前已获得的开放许可继续有效（专利法第五十条第二款）。"
        )
    return f"声明状态为“{decl.get_state_display()}”，不能再通过该声明获得许可。"


@login_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """接受开放许可: the enterprise's written notice → an ordinary licence on the declared terms."""
    policies.require(request.user, "licensing.accept")
    decl = _ever_published(pk)
    today = _today()
    form = AcceptForm(request.POST or None, today=today, initial={"notified_at": today})
    if request.method == "POST" and form.is_valid():
        done, acceptance = run(
            request,
            lambda: open_licence.accept_declaration(
                request.user,
                decl,
                notified_at=form.cleaned_data["notified_at"],
                intended_use=form.cleaned_data["intended_use"],
            ),
            _accepted_text,
        )
        if done and acceptance is not None:
            return redirect("licensing:open_mine")
    public = decl.state in open_licence.IN_FORCE
    return render(
        request,
        "licensing/open/accept.html",
        {
            "decl": decl,
            "row": open_licence.public_row(decl) if public else None,
            "public": public,
            "closed_reason": "" if public else _closed_reason(decl),
            "form": form,
            "paid_first": open_licence.needs_payment_on_acceptance(decl.fee_schedule),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的开放许可: a TTO's (or operator's) declarations and the acceptances of them; an
    enterprise's acceptances with their contracts and filing deadlines."""
    user = request.user
    declarant = policies.can(user, "licensing.declare")
    if not declarant and not policies.can(user, "licensing.view"):
        policies.require(user, "licensing.view")
    declarations = open_licence.declarations_for(user) if declarant else None
    acceptances = list(open_licence.acceptances_for(user).prefetch_related("contract__filings")[:200])
    for acc in acceptances:
        contract = acc.contract
        filing = next((f for f in contract.filings.all() if f.kind == "initial"), None) if contract else None
        acc.filing = filing  # type: ignore[attr-defined]
        acc.contract_url = optional_url("licensing:contract", contract.pk) if contract else ""  # type: ignore[attr-defined]
    return render(
        request,
        "licensing/open/mine.html",
        {
            "declarations": Paginator(declarations, 30).get_page(page_number(request.GET.get("page")))
            if declarations is not None
            else None,
            "acceptances": acceptances,
            "declarant": declarant,
            "today": _today(),
        },
    )
