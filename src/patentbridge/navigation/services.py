"""Navigation services: projects, report generation (background, with progress), findings, the
publish rule and refresh. Every state change checks the actor's action and organisation and writes
an AuditEvent in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.accounts.regions import officer_prefix
from patentbridge.core import audit
from patentbridge.core.restrict import restrict
from patentbridge.navigation.choices import ActionKindChoices, KindChoices, ReportStateChoices
from patentbridge.navigation.freeze import ScopeError, freeze, resolve_scope
from patentbridge.navigation.models import NavigationFinding, NavigationProject, NavigationReport
from patentbridge_engine.navigation import build_sections, load_snapshot

__all__ = [
    "add_finding",
    "create_project",
    "delete_finding",
    "publish",
    "request_report",
    "run_report",
    "verify",
]

MAX_FINDINGS = 50
EARLIEST_YEAR = 1985


def _org(actor: Any) -> Any:
    member = policies.membership_of(actor)
    return None if member is None else member.org


def _text(value: Any, name: str, limit: int, label: str, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({name: f"请填写{label}"})
    if len(text) > limit:
        raise ValidationError({name: f"{label}最多 {limit} 个字符"})
    return text


def _year(value: Any, name: str, label: str, today: dt.date) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit() or not EARLIEST_YEAR <= int(text[:5]) <= today.year:
        raise ValidationError({name: f"{label}应为 {EARLIEST_YEAR}–{today.year} 之间的年份"})
    return int(text)


def require_builder(actor: Any, project: NavigationProject) -> None:
    """The owner organisation's TTO or a platform role."""
    policies.require(actor, "navigation.build")
    if not restrict(NavigationProject.objects.filter(pk=project.pk), actor, "change").exists():
        raise PermissionDenied("只能处理本单位承担的导航项目")


@transaction.atomic
def create_project(actor: Any, data: dict[str, Any], *, today: dt.date | None = None) -> NavigationProject:
    """A new project. A TTO may only navigate its own organisation as applicant (企业经营类 scope =
    its own name); operators any type and scope. The scope must name something the library knows."""
    policies.require(actor, "navigation.build")
    today = today or timezone.localdate()
    org = _org(actor)
    role = policies.role_of(actor)
    kind = str(data.get("kind") or "")
    if kind not in KindChoices.values:
        raise ValidationError({"kind": "请选择导航类型"})
    scope = _text(data.get("scope"), "scope", 200, "导航范围", required=True)
    if role == RoleChoices.TTO and (kind != KindChoices.APPLICANT or org is None or scope != org.name):
        raise PermissionDenied("技术转移机构只能对本单位（作为申请人）开展导航")
    if org is None:
        raise PermissionDenied("账号未归属任何机构，不能承担导航项目")
    region = _text(data.get("region"), "region", 6, "地区代码")
    ipc = _text(data.get("ipc_prefix"), "ipc_prefix", 16, "IPC 限定")
    try:
        spec = resolve_scope(kind, scope, region=region, ipc_prefix=ipc)
    except ScopeError as exc:
        raise ValidationError({"scope": str(exc)}) from None
    year_from = _year(data.get("year_from"), "year_from", "起始申请年", today)
    year_to = _year(data.get("year_to"), "year_to", "截止申请年", today)
    if year_from and year_to and year_from > year_to:
        raise ValidationError({"year_to": "截止申请年不能早于起始申请年"})
    project = NavigationProject.objects.create(
        title=_text(data.get("title"), "title", 200, "项目名称") or f"{spec.title}专利导航",
        kind=kind,
        scope=scope,
        region=spec.region,
        ipc_prefix=ipc,
        year_from=year_from,
        year_to=year_to,
        need=_text(data.get("need"), "need", 2000, "导航需求"),
        owner_org=org,
        created_by=actor if getattr(actor, "pk", None) else None,
        is_demo=bool(data.get("is_demo")),
    )
    audit.record(
        "navigation.project.created",
        actor=actor,
        target=project,
        data={"kind": kind, "scope": scope, "region": spec.region, "ipc": ipc, "years": [year_from, year_to]},
    )
    return project


