"""Composing a menu (DRAFT): create it for a region and chains, add and remove items with a note,
fill it from the suggestions, and top thin chains up from the provincial 资源库 (§13
``menu_coverage``). Every change is audited in its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices
from patentbridge.accounts.regions import is_region_prefix, region_prefix
from patentbridge.core import audit
from patentbridge.menus.candidates import Candidate, availability, candidates_for, pool
from patentbridge.menus.choices import ItemStateChoices, MenuSourceChoices, MenuStateChoices
from patentbridge.menus.coverage import DEFAULT_MAX_AUTO_PER_CHAIN, min_items
from patentbridge.menus.models import GRADE_CHOICES, MenuItem, PatentMenu
from patentbridge.menus.services.common import (
    clean_text,
    locked_menu,
    org_of,
    require_composer,
    require_state,
)
from patentbridge.menus.services.items import store_item
from patentbridge.menus.services.supplement import Drawn, supplement
from patentbridge.patents.models import IndustryChain, Patent

__all__ = [
    "MAX_CHAINS",
    "ComposeResult",
    "Drawn",
    "add_item",
    "compose",
    "create_menu",
    "remove_item",
    "supplement",
]

MAX_CHAINS = 20
# Organisations a menu may go out in the name of (专利法 Art. 79: never a government body).
PUBLISHER_KINDS = (OrgKindChoices.UNIVERSITY, OrgKindChoices.OPERATION_CENTRE)


@dataclass
class ComposeResult:
    """What one compose run did: items added from the publisher's pool and supplements drawn."""

    added: list[MenuItem] = field(default_factory=list)
    supplements: list[Drawn] = field(default_factory=list)


def _publisher(actor: Any, org: Any) -> Any:
    if org is None or org.kind not in PUBLISHER_KINDS:
        raise ValidationError({"publisher_org": "专利菜单只能以高校/科研院所或运营中心的名义发布"})
    if not policies.is_platform_wide(actor):
        own = org_of(actor)
        if own is None or own.pk != org.pk:
            raise PermissionDenied("只能以本单位名义编制专利菜单")
    return org


@transaction.atomic
def create_menu(
    actor: Any,
    *,
    publisher_org: Any,
    title: str,
    target_region: str,
    chains: Iterable[IndustryChain],
    on: dt.date,
    description: str = "",
    source: str = MenuSourceChoices.OWN_LIBRARY,
    grade_min: str = "",
    high_value_only: bool = False,
    is_demo: bool = False,
) -> PatentMenu:
    """A DRAFT menu of ``publisher_org`` for ``target_region`` (GB/T 2260 prefix) and chains."""
    policies.require(actor, "menus.compose")
    org = _publisher(actor, publisher_org)
    errors: dict[str, str] = {}
    region = str(target_region or "").strip()[:12]
    if not is_region_prefix(region):
        errors["target_region"] = "目标地区应为 2、4 或 6 位行政区划代码（如 371522 莘县、3715 聊城市）"
    chosen = list(dict.fromkeys(chains))
    if not chosen:
        errors["chains"] = "请至少选择一条产业链"
    elif len(chosen) > MAX_CHAINS:
        errors["chains"] = f"一份菜单最多 {MAX_CHAINS} 条产业链"
    if source not in MenuSourceChoices.values:
        errors["source"] = "专利来源无效"
    elif source == MenuSourceChoices.RESOURCE_POOL and org.kind != OrgKindChoices.OPERATION_CENTRE:
        errors["source"] = "只有运营中心可以用省级资源库编制菜单；高校菜单不足时由系统从资源库补充"
    if grade_min not in dict(GRADE_CHOICES):
        errors["grade_min"] = "最低分级无效"
    if errors:
        raise ValidationError(errors)
    clean_title = clean_text(title, "title", 200, required=True, label="菜单名称")
    minimum, _ = min_items(as_of=on, region_code=region)
    menu = PatentMenu.objects.create(
        publisher_org=org,
        title=clean_title,
        description=clean_text(description, "description", 5000, label="说明"),
        source=source,
        target_region=region_prefix(region),
        grade_min=grade_min,
        high_value_only=bool(high_value_only),
        min_per_chain=minimum,
        is_demo=is_demo,
        created_by=actor,
    )
    menu.target_chains.set(chosen)
    audit.record(
        "menus.menu.created",
        actor=actor,
        target=menu,
        org=org,
        data={
            "after": {
                "title": menu.title,
                "target_region": menu.target_region,
                "chains": [c.code for c in chosen],
                "source": source,
                "grade_min": grade_min,
                "high_value_only": menu.high_value_only,
                "min_per_chain": minimum,
            },
            "on": on.isoformat(),
        },
    )
    return menu


