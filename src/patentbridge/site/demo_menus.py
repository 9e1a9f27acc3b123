"""The demo's patent menu (transactions-and-analytics.md §5.e), made through the menu services as
the people involved would: 山东农业大学's TTO composes a menu for 宁阳县 (370921) on the
现代高效农业 chain (the chain most of its patents fall into, and the county's 农机装备 and 食品加工
firms' chain), the county officer selects items for the county's industries, the TTO pushes them in
the university's name to the two 宁阳 demo enterprises, the food firm opens the menu, marks an item
有意向 and asks for a free trial, the machinery firm opens it and marks an item 不相关 with a reason.

The bundled 泰安 records of 山东农业大学 carry no legal status (demo_data/README.md), so none is
offerable and the menu is filled from the provincial 资源库 (补充推送) — the loader says so. The
trial needs a published offer: the supplemented patent's owner publishes one (a six-month free
trial targeted at 泰安市) through the licensing services first.

Every record is labelled: the menu and offer titles end with （演示）, ``is_demo`` is set. Dates
are relative to the load day. A rerun finds each record by its label and adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from patentbridge.accounts.choices import RoleChoices
from patentbridge.accounts.models import Membership, Organization
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceApplication, LicenceOffer
from patentbridge.licensing.services import offers
from patentbridge.menus.choices import ItemStateChoices, NotRelevantReasonChoices
from patentbridge.menus.funnel import funnel
from patentbridge.menus.models import MenuDelivery, MenuItem, MenuSelection, PatentMenu
from patentbridge.menus.services import compose, inbox, release
from patentbridge.patents.models import IndustryChain
from patentbridge.site.demo_orgs import user
from patentbridge.site.demo_steps import run_demo_step

__all__ = [
    "CHAIN",
    "FOOD_FIRM",
    "MACHINERY_FIRM",
    "MENU_TITLE",
    "OFFER_SUFFIX",
    "REGION",
    "SELECTED",
    "demo_menu",
    "load_menus_demo",
]

MENU_TITLE = "山东农业大学 · 宁阳县现代高效农业专利菜单（演示）"
# Not ending like the licensing demo's offer titles, which that demo finds by suffix.
OFFER_SUFFIX = "宁阳县专利菜单配套 · 先免费试用再付费许可（演示）"
REGION = "370921"
CHAIN = "AGRI"
# Items the county officer selects (the first ones by rank), and the two firms the menu reaches.
SELECTED = 4
FOOD_FIRM = "ent_ningyang_food"
MACHINERY_FIRM = "ent_ningyang"
_FAILURES = (LicensingRefused, ValidationError, PermissionDenied)
# The offer's pre-agreed paid terms: ¥30,000 entry fee at conversion + 2.5 % of net sales.
_PAID_TERMS = {
    "free": False,
    "components": [
        {"type": "entry_fee", "amount": "30000.00", "due": "conversion"},
        {
            "type": "royalty",
            "base": "net_sales",
            "kind": "fixed",
            "rates": [{"from_year": 1, "rate": "0.025"}],
            "min_annual": None,
            "cap_annual": None,
            "cap_total": None,
            "report_period": "quarter",
            "pay_within_days": 30,
        },
    ],
}


def demo_menu() -> PatentMenu | None:
    """The demo menu, when it has been made."""
    return PatentMenu.objects.filter(is_demo=True, title=MENU_TITLE).first()


def _org(username: str) -> Organization:
    return Organization.objects.get(memberships__user=user(username))


def _manager(org: Organization) -> Any:
    """A TTO member of ``org``, or the platform operator acting on its behalf."""
    member = Membership.objects.filter(org=org, role=RoleChoices.TTO).select_related("user").first()
    return member.user if member is not None else user("operator")


def _menu(today: dt.date) -> PatentMenu:
    found = demo_menu()
    if found is not None:
        return found
    tto = user("tto_sdau")
    chain = IndustryChain.objects.get(code=CHAIN)
    menu = compose.create_menu(
        tto,
        publisher_org=_org("tto_sdau"),
        title=MENU_TITLE,
        target_region=REGION,
        chains=[chain],
        on=today - dt.timedelta(days=30),
        description="演示数据：面向宁阳县农机装备、食品加工企业的专利菜单，由平台演示流程生成。",
        is_demo=True,
    )
    compose.compose(tto, menu, on=today - dt.timedelta(days=30))
    return menu


def _selected(menu: PatentMenu) -> list[MenuItem]:
    return list(
        menu.items.filter(state=ItemStateChoices.INCLUDED).select_related("patent").order_by("rank", "pk")
    )


def _food_item(items: list[MenuItem]) -> MenuItem:
    """The item the food firm wants: a food-science patent (IPC A23) when there is one."""
    return next((i for i in items if any(str(c).startswith("A23") for c in i.patent.ipc or [])), items[0])


def _offer(item: MenuItem, today: dt.date) -> LicenceOffer | None:
    """A published six-month trial offer of the item's owner (made when missing)."""
    found = LicenceOffer.objects.filter(is_demo=True, title__endswith=OFFER_SUFFIX).first()
    if found is not None:
        return found
    owner = item.patent.owner_org
    if owner is None:
        return None
    actor, on = _manager(owner), today - dt.timedelta(days=27)
    made = offers.create_offer(
        actor,
        publisher_org=owner,
        patents=[item.patent],
        on=on,
        is_demo=True,
        title=f"{owner.name} · {OFFER_SUFFIX}",
        description="演示数据：由平台演示流程生成的定向许可项目，不是真实的许可要约。",
        modes=["trial_then_paid"],
        licence_kind="ordinary",
        target_regions=["3709"],
        trial_months=6,
        trial_usage_report_required=True,
        trial_conversion_mode="pre_agreed",
        paid_terms=_PAID_TERMS,
        price_method="agreement",
    )
    made = offers.offer_step(actor, made, "submit", on=on)
    return offers.offer_step(actor, made, "approve", on=on)


