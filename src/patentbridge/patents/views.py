"""Library views: list with facets and export, patent page, entry form, review queue and actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.core.actions import error_text
from patentbridge.core.models import AuditEvent
from patentbridge.patents import services
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge.patents.export import export_csv, export_xlsx
from patentbridge.patents.filters import (
    FILTER_PARAMS,
    PatentFilter,
    cached_count,
    cached_facets,
    filter_problems,
    page_number,
)
from patentbridge.patents.forms import ApproveForm, PatentEntryForm, RejectForm
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import get_patent, restrict, view_scope
from patentbridge_engine.classify import SCHEME_LABELS

PAGE_SIZE = 20


@login_required
def patent_list(request: HttpRequest) -> HttpResponse:
    """专利资源库列表: facets, keyword search, paging; HTMX requests get the results partial."""
    policies.require(request.user, "patents.view")
    for problem in filter_problems(request.GET).values():
        messages.warning(request, problem)
    flt = PatentFilter.from_mapping(request.GET)
    qs = flt.apply(restrict(Patent.objects.all(), request.user)).order_by(
        "-filing_date", "application_number"
    )
    # Count and facets are reused until the library changes (#speed: they were a full scan of
    # the allowed set on every request); the rows of the page are always read fresh.
    scope = view_scope(request.user)
    paginator = Paginator(qs, PAGE_SIZE)
    paginator.count = cached_count(scope, flt, qs)
    page = paginator.get_page(page_number(request.GET.get("page")))
    params = request.GET.copy()
    params.pop("page", None)
    context: dict[str, Any] = {
        "page": page,
        "filter": flt,
        "active": flt.active(),
        "facets": cached_facets(scope, flt, qs),
        "facet_labels": {k: v[0] for k, v in FILTER_PARAMS.items()},
        "querystring": params.urlencode(),
    }
    template = "patents/_results.html" if request.htmx else "patents/list.html"
    return render(request, template, context)


@login_required
def patent_export(request: HttpRequest) -> HttpResponse:
    """The current filtered list as XLSX (default) or CSV."""
    policies.require(request.user, "patents.export")
    flt = PatentFilter.from_mapping(request.GET)
    qs = flt.apply(restrict(Patent.objects.all(), request.user))
    if request.GET.get("format") == "csv":
        response = HttpResponse(export_csv(qs), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="patents.csv"'
        return response
    response = HttpResponse(
        export_xlsx(qs), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="patents.xlsx"'
    return response


@login_required
def patent_detail(request: HttpRequest, number: str) -> HttpResponse:
    """Every field, classifications with reasons, provenance, audit history and review actions."""
    patent = get_patent(request.user, number)
    classes = list(patent.classes.all())
    grouped: dict[str, list[Any]] = {}
    for c in classes:
        grouped.setdefault(SCHEME_LABELS.get(c.scheme, c.scheme), []).append(c)
    history = AuditEvent.objects.filter(target_type="patents.patent", target_id=str(patent.pk)).order_by(
        "timestamp", "id"
    )
    reviewable = restrict(Patent.objects.filter(pk=patent.pk), request.user, "review").exists()
    changeable = restrict(Patent.objects.filter(pk=patent.pk), request.user, "change").exists()
    return render(
        request,
        "patents/detail.html",
        {
            "patent": patent,
            "grouped_classes": grouped,
            "history": history,
            "reviewable": reviewable,
            "changeable": changeable,
            "approve_form": ApproveForm(initial={"self_assessment": patent.self_assessment}),
            "reject_form": RejectForm(),
            "parties": patent.party_links.select_related("party"),
        },
    )


@login_required
def patent_new(request: HttpRequest) -> HttpResponse:
    """盘点录入 by form; "submit" sends it straight to college review."""
    policies.require(request.user, "patents.create")
    form = PatentEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patent = services.create_patent(
                actor=request.user, data=form.cleaned_data, submit="submit" in request.POST
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, "专利已保存" + ("并提交学院审核" if "submit" in request.POST else "为草稿")
            )
            return redirect("patents:detail", number=patent.application_number)
    return render(request, "patents/form.html", {"form": form})


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Patents waiting for this reviewer (college step, university step)."""
    policies.require(request.user, "patents.review")
    qs = restrict(Patent.objects.all(), request.user, "review").filter(
        library_status__in=(LibraryStatusChoices.PENDING_COLLEGE, LibraryStatusChoices.PENDING_UNIVERSITY)
    )
    return render(
        request, "patents/review.html", {"patents": qs.order_by("library_status", "application_number")[:200]}
    )


@login_required
@require_POST
def patent_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """submit / college / approve / reject, each through its service."""
    patent = get_patent(request.user, number)
    try:
        if action == "submit":
            services.submit_patent(actor=request.user, patent=patent)
        elif action == "college":
            services.approve_college(actor=request.user, patent=patent, note=request.POST.get("note", ""))
        elif action == "approve":
            services.approve_university(
                actor=request.user,
                patent=patent,
                self_assessment=request.POST.get("self_assessment", ""),
                note=request.POST.get("note", ""),
            )
        elif action == "reject":
            services.reject_patent(actor=request.user, patent=patent, reason=request.POST.get("reason", ""))
        else:
            raise PermissionDenied("未知操作")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "操作成功")
    return redirect(reverse("patents:detail", kwargs={"number": patent.application_number}))
