"""Grading pages: the policy table, grade overrides, the public implementation list."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.core.views import safe_next
from patentbridge.grading import public_list, services
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


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


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
    try:
        services.override_grade(
            actor=request.user,
            patent=patent,
            grade=request.POST.get("grade", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "分级已调整（系统分级仍保留）")
    return redirect("patents:detail", number=patent.application_number)


def _entries(request: HttpRequest):  # type: ignore[no-untyped-def]
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
    for entry in page:
        entry.may_act = public_list.may_act_for(request.user, entry.patent)  # type: ignore[attr-defined]
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
    from openpyxl import Workbook

    policies.require(request.user, "patents.export")
    entries, _ = _entries(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("专利公开实施清单")
    sheet.append(
        [
            "地区",
            "申请号",
            "专利名称",
            "专利权人",
            "应列入日期",
            "列入理由",
            "政府可实施",
            "实施途径",
            "策略版本",
            "移出日期",
            "移出理由",
        ]
    )
    for e in entries:
        sheet.append(
            [
                e.jurisdiction_label,
                e.patent.application_number,
                e.patent.title,
                "；".join(e.patent.patentees or e.patent.applicants or []),
                e.since,
                e.reason,
                "是" if e.government_use else "否",
                e.get_route_display() if e.route else "",
                e.policy_version,
                e.left_on,
                e.left_reason,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="public-implementation-list.xlsx"'
    return response


@login_required
@require_POST
def choose_route(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(PublicListEntry.objects.select_related("patent"), pk=pk)
    get_patent(request.user, entry.patent.application_number)  # 404 when not visible
    try:
        public_list.choose_route(
            actor=request.user,
            entry=entry,
            route=request.POST.get("route", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已记录实施途径")
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
    try:
        public_list.record_implementation(
            actor=request.user,
            patent=patent,
            kind=request.POST.get("kind", ""),
            date=date,
            evidence=request.POST.get("evidence", ""),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied:
        raise
    else:
        messages.success(request, "已登记实施，清单已更新")
    return redirect(safe_next(request, "grading:public_list"))


@login_required
def assessments(request: HttpRequest) -> HttpResponse:
    """申请前评估: the form, and this organisation's saved reports."""
    from patentbridge.grading.assessment import ASSESS_ROLES, assess_draft, visible_assessments

    if policies.role_of(request.user) not in ASSESS_ROLES:
        raise PermissionDenied("只有技术转移人员、发明人或运营人员可以做申请前评估")
    values = {k: request.POST.get(k, "") for k in ("title", "abstract", "claims")}
    if request.method == "POST":
        try:
            assessment = assess_draft(actor=request.user, **values)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            return redirect("grading:assessment", pk=assessment.pk)
    page = Paginator(visible_assessments(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "grading/assess.html", {"values": values, "page": page})


@login_required
def assessment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A saved, printable report (only for the author's organisation)."""
    from patentbridge.grading.assessment import get_assessment

    assessment = get_assessment(request.user, pk)
    return render(request, "grading/assessment.html", {"a": assessment, "r": assessment.report})
