"""Releasing a menu: publish (DRAFT → PUBLISHED), the county's selection (遴选) by the officer of
the target region, the bulk push to the region's enterprises in the publisher's name, and close.
Every step is audited in its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices, RoleChoices
from patentbridge.accounts.models import Membership, Organization
from patentbridge.accounts.regions import orgs_within, region_of, within
from patentbridge.core import audit
from patentbridge.core.models import Notification
from patentbridge.menus.access import officer_may_act
from patentbridge.menus.candidates import availability
from patentbridge.menus.choices import ItemStateChoices, MenuStateChoices
from patentbridge.menus.coverage import repush_days
from patentbridge.menus.models import MenuDelivery, MenuItem, MenuPush, MenuSelection, PatentMenu
from patentbridge.menus.services.common import (
    clean_ids,
    clean_text,
    locked_menu,
    org_of,
    require_composer,
    require_state,
)

__all__ = [
    "MAX_RECIPIENTS",
    "close_menu",
    "officers_for",
    "publish",
    "push",
    "region_enterprises",
    "select_items",
]

# Enterprises one push may reach: a county has a few hundred that matter; more is a mistake.
MAX_RECIPIENTS = 500


def _included(menu: PatentMenu) -> list[MenuItem]:
    return list(menu.items.filter(state=ItemStateChoices.INCLUDED).select_related("patent"))


@transaction.atomic
def publish(actor: Any, menu: PatentMenu, *, on: dt.date) -> PatentMenu:
    """DRAFT → PUBLISHED: the menu becomes visible to the officer of its region; every item must
    still be offerable on ``on``."""
    menu = locked_menu(menu)
    require_composer(actor, menu, "menus.publish")
    require_state(menu, MenuStateChoices.DRAFT, doing="发布")
    items = _included(menu)
    if not items:
        raise ValidationError({"items": "菜单中没有专利，不能发布"})
    blocked = availability([i.patent for i in items], on)
    if blocked:
        first = next(i for i in items if i.patent.pk in blocked)
        raise ValidationError(
            {
                "items": f"专利 {first.patent.application_number} 已不能列入菜单：{blocked[first.patent.pk]}；请先移出"
            }
        )
    menu.state, menu.published_on, menu.published_at = MenuStateChoices.PUBLISHED, on, timezone.now()
    menu.save(update_fields=["state", "published_on", "published_at"])
    audit.record(
        "menus.menu.published",
        actor=actor,
        target=menu,
        org=menu.publisher_org,
        data={
            "before": {"state": MenuStateChoices.DRAFT},
            "after": {"state": menu.state},
            "items": len(items),
            "on": on.isoformat(),
        },
    )
    return menu


@transaction.atomic
def close_menu(actor: Any, menu: PatentMenu, *, on: dt.date) -> PatentMenu:
    """PUBLISHED → CLOSED: no more pushes; deliveries and the funnel stay."""
    menu = locked_menu(menu)
    require_composer(actor, menu, "menus.publish")
    require_state(menu, MenuStateChoices.PUBLISHED, doing="关闭")
    menu.state, menu.closed_on = MenuStateChoices.CLOSED, on
    menu.save(update_fields=["state", "closed_on"])
    audit.record(
        "menus.menu.closed",
        actor=actor,
        target=menu,
        org=menu.publisher_org,
        data={
            "before": {"state": MenuStateChoices.PUBLISHED},
            "after": {"state": menu.state},
            "on": on.isoformat(),
        },
    )
    return menu


def officers_for(menu: PatentMenu) -> list[Any]:
    """Memberships of gov_officers whose region contains the menu's target region."""
    members = Membership.objects.filter(role=RoleChoices.GOV_OFFICER).select_related("org")
    return [
        m
        for m in members
        if region_of(m.org).prefix and menu.target_region.startswith(region_of(m.org).prefix)
    ]


@transaction.atomic
def select_items(
    actor: Any, menu: PatentMenu, *, items: Iterable[int], on: dt.date, note: str = ""
) -> MenuSelection:
    """县域遴选: the officer of the target region picks the items that fit the county's
    industries. It selects only — it does not recommend, and the push is sent by the publisher.
    The selection may change until the first push."""
    policies.require(actor, "menus.select")
    menu = locked_menu(menu)
    if not officer_may_act(actor, menu.target_region):
        raise PermissionDenied("只能遴选本辖区的专利菜单")
    require_state(menu, MenuStateChoices.PUBLISHED, doing="遴选")
    if menu.pushes.exists():
        raise ValidationError({"items": "菜单已按遴选结果推送，遴选不能再修改"})
    wanted = set(clean_ids(items, "items", "遴选条目无效"))
    included = {i.pk: i for i in _included(menu)}
    unknown = wanted - set(included)
    if unknown:
        raise ValidationError({"items": "所选条目不在本菜单中"})
    if not wanted:
        raise ValidationError({"items": "请至少遴选一件专利"})
    note = clean_text(note, "note", 1000, label="遴选说明")
    officer_org = org_of(actor)
    selection = MenuSelection.objects.filter(menu=menu).first()
    before = sorted(selection.items.values_list("pk", flat=True)) if selection else []
    if selection is None:
        selection = MenuSelection(menu=menu)
    selection.region_code = region_of(officer_org).prefix
    selection.selector_org, selection.selected_by = officer_org, actor
    selection.note, selection.selected_on = note, on
    selection.save()
    selection.items.set([included[pk] for pk in wanted])
    audit.record(
        "menus.selection.saved",
        actor=actor,
        target=menu,
        org=officer_org,
        data={
            "before": {"items": before},
            "after": {"items": sorted(wanted)},
            "patents": sorted(included[pk].patent.application_number for pk in wanted),
            "note": note,
            "on": on.isoformat(),
        },
    )
    return selection