@transaction.atomic
def request_report(
    actor: Any, project: NavigationProject, *, as_of: dt.date | None = None
) -> NavigationReport:
    """A new version (generating) and its background task; a refresh is just the next version,
    compared with the latest finished one. Earlier versions are never touched."""
    require_builder(actor, project)
    project = NavigationProject.objects.select_for_update().get(pk=project.pk)
    today = timezone.localdate()
    as_of = as_of or today
    if as_of > today:
        raise ValidationError({"as_of": f"数据截止日不能晚于今天（{today.isoformat()}）"})
    if project.reports.filter(state=ReportStateChoices.GENERATING).exists():
        raise ValidationError({"state": "该项目已有版本正在生成，请等待完成"})
    latest = project.reports.aggregate(v=Max("version"))["v"] or 0
    previous = (
        project.reports.filter(state__in=(ReportStateChoices.DRAFT, ReportStateChoices.PUBLISHED))
        .order_by("-version")
        .first()
    )
    report = NavigationReport.objects.create(
        project=project,
        version=latest + 1,
        as_of=as_of,
        previous=previous,
        created_by=actor if getattr(actor, "pk", None) else None,
        progress_note="排队等待",
    )
    audit.record(
        "navigation.report.requested",
        actor=actor,
        target=report,
        data={
            "version": report.version,
            "as_of": as_of.isoformat(),
            "previous": previous.version if previous else None,
        },
    )
    from patentbridge.navigation.tasks import generate_report

    transaction.on_commit(lambda: generate_report.enqueue(report.pk))
    return report


def _progress(report_id: int) -> Any:
    def note(percent: int, text: str) -> None:
        NavigationReport.objects.filter(pk=report_id).update(progress=percent, progress_note=text[:100])

    return note


def run_report(report_id: int) -> NavigationReport:
    """The task body: freeze, compute, store, draft the automatic findings. A scope that no longer
    resolves (a deleted chain) fails the version with the Chinese reason instead of raising."""
    report = NavigationReport.objects.select_related("project").get(pk=report_id)
    if report.state != ReportStateChoices.GENERATING:
        return report
    project = report.project
    note = _progress(report_id)
    try:
        # A region project's ``region`` is its own scope (kept for the officers' access rule),
        # not a second narrowing.
        narrowing = "" if project.kind in (KindChoices.REGION, KindChoices.TALENT) else project.region
        spec = resolve_scope(project.kind, project.scope, region=narrowing, ipc_prefix=project.ipc_prefix)
        snap = freeze(spec, report.as_of, year_from=project.year_from, year_to=project.year_to, progress=note)
    except ScopeError as exc:
        return _fail(report, str(exc))
    except Exception:
        # The version must not stay "generating" for ever: fail it with a Chinese reason and
        # leave the traceback to the task log.
        _fail(report, "生成时出现内部错误，请联系运营人员")
        raise
    note(70, "计算报告各章节")
    sections = build_sections(snap)
    note(90, "保存版本")
    with transaction.atomic():
        report = NavigationReport.objects.select_for_update().get(pk=report_id)
        report.snapshot = snap.compressed()
        report.snapshot_sha256 = snap.sha256()
        report.row_count = snap.total
        report.sections = {**sections, "meta": dict(snap.meta)}
        report.key_numbers = sections["key_numbers"]
        report.state = ReportStateChoices.DRAFT
        report.progress, report.progress_note = 100, "已完成"
        report.save()
        NavigationFinding.objects.bulk_create(
            NavigationFinding(
                report=report,
                position=i,
                text=f["text"],
                action_kind=f["action_kind"],
                action=f["action"],
                section=f["section"],
                automatic=True,
            )
            for i, f in enumerate(sections["findings"])
        )
        audit.record(
            "navigation.report.generated",
            actor=None,
            target=report,
            org=project.owner_org,
            data={
                "sha256": report.snapshot_sha256,
                "patents": report.row_count,
                "findings": len(sections["findings"]),
            },
        )
    return report


