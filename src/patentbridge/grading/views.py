"""Grading pages: the policy table, grade overrides, the public implementation list."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.core.actions import flash_call, safe_next
from patentbridge.core.spreadsheet import xlsx_bytes
from patentbridge.grading import public_list, services
from patentbridge.grading.assessment import assess_draft, get_assessment, visible_assessments
from patentbridge.grading.models import Implementation, PublicListEntry
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import get_patent, restrict
from patentbridge_engine.grading import load_policies
from patentbridge_engine.grading.indicators import (
    DIMENSIONS,
    INDICATOR_KEYS,
    GradingInput,
    compute_indicators,
)


@login_required
def policy_page(request: HttpRequest) -> HttpResponse:
    """分级策略: every dated version with weights, boundaries, flag thresholds and list rules."""
    policies.require(request.user, "patents.view")
    labels = {
        i.key: (i.label, DIMENSIONS[i.dimension]) for i in compute_indicators(GradingInput(), dt.date.today())
    }
    versions = [
        {
            "policy": p,
            "weights": [(labels[k][0], labels[k][1], p.weights.get(k, 0.0)) for k in INDICATOR_KEYS],
            "total": sum(p.weights.values()),
        }
        for p in reversed(load_policies())
    ]
    return render(request, "grading/policy.html", {"versions": versions})


@login_required
@require_POST
def override(request: HttpRequest, number: str) -> HttpResponse:
    """人工调整分级 (TTO of the owner organisation, operators), with a reason."""
    patent = get_patent(request.user, number)
    flash_call(
        request,
        lambda: services.override_grade(
            actor=request.user,
            patent=patent,
            grade=request.POST.get("grade", ""),
            reason=request.POST.get("reason", ""),
        ),
        "分级已调整（系统分级仍保留）",
    )
    return redirect("patents:detail", number=patent.application_number)


def _entries(request: HttpRequest) -> tuple[QuerySet[PublicListEntry], str]:
    qs = PublicListEntry.objects.select_related("patent", "patent__owner_org")
    visible = restrict(Patent.objects.all(), request.user)
    qs = qs.filter(patent__in=visible)
    jurisdiction = request.GET.get("jurisdiction", "")
    if jurisdiction:
        qs = qs.filter(jurisdiction=jurisdiction)
    if request.GET.get("show") != "all":
        qs = qs.filter(left_on=None)
    return qs.order_by("jurisdiction", "since", "patent__application_number"), jurisdiction


@login_required
def public_list_page(request: HttpRequest) -> HttpResponse:
    """专利公开实施清单: entries with why and since when; the patentee picks a route."""
    policies.require(request.user, "patents.view")
    entries, jurisdiction = _entries(request)
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    acting = public_list.acting_patent_ids(request.user, [entry.patent for entry in page])
    for entry in page:
        entry.may_act = entry.patent.pk in acting  # type: ignore[attr-defined]
    return render(
        request,
        "grading/public_list.html",
        {
            "page": page,
            "jurisdiction": jurisdiction,
            "show_all": request.GET.get("show") == "all",
            "routes": PublicListEntry.Route.choices[1:],
            "kinds": Implementation.Kind.choices,
            "querystring": request.GET.urlencode(),
        },
    )


@login_required
def public_list_export(request: HttpRequest) -> HttpResponse:
    """The (filtered) list as XLSX."""
    policies.require(request.user, "patents.export")
    entries, _ = _entries(request)
    content = xlsx_bytes("专利公开实施清单", public_list.EXPORT_HEADER, public_list.export_rows(entries))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="public-implementation-list.xlsx"'
    return response


@login_required
@require_POST
def choose_route(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(PublicListEntry.objects.select_related("patent"), pk=pk)
    get_patent(request.user, entry.patent.application_number)  # 404 when not visible
    flash_call(
        request,
        lambda: public_list.choose_route(
            actor=request.user,
            entry=entry,
            route=request.POST.get("route", ""),
            note=request.POST.get("note", ""),
        ),
        "已记录实施途径",
    )
    return redirect("grading:public_list")


@login_required
@require_POST
def record_implementation(request: HttpRequest, number: str) -> HttpResponse:
    patent = get_patent(request.user, number)
    try:
        date = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, "请填写实施日期（YYYY-MM-DD）")
        return redirect(safe_next(request, "grading:public_list"))
    flash_call(
        request,
        lambda: public_list.record_implementation(
            actor=request.user,
            patent=patent,
            kind=request.POST.get("kind", ""),
            date=date,
            evidence=request.POST.get("evidence", ""),
        ),
        "已登记实施，清单已更新",
    )
    return redirect(safe_next(request, "grading:public_list"))


@login_required
def assessments(request: HttpRequest) -> HttpResponse:
    """申请前评估: the form, and this organisation's saved reports."""

    if not policies.can(request.user, "grading.assess"):
        raise PermissionDenied("只有技术转移人员、发明人或运营人员可以做申请前评估")
    values = {k: request.POST.get(k, "") for k in ("title", "abstract", "claims")}
    if request.method == "POST":
        done, assessment = flash_call(request, lambda: assess_draft(actor=request.user, **values))
        if done and assessment is not None:
            return redirect("grading:assessment", pk=assessment.pk)
    page = Paginator(visible_assessments(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "grading/assess.html", {"values": values, "page": page})


@login_required
def assessment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A saved, printable report (only for the author's organisation)."""

    assessment = get_assessment(request.user, pk)
    return render(request, "grading/assessment.html", {"a": assessment, "r": assessment.report})
