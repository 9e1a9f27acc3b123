"""Organising an event: create it (one per chain and month), move it through PLANNED → OPEN →
HELD → CLOSED, put patents on it (from a menu, a pool or the library) and name their presenters
from the inventor teams. Every change is audited in its transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices
from patentbridge.accounts.regions import is_region_prefix, region_of, region_prefix, within
from patentbridge.core import audit
from patentbridge.core.restrict import restrict
from patentbridge.matching.models import InventorTeam
from patentbridge.menus.candidates import availability
from patentbridge.menus.choices import ItemStateChoices
from patentbridge.menus.models import MenuItem
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge.patents.models import IndustryChain, Patent
from patentbridge.pools.choices import PatentStatusChoices
from patentbridge.pools.models import Pool, PoolPatent
from patentbridge.roadshows.choices import EventStatusChoices, IntentionModeChoices, ItemSourceChoices
from patentbridge.roadshows.models import RoadshowEvent, RoadshowItem, RoadshowPresenter
from patentbridge.roadshows.services.common import (
    clean_amount,
    clean_month,
    clean_text,
    locked_event,
    org_of,
    require_organiser,
    require_status,
)

__all__ = ["MAX_ITEMS", "ORGANISER_KINDS", "add_item", "add_presenter", "create_event", "set_status"]

# Organisations an event may be held in the name of (专利法 Art. 79: never a government body;
# guide §6.d: the operation centre, a 运营服务协会 or 路演基地 (agency), a university).
ORGANISER_KINDS = (OrgKindChoices.OPERATION_CENTRE, OrgKindChoices.UNIVERSITY, OrgKindChoices.AGENCY)
# Patents one event shows: a half-day roadshow presents a few dozen at most.
MAX_ITEMS = 60
_NEXT = {
    EventStatusChoices.PLANNED: EventStatusChoices.OPEN,
    EventStatusChoices.OPEN: EventStatusChoices.HELD,
    EventStatusChoices.HELD: EventStatusChoices.CLOSED,
}


def _organiser(actor: Any, org: Any) -> Any:
    if org is None or org.kind not in ORGANISER_KINDS:
        raise ValidationError({"organiser_org": "路演只能以运营中心、服务机构或高校/科研院所的名义主办"})
    if not policies.is_platform_wide(actor):
        own = org_of(actor)
        if own is None or own.pk != org.pk:
            raise PermissionDenied("只能以本单位名义主办路演")
    return org


@transaction.atomic
def create_event(
    actor: Any,
    *,
    organiser_org: Any,
    chain: IndustryChain | None,
    month: str,
    title: str,
    event_date: dt.date | None,
    region_code: str,
    venue: str = "",
    online_url: str = "",
    description: str = "",
    cohost_org: Any = None,
    is_demo: bool = False,
) -> RoadshowEvent:
    """A PLANNED event of ``chain`` in ``month`` (one per chain and month) for ``region_code``,
    at a venue or online, optionally co-hosted by the government of that region."""
    policies.require(actor, "roadshows.organise")
    org = _organiser(actor, organiser_org)
    errors: dict[str, str] = {}
    if chain is None:
        errors["chain"] = "请选择产业链"
    try:
        month_text, first, last = clean_month(month)
    except ValidationError as exc:
        errors["month"] = exc.message_dict["month"][0]
        month_text, first, last = "", dt.date.min, dt.date.max
    if event_date is None:
        errors["event_date"] = "请填写举办日期"
    elif month_text and not first <= event_date <= last:
        errors["event_date"] = f"举办日期应在 {month_text} 月内"
    region = str(region_code or "").strip()[:12]
    if not is_region_prefix(region):
        errors["region_code"] = "面向地区应为 2、4 或 6 位行政区划代码（如 370921 宁阳县、3709 泰安市）"
    venue = clean_text(venue, "venue", 200, label="举办地点")
    online_url = clean_text(online_url, "online_url", 300, label="线上链接")
    if online_url and not online_url.startswith(("https://", "http://")):
        errors["online_url"] = "线上链接应以 https:// 或 http:// 开头"
    if not venue and not online_url:
        errors["venue"] = "请填写举办地点或线上链接"
    if cohost_org is not None:
        if cohost_org.kind != OrgKindChoices.GOVERNMENT:
            errors["cohost_org"] = "协办单位应为政府部门"
        elif region and not within(region, region_of(cohost_org).prefix):
            errors["cohost_org"] = "协办政府部门的辖区应包含路演面向的地区"
    if (
        chain is not None
        and month_text
        and RoadshowEvent.objects.filter(chain=chain, month=month_text).exists()
    ):
        errors["month"] = f"{chain.name} 在 {month_text} 已有路演（一月一链：每条产业链每月一场）"
    if errors:
        raise ValidationError(errors)
    assert chain is not None and event_date is not None
    fields: dict[str, Any] = {
        "chain": chain,
        "month": month_text,
        "title": clean_text(title, "title", 200, required=True, label="路演名称"),
        "event_date": event_date,
        "venue": venue,
        "online_url": online_url,
        "description": clean_text(description, "description", 5000, label="说明"),
        "organiser_org": org,
        "region_code": region_prefix(region),
        "cohost_org": cohost_org,
        "is_demo": is_demo,
        "created_by": actor,
    }
    try:
        # A savepoint: another organiser's event of the same chain and month may have been
        # saved since the check above (the unique constraint decides; a Chinese refusal, not a 500).
        with transaction.atomic():
            event = RoadshowEvent.objects.create(**fields)
    except IntegrityError:
        raise ValidationError(
            {"month": f"{chain.name} 在 {month_text} 已有路演（一月一链：每条产业链每月一场）"}
        ) from None
    audit.record(
        "roadshows.event.created",
        actor=actor,
        target=event,
        org=org,
        data={
            "after": {
                "title": event.title,
                "chain": chain.code,
                "month": event.month,
                "event_date": event_date.isoformat(),
                "region_code": event.region_code,
                "venue": venue,
                "online_url": online_url,
                "cohost": cohost_org.name if cohost_org else "",
            }
        },
    )
    return event


@transaction.atomic
def set_status(actor: Any, event: RoadshowEvent, *, to: str, on: dt.date) -> RoadshowEvent:
    """One step forward: open registration (needs at least one patent), mark held, close."""
    event = locked_event(event)
    require_organiser(actor, event)
    if _NEXT.get(EventStatusChoices(event.status)) != to:
        raise ValidationError({"status": f"路演当前为「{event.get_status_display()}」，不能改为该状态"})
    if to == EventStatusChoices.OPEN and not event.items.exists():
        raise ValidationError({"status": "请先加入路演专利，再开放报名"})
    if to == EventStatusChoices.HELD and on < event.event_date:
        raise ValidationError(
            {"status": f"路演定于 {event.event_date.isoformat()} 举办，举办后才能登记为已举办"}
        )
    before = event.status
    event.status = to
    event.save(update_fields=["status"])
    audit.record(
        "roadshows.event.status",
        actor=actor,
        target=event,
        org=event.organiser_org,
        data={"before": {"roadshow_status": before}, "after": {"roadshow_status": to}, "on": on.isoformat()},
    )
    return event


def _menu_item(actor: Any, menu_item: MenuItem) -> MenuItem:
    """A menu item the organiser may see, still on its menu."""
    if not restrict(MenuItem.objects.filter(pk=menu_item.pk), actor).exists():
        raise PermissionDenied("只能从本单位可查看的专利菜单中选取")
    if menu_item.state != ItemStateChoices.INCLUDED:
        raise ValidationError({"menu_item": "该条目已从菜单移出"})
    return menu_item


@transaction.atomic
def add_item(
    actor: Any,
    event: RoadshowEvent,
    *,
    on: dt.date,
    patent: Patent | None = None,
    menu_item: MenuItem | None = None,
    pool: Pool | None = None,
    asking_mode: str = IntentionModeChoices.LICENCE,
    asking_amount: Any = None,
) -> RoadshowItem:
    """Put a patent on the event: from a menu item (its patent; source 专利菜单), from a patent
    pool the organiser may see (the patent must be admitted to it) or straight from the library.
    The patent must be in the library and offerable on ``on`` (valid, no exclusive licence
    running)."""
    event = locked_event(event)
    require_organiser(actor, event)
    require_status(event, EventStatusChoices.PLANNED, EventStatusChoices.OPEN, doing="调整路演专利")
    source, label = ItemSourceChoices.LIBRARY, ""
    if menu_item is not None:
        menu_item = _menu_item(actor, menu_item)
        patent, source = menu_item.patent, ItemSourceChoices.MENU
        label = f"专利菜单《{menu_item.menu.title}》"
    if patent is None:
        raise ValidationError({"patent": "请选择专利"})
    if menu_item is None and pool is not None:
        if not restrict(Pool.objects.filter(pk=pool.pk), actor).exists():
            raise PermissionDenied("只能从本单位可查看的专利池中选取")
        if not PoolPatent.objects.filter(
            pool=pool, patent=patent, status=PatentStatusChoices.ADMITTED
        ).exists():
            raise ValidationError({"pool": f"专利 {patent.application_number} 不在专利池《{pool.name}》中"})
        source, label = ItemSourceChoices.POOL, f"专利池《{pool.name}》"
    if patent.library_status != LibraryStatusChoices.IN_LIBRARY:
        raise ValidationError({"patent": f"专利 {patent.application_number} 尚未入库，不能路演"})
    blocked = availability([patent], on).get(patent.pk)
    if blocked:
        raise ValidationError({"patent": f"专利 {patent.application_number} 不能路演：{blocked}"})
    if event.items.filter(patent=patent).exists():
        raise ValidationError({"patent": f"专利 {patent.application_number} 已在本场路演中"})
    if event.items.count() >= MAX_ITEMS:
        raise ValidationError({"patent": f"一场路演最多 {MAX_ITEMS} 件专利"})
    if asking_mode not in IntentionModeChoices.values:
        raise ValidationError({"asking_mode": "拟转化方式无效"})
    amount: Decimal | None = clean_amount(asking_amount, "asking_amount", "报价", required=False)
    item = RoadshowItem.objects.create(
        event=event,
        patent=patent,
        source=source,
        menu_item=menu_item,
        pool=pool if source == ItemSourceChoices.POOL else None,
        source_label=label,
        asking_mode=asking_mode,
        asking_amount=amount,
        rank=event.items.count() + 1,
        added_by=actor,
    )
    audit.record(
        "roadshows.item.added",
        actor=actor,
        target=item,
        org=event.organiser_org,
        data={
            "event": event.pk,
            "patent": patent.application_number,
            "source": label or str(ItemSourceChoices(source).label),
            "asking_mode": asking_mode,
            "asking_amount": str(amount) if amount is not None else "",
        },
    )
    return item


@transaction.atomic
def add_presenter(
    actor: Any, item: RoadshowItem, *, name: str = "", team: InventorTeam | None = None, affiliation: str = ""
) -> RoadshowPresenter:
    """A presenter of ``item`` from its inventor team (the team's lead unless ``name`` names one of
    its members), or named by the organiser when the library derived no team."""
    event = locked_event(item.event)
    require_organiser(actor, event)
    require_status(event, EventStatusChoices.PLANNED, EventStatusChoices.OPEN, doing="调整路演人")
    name = clean_text(name, "name", 100, label="路演人")
    if team is not None:
        # members are [name, shared patents] pairs (matching.teams)
        members = [
            team.lead,
            *[str(m[0]) if isinstance(m, list | tuple) and m else str(m) for m in team.members],
        ]
        name = name or team.lead
        if name not in members:
            raise ValidationError({"name": f"{name} 不是该发明人团队的成员"})
        affiliation = affiliation or team.institution
    if not name:
        raise ValidationError({"name": "请填写路演人或选择发明人团队"})
    if item.presenters.filter(name=name).exists():
        raise ValidationError({"name": f"{name} 已是该专利的路演人"})
    presenter = RoadshowPresenter.objects.create(
        event=event,
        item=item,
        name=name,
        team=team,
        affiliation=clean_text(affiliation, "affiliation", 300, label="所属单位"),
        added_by=actor,
    )
    audit.record(
        "roadshows.presenter.added",
        actor=actor,
        target=presenter,
        org=event.organiser_org,
        data={
            "event": event.pk,
            "patent": item.patent.application_number,
            "name": name,
            "team": team.pk if team else None,
        },
    )
    return presenter
