"""REST API of 专利导航, with the pages' permissions. ``GET /api/navigation`` (versions the user
may see), ``GET /api/navigation/{id}`` (one version as JSON, with its sections and findings),
``POST /api/navigation`` (new project; its first version is generated in the background — poll
the returned id until ``state`` is no longer ``generating``), ``POST /api/navigation/{id}/refresh``
(a new version of the same project) and ``POST /api/navigation/{id}/publish``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from patentbridge.accounts import policies
from patentbridge.core.jsonbody import json_object
from patentbridge.core.restrict import restrict
from patentbridge.navigation import services
from patentbridge.navigation.choices import ReportStateChoices
from patentbridge.navigation.exports import report_data, report_json
from patentbridge.navigation.models import NavigationReport

__all__ = ["router"]

router = Router(tags=["专利导航"])
MAX_BODY = 20_000
MAX_PK = 2**62
_FIELDS = ("kind", "scope", "title", "region", "ipc_prefix", "year_from", "year_to", "need")


class ProjectIn(Schema):
    """A new navigation project (the documented body; the route reads it with Chinese refusals)."""

    kind: str = Field(..., description="chain、region、applicant、rnd 或 talent")
    scope: str = Field(
        ..., max_length=200, description="产业链代码、地区代码、申请人名称或 IPC；all 表示全库"
    )
    title: str = Field("", max_length=200)
    region: str = Field("", max_length=6)
    ipc_prefix: str = Field("", max_length=16)
    year_from: int | None = None
    year_to: int | None = None
    need: str = Field("", max_length=2000)


def _summary(r: NavigationReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "project_id": r.project_id,
        "title": r.project.title,
        "kind": r.project.kind,
        "kind_label": r.project.get_kind_display(),
        "scope": r.project.scope,
        "version": r.version,
        "as_of": r.as_of.isoformat(),
        "state": r.state,
        "state_label": r.get_state_display(),
        "progress": r.progress,
        "progress_note": r.progress_note,
        "error": r.error,
        "patents": r.row_count,
        "snapshot_sha256": r.snapshot_sha256,
        "previous_id": r.previous_id,
    }


def _get(request: HttpRequest, report_id: str) -> NavigationReport:
    policies.require(request.user, "navigation.view")
    text = str(report_id).strip()[:25]
    pk = int(text) if text.isdigit() else 0
    if not 0 < pk < MAX_PK:
        raise Http404("导航报告不存在")
    qs = restrict(NavigationReport.objects.select_related("project", "project__owner_org"), request.user)
    report = qs.filter(pk=pk).first()
    if report is None:
        raise Http404("导航报告不存在或无权查看")
    return report


def _detail(report: NavigationReport) -> dict[str, Any]:
    out = _summary(report)
    if report.state in (ReportStateChoices.DRAFT, ReportStateChoices.PUBLISHED):
        out["report"] = report_json(report_data(report))
    return out


@router.get("/navigation", summary="专利导航报告列表（按角色可见的版本）")
def list_reports(request: HttpRequest) -> dict[str, Any]:
    policies.require(request.user, "navigation.view")
    qs = restrict(NavigationReport.objects.select_related("project"), request.user).order_by(
        "-created_at", "-id"
    )
    rows = [_summary(r) for r in qs[:200]]
    return {"count": len(rows), "results": rows}


@router.get("/navigation/{report_id}", summary="单个导航报告版本（含各章节数据、结论与对策）")
def report_detail(request: HttpRequest, report_id: str) -> dict[str, Any]:
    return _detail(_get(request, report_id))


def _body(raw: bytes) -> dict[str, Any]:
    data = json_object(raw, max_bytes=MAX_BODY)
    out: dict[str, Any] = {}
    for name in _FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError({name: "应为文本或整数"})
        out[name] = str(value)[:2001]
    return out


@router.post(
    "/navigation",
    response={202: dict},
    summary="新建导航项目并在后台生成第 1 版",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ProjectIn.model_json_schema()}},
        }
    },
)
def create(request: HttpRequest) -> Status[dict[str, Any]]:
    policies.require(request.user, "navigation.build")
    project = services.create_project(request.user, _body(request.body))
    report = services.request_report(request.user, project)
    return Status(202, _summary(report))


@router.post("/navigation/{report_id}/refresh", response={202: dict}, summary="刷新：按今日数据生成新版本")
def refresh(request: HttpRequest, report_id: str) -> Status[dict[str, Any]]:
    report = _get(request, report_id)
    return Status(202, _summary(services.request_report(request.user, report.project)))


@router.post("/navigation/{report_id}/publish", summary="发布（须至少一条附有对策的结论）")
def publish(request: HttpRequest, report_id: str) -> dict[str, Any]:
    report = _get(request, report_id)
    return _detail(services.publish(request.user, report))
