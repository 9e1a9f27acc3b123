"""The demo's 一月一链 roadshow (transactions-and-analytics.md §6.d–6.e), made through the
roadshow services: 山东农业大学 holds this month's 现代高效农业 roadshow for 宁阳县, co-hosted by
the county's market-regulation bureau; the patents are the county's selection from the demo menu
(``demo_menus``), presented by their inventor teams; the county officer invites its two 宁阳
firms, the university invites a 泰安 firm; all three register; after the event the food firm
states its intention and the organiser captures the machinery firm's, follows the first up, and
links it to the licence application the firm made from the menu (the outcome is picked from
licensing, not typed).

Labelled as demonstration (title ends with （演示）, ``is_demo``); the event is found by its
title on a rerun, so loading again adds nothing. The event day is in the load month, on or before
the load day (held events take intentions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.services.money import cny
from patentbridge.matching.models import TeamPatentLink
from patentbridge.menus.models import MenuSelection
from patentbridge.patents.models import IndustryChain
from patentbridge.roadshows.choices import EventStatusChoices
from patentbridge.roadshows.funnel import event_funnel
from patentbridge.roadshows.models import RoadshowEvent, RoadshowItem
from patentbridge.roadshows.services import events, intentions, people
from patentbridge.site.demo_menus import CHAIN, FOOD_FIRM, MACHINERY_FIRM, REGION, demo_menu
from patentbridge.site.demo_orgs import user
from patentbridge.site.demo_steps import run_demo_step

__all__ = ["EVENT_TITLE", "INTENTIONS", "VISITOR", "demo_event", "load_roadshows_demo"]

EVENT_TITLE = "一月一链 · 现代高效农业专利转化路演 · 宁阳专场（演示）"
# A 泰安 firm the organiser invites besides the county's own.
VISITOR = "ent_taian"
# 意向金额 stated at the event: the food firm's (free trial, then licence) and the machinery firm's.
INTENTIONS = {FOOD_FIRM: ("trial", Decimal("200000.00")), MACHINERY_FIRM: ("licence", Decimal("80000.00"))}
_FAILURES = (LicensingRefused, ValidationError, PermissionDenied)


def demo_event() -> RoadshowEvent | None:
    return RoadshowEvent.objects.filter(is_demo=True, title=EVENT_TITLE).first()


def _event_day(today: dt.date) -> dt.date:
    """Up to three days before the load day, never in the previous month."""
    return today - dt.timedelta(days=min(today.day - 1, 3))


def _event(today: dt.date) -> RoadshowEvent:
    found = demo_event()
    if found is not None:
        return found
    tto = user("tto_sdau")
    day = _event_day(today)
    return events.create_event(
        tto,
        organiser_org=tto.membership.org,
        chain=IndustryChain.objects.get(code=CHAIN),
        month=day.strftime("%Y-%m"),
        title=EVENT_TITLE,
        event_date=day,
        region_code=REGION,
        venue="宁阳县农业科技园路演厅（演示）",
        description="演示数据：由平台演示流程生成的路演，专利来自宁阳县专利菜单的县域遴选。",
        cohost_org=user("county").membership.org,
        is_demo=True,
    )


def _items(event: RoadshowEvent, today: dt.date) -> list[RoadshowItem]:
    """The menu's selected items on the event (added once), each with its team's lead presenting."""
    menu = demo_menu()
    selection = MenuSelection.objects.filter(menu=menu).first() if menu else None
    if selection is None:
        raise ValidationError({"items": "请先载入专利菜单演示（路演专利来自其县域遴选）"})
    tto = user("tto_sdau")
    if event.status == EventStatusChoices.PLANNED and not event.items.exists():
        for menu_item in selection.items.order_by("rank", "pk"):
            mode = "trial" if menu_item.deliveries.filter(application__isnull=False).exists() else "licence"
            item = events.add_item(tto, event, on=today, menu_item=menu_item, asking_mode=mode)
            link = TeamPatentLink.objects.filter(patent=item.patent).select_related("team").first()
            if link is not None:
                events.add_presenter(tto, item, team=link.team)
    return list(event.items.select_related("patent").order_by("rank"))


def _build(today: dt.date) -> str:
    event = _event(today)
    items = _items(event, today)
    tto, officer = user("tto_sdau"), user("county")
    day = event.event_date
    if event.status == EventStatusChoices.PLANNED:
        events.set_status(tto, event, to=EventStatusChoices.OPEN, on=day - dt.timedelta(days=10))
        for username in (FOOD_FIRM, MACHINERY_FIRM):
            people.invite(officer, event, user(username).membership.org)
        people.invite(tto, event, user(VISITOR).membership.org)
        for username in (FOOD_FIRM, MACHINERY_FIRM, VISITOR):
            people.register(
                user(username), event, on=day - dt.timedelta(days=5), contact="企业联系人（演示）"
            )
        for reg in event.registrations.exclude(org=user(VISITOR).membership.org):
            people.mark_attended(tto, reg)
        events.set_status(tto, event, to=EventStatusChoices.HELD, on=day)
    event.refresh_from_db()
    if event.status == EventStatusChoices.HELD and not event.intentions.exists():
        _intentions(event, items, day)
    funnel = event_funnel(event)
    return (
        f"{event.month} · 专利 {funnel.items}，邀请 {funnel.invited}，报名 {funnel.registered}（到场 {funnel.attended}），"
        f"意向 {funnel.intentions}（意向金额 {cny(funnel.intention_amount)}），已关联许可成果 {funnel.outcomes}，"
        f"成交 {funnel.deals}（{cny(funnel.deal_amount)}）"
    )


def _intentions(event: RoadshowEvent, items: list[RoadshowItem], day: dt.date) -> None:
    """The two intentions, a follow-up and the outcome picked from the licensing records."""
    tto = user("tto_sdau")
    wanted = next((i for i in items if i.asking_mode == "trial"), items[0])
    mode, amount = INTENTIONS[FOOD_FIRM]
    first = intentions.record_intention(
        user(FOOD_FIRM), wanted, mode=mode, amount=amount, on=day, note="拟用于功能性食品生产线（演示）"
    )
    other = next((i for i in items if i.pk != wanted.pk), None)
    if other is not None:
        mode, amount = INTENTIONS[MACHINERY_FIRM]
        intentions.record_intention(
            tto,
            other,
            org=user(MACHINERY_FIRM).membership.org,
            mode=mode,
            amount=amount,
            on=day,
            note="现场登记（演示）",
        )
    intentions.add_follow_up(
        tto,
        first,
        on=day,
        note="与权利人、企业三方沟通试用条款（演示）",
        next_step="签订免费试用合同",
        next_on=day + dt.timedelta(days=14),
    )
    apps, contracts = intentions.outcome_choices(first)
    if contracts or apps:
        intentions.link_outcome(
            tto,
            first,
            on=day,
            contract=contracts[0] if contracts else None,
            application=None if contracts else apps[0],
        )


def load_roadshows_demo(stdout: Any, *, today: dt.date | None = None) -> None:
    """Build (or complete) the demo roadshow in one transaction and print its funnel; a refusal is
    printed with its reason and leaves nothing half-made."""
    day = today or timezone.localdate()
    run_demo_step(stdout, "一月一链路演（演示）", lambda: _build(day))
