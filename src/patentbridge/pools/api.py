"""REST API of 专利池, with the pages' permissions: ``GET/POST /api/pools``, ``GET /api/pools/{id}``,
``POST /api/pools/{id}/applications`` (apply), ``POST /api/pools/{id}/applications/{app}/review``,
``POST /api/pools/{id}/licences`` (outbound licence), ``GET/POST /api/pools/{id}/licence-requests``
(an enterprise asks for the outbound licence; the agency lists them) and
``POST /api/pools/{id}/licence-requests/{req}/decision`` (grant / decline / withdraw), ``POST
/api/pools/{id}/distributions`` and ``GET /api/pools/distributions/{id}``. ``GET /api/pools`` is
paged (``page``, ``page_size`` ≤ 100). Refusals are Chinese (403/404/422 by the API's handlers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from patentbridge.accounts import policies
from patentbridge.accounts.models import Organization
from patentbridge.core.restrict import restrict
from patentbridge.patents.models import IndustryChain, Patent
from patentbridge.pools import queries
from patentbridge.pools.api_input import body, date_field, flag, page_params, text
from patentbridge.pools.models import MemberApplication, Pool, PoolDistribution, PoolLicenceRequest
from patentbridge.pools.services import applications, distributions, licences, pools, requests
from patentbridge.pools.services.common import get_visible

__all__ = ["router"]

router = Router(tags=["专利池"])
_CHARTER_KEYS = pools.CHARTER_FIELDS
MAX_PAGE_SIZE = 100


def _pool_out(pool: Pool) -> dict[str, Any]:
    return {
        "id": pool.pk,
        "name": pool.name,
        "chain": pool.chain.code if pool.chain else "",
        "chain_name": pool.chain.name if pool.chain else "",
        "agency": pool.agency_org.name,
        "region_code": pool.region_code,
        "state": pool.state,
        "state_label": pool.get_state_display(),
        "is_demo": pool.is_demo,
    }


def _detail(pool: Pool, user: Any) -> dict[str, Any]:
    ctx = queries.pool_context(user, pool, timezone.localdate())
    out = _pool_out(pool)
    out["criteria"] = {
        "ipc_prefixes": list(pool.ipc_prefixes),
        "keywords": list(pool.keywords),
        "min_grade": pool.min_grade,
        "essential_required": pool.essential_required,
    }
    out["tariff"] = {"schedule": pool.tariff, "text": ctx["tariff"], "years": pool.tariff_years}
    out["sharing_rule"] = {"code": pool.sharing_rule, "label": pool.get_sharing_rule_display()}
    out["mgmt_fee_rate"] = str(pool.mgmt_fee_rate)
    out["members"] = [
        {"org": m.org.name, "role": m.get_role_display(), "joined_on": m.joined_on, "left_on": m.left_on}
        for m in ctx["members"]
    ]
    out["patents"] = [
        {
            "application_number": e.patent.application_number,
            "title": e.patent.title,
            "member": e.member.org.name,
            "category": e.get_category_display(),
            "status": e.status,
            "status_label": e.get_status_display(),
            "status_since": e.status_since,
            "reason": e.status_reason,
            "non_exclusive_only": e.non_exclusive_only,
            "history": [
                {"on": c.on_date, "status": c.to_status, "source": c.get_source_display(), "reason": c.reason}
                for c in e.changes.all()
            ],
        }
        for e in ctx["entries"]
    ]
    out["applications"] = [_application_out(a) for a in ctx["applications"]]
    out["licences"] = [
        {
            "contract": lic.contract.contract_no,
            "licensee": lic.contract.licensee_org.name,
            "state": lic.contract.state,
        }
        for lic in ctx["licences"]
    ]
    out["licence_requests"] = [_request_out(r) for r in ctx["licence_requests"]]
    out["may_request_licence"] = ctx["may_request"]
    out["distributions"] = [
        {"id": d.pk, "period_start": d.period_start, "period_end": d.period_end, "gross": str(d.gross)}
        for d in ctx["distributions"]
    ]
    return out


def _application_out(a: MemberApplication) -> dict[str, Any]:
    return {
        "id": a.pk,
        "patent": a.patent.application_number,
        "org": a.org.name,
        "state": a.state,
        "state_label": a.get_state_display(),
        "submitted_on": a.submitted_on,
        "blocks": list(a.auto_check.get("blocks", [])),
        "notes": list(a.auto_check.get("notes", [])),
        "review_opinion": a.review_opinion,
    }


def _request_out(r: PoolLicenceRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "pool": r.pool_id,
        "enterprise": r.org.name,
        "requested_on": r.requested_on,
        "start": r.start_date,
        "intended_use": r.intended_use,
        "state": r.state,
        "state_label": r.get_state_display(),
        "decided_on": r.decided_on,
        "decline_reason": r.decline_reason,
        "contract": r.licence.contract.contract_no if r.licence_id and r.licence else "",
    }


def _distribution_out(d: PoolDistribution) -> dict[str, Any]:
    return {
        "id": d.pk,
        "pool": d.pool_id,
        "period_start": d.period_start,
        "period_end": d.period_end,
        "gross": str(d.gross),
        "mgmt_fee_rate": str(d.mgmt_fee_rate),
        "mgmt_fee": str(d.mgmt_fee),
        "distributable": str(d.distributable),
        "sharing_rule": d.get_sharing_rule_display(),
        "lines": [
            {
                "org": line.org.name,
                "patents": line.patents,
                "weight": str(line.weight),
                "amount": str(line.amount),
            }
            for line in d.lines.select_related("org")
        ],
    }


@router.get("/pools", summary="专利池列表（按角色与辖区）")
def list_pools(request: HttpRequest, page: str = "1", page_size: str = "20") -> dict[str, Any]:
    policies.require(request.user, "pools.view")
    number, size = page_params(page, page_size, max_size=MAX_PAGE_SIZE)
    qs = queries.pools_for(request.user)
    rows = list(qs[(number - 1) * size : number * size])
    return {
        "count": qs.count(),
        "page": number,
        "page_size": size,
        "results": [_pool_out(p) for p in rows],
    }


@router.post("/pools", response={201: dict[str, Any]}, summary="设立专利池（运营管理机构或运营人员）")
def create_pool(request: HttpRequest) -> Status[dict[str, Any]]:
    policies.require(request.user, "pools.manage")
    data = body(request.body)
    chain = None
    code = text(data, "chain", "产业链代码", 20)
    if code:
        chain = IndustryChain.objects.filter(code=code).first()
        if chain is None:
            raise ValidationError({"chain": "产业链代码不存在"})
    agency = None
    if data.get("agency_org") not in (None, ""):
        agency = Organization.objects.filter(pk=_pk(data["agency_org"], "agency_org", "运营管理机构")).first()
        if agency is None:
            raise ValidationError({"agency_org": "运营管理机构不存在"})
    charter = {k: data[k] for k in _CHARTER_KEYS if k in data}
    today = timezone.localdate()
    opening = flag(data, "open", "是否开始运营")
    # Creating and opening is one request: a pool that cannot open is not left half made.
    with transaction.atomic():
        pool = pools.create_pool(
            request.user,
            name=text(data, "name", "专利池名称", 200, required=True),
            chain=chain,
            agency_org=agency,
            technical_field=text(data, "technical_field", "技术领域", 200),
            founded_on=today,
            **charter,
        )
        if opening:
            pool = pools.open_pool(request.user, pool, on=today)
    return Status(201, _detail(pool, request.user))


def _pk(value: Any, field: str, label: str) -> int:
    try:
        key = int(str(value)[:20])
    except ValueError:
        raise ValidationError({field: f"{label}编号不正确"}) from None
    if not 0 < key < 2**62:
        raise ValidationError({field: f"{label}编号不正确"})
    return key


@router.get("/pools/distributions/{dist_id}", summary="收益分配单")
def distribution_detail(request: HttpRequest, dist_id: str) -> dict[str, Any]:
    policies.require(request.user, "pools.view")
    return _distribution_out(queries.get_distribution(request.user, dist_id))


@router.get("/pools/{pool_id}", summary="专利池详情：章程、目录与状态历史、成员、申请、许可、分配")
def pool_detail(request: HttpRequest, pool_id: str) -> dict[str, Any]:
    policies.require(request.user, "pools.view")
    return _detail(queries.get_pool(request.user, pool_id), request.user)


@router.post(
    "/pools/{pool_id}/applications", response={201: dict[str, Any]}, summary="申请入池（本机构专利）"
)
def apply(request: HttpRequest, pool_id: str) -> Status[dict[str, Any]]:
    policies.require(request.user, "pools.apply")
    pool = queries.get_pool(request.user, pool_id)
    data = body(request.body)
    number = text(data, "patent", "申请号", 30, required=True)
    patent = restrict(Patent.objects.filter(application_number=number), request.user, "view").first()
    if patent is None:
        raise ValidationError({"patent": f"未找到专利 {number}"})
    essential = data.get("essential")
    if essential is not None and not isinstance(essential, bool):
        raise ValidationError({"essential": "必要专利声明应为 true、false 或不填"})
    app = applications.submit_application(
        request.user,
        pool,
        patent,
        on=timezone.localdate(),
        category=text(data, "category", "专利类别", 10) or "general",
        essential=essential,
        coowner_consent=flag(data, "coowner_consent", "共有人同意"),
        note=text(data, "note", "说明", 500),
    )
    return Status(201, _application_out(app))


@router.post("/pools/{pool_id}/applications/{app_id}/review", summary="审核入池申请（admit / reject）")
def review(request: HttpRequest, pool_id: str, app_id: str) -> dict[str, Any]:
    policies.require(request.user, "pools.manage")
    pool = queries.get_pool(request.user, pool_id)
    app = get_visible(
        MemberApplication.objects.filter(pool=pool).select_related("pool"), request.user, app_id, "change"
    )
    data = body(request.body)
    decision = text(data, "decision", "审核结论", 10, required=True)
    today = timezone.localdate()
    opinion = text(data, "opinion", "审查意见", 500)
    if decision == "admit":
        applications.admit(
            request.user,
            app,
            on=today,
            method=text(data, "method", "审查方式", 14) or "internal",
            opinion=opinion,
        )
    elif decision == "reject":
        applications.reject(request.user, app, on=today, opinion=opinion)
    else:
        raise ValidationError({"decision": "审核结论应为 admit（批准入池）或 reject（不予入池）"})
    app.refresh_from_db()
    return _application_out(app)


@router.post(
    "/pools/{pool_id}/licences", response={201: dict[str, Any]}, summary="池外统一许可（按统一许可费签订）"
)
def grant_licence(request: HttpRequest, pool_id: str) -> Status[dict[str, Any]]:
    policies.require(request.user, "pools.manage")
    pool = queries.get_pool(request.user, pool_id)
    data = body(request.body)
    licensee = Organization.objects.filter(
        pk=_pk(data.get("licensee"), "licensee", "被许可企业"), kind="enterprise"
    ).first()
    if licensee is None:
        raise ValidationError({"licensee": "被许可企业不存在"})
    today = timezone.localdate()
    lic = licences.grant_outbound(
        request.user, pool, licensee, start=date_field(data, "start", "许可开始日", today), on=today
    )
    return Status(
        201,
        {
            "contract": lic.contract.contract_no,
            "contract_id": lic.contract_id,
            "state": lic.contract.state,
            "patents": list(lic.contract.patents.values_list("application_number", flat=True)),
        },
    )


@router.get("/pools/{pool_id}/licence-requests", summary="池外许可申请（企业看本单位的，运营管理机构看全部）")
def list_requests(request: HttpRequest, pool_id: str) -> dict[str, Any]:
    policies.require(request.user, "pools.view")
    pool = queries.get_pool(request.user, pool_id)
    rows = list(
        restrict(PoolLicenceRequest.objects.filter(pool=pool), request.user, "view")
        .select_related("org", "licence__contract")
        .order_by("-requested_on", "-pk")[:500]
    )
    return {"count": len(rows), "results": [_request_out(r) for r in rows]}


@router.post(
    "/pools/{pool_id}/licence-requests", response={201: dict[str, Any]}, summary="企业申请池外统一许可"
)
def request_licence(request: HttpRequest, pool_id: str) -> Status[dict[str, Any]]:
    policies.require(request.user, "pools.request_licence")
    pool = queries.get_pool(request.user, pool_id)
    data = body(request.body)
    today = timezone.localdate()
    req = requests.request_licence(
        request.user,
        pool,
        on=today,
        intended_use=text(data, "intended_use", "拟实施用途", 300, required=True),
        start=date_field(data, "start", "希望许可开始日", today),
    )
    return Status(201, _request_out(req))


@router.post(
    "/pools/{pool_id}/licence-requests/{req_id}/decision",
    summary="处理池外许可申请（运营管理机构 grant / decline，申请企业 withdraw）",
)
def decide_request(request: HttpRequest, pool_id: str, req_id: str) -> dict[str, Any]:
    policies.require(request.user, "pools.view")
    pool = queries.get_pool(request.user, pool_id)
    data = body(request.body)
    decision = text(data, "decision", "处理结论", 10, required=True)
    if decision not in ("grant", "decline", "withdraw"):
        raise ValidationError(
            {"decision": "处理结论应为 grant（同意并签订）、decline（不予许可）或 withdraw（撤回）"}
        )
    action = "withdraw" if decision == "withdraw" else "change"
    req = get_visible(
        PoolLicenceRequest.objects.filter(pool=pool).select_related("pool", "org"),
        request.user,
        req_id,
        action,
    )
    today = timezone.localdate()
    if decision == "grant":
        raw_start = text(data, "start", "许可开始日", 10)
        start = date_field(data, "start", "许可开始日", today) if raw_start else None
        req = requests.grant_request(request.user, req, on=today, start=start)
    elif decision == "decline":
        req = requests.decline_request(request.user, req, on=today, reason=text(data, "reason", "理由", 500))
    else:
        req = requests.withdraw_request(request.user, req, on=today)
    return _request_out(req)


@router.post("/pools/{pool_id}/distributions", response={201: dict[str, Any]}, summary="生成收益分配单")
def distribute(request: HttpRequest, pool_id: str) -> Status[dict[str, Any]]:
    policies.require(request.user, "pools.manage")
    pool = queries.get_pool(request.user, pool_id)
    data = body(request.body)
    today = timezone.localdate()
    start = date_field(data, "start", "期间开始日", dt.date(today.year, 1, 1))
    end = date_field(data, "end", "期间结束日", today)
    dist = distributions.compute_distribution(request.user, pool, start=start, end=end, on=today)
    return Status(201, _distribution_out(dist))


@router.post("/pools/{pool_id}/charter", summary="修改章程、池外许可费和约定分配比例（运营管理机构）")
def change_charter(request: HttpRequest, pool_id: str) -> dict[str, Any]:
    policies.require(request.user, "pools.manage")
    pool = queries.get_pool(request.user, pool_id)
    data = body(request.body)
    shares = data.get("shares")
    if shares is not None and not isinstance(shares, dict):
        raise ValidationError({"shares": "约定比例应为 {成员机构编号: 比例} 的对象"})
    with transaction.atomic():
        pool = pools.set_charter(request.user, pool, **{k: data[k] for k in _CHARTER_KEYS if k in data})
        if shares:
            pools.set_agreed_shares(
                request.user, pool, {_pk(k, "shares", "成员机构"): v for k, v in shares.items()}
            )
    pool.refresh_from_db()
    return _detail(pool, request.user)
