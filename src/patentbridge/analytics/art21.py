"""A university's annual 科技成果转化情况 data (促进科技成果转化法 Art. 21): the rows of the engine's
``ART21_ROWS`` computed from the platform indicators for the university's supply side, for one
calendar year (up to today for the running year). Page and XLSX for the university's TTO (its own
organisation) and operators (any university or research institute).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices, RoleChoices
from patentbridge.accounts.models import Organization
from patentbridge.analytics.indicators import compute
from patentbridge.core.spreadsheet import xlsx_sheets
from patentbridge_engine.analytics import Scope, Value, format_value, number_json
from patentbridge_engine.analytics.art21 import ART21_ROWS, ART21_SOURCE, Art21Row
from patentbridge_engine.analytics.values import Number

__all__ = ["Art21Line", "Art21Report", "art21_export", "art21_page", "build_art21", "parse_year"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_RECORDED = "平台未记录"


@dataclass(frozen=True)
class Art21Line:
    """One computed row; ``value`` is None for the items the platform does not record."""

    row: Art21Row
    value: Number

    @property
    def display(self) -> str:
        if self.row.how == "absent":
            return NOT_RECORDED
        return format_value(self.value, self.row.unit)


@dataclass(frozen=True)
class Art21Report:
    """The year's rows for one organisation."""

    org: Organization
    year: int
    end: dt.date
    lines: list[Art21Line]

    @property
    def partial(self) -> bool:
        return self.end < dt.date(self.year, 12, 31)

    @property
    def period(self) -> str:
        tail = f"（截至 {self.end.isoformat()}）" if self.partial else ""
        return f"{self.year} 年度{tail}"


def parse_year(text: str, today: dt.date) -> tuple[int, str]:
    """``2025`` → (2025, ""); empty or bad → (last year, Chinese reason or "")."""
    raw = (text or "").strip()[:8]
    if not raw:
        return today.year - 1, ""
    if not raw.isdigit() or not 1985 <= int(raw) <= today.year:
        return today.year - 1, f"年度应为 1985 至 {today.year} 之间的年份：{raw}"
    return int(raw), ""


def _pick(value: Value, key: str) -> Number:
    if not key:
        return value.value
    return next((r.value for r in value.rows if r.key == key), 0)


def _minus(after: Number, before: Number) -> Number:
    if after is None or before is None:
        return None
    if isinstance(after, Decimal) or isinstance(before, Decimal):
        return Decimal(after) - Decimal(before)
    return after - before


def build_art21(org: Organization, year: int, today: dt.date) -> Art21Report:
    """The rows for ``org``'s patents, licences granted and income in ``year``."""
    end = min(dt.date(year, 12, 31), today)
    scope = Scope(as_of=end, org_id=org.pk, org_side="supply")
    ids = sorted({r.indicator for r in ART21_ROWS if r.how != "absent"})
    after = {v.id: v for v in compute(scope, ids)}
    flow_ids = sorted({r.indicator for r in ART21_ROWS if r.how == "flow"})
    start = Scope(as_of=dt.date(year, 1, 1) - dt.timedelta(days=1), org_id=org.pk, org_side="supply")
    before = {v.id: v for v in compute(start, flow_ids)}
    lines = []
    for row in ART21_ROWS:
        if row.how == "absent":
            lines.append(Art21Line(row, None))
        elif row.how == "stock":
            lines.append(Art21Line(row, _pick(after[row.indicator], row.row)))
        else:
            lines.append(
                Art21Line(
                    row, _minus(_pick(after[row.indicator], row.row), _pick(before[row.indicator], row.row))
                )
            )
    return Art21Report(org, year, end, lines)


def _org_for(request: HttpRequest) -> tuple[Organization | None, list[Organization]]:
    """The organisation asked for and the choices of the picker. A TTO reads its own
    organisation only; operators any university or research institute; others are refused."""
    user = request.user
    raw = request.GET.get("org", "")[:12]
    if policies.is_platform_wide(user):
        choices = list(Organization.objects.filter(kind=OrgKindChoices.UNIVERSITY).order_by("name"))
        if not raw:
            return None, choices
        if not raw.isdigit():
            raise PermissionDenied("机构编号无效")
        return get_object_or_404(Organization, pk=int(raw), kind=OrgKindChoices.UNIVERSITY), choices
    member = policies.membership_of(user)
    if member is None or policies.role_of(user) != RoleChoices.TTO:
        raise PermissionDenied("科技成果转化年度报告数据仅向本单位技术转移办公室和运营人员开放")
    if member.org.kind != OrgKindChoices.UNIVERSITY:
        raise PermissionDenied("科技成果转化年度报告适用于高校和科研院所")
    if raw and raw != str(member.org_id):
        raise PermissionDenied("只能查看本单位的科技成果转化年度报告数据")
    return member.org, [member.org]


@login_required
def art21_page(request: HttpRequest) -> HttpResponse:
    """``/stats/art21/?org=<id>&year=2025``; operators first pick the organisation."""
    org, choices = _org_for(request)
    today = timezone.localdate()
    year, error = parse_year(request.GET.get("year", ""), today)
    report = build_art21(org, year, today) if org is not None else None
    return render(
        request,
        "analytics/art21.html",
        {
            "report": report,
            "org": org,
            "choices": choices,
            "year": year,
            "years": list(range(today.year, max(today.year - 10, 1985) - 1, -1)),
            "error": error,
            "source": ART21_SOURCE,
        },
    )


@login_required
def art21_export(request: HttpRequest) -> HttpResponse:
    """The same rows as XLSX: 年度数据 (id, item, value, unit, definition, source) and 说明."""
    org, _ = _org_for(request)
    if org is None:
        raise PermissionDenied("请先选择单位")
    today = timezone.localdate()
    year, error = parse_year(request.GET.get("year", ""), today)
    if error:
        raise PermissionDenied(error)
    report = build_art21(org, year, today)
    rows: list[list[Any]] = [
        [
            line.row.id,
            line.row.name,
            NOT_RECORDED if line.row.how == "absent" else number_json(line.value),
            line.row.unit,
            line.row.definition,
            line.row.source,
        ]
        for line in report.lines
    ]
    facts: list[list[Any]] = [
        ["单位", org.name],
        ["年度", report.period],
        ["统计截止日", report.end],
        ["口径", "平台口径：由平台记录计算，平台以外办理的转化（转让、作价投资等）未计入"],
        ["依据", ART21_SOURCE],
    ]
    body = xlsx_sheets(
        [
            ("年度数据", ["编号", "项目", "数值", "单位", "定义", "来源"], rows, [10, 28, 14, 6, 50, 50]),
            ("说明", ["项目", "内容"], facts, [14, 80]),
        ]
    )
    response = HttpResponse(body, content_type=_XLSX)
    response["Content-Disposition"] = f'attachment; filename="art21-{org.pk}-{year}.xlsx"'
    return response
