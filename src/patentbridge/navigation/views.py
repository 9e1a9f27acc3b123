"""专利导航 pages: project list, new project, project page with its versions, the report page
(charts, tables, findings editor, progress while generating), the version diff and the exports.
Views read through ``restrict`` and call services; they never write models."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.core.actions import flash_call
from patentbridge.core.restrict import restrict
from patentbridge.navigation import services
from patentbridge.navigation.choices import ActionKindChoices, ReportStateChoices
from patentbridge.navigation.document import key_number_rows, percent, section_views
from patentbridge.navigation.exports import report_data, report_pdf, report_xlsx
from patentbridge.navigation.forms import ProjectForm
from patentbridge.navigation.models import NavigationFinding, NavigationProject, NavigationReport
from patentbridge_engine.navigation import diff_key_numbers

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Larger ids are probes: PostgreSQL's bigint would overflow (a 500) before "not found".
MAX_PK = 2**62


def _pk(pk: int) -> int:
    if not 0 < pk < MAX_PK:
        raise Http404("不存在")
    return pk


def _project(request: HttpRequest, pk: int, action: str = "view") -> NavigationProject:
    policies.require(request.user, "navigation.view")
    qs = restrict(NavigationProject.objects.select_related("owner_org"), request.user, action)
    return get_object_or_404(qs, pk=_pk(pk))


def _report(request: HttpRequest, pk: int) -> NavigationReport:
    policies.require(request.user, "navigation.view")
    qs = restrict(
        NavigationReport.objects.select_related("project", "project__owner_org"), request.user, "view"
    )
    return get_object_or_404(qs, pk=_pk(pk))


def _may_build(request: HttpRequest, project: NavigationProject) -> bool:
    return policies.can(request.user, "navigation.build") and (
        restrict(NavigationProject.objects.filter(pk=project.pk), request.user, "change").exists()
    )


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """专利导航: the projects the user may see, with their latest visible version."""
    policies.require(request.user, "navigation.view")
    projects = list(restrict(NavigationProject.objects.select_related("owner_org"), request.user)[:200])
    visible = restrict(NavigationReport.objects.filter(project__in=projects), request.user).order_by(
        "project_id", "-version"
    )
    latest: dict[int, NavigationReport] = {}
    for r in visible.only("pk", "project_id", "version", "state", "as_of", "row_count"):
        latest.setdefault(r.project_id, r)
    rows = [(p, latest.get(p.pk)) for p in projects]
    return render(
        request,
        "navigation/list.html",
        {"rows": rows, "may_build": policies.can(request.user, "navigation.build")},
    )


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    """新建导航项目; the first version is generated at once."""
    policies.require(request.user, "navigation.build")
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(request.user, dict(form.cleaned_data))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, messages)
        except PermissionDenied as exc:
            # A scope outside the user's remit: say so on the form and keep what was typed.
            form.add_error(None, str(exc))
        else:
            report = services.request_report(request.user, project)
            return redirect("navigation:report", report.pk)
    return render(request, "navigation/new.html", {"form": form})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A project: its facts and the versions the user may see."""
    project = _project(request, pk)
    reports = restrict(project.reports.all(), request.user).order_by("-version")
    return render(
        request,
        "navigation/project.html",
        {"project": project, "reports": reports, "may_build": _may_build(request, project)},
    )


@login_required
@require_POST
def project_generate(request: HttpRequest, pk: int) -> HttpResponse:
    """刷新: a new version from today's library (the old versions stay)."""
    project = _project(request, pk, "change")
    ok, report = flash_call(
        request, lambda: services.request_report(request.user, project), "已开始生成新版本"
    )
    if ok and report is not None:
        return redirect("navigation:report", report.pk)
    return redirect("navigation:project", project.pk)


def _report_context(request: HttpRequest, report: NavigationReport) -> dict[str, Any]:
    may_build = _may_build(request, report.project)
    ready = report.state in (ReportStateChoices.DRAFT, ReportStateChoices.PUBLISHED)
    return {
        "report": report,
        "project": report.project,
        "meta": report.sections.get("meta", {}),
        "views": section_views(report.sections) if ready else [],
        "key_numbers": key_number_rows(report.key_numbers) if ready else [],
        "findings": list(report.findings.all()),
        "may_edit": may_build and report.state == ReportStateChoices.DRAFT,
        "may_publish": may_build
        and report.state == ReportStateChoices.DRAFT
        and policies.can(request.user, "navigation.publish"),
        "action_kinds": ActionKindChoices.choices,
        "ready": ready,
        "previous": report.previous
        if report.previous_id
        and restrict(NavigationReport.objects.filter(pk=report.previous_id), request.user).exists()
        else None,
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report page: facts, key numbers, findings and actions, every section's chart and tables."""
    report = _report(request, pk)
    return render(request, "navigation/report.html", _report_context(request, report))


@login_required
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block HTMX polls while generating; once finished the page reloads."""
    report = _report(request, pk)
    response = render(request, "navigation/_progress.html", {"report": report})
    if report.state != ReportStateChoices.GENERATING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    flash_call(
        request,
        lambda: services.add_finding(
            request.user,
            report,
            {k: request.POST.get(k, "")[:2000] for k in ("text", "action_kind", "action")},
        ),
        "已添加结论",
    )
    return redirect("navigation:report", report.pk)


@login_required
@require_POST
def finding_delete(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(
        restrict(NavigationFinding.objects.select_related("report"), request.user), pk=_pk(pk)
    )
    flash_call(request, lambda: services.delete_finding(request.user, finding), "已删除结论")
    return redirect("navigation:report", finding.report_id)


@login_required
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    flash_call(request, lambda: services.publish(request.user, report), "报告已发布")
    return redirect("navigation:report", report.pk)


@login_required
def report_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """Key numbers of this version against the one it refreshed."""
    report = _report(request, pk)
    previous = None
    if report.previous_id:
        previous = restrict(NavigationReport.objects.filter(pk=report.previous_id), request.user).first()
    rows = diff_key_numbers(previous.key_numbers, report.key_numbers) if previous else []
    for row in rows:
        # The share reads as a percentage and its change in percentage points.
        if row["key"] == "library_share":
            row["before"] = percent(row["before"]) if row["before"] is not None else None
            row["after"] = percent(row["after"]) if row["after"] is not None else None
            if row["change"] is not None:
                row["change"] = f"{row['change'] * 100:+.1f} 个百分点"
    return render(request, "navigation/diff.html", {"report": report, "previous": previous, "rows": rows})


@login_required
def report_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """PDF or XLSX of a finished version."""
    report = _report(request, pk)
    if report.state not in (ReportStateChoices.DRAFT, ReportStateChoices.PUBLISHED):
        raise PermissionDenied("报告尚未生成完成，不能导出")
    data = report_data(report)
    name = f"navigation-{report.project_id}-v{report.version}"
    if fmt == "pdf":
        response = HttpResponse(report_pdf(data), content_type="application/pdf")
    else:
        response = HttpResponse(report_xlsx(data), content_type=_XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
