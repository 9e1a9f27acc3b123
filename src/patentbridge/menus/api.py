"""REST API of patent menus, with the pages' permissions: a TTO its organisation's menus, a
gov_officer the released menus of its region, an enterprise the menus delivered to it, platform
roles all. ``GET/POST /api/menus``, ``GET /api/menus/{id}``, ``POST /api/menus/{id}/publish``,
``GET /api/menus/{id}/funnel``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from patentbridge.accounts import policies
from patentbridge.accounts.models import Organization
from patentbridge.core.restrict import restrict
from patentbridge.menus.api_input import page_params, parse_menu_body
from patentbridge.menus.funnel import funnel, funnel_by
from patentbridge.menus.models import MenuItem, PatentMenu, SupplementRequest
from patentbridge.menus.queries import deliveries_for, get_menu, included_items, menus_for, safe_pk
from patentbridge.menus.services import compose, release
from patentbridge.patents.models import IndustryChain

__all__ = ["router"]

router = Router(tags=["专利菜单"])
MAX_PAGE_SIZE = 200


class MenuIn(Schema):
    """A new menu; ``compose`` fills it from the suggestions (and the 资源库 when thin) at once.
    (The documented body: the route reads it with Chinese refusals, ``menus.api_input``.)"""

    title: str = Field(..., max_length=200)
    target_region: str = Field(..., max_length=12, description="GB/T 2260 前缀：371522 莘县、3715 聊城市")
    chains: list[str] = Field(..., max_length=50, description="产业链代码，如 GLC")
    publisher_org: int | None = Field(None, description="发布单位 id（运营人员代发时必填；TTO 默认本单位）")
    source: str = Field("own_library", max_length=20)
    grade_min: str = Field("", max_length=1)
    high_value_only: bool = False
    description: str = Field("", max_length=5000)
    compose: bool = False


class ItemOut(Schema):
    id: int
    application_number: str
    title: str
    owner: str
    chain: str
    grade: str
    high_value: bool
    reasons: list[str]
    modes_offered: list[str]
    team: str
    is_supplement: bool


class MenuOut(Schema):
    id: int
    title: str
    publisher: str
    target_region: str
    state: str
    state_label: str
    chains: list[str]
    min_per_chain: int
    published_on: dt.date | None
    item_count: int


class MenuDetailOut(MenuOut):
    items: list[ItemOut]
    supplements: list[dict[str, Any]]


class MenuListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[MenuOut]


def _menu_out(menu: PatentMenu, item_count: int | None = None) -> dict[str, Any]:
    return {
        "id": menu.pk,
        "title": menu.title,
        "publisher": menu.publisher_org.name,
        "target_region": menu.target_region,
        "state": menu.state,
        "state_label": menu.get_state_display(),
        "chains": [c.code for c in menu.target_chains.order_by("position", "code")],
        "min_per_chain": menu.min_per_chain,
        "published_on": menu.published_on,
        "item_count": item_count if item_count is not None else len(included_items(menu)),
    }


def _detail(menu: PatentMenu, user: Any) -> dict[str, Any]:
    """The menu with the items ``user`` may see (an enterprise: those delivered to it; an officer:
    the included ones) and the supplement log for those who may see it."""
    visible = set(restrict(MenuItem.objects.filter(menu=menu), user).values_list("pk", flat=True))
    items = [i for i in included_items(menu) if i.pk in visible]
    out = _menu_out(menu, len(items))
    out["items"] = [
        {
            "id": i.pk,
            "application_number": i.patent.application_number,
            "title": i.patent.title,
            "owner": i.patent.owner_org.name if i.patent.owner_org else "",
            "chain": i.chain.code if i.chain else "",
            "grade": i.grade,
            "high_value": i.high_value,
            "reasons": list(i.reasons),
            "modes_offered": list(i.modes_offered),
            "team": f"{i.team.institution} · {i.team.lead}" if i.team else "",
            "is_supplement": i.is_supplement,
        }
        for i in items
    ]
    out["supplements"] = [
        {
            "chain": s.chain_name,
            "region_code": s.region_code,
            "found": s.found,
            "minimum": s.minimum,
            "shortfall": s.shortfall,
            "filled": s.filled,
            "note": s.note,
        }
        for s in restrict(SupplementRequest.objects.filter(menu=menu), user)
    ]
    return out


@router.get("/menus", response=MenuListOut, summary="专利菜单列表（按角色与辖区）")
def list_menus(request: HttpRequest, page: str = "1", page_size: str = "20") -> dict[str, Any]:
    policies.require(request.user, "menus.view")
    number, size = page_params(page, page_size, max_size=MAX_PAGE_SIZE)
    qs = menus_for(request.user)
    rows = list(qs[(number - 1) * size : number * size])
    return {
        "count": qs.count(),
        "page": number,
        "page_size": size,
        "results": [_menu_out(m, int(getattr(m, "item_count", 0))) for m in rows],
    }


@router.post(
    "/menus",
    response={201: MenuDetailOut},
    summary="新建专利菜单（可同时按建议组菜单）",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": MenuIn.model_json_schema()}},
        }
    },
)
def create_menu(request: HttpRequest) -> Status[dict[str, Any]]:
    policies.require(request.user, "menus.compose")
    payload = parse_menu_body(request.body)
    if payload.publisher_org is not None:
        org = Organization.objects.filter(pk=safe_pk(payload.publisher_org) or 0).first()
        if org is None:
            raise ValidationError({"publisher_org": "发布单位不存在"})
    else:
        member = policies.membership_of(request.user)
        org = None if member is None else member.org
    codes = [str(c)[:20] for c in payload.chains]
    chains = list(IndustryChain.objects.filter(code__in=codes))
    if len(chains) != len(set(codes)):
        raise ValidationError({"chains": "产业链代码不存在"})
    today = timezone.localdate()
    menu = compose.create_menu(
        request.user,
        publisher_org=org,
        title=payload.title,
        target_region=payload.target_region,
        chains=chains,
        on=today,
        description=payload.description,
        source=payload.source,
        grade_min=payload.grade_min,
        high_value_only=payload.high_value_only,
    )
    if payload.compose:
        compose.compose(request.user, menu, on=today)
    return Status(201, _detail(menu, request.user))


@router.get("/menus/{menu_id}", response=MenuDetailOut, summary="单份专利菜单及其条目")
def menu_detail(request: HttpRequest, menu_id: str) -> dict[str, Any]:
    policies.require(request.user, "menus.view")
    return _detail(get_menu(request.user, menu_id), request.user)


@router.post("/menus/{menu_id}/publish", response=MenuDetailOut, summary="发布专利菜单")
def publish_menu(request: HttpRequest, menu_id: str) -> dict[str, Any]:
    policies.require(request.user, "menus.publish")
    menu = get_menu(request.user, menu_id, "change")
    return _detail(release.publish(request.user, menu, on=timezone.localdate()), request.user)


@router.get("/menus/{menu_id}/funnel", summary="专利菜单转化漏斗（合计、按产业链、按区县）")
def menu_funnel(request: HttpRequest, menu_id: str) -> dict[str, Any]:
    policies.require(request.user, "menus.funnel")
    menu = get_menu(request.user, menu_id)
    deliveries = list(deliveries_for(request.user).filter(menu=menu))
    return {
        "menu": menu.pk,
        "total": funnel(deliveries, menu.title).as_dict(),
        "by_chain": [r.as_dict() for r in funnel_by(deliveries, "chain")],
        "by_county": [r.as_dict() for r in funnel_by(deliveries, "county")],
    }