@transaction.atomic
def add_item(
    actor: Any,
    menu: PatentMenu,
    patent: Patent,
    *,
    on: dt.date,
    chain: IndustryChain | None = None,
    note: str = "",
) -> MenuItem:
    """The composer adds one patent of the menu's pool (its suggestion reasons are frozen on the
    item); a patent that fits none of the chains needs ``chain`` named by the composer."""
    menu = locked_menu(menu)
    require_composer(actor, menu)
    require_state(menu, MenuStateChoices.DRAFT, doing="修改条目")
    note = clean_text(note, "note", 500, label="备注")
    if not pool(menu).filter(pk=patent.pk).exists():
        raise ValidationError(
            {
                "patent": f"专利 {patent.application_number} 不在本菜单的专利来源中（须为发布单位已入库的专利；"
                "其他单位的专利由资源库补充加入）"
            }
        )
    blocked = availability([patent], on).get(patent.pk)
    if blocked:
        raise ValidationError({"patent": f"专利 {patent.application_number} 不能列入菜单：{blocked}"})
    existing = MenuItem.objects.filter(menu=menu, patent=patent).first()
    if existing is not None and existing.state == ItemStateChoices.INCLUDED:
        raise ValidationError({"patent": f"专利 {patent.application_number} 已在菜单中"})
    targets = list(menu.target_chains.order_by("position", "code"))
    if chain is not None and chain not in targets:
        raise ValidationError({"chain": "所选产业链不是本菜单的目标产业链"})
    found = candidates_for(
        menu, as_of=on, chains=[chain] if chain else targets, only=[patent.pk], keep_unfitted=True
    )
    cand = found[0] if found else Candidate(patent=patent, chain=chain)
    if cand.chain is None:
        if chain is None:
            raise ValidationError({"chain": "该专利未归入本菜单的产业链，也未回应本地需求：请指定所属产业链"})
        cand.chain = chain
    cand.reasons = [*cand.reasons, "发布单位人工加入"]
    item = store_item(menu, cand, actor, note=note)
    audit.record(
        "menus.item.added",
        actor=actor,
        target=item,
        org=menu.publisher_org,
        data={
            "menu": menu.pk,
            "patent": patent.application_number,
            "chain": cand.chain.code if cand.chain else "",
            "note": note,
            "readded": existing is not None,
        },
    )
    return item


@transaction.atomic
def remove_item(actor: Any, item: MenuItem, *, note: str) -> MenuItem:
    """The composer takes an item off the draft with a reason; it is not suggested again."""
    menu = locked_menu(item.menu)
    require_composer(actor, menu)
    require_state(menu, MenuStateChoices.DRAFT, doing="修改条目")
    note = clean_text(note, "note", 500, required=True, label="移出理由")
    item = MenuItem.objects.select_for_update().get(pk=item.pk)
    if item.state != ItemStateChoices.INCLUDED:
        raise ValidationError({"item": "该条目已移出"})
    item.state, item.removed_note = ItemStateChoices.REMOVED, note
    item.save(update_fields=["state", "removed_note"])
    audit.record(
        "menus.item.removed",
        actor=actor,
        target=item,
        org=menu.publisher_org,
        data={"menu": menu.pk, "patent": item.patent.application_number, "note": note},
    )
    return item


@transaction.atomic
def compose(
    actor: Any, menu: PatentMenu, *, on: dt.date, per_chain: int = DEFAULT_MAX_AUTO_PER_CHAIN
) -> ComposeResult:
    """Fill each chain of the draft with the best suggestions up to ``per_chain`` items (patents
    once removed stay out), then top thin chains up from the 资源库."""
    menu = locked_menu(menu)
    require_composer(actor, menu)
    require_state(menu, MenuStateChoices.DRAFT, doing="组菜单")
    per_chain = max(1, min(int(per_chain), 50))
    result = ComposeResult()
    on_menu = set(menu.items.values_list("patent_id", flat=True))
    for chain in menu.target_chains.order_by("position", "code"):
        have = menu.items.filter(chain=chain, state=ItemStateChoices.INCLUDED).count()
        for cand in candidates_for(menu, as_of=on, chains=[chain], exclude=on_menu)[
            : max(0, per_chain - have)
        ]:
            result.added.append(store_item(menu, cand, actor))
            on_menu.add(cand.patent.pk)
    if result.added:
        audit.record(
            "menus.menu.composed",
            actor=actor,
            target=menu,
            org=menu.publisher_org,
            data={"patents": [i.patent.application_number for i in result.added], "on": on.isoformat()},
        )
    result.supplements = supplement(actor, menu, on=on)
    return result