def _fail(report: NavigationReport, reason: str) -> NavigationReport:
    with transaction.atomic():
        NavigationReport.objects.filter(pk=report.pk).update(
            state=ReportStateChoices.FAILED, error=reason[:300], progress_note="生成失败"
        )
        audit.record(
            "navigation.report.failed",
            actor=None,
            target=report,
            org=report.project.owner_org,
            data={"error": reason},
        )
    report.refresh_from_db()
    return report


def verify(report: NavigationReport) -> bool:
    """Whether the stored snapshot still hashes to its sha256 and recomputes to the stored sections
    (an aggregate snapshot, or the rows of a version stored before the aggregate freeze)."""
    if not report.snapshot:
        return False
    snap = load_snapshot(bytes(report.snapshot))
    if snap.sha256() != report.snapshot_sha256:
        return False
    again = build_sections(snap)
    stored = {k: v for k, v in report.sections.items() if k != "meta"}
    return bool(_jsonable(again) == stored)


def _jsonable(value: Any) -> Any:
    """Sections as JSON would store them (tuples become lists)."""
    import json

    return json.loads(json.dumps(value, ensure_ascii=False))


def _draft(actor: Any, report: NavigationReport) -> NavigationReport:
    require_builder(actor, report.project)
    report = NavigationReport.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportStateChoices.DRAFT:
        raise ValidationError({"state": f"该版本为「{report.get_state_display()}」，不能修改结论"})
    return report


@transaction.atomic
def add_finding(actor: Any, report: NavigationReport, data: dict[str, Any]) -> NavigationFinding:
    """A written finding on a draft version, with its action (an action kind needs an action text
    and the other way round)."""
    report = _draft(actor, report)
    text = _text(data.get("text"), "text", 1000, "结论", required=True)
    kind = str(data.get("action_kind") or "")
    if kind and kind not in ActionKindChoices.values:
        raise ValidationError({"action_kind": "对策类型无效"})
    action = _text(data.get("action"), "action", 1000, "对策")
    if bool(kind) != bool(action):
        raise ValidationError({"action": "对策类型和对策内容需同时填写"})
    if report.findings.count() >= MAX_FINDINGS:
        raise ValidationError({"text": f"每个版本最多 {MAX_FINDINGS} 条结论"})
    position = (report.findings.aggregate(p=Max("position"))["p"] or 0) + 1
    finding = NavigationFinding.objects.create(
        report=report, position=position, text=text, action_kind=kind, action=action
    )
    audit.record(
        "navigation.finding.added",
        actor=actor,
        target=report,
        data={"text": text, "action_kind": kind, "action": action},
    )
    return finding


@transaction.atomic
def delete_finding(actor: Any, finding: NavigationFinding) -> None:
    """Remove a finding from a draft version."""
    report = _draft(actor, finding.report)
    audit.record(
        "navigation.finding.deleted",
        actor=actor,
        target=report,
        data={"text": finding.text, "action": finding.action, "automatic": finding.automatic},
    )
    finding.delete()


@transaction.atomic
def publish(actor: Any, report: NavigationReport) -> NavigationReport:
    """Draft → published. Refused without at least one finding tied to an action (guide §6.d: no
    "假导航"). Publication never edits the data: the version stays as generated."""
    policies.require(actor, "navigation.publish")
    report = _draft(actor, report)
    if not any(f.has_action for f in report.findings.all()):
        raise ValidationError({"findings": "发布前至少需要一条附有对策的结论（避免“假导航”）"})
    report.state = ReportStateChoices.PUBLISHED
    report.published_at = timezone.now()
    report.save(update_fields=["state", "published_at"])
    audit.record(
        "navigation.report.published",
        actor=actor,
        target=report,
        data={"version": report.version, "sha256": report.snapshot_sha256},
    )
    return report


def officer_may_read(user: Any, project: NavigationProject) -> bool:
    """For pages that show a project's header: an officer's region covers the project's."""
    prefix = officer_prefix(user)
    return prefix is None or (bool(prefix) and project.region.startswith(prefix))