def _delivery(menu: PatentMenu, item: MenuItem, username: str) -> MenuDelivery:
    return MenuDelivery.objects.get(menu=menu, item=item, enterprise=_org(username))


def _build(today: dt.date) -> str:
    menu = _menu(today)
    items = _selected(menu)
    if not items:
        # Raised, not returned: the empty draft menu is rolled back with the transaction.
        raise ValidationError({"items": "宁阳县现代高效农业链在资源库中没有可列入菜单的专利"})
    tto, officer = user("tto_sdau"), user("county")
    if menu.state == "draft":
        release.publish(tto, menu, on=today - dt.timedelta(days=29))
    if not MenuSelection.objects.filter(menu=menu).exists():
        release.select_items(
            officer,
            menu,
            items=[i.pk for i in items[:SELECTED]],
            on=today - dt.timedelta(days=28),
            note="结合宁阳县农机装备、食品加工产业遴选（演示）",
        )
    selected = list(
        MenuSelection.objects.get(menu=menu).items.select_related("patent").order_by("rank", "pk")
    )
    food = _food_item(selected)
    offer = _offer(food, today)
    if not menu.pushes.exists():
        release.push(
            tto,
            menu,
            enterprises=[_org(FOOD_FIRM).pk, _org(MACHINERY_FIRM).pk],
            on=today - dt.timedelta(days=25),
            note="以山东农业大学名义推送（演示）",
        )
    viewed = today - dt.timedelta(days=20)
    inbox.mark_viewed(user(FOOD_FIRM), menu, on=viewed)
    inbox.mark_viewed(user(MACHINERY_FIRM), menu, on=viewed)
    wanted = _delivery(menu, food, FOOD_FIRM)
    if not wanted.response:
        inbox.respond(
            user(FOOD_FIRM),
            wanted,
            verdict="interested",
            on=viewed,
            note="可用于本企业功能性食品配料（演示）",
        )
    if offer is not None and wanted.application_id is None:
        application = inbox.request_trial(user(FOOD_FIRM), wanted, on=today - dt.timedelta(days=18))
        # Label only (the menu service takes no is_demo): the application is a demo record.
        LicenceApplication.objects.filter(pk=application.pk).update(is_demo=True)
    other = next((i for i in reversed(selected) if i.pk != food.pk), None)
    if other is not None:
        refused = _delivery(menu, other, MACHINERY_FIRM)
        if not refused.response:
            inbox.respond(
                user(MACHINERY_FIRM),
                refused,
                verdict="not_relevant",
                reason=NotRelevantReasonChoices.TECH_MISMATCH,
                on=viewed,
                note="与本企业农机装备主业不符（演示）",
            )
    row = funnel(menu.deliveries.select_related("item__patent", "item__chain", "enterprise"))
    counts = row.counts
    own = sum(1 for i in items if not i.is_supplement)
    note = "" if own else "；山东农业大学的演示专利无法律状态，菜单全部由资源库补充"
    return (
        f"{len(items)} 件专利（遴选 {len(selected)} 件）{note}；送达 {counts['delivered']}，查看 {counts['viewed']}，"
        f"有意向 {counts['interested']}，不相关 {row.not_relevant}，申请试用 {counts['trial_requested']}"
    )


def load_menus_demo(stdout: Any, *, today: dt.date | None = None) -> None:
    """Build (or complete) the demo menu in one transaction and print its funnel; a refusal is
    printed with its reason and leaves nothing half-made."""
    day = today or timezone.localdate()
    run_demo_step(stdout, "专利菜单（演示）", lambda: _build(day))