def region_enterprises(menu: PatentMenu) -> list[Organization]:
    """Enterprises whose region (kept, or derived from the USCC) lies in the menu's target region."""
    return orgs_within(
        Organization.objects.filter(kind=OrgKindChoices.ENTERPRISE).order_by("name"), menu.target_region
    )


def _recipients(menu: PatentMenu, enterprise_ids: Iterable[Any]) -> list[Organization]:
    ids = clean_ids(enterprise_ids, "enterprises", "企业选择无效")
    if not ids:
        raise ValidationError({"enterprises": "请选择要推送的企业"})
    if len(ids) > MAX_RECIPIENTS:
        raise ValidationError({"enterprises": f"一次最多推送 {MAX_RECIPIENTS} 家企业"})
    orgs = list(Organization.objects.filter(pk__in=ids, kind=OrgKindChoices.ENTERPRISE).order_by("name"))
    if len(orgs) != len(ids):
        raise ValidationError({"enterprises": "只能推送给平台上的企业"})
    outside = [o.name for o in orgs if not within(region_of(o).code, menu.target_region)]
    if outside:
        raise ValidationError({"enterprises": f"以下企业不在菜单的目标地区内：{'、'.join(outside[:10])}"})
    return orgs


def _items_to_push(menu: PatentMenu) -> tuple[list[MenuItem], bool]:
    selection = MenuSelection.objects.filter(menu=menu).first()
    if selection is not None:
        return list(selection.items.filter(state=ItemStateChoices.INCLUDED).select_related("patent")), True
    if officers_for(menu):
        raise ValidationError({"items": "目标地区的政府部门尚未遴选，遴选后才能推送"})
    # No officer of the region is on the platform: the whole menu goes out.
    return _included(menu), False


@transaction.atomic
def push(
    actor: Any, menu: PatentMenu, *, enterprises: Iterable[Any], on: dt.date, note: str = ""
) -> MenuPush:
    """Deliver the selected items (the whole menu when the region has no officer on the platform)
    to chosen enterprises of the target region, in the publisher's name. An item already
    delivered to an enterprise, or the same patent pushed to it by any menu within the re-push
    window, is skipped and listed."""
    menu = locked_menu(menu)
    require_composer(actor, menu, "menus.push")
    require_state(menu, MenuStateChoices.PUBLISHED, doing="推送")
    note = clean_text(note, "note", 1000, label="推送说明")
    recipients = _recipients(menu, enterprises)
    items, used_selection = _items_to_push(menu)
    if not items:
        raise ValidationError({"items": "没有可推送的条目"})
    window, _ = repush_days(as_of=on, region_code=menu.target_region)
    since = on - dt.timedelta(days=window)
    recent = set(
        MenuDelivery.objects.filter(
            enterprise__in=recipients, item__patent__in=[i.patent for i in items], delivered_on__gt=since
        ).values_list("enterprise_id", "item__patent_id")
    )
    # This menu's item reached the enterprise already (whenever): never twice.
    done = set(
        MenuDelivery.objects.filter(enterprise__in=recipients, item__in=items).values_list(
            "enterprise_id", "item_id"
        )
    )
    now = timezone.now()
    rows: list[MenuDelivery] = []
    skipped: list[dict[str, str]] = []
    record = MenuPush(menu=menu, used_selection=used_selection, note=note, sent_by=actor, sent_on=on)
    record.save()
    for org in recipients:
        for item in items:
            if (org.pk, item.patent_id) in recent or (org.pk, item.pk) in done:
                skipped.append({"enterprise": org.name, "patent": item.patent.application_number})
                continue
            rows.append(
                MenuDelivery(
                    push=record, menu=menu, item=item, enterprise=org, delivered_on=on, delivered_at=now
                )
            )
    MenuDelivery.objects.bulk_create(rows)
    record.item_count, record.recipient_count = len(items), len(recipients)
    record.delivery_count, record.skipped = len(rows), skipped
    record.save(update_fields=["item_count", "recipient_count", "delivery_count", "skipped"])
    reached = sorted({r.enterprise_id for r in rows})
    url = reverse("menus:inbox_menu", args=[menu.pk])
    Notification.objects.bulk_create(
        [
            Notification(
                org_id=pk, message=f"{menu.publisher_org.name}向贵单位推送了专利菜单《{menu.title}》", url=url
            )
            for pk in reached
        ]
    )
    audit.record(
        "menus.menu.pushed",
        actor=actor,
        target=menu,
        org=menu.publisher_org,
        data={
            "push": record.pk,
            "enterprises": [o.name for o in recipients],
            "patents": [i.patent.application_number for i in items],
            "deliveries": len(rows),
            "skipped": skipped,
            "used_selection": used_selection,
            "repush_days": window,
            "on": on.isoformat(),
        },
    )
    return record
