"""REST API of 一月一链路演, with the pages' permissions: ``GET /api/roadshows`` (calendar, filter
by chain, month and region), ``GET /api/roadshows/{id}`` (items, presenters, the funnel and the
intentions the caller may see), ``POST /api/roadshows/{id}/register`` (an enterprise registers
itself) and ``POST /api/roadshows/{id}/intentions`` (an intention: the enterprise's own, or
captured by the organiser for a registered enterprise).

Bodies are read from the raw JSON with Chinese refusals (a typed schema would answer a wrong
shape with pydantic's English messages)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from patentbridge.accounts import policies
from patentbridge.accounts.models import Organization
from patentbridge.accounts.regions import is_region_prefix, region_prefix
from patentbridge.core.jsonbody import json_object
from patentbridge.roadshows.funnel import deal_amount, event_funnel, is_deal
from patentbridge.roadshows.models import RoadshowEvent, RoadshowItem
from patentbridge.roadshows.queries import events_for, get_event, intentions_for, safe_pk, sees_records
from patentbridge.roadshows.services import intentions as intention_services
from patentbridge.roadshows.services import people

__all__ = ["router"]

router = Router(tags=["一月一链路演"])
MAX_BODY = 16 * 1024
MAX_PAGE_SIZE = 200


def _body(request: HttpRequest) -> dict[str, Any]:
    return json_object(request.body, max_bytes=MAX_BODY, empty_is_object=True)


def _page(page: str, page_size: str) -> tuple[int, int]:
    try:
        number, size = int(str(page)[:9]), int(str(page_size)[:9])
    except ValueError:
        raise ValidationError({"page": "页码和每页条数应为正整数"}) from None
    if number < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({"page": f"页码应为正整数，每页条数为 1–{MAX_PAGE_SIZE}"})
    return number, size


def _event_out(event: RoadshowEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "title": event.title,
        "chain": event.chain.code,
        "chain_name": event.chain.name,
        "month": event.month,
        "event_date": event.event_date.isoformat(),
        "venue": event.venue,
        "online_url": event.online_url,
        "organiser": event.organiser_org.name,
        "cohost": event.cohost_org.name if event.cohost_org else "",
        "region_code": event.region_code,
        "status": event.status,
        "status_label": event.get_status_display(),
        "is_demo": event.is_demo,
    }


def _item_out(item: RoadshowItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "application_number": item.patent.application_number,
        "title": item.patent.title,
        "source": item.source,
        "source_label": item.source_label or item.get_source_display(),
        "asking_mode": item.asking_mode,
        "asking_amount": str(item.asking_amount) if item.asking_amount is not None else None,
        "presenters": [{"name": p.name, "affiliation": p.affiliation} for p in item.presenters.all()],
    }


def _detail(event: RoadshowEvent, user: Any) -> dict[str, Any]:
    rows = intentions_for(user, event)
    mine = policies.role_of(user) == "enterprise"
    records = sees_records(user, event)
    funnel = event_funnel(event, rows)
    out = _event_out(event)
    out["items"] = [_item_out(i) for i in event.items.select_related("patent").prefetch_related("presenters")]
    # Another university's TTO reads the announced event, not its registrations or intentions.
    out["funnel"] = (
        None
        if not (records or mine)
        else {
            "scope": "own" if mine else "event",
            "items": funnel.items,
            "invited": funnel.invited,
            "registered": funnel.registered,
            "attended": funnel.attended,
            "intentions": funnel.intentions,
            "intention_amount": str(funnel.intention_amount),
            "outcomes": funnel.outcomes,
            "deals": funnel.deals,
            "deal_amount": str(funnel.deal_amount),
        }
    )
    out["intentions"] = [
        {
            "id": i.pk,
            "enterprise": i.org.name,
            "application_number": i.item.patent.application_number,
            "mode": i.mode,
            "amount": str(i.amount),
            "recorded_on": i.recorded_on.isoformat(),
            "follow_ups": [
                {"on": f.on.isoformat(), "note": f.note, "next_step": f.next_step} for f in i.follow_ups.all()
            ],
            "contract_no": i.contract.contract_no if i.contract else "",
            "deal": is_deal(i),
            "deal_amount": str(deal_amount(i)),
        }
        for i in rows
    ]
    return out


@router.get("/roadshows", summary="路演日历（按角色与辖区；可按产业链、月份、地区筛选）")
def list_events(
    request: HttpRequest,
    chain: str = "",
    month: str = "",
    region: str = "",
    page: str = "1",
    page_size: str = "50",
) -> dict[str, Any]:
    policies.require(request.user, "roadshows.view")
    number, size = _page(page, page_size)
    qs = events_for(request.user)
    if chain:
        qs = qs.filter(chain__code=str(chain)[:20])
    if month:
        qs = qs.filter(month=str(month)[:7])
    if region:
        if not is_region_prefix(str(region)[:12]):
            raise ValidationError({"region": "地区应为 2、4 或 6 位行政区划代码"})
        qs = qs.filter(region_code__startswith=region_prefix(str(region)[:12]))
    rows = list(qs[(number - 1) * size : number * size])
    return {
        "count": qs.count(),
        "page": number,
        "page_size": size,
        "results": [
            {
                **_event_out(e),
                "item_count": int(getattr(e, "item_count", 0)),
                "registration_count": int(getattr(e, "registration_count", 0)),
            }
            for e in rows
        ],
    }


@router.get("/roadshows/{event_id}", summary="单场路演：专利、路演人、转化漏斗与可见的意向")
def event_detail(request: HttpRequest, event_id: str) -> dict[str, Any]:
    policies.require(request.user, "roadshows.view")
    return _detail(get_event(request.user, event_id), request.user)


@router.post("/roadshows/{event_id}/register", response={201: dict[str, Any]}, summary="企业报名路演")
def register(request: HttpRequest, event_id: str) -> Status[dict[str, Any]]:
    policies.require(request.user, "roadshows.register")
    event = get_event(request.user, event_id)
    data = _body(request)
    contact = data.get("contact", "")
    if not isinstance(contact, str):
        raise ValidationError({"contact": "参会人应为文字"})
    row = people.register(request.user, event, on=timezone.localdate(), contact=contact)
    return Status(201, {"id": row.pk, "event": event.pk, "enterprise": row.org.name, "contact": row.contact})


@router.post("/roadshows/{event_id}/intentions", response={201: dict[str, Any]}, summary="登记路演意向")
def record_intention(request: HttpRequest, event_id: str) -> Status[dict[str, Any]]:
    policies.require(request.user, "roadshows.intend")
    event = get_event(request.user, event_id)
    data = _body(request)
    item = RoadshowItem.objects.filter(event=event, pk=safe_pk(data.get("item")) or 0).first()
    if item is None:
        raise ValidationError({"item": "路演专利不存在（item 为本场路演的专利 id）"})
    org = None
    if data.get("enterprise") is not None:
        org = Organization.objects.filter(pk=safe_pk(data.get("enterprise")) or 0).first()
        if org is None:
            raise ValidationError({"enterprise": "企业不存在"})
    mode, note, amount = data.get("mode", ""), data.get("note", ""), data.get("amount")
    if not isinstance(mode, str) or not isinstance(note, str):
        raise ValidationError({"mode": "意向方式和说明应为文字"})
    if isinstance(amount, bool) or not isinstance(amount, str | int | float | type(None)):
        raise ValidationError({"amount": "意向金额应为数字或数字字符串"})
    row = intention_services.record_intention(
        request.user,
        item,
        org=org,
        mode=mode,
        amount=str(amount) if amount is not None else "",
        on=timezone.localdate(),
        note=note,
    )
    return Status(
        201,
        {
            "id": row.pk,
            "event": event.pk,
            "enterprise": row.org.name,
            "application_number": item.patent.application_number,
            "mode": row.mode,
            "amount": str(row.amount),
        },
    )
