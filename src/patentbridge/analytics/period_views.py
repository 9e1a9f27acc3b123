"""The monthly/quarterly statistics report of a region: page with the period picker, PDF and XLSX.

Who: operators and admins (any region or the whole platform), government officers (their own
region or a part of it) and viewers (their region, or the platform when their organisation has
none). TTOs, inventors and enterprises read their own dashboards instead: a regional report is
about a region, not an organisation.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.analytics.period_exports import period_pdf, period_xlsx, title_of
from patentbridge.analytics.periodic import Period, PeriodReport, build_period_report, parse_period
from patentbridge.analytics.scope import ScopeError, parse_region, scope_for

__all__ = ["period_export", "period_page", "recent_periods"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _allowed(user: object) -> bool:
    return policies.is_platform_wide(user) or policies.role_of(user) in (
        RoleChoices.GOV_OFFICER,
        RoleChoices.VIEWER,
    )


def recent_periods(today: dt.date) -> list[tuple[str, str]]:
    """(code, label) of the picker: the last twelve months and the last eight quarters."""
    months, quarters = [], []
    year, month = today.year, today.month
    for _ in range(12):
        months.append((f"{year}-{month:02d}", f"{year} 年 {month} 月"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    year, q = today.year, (today.month - 1) // 3 + 1
    for _ in range(8):
        quarters.append((f"{year}-Q{q}", f"{year} 年第 {q} 季度"))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return quarters + months


def _build(request: HttpRequest) -> tuple[PeriodReport, str]:
    """The report asked for; a bad period or region falls back to this month / the user's own
    region with the Chinese reason (the page shows it; exports refuse instead)."""
    if not _allowed(request.user):
        raise PermissionDenied("地区统计报告仅向运营人员、政府部门和只读用户开放")
    today = timezone.localdate()
    error = ""
    try:
        period = parse_period(request.GET.get("period", ""), today)
    except ScopeError as exc:
        period, error = parse_period("", today), str(exc)
    try:
        region = parse_region(request.GET.get("region", "")[:40])
    except ScopeError as exc:
        region, error = "", str(exc)
    scope = scope_for(request.user, as_of=period.end, region=region)
    return build_period_report(scope, period), error


@login_required
def period_page(request: HttpRequest) -> HttpResponse:
    """``/stats/period/?period=2026-Q3&region=3709``: flows, months and links to PDF and XLSX."""
    data, error = _build(request)
    periods = recent_periods(timezone.localdate())
    if data.period.code not in dict(periods):
        periods.insert(0, (data.period.code, data.period.label))
    query = f"period={data.period.code}" + (f"&region={data.scope.region}" if data.scope.region else "")
    return render(
        request,
        "analytics/period.html",
        {
            "data": data,
            "title": title_of(data),
            "error": error,
            "query": query,
            "periods": periods,
        },
    )


@login_required
def period_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """``/stats/period/report.pdf`` or ``.xlsx`` with the same parameters as the page; a bad
    period or region is refused (a file must not silently show another period)."""
    if fmt not in ("pdf", "xlsx"):
        raise Http404("未知的导出格式")
    data, error = _build(request)
    if error:
        raise PermissionDenied(error)
    period: Period = data.period
    name = f"stats-period-{data.scope.region or 'all'}-{period.code}.{fmt}"
    if fmt == "pdf":
        response = HttpResponse(period_pdf(data), content_type="application/pdf")
    else:
        response = HttpResponse(period_xlsx(data), content_type=_XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
