"""REST routes of directed licences, with the same permissions as the pages:

* ``GET /licences`` — contracts the caller may see, with the pipeline board's filters (university,
  county, chain, state, q), paginated; an invalid filter answers 400 with the reason;
* ``POST /licences`` — two callers, two results (``kind`` in the answer):
  an **enterprise** applies under a published offer (``offer_id``, ``requested_mode``, optional
  ``patents`` — default the whole package — and ``intended_use``) → an application; a **TTO or
  operator** drafts a contract (``licensee_org_id``, ``patents`` = application numbers of the
  licensor's in-library patents, ``kind``, ``start``, ``end``, ``trial_months``, ``fee_schedule``,
  ``price_method`` …; an operator also names ``licensor_org_id``) → a DRAFT contract;
* ``GET /licences/{id}`` — the contract with state label, rule findings, filing, timeline and the
  caller's allowed actions;
* ``POST /licences/{id}/actions/{event}`` — run a transition; a rule's refusal answers 422 with its
  code and Chinese reason (``LicensingRefused``);
* ``GET /licence-applications/{id}`` and ``POST /licence-applications/{id}/{decision}`` (accept,
  reject, withdraw, confirm-region) — the application side of the flow.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError

from patentbridge.accounts import policies
from patentbridge.accounts.models import Organization
from patentbridge.core.ids import MAX_PK
from patentbridge.core.restrict import restrict
from patentbridge.licensing.api import licences_io as io
from patentbridge.licensing.api.schemas_licences import (
    ActionIn,
    ApplicationOut,
    CreatedOut,
    DecisionIn,
    LicenceCreateIn,
    LicenceDetailOut,
    LicenceListOut,
)
from patentbridge.licensing.models import ContractPatent, LicenceApplication, LicenceContract, LicenceOffer
from patentbridge.licensing.services import applications as app_services
from patentbridge.licensing.services import contracts, offers
from patentbridge.licensing.services.contract_actions import ACTION_EVENTS, ActionInput, run_action
from patentbridge.licensing.services.deal_filter import DEAL_FILTER_PARAMS, DealFilter, deal_filter_problems
from patentbridge.patents.filters import page_number

__all__ = ["router"]

router = Router(tags=["许可"])
MAX_PAGE_SIZE = 100
_RELATED = ("licensor_org", "licensee_org", "offer", "application", "public_notice")


def _key(pk: int) -> int:
    if not 0 < pk < MAX_PK:
        raise Http404
    return pk


def _contracts(request: HttpRequest) -> QuerySet[LicenceContract]:
    return restrict(LicenceContract.objects.select_related(*_RELATED), request.user).prefetch_related(
        # The scope rows with their patents: each patent says whether it left the scope.
        Prefetch("scope", queryset=ContractPatent.objects.select_related("patent")),
        "filings",
    )


def _contract(request: HttpRequest, pk: int) -> LicenceContract:
    policies.require(request.user, "licensing.view")
    found = _contracts(request).filter(pk=_key(pk)).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/licences",
    response=LicenceListOut,
    summary="许可合同列表（与交易看板相同的筛选参数）",
    description="筛选参数：" + "、".join(f"{k}（{v}）" for k, v in DEAL_FILTER_PARAMS.items()),
)
def list_licences(request: HttpRequest, page: int = 1, page_size: int = 20) -> dict[str, Any]:
    policies.require(request.user, "licensing.view")
    problems = deal_filter_problems(request.GET)
    if problems:
        raise HttpError(400, "；".join(problems.values()))
    flt = DealFilter.from_mapping(request.GET)
    qs = flt.contracts(_contracts(request)).order_by("-created_at", "-pk")
    paginator = Paginator(qs, max(1, min(page_size, MAX_PAGE_SIZE)))
    current = paginator.get_page(page_number(page))
    today = timezone.localdate()
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": paginator.per_page,
        "results": [io.licence_row(c, as_of=today) for c in current.object_list],
    }


def _apply(request: HttpRequest, payload: LicenceCreateIn) -> dict[str, Any]:
    offer_id = io.as_int(payload.offer_id, "offer_id", "许可项目编号", low=1, high=MAX_PK)
    if offer_id is None:
        raise ValidationError({"offer_id": "企业申请须填写 offer_id（许可项目编号）"})
    offer = restrict(LicenceOffer.objects.all(), request.user).filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    mode = io.as_text(payload.requested_mode, "requested_mode", "申请方式", 20) or "trial_then_paid"
    package = list(offer.patents.all())
    patents = package
    if payload.patents is not None:
        wanted = set(io.numbers_list(payload.patents))
        patents = [p for p in package if p.application_number in wanted]
        if len(patents) != len(wanted):
            raise ValidationError({"patents": "所列专利须都在该许可项目中（按申请号，如 202310123456.6）"})
    application = app_services.apply_for_licence(
        request.user,
        offer,
        patents=patents,
        requested_mode=mode,
        intended_use=io.as_text(payload.intended_use, "intended_use", "拟实施产品/用途", 2000),
    )
    return {"kind": "application", "application": io.application_out(application)}


def _draft(request: HttpRequest, payload: LicenceCreateIn) -> dict[str, Any]:
    member = policies.membership_of(request.user)
    licensor_id = io.as_int(payload.licensor_org_id, "licensor_org_id", "许可方机构编号", low=1, high=MAX_PK)
    if licensor_id is None:
        if member is None:
            raise ValidationError({"licensor_org_id": "请填写许可方机构编号"})
        licensor_id = member.org_id
    licensee_id = io.as_int(
        payload.licensee_org_id, "licensee_org_id", "被许可方机构编号", low=1, high=MAX_PK
    )
    licensor = Organization.objects.filter(pk=licensor_id).first()
    licensee = Organization.objects.filter(pk=licensee_id).first() if licensee_id else None
    if licensor is None:
        raise ValidationError({"licensor_org_id": "许可方机构不存在"})
    if licensee is None:
        raise ValidationError({"licensee_org_id": "请填写存在的被许可方机构编号"})
    if not policies.is_platform_wide(request.user) and (member is None or member.org_id != licensor.pk):
        raise PermissionDenied("只能以本机构为许可方起草许可合同")
    start = io.as_date(payload.start, "start", "许可开始日")
    end = io.as_date(payload.end, "end", "许可结束日")
    if start is None or end is None:
        raise ValidationError({"start": "请填写许可开始日和结束日（YYYY-MM-DD）"})
    if payload.fee_schedule is not None and not isinstance(payload.fee_schedule, dict):
        raise ValidationError({"fee_schedule": "fee_schedule 须为许可使用费对象"})
    contract = contracts.create_contract(
        request.user,
        licensor_org=licensor,
        licensee_org=licensee,
        patents=offers.resolve_patents(licensor, io.numbers_list(payload.patents)),
        kind=io.as_text(payload.kind, "kind", "许可类型", 20) or "ordinary",
        origin=io.as_text(payload.origin, "origin", "合同来源", 20) or "negotiated",
        start=start,
        end=end,
        trial_months=io.as_int(payload.trial_months, "trial_months", "免费试用月数", low=1, high=60),
        fee_schedule=payload.fee_schedule,
        price_method=io.as_text(payload.price_method, "price_method", "定价方式", 20),
        field_of_use=io.as_text(payload.field_of_use, "field_of_use", "实施领域", 200),
        territory=io.as_text(payload.territory, "territory", "地域范围", 60) or "中国境内",
        usage_report_required=io.as_bool(
            payload.usage_report_required, "usage_report_required", "须提交使用报告"
        ),
        conversion_mode=io.as_text(payload.conversion_mode, "conversion_mode", "转化方式", 20),
        extensions_allowed=io.as_int(payload.extensions_allowed, "extensions_allowed", "可延长次数", high=12)
        or 0,
    )
    return {
        "kind": "contract",
        "contract": io.licence_detail(contract, request.user, as_of=timezone.localdate()),
    }


@router.post("/licences", response={201: CreatedOut}, summary="企业申请试用/许可，或起草许可合同")
def create_licence(request: HttpRequest, payload: LicenceCreateIn) -> Status[dict[str, Any]]:
    """Enterprise → application under ``offer_id``; TTO/operator → DRAFT contract (module docstring)."""
    if policies.can(request.user, "licensing.apply"):
        return Status(201, _apply(request, payload))
    policies.require(request.user, "licensing.manage")
    return Status(201, _draft(request, payload))


@router.get("/licences/{pk}", response=LicenceDetailOut, summary="一份许可合同（含规则检查、备案与进程）")
def get_licence(request: HttpRequest, pk: int) -> dict[str, Any]:
    return io.licence_detail(_contract(request, pk), request.user, as_of=timezone.localdate())


@router.post(
    "/licences/{pk}/actions/{event}",
    response=LicenceDetailOut,
    summary="办理合同操作（提交、审批、公示、签订、转化、延长、中止、终止…）",
    description="event："
    + "、".join(ACTION_EVENTS)
    + "。规则拒绝时返回 422，含规则编号 code 与中文原因 detail。",
)
def licence_action(request: HttpRequest, pk: int, event: str, payload: ActionIn) -> dict[str, Any]:
    contract = _contract(request, pk)
    if event not in ACTION_EVENTS:
        raise HttpError(400, f"未知的合同操作：{event[:40]}；可用：{'、'.join(ACTION_EVENTS)}")
    today = timezone.localdate()
    on = io.as_date(payload.on, "on", "业务日期", default=today) or today
    if on > today:
        raise ValidationError({"on": "业务日期不能晚于今天"})
    if payload.fee_schedule is not None and not isinstance(payload.fee_schedule, dict):
        raise ValidationError({"fee_schedule": "fee_schedule 须为许可使用费对象"})
    data = ActionInput(
        on=on,
        note=io.as_text(payload.note, "note", "意见", 2000),
        reason=io.as_text(payload.reason, "reason", "原因", 2000),
        reason_code=io.as_text(payload.reason_code, "reason_code", "原因代码", 20),
        months=io.as_int(payload.months, "months", "延长月数", low=1, high=60),
        result_name=io.as_text(payload.result_name, "result_name", "成果名称", 300),
        proposed_price=io.as_text(payload.proposed_price, "proposed_price", "拟交易价格", 200),
        objections=io.as_text(payload.objections, "objections", "异议内容", 5000),
        fee_schedule=payload.fee_schedule,
    )
    contract = run_action(request.user, contract, event, data)
    return io.licence_detail(_contract(request, contract.pk), request.user, as_of=today)


def _application(request: HttpRequest, pk: int) -> LicenceApplication:
    policies.require(request.user, "licensing.view")
    found = restrict(LicenceApplication.objects.select_related("offer", "applicant_org"), request.user)
    application = found.filter(pk=_key(pk)).first()
    if application is None:
        raise Http404
    return application


@router.get("/licence-applications/{pk}", response=ApplicationOut, summary="一份试用/许可申请")
def get_application(request: HttpRequest, pk: int) -> dict[str, Any]:
    return io.application_out(_application(request, pk))


@router.post(
    "/licence-applications/{pk}/{decision}",
    response=ApplicationOut,
    summary="处理申请：accept（生成合同草稿）、reject、withdraw、confirm-region（L11）",
)
def decide_application(request: HttpRequest, pk: int, decision: str, payload: DecisionIn) -> dict[str, Any]:
    application = _application(request, pk)
    user, today = request.user, timezone.localdate()
    if decision == "accept":
        on = io.as_date(payload.on, "on", "许可开始日", default=today) or today
        if on > today:
            raise ValidationError({"on": "接受日期（许可开始日）不能晚于今天"})
        end = io.as_date(payload.end, "end", "许可结束日")
        app_services.accept_application(user, application, on=on, end=end)
    elif decision == "reject":
        app_services.reject_application(
            user, application, reason=io.as_text(payload.reason, "reason", "理由", 2000)
        )
    elif decision == "withdraw":
        app_services.withdraw_application(user, application)
    elif decision == "confirm-region":
        app_services.confirm_region(user, application)
    else:
        raise HttpError(400, "未知的处理方式：accept、reject、withdraw、confirm-region 之一")
    return io.application_out(_application(request, pk))
