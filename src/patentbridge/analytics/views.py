"""Statistics pages: the full indicator report, the region drill-down, an organisation's
portfolio, and the home-page dashboard context (the site's home view includes it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from patentbridge.accounts import policies
from patentbridge.accounts.models import Organization
from patentbridge.analytics.access import may_see_org, request_params
from patentbridge.analytics.charts import chart_from_value, query
from patentbridge.analytics.dashboards import build_dashboard
from patentbridge.analytics.indicators import Context, compute
from patentbridge.analytics.org_patents import org_patent_rows
from patentbridge.analytics.regionmap import place_name
from patentbridge.analytics.report import PLATFORM_SECTION_LABEL, build_report
from patentbridge.analytics.scope import ScopeError, parse_region, role_region, scope_for
from patentbridge_engine.analytics import OFFICIAL_SECTION_LABEL, Scope, by_group

__all__ = ["dashboard_context", "org_page", "region_page", "report_page"]


def dashboard_context(request: HttpRequest) -> dict[str, Any]:
    """``dashboard`` (or None with ``stats_error``) for the signed-in user's home page."""
    as_of, region, error = request_params(request)
    try:
        scope = scope_for(request.user, as_of=as_of, region=region)
    except PermissionDenied as exc:
        return {"dashboard": None, "stats_error": str(exc)}
    return {"dashboard": build_dashboard(request.user, scope), "stats_error": error}


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    """Every indicator of the user's scope with its definition, then the official figures in a
    separate section."""
    as_of, region, error = request_params(request)
    report = build_report(scope_for(request.user, as_of=as_of, region=region))
    by_id = {v.id: v for v in report.values}
    groups = [
        (heading, [by_id[d.id] for d in entries if d.id in by_id]) for _, heading, entries in by_group()
    ]
    return render(
        request,
        "analytics/report.html",
        {
            "report": report,
            "groups": groups,
            "error": error,
            "platform_label": PLATFORM_SECTION_LABEL,
            "official_label": OFFICIAL_SECTION_LABEL,
            "query": query(report.scope),
        },
    )


@login_required
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    """Drill-down: the region dashboard for ``code`` (operators anywhere; officers and viewers
    inside their own region)."""
    prefix = parse_region_or_404(code)
    if not (policies.is_platform_wide(request.user) or role_region(request.user)):
        raise PermissionDenied("无权查看地区统计")
    as_of, _, error = request_params(request)
    scope = scope_for(request.user, as_of=as_of, region=prefix)
    dashboard = build_dashboard(request.user, scope, layout="region", scope_name=place_name(prefix))
    return render(request, "analytics/region.html", {"dashboard": dashboard, "stats_error": error})


def parse_region_or_404(code: str) -> str:
    try:
        prefix = parse_region(code[:10])
    except ScopeError as exc:
        raise PermissionDenied(str(exc)) from exc
    if not prefix:
        raise PermissionDenied("地区代码无效")
    return prefix


@login_required
def org_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Drill-down: one organisation's library portfolio, grades, chains and licences."""
    org = get_object_or_404(Organization, pk=pk)
    if not may_see_org(request.user, org):
        raise PermissionDenied("无权查看该机构的统计")
    as_of, _, error = request_params(request)
    scope = Scope(as_of=as_of, org_id=org.pk, org_side="supply")
    ctx = Context(scope)
    ids = [
        "LIB-APPROVED",
        "LIB-GRADED",
        "LIB-HIGH-VALUE",
        "LIB-BY-CHAIN",
        "LIB-BY-COLLEGE",
        "LIC-LICENCES",
        "CONV-PLATFORM",
        "MON-RECEIVED",
    ]
    values = {v.id: v for v in compute(scope, ids, ctx)}
    charts = [
        chart_from_value("grades", "价值分级分布", values["LIB-GRADED"], "pie", scope, skip_zero=True),
        chart_from_value("chains", "重点产业链专利", values["LIB-BY-CHAIN"], "hbar", scope, skip_zero=True),
        # University → college: the second level of the university drill-down.
        chart_from_value(
            "colleges", "各学院入库专利", values["LIB-BY-COLLEGE"], "hbar", scope, skip_zero=True
        ),
    ]
    tiles = [
        values[i] for i in ("LIB-APPROVED", "LIB-HIGH-VALUE", "LIC-LICENCES", "CONV-PLATFORM", "MON-RECEIVED")
    ]
    return render(
        request,
        "analytics/org.html",
        {
            "org": org,
            "scope": scope,
            "tiles": tiles,
            "charts": charts,
            "patents": org_patent_rows(ctx),
            "stats_error": error,
        },
    )
