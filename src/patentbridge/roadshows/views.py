"""Roadshow pages: the calendar (by month, filtered by chain and region), the new-event form and
the event page with each role's actions. Views read and call services; they never write models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.accounts.models import Organization
from patentbridge.accounts.regions import is_region_prefix, officer_prefix, region_prefix
from patentbridge.core.actions import flash_call
from patentbridge.licensing.models import LicenceApplication, LicenceContract
from patentbridge.matching.models import InventorTeam
from patentbridge.menus.models import MenuItem
from patentbridge.patents.models import IndustryChain, Patent
from patentbridge.pools.models import Pool
from patentbridge.roadshows.forms import EventForm
from patentbridge.roadshows.models import RoadshowIntention, RoadshowItem, RoadshowRegistration
from patentbridge.roadshows.page import by_month, chain_coverage, event_page
from patentbridge.roadshows.queries import events_for, get_event, region_name, safe_pk
from patentbridge.roadshows.services import events as event_services
from patentbridge.roadshows.services import intentions, people


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """路演日历: the events the user may see, by month; filter by chain and region prefix."""
    policies.require(request.user, "roadshows.view")
    rows = events_for(request.user)
    chain = IndustryChain.objects.filter(code=str(request.GET.get("chain", ""))[:20]).first()
    if chain is not None:
        rows = rows.filter(chain=chain)
    region = str(request.GET.get("region", "")).strip()[:12]
    region_error = ""
    if region:
        if is_region_prefix(region):
            rows = rows.filter(region_code__startswith=region_prefix(region))
        else:
            region_error = "地区应为 2、4 或 6 位行政区划代码"
    events = list(rows[:300])
    prefix = officer_prefix(request.user)
    chains = list(IndustryChain.objects.order_by("position", "code"))
    return render(
        request,
        "roadshows/calendar.html",
        {
            "months": by_month(events),
            "chains": chains,
            # Coverage counts every event the user may see, whatever the filter shows.
            "coverage": chain_coverage(list(events_for(request.user)[:1000]), chains, timezone.localdate()),
            "chain": chain,
            "region": region,
            "region_error": region_error,
            "may_organise": policies.can(request.user, "roadshows.organise"),
            "officer_region": region_name(prefix) if prefix else "",
            "is_officer": prefix is not None,
        },
    )


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    """新建路演 (then add patents, presenters and invitations on its page)."""
    policies.require(request.user, "roadshows.organise")
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = event_services.create_event(
                request.user,
                organiser_org=data["organiser_org"],
                chain=data["chain"],
                month=data["month"],
                title=data["title"],
                event_date=data["event_date"],
                region_code=data["region_code"],
                venue=data["venue"],
                online_url=data["online_url"],
                description=data["description"],
                cohost_org=data["cohost_org"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("roadshows:detail", pk=event.pk)
    return render(request, "roadshows/new.html", {"form": form})


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The event: patents with presenters, invitations, registrations, intentions with follow-ups
    and outcomes, and the funnel."""
    policies.require(request.user, "roadshows.view")
    event = get_event(request.user, pk)
    return render(request, "roadshows/detail.html", event_page(request, event, timezone.localdate()))


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


def _missing(what: str) -> Callable[[], None]:
    def fail() -> None:
        raise ValidationError({"id": f"未找到{what}"})

    return fail


@login_required
@require_POST
def event_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on the event page; the service checks who may do it."""
    event = get_event(request.user, pk)
    user, post, today = request.user, request.POST, timezone.localdate()
    item = RoadshowItem.objects.filter(event=event, pk=safe_pk(post.get("item")) or 0).first()
    intention = RoadshowIntention.objects.filter(event=event, pk=safe_pk(post.get("intention")) or 0).first()
    org = Organization.objects.filter(pk=safe_pk(post.get("org")) or 0).first()
    call: Callable[[], Any]
    if action == "status":
        to = str(post.get("to", ""))[:10]
        call, message = partial(event_services.set_status, user, event, to=to, on=today), "路演状态已更新"
    elif action == "add_item":
        menu_item = MenuItem.objects.filter(pk=safe_pk(post.get("menu_item")) or 0).first()
        number = str(post.get("patent", ""))[:40].strip()
        patent = Patent.objects.filter(application_number=number).first() if number else None
        call = partial(
            event_services.add_item,
            user,
            event,
            on=today,
            patent=patent,
            menu_item=menu_item,
            pool=Pool.objects.filter(pk=safe_pk(post.get("pool")) or 0).first(),
            asking_mode=str(post.get("asking_mode", "licence"))[:10],
            asking_amount=post.get("asking_amount", ""),
        )
        if menu_item is None and patent is None:
            call = _missing("该专利（请从菜单中选择，或填写申请号）")
        message = "已加入路演专利"
    elif action == "add_presenter" and item is not None:
        team = InventorTeam.objects.filter(pk=safe_pk(post.get("team")) or 0).first()
        call = partial(
            event_services.add_presenter,
            user,
            item,
            name=str(post.get("name", "")),
            team=team,
            affiliation=str(post.get("affiliation", "")),
        )
        message = "已添加路演人"
    elif action == "invite" and org is not None:
        kind = str(post.get("kind", "enterprise"))[:12]
        call, message = partial(people.invite, user, event, org, kind=kind), "已发出邀请（以主办单位名义）"
    elif action == "register":
        call = partial(people.register, user, event, on=today, contact=str(post.get("contact", "")))
        message = "报名成功"
    elif action == "attended":
        reg = RoadshowRegistration.objects.filter(
            event=event, pk=safe_pk(post.get("registration")) or 0
        ).first()
        call = (
            _missing("报名记录") if reg is None else partial(people.mark_attended, user, reg, attended=True)
        )
        message = "已登记到场"
    elif action == "intend" and item is not None:
        call = partial(
            intentions.record_intention,
            user,
            item,
            org=org,
            mode=str(post.get("mode", ""))[:10],
            amount=post.get("amount", ""),
            on=today,
            note=str(post.get("note", "")),
        )
        message = "已登记意向"
    elif action == "follow_up" and intention is not None:
        call = partial(
            intentions.add_follow_up,
            user,
            intention,
            on=_date(post.get("on")) or today,
            note=str(post.get("note", "")),
            next_step=str(post.get("next_step", "")),
            next_on=_date(post.get("next_on")),
        )
        message = "已记录跟进"
    elif action == "outcome" and intention is not None:
        application = LicenceApplication.objects.filter(pk=safe_pk(post.get("application")) or 0).first()
        contract = LicenceContract.objects.filter(pk=safe_pk(post.get("contract")) or 0).first()
        call = partial(
            intentions.link_outcome, user, intention, on=today, application=application, contract=contract
        )
        message = "已关联许可成果"
    elif action in _TARGETS:
        call, message = _missing(_TARGETS[action]), ""
    else:
        raise PermissionDenied("未知操作")
    flash_call(request, call, message)
    return redirect("roadshows:detail", pk=event.pk)


# What an action needs when its target id was missing or not of this event.
_TARGETS = {
    "add_presenter": "路演专利",
    "invite": "该单位",
    "intend": "路演专利",
    "follow_up": "意向",
    "outcome": "意向",
}
