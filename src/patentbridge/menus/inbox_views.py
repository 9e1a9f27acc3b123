"""The enterprise's menu inbox (alongside the need-driven push inbox): menus delivered to it, one
menu opened (which records VIEWED), answers and 申请试用."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.core.restrict import restrict
from patentbridge.menus.candidates import availability
from patentbridge.menus.choices import NotRelevantReasonChoices
from patentbridge.menus.funnel import progress_of
from patentbridge.menus.models import MenuDelivery, PatentMenu
from patentbridge.menus.page_context import run
from patentbridge.menus.queries import get_delivery, get_menu
from patentbridge.menus.services import inbox as inbox_services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """专利菜单收件箱: menus pushed to the user's enterprise, newest first, unseen ones marked."""
    policies.require(request.user, "menus.inbox")
    mine = restrict(MenuDelivery.objects.all(), request.user)
    menus = (
        restrict(PatentMenu.objects.select_related("publisher_org"), request.user)
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__in=mine), distinct=True),
            unseen=Count(
                "deliveries", filter=Q(deliveries__in=mine, deliveries__viewed_on__isnull=True), distinct=True
            ),
            answered=Count(
                "deliveries", filter=Q(deliveries__in=mine) & ~Q(deliveries__response=""), distinct=True
            ),
            last=Max("deliveries__delivered_at", filter=Q(deliveries__in=mine)),
        )
        .order_by("-last", "-pk")
    )
    return render(request, "menus/inbox.html", {"menus": menus[:200]})


@login_required
def inbox_menu(request: HttpRequest, pk: int) -> HttpResponse:
    """One delivered menu: each item with its reasons, grade, modes on offer and contact team,
    where it stands, and the answer buttons. Opening it records 已查看."""
    policies.require(request.user, "menus.inbox")
    menu = get_menu(request.user, pk)
    mine = restrict(MenuDelivery.objects.filter(menu=menu), request.user)
    # Highlight what is new on this visit, then record the opening (the stages read it).
    new = set(mine.filter(viewed_on__isnull=True).values_list("pk", flat=True))
    inbox_services.mark_viewed(request.user, menu, on=timezone.localdate())
    deliveries = list(
        mine.select_related("item__patent__owner_org", "item__chain", "item__team", "application").order_by(
            "item__chain__position", "item__rank", "pk"
        )
    )
    stages = progress_of(deliveries)
    rows = [
        {"d": d, "progress": stages[d.pk], "offer": inbox_services.live_offer(d.item.patent)}
        for d in deliveries
    ]
    return render(
        request,
        "menus/inbox_menu.html",
        {
            "menu": menu,
            "rows": rows,
            "new": new,
            "reasons": NotRelevantReasonChoices.choices,
            "unavailable": availability([d.item.patent for d in deliveries], timezone.localdate()),
        },
    )


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    """有意向 / 不相关（原因）on one delivered item."""
    delivery = get_delivery(request.user, pk, "respond")
    run(
        request,
        lambda: inbox_services.respond(
            request.user,
            delivery,
            verdict=str(request.POST.get("verdict", ""))[:20],
            reason=str(request.POST.get("reason", ""))[:20],
            note=request.POST.get("note", ""),
            on=timezone.localdate(),
        ),
        "反馈已记录，谢谢",
    )
    return redirect("menus:inbox_menu", pk=delivery.menu_id)


@login_required
@require_POST
def trial(request: HttpRequest, pk: int) -> HttpResponse:
    """申请试用: an application under the patent's published licence offer."""
    delivery = get_delivery(request.user, pk, "respond")
    ok, application = run(
        request,
        lambda: inbox_services.request_trial(request.user, delivery, on=timezone.localdate()),
        "已提交申请，发布单位处理后将在许可申请中通知您",
    )
    if ok and application is not None:
        return redirect("licensing:application", pk=application.pk)
    return redirect("menus:inbox_menu", pk=delivery.menu_id)
