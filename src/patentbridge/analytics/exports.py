"""XLSX exports of the statistics: one chart's table (with its definition), the monthly series,
or the whole report (a summary sheet, one sheet per indicator, the definitions, and the official
figures on their own sheet). Every workbook goes through ``core.spreadsheet``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from patentbridge.accounts.models import Organization
from patentbridge.analytics.access import may_see_org, request_params
from patentbridge.analytics.charts import MONTHLY_ID
from patentbridge.analytics.drill_views import branch_value
from patentbridge.analytics.indicators import Context, compute
from patentbridge.analytics.report import build_report
from patentbridge.analytics.scope import scope_for
from patentbridge.analytics.series import monthly_rows
from patentbridge.core.spreadsheet import Sheet, xlsx_sheets
from patentbridge_engine.analytics import (
    CATALOGUE,
    OFFICIAL_SECTION_LABEL,
    Scope,
    Value,
    format_value,
    number_json,
)

__all__ = ["export"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_KNOWN = {d.id for d in CATALOGUE} | {MONTHLY_ID, "report"}


def _scope(request: HttpRequest) -> Scope:
    as_of, region, error = request_params(request)
    if error:
        raise PermissionDenied(error)
    org_id = request.GET.get("org", "")[:12]
    if org_id:
        if not org_id.isdigit():
            raise PermissionDenied("机构编号无效")
        org = get_object_or_404(Organization, pk=int(org_id))
        if not may_see_org(request.user, org):
            raise PermissionDenied("无权导出该机构的统计")
        return Scope(as_of=as_of, org_id=org.pk, org_side="supply")
    return scope_for(request.user, as_of=as_of, region=region)


def _rows_sheet(value: Value) -> Sheet:
    d = value.definition
    extra = [name for name, _ in value.rows[0].extra] if value.rows else []
    header = [d.breakdown or "项目", "代码", f"数值（{d.rows_unit}）", *extra]
    rows = [
        [
            r.label,
            r.key,
            number_json(r.value),
            *[v if isinstance(v, str) else number_json(v) for _, v in r.extra],
        ]
        for r in value.rows
    ]
    return (d.id[:31], header, rows, None)


def _definitions(values: list[Value]) -> Sheet:
    header = ["指标编号", "指标名称", "口径", "定义", "单位", "定义来源", "对应指南指标"]
    rows: list[list[Any]] = [
        [
            v.id,
            v.definition.name,
            v.definition.kind_label,
            v.definition.definition,
            v.definition.unit,
            v.definition.source,
            v.definition.guide_ref,
        ]
        for v in values
    ]
    return ("指标定义", header, rows, [18, 26, 10, 60, 8, 50, 12])


def _scope_sheet(scope: Scope) -> Sheet:
    rows: list[list[Any]] = [
        ["统计日期", scope.as_of],
        ["地区", scope.region or "全平台"],
        ["口径", "平台口径（平台记录统计）"],
    ]
    return ("统计范围", ["项目", "内容"], rows, [16, 40])


def _report_sheets(scope: Scope) -> list[Sheet]:
    report = build_report(scope)
    summary = [
        [v.id, v.definition.name, number_json(v.value), v.definition.unit, v.display, v.note]
        for v in report.values
    ]
    official = [
        [
            f.id,
            f.indicator,
            f.name,
            number_json(f.value),
            f.unit,
            f.period,
            f.region,
            f.source,
            f.tag_label,
            f.note,
        ]
        for f in report.official
    ]
    return [
        _scope_sheet(scope),
        ("平台统计", ["指标编号", "指标名称", "数值", "单位", "显示", "说明"], summary, None),
        *[_rows_sheet(v) for v in report.values if v.rows],
        _definitions(report.values),
        (
            "官方公布数据",
            [
                "编号",
                "指南指标",
                "名称",
                "数值",
                "单位",
                "期间",
                "地区",
                "来源",
                "核实",
                f"说明（{OFFICIAL_SECTION_LABEL}）",
            ],
            official,
            None,
        ),
    ]


@login_required
def export(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """``/stats/export/<id>.xlsx?as_of=&region=[&org=]`` for the user's own scope."""
    if indicator_id not in _KNOWN:
        raise Http404("未知的指标")
    scope = _scope(request)
    if indicator_id == "report":
        sheets = _report_sheets(scope)
    elif indicator_id == MONTHLY_ID:
        rows: list[Any] = [list(r) for r in monthly_rows(Context(scope))]
        sheets = [
            ("按月许可合同", ["月份", "许可合同（份）", "其中先试用（份）"], rows, None),
            _scope_sheet(scope),
        ]
    else:
        value = compute(scope, [indicator_id])[0]
        chain = request.GET.get("chain", "")[:20]
        if indicator_id == "LIB-BY-BRANCH" and chain:
            # A chain page's chart: exactly the branches of that chain.
            value = branch_value(value, chain)
        headline = [
            [
                value.definition.name,
                number_json(value.value),
                value.definition.unit,
                format_value(value.value, value.definition.unit),
            ]
        ]
        sheets = [
            _rows_sheet(value),
            ("合计", ["指标", "数值", "单位", "显示"], headline, None),
            _definitions([value]),
            _scope_sheet(scope),
        ]
    body = xlsx_sheets(sheets)
    response = HttpResponse(body, content_type=_XLSX)
    name = f"stats-{indicator_id}-{scope.as_of.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
