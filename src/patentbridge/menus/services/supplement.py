"""补充推送 from the provincial 资源库 (guide §5.d step 4; §13 ``menu_coverage``): a chain of the
target region with fewer fitting patents in the publisher's own library than the minimum gets the
shortfall from other organisations' in-library patents of the same chain, flagged and logged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from patentbridge.core import audit
from patentbridge.menus.candidates import candidates_for
from patentbridge.menus.choices import ItemStateChoices, MenuSourceChoices, MenuStateChoices
from patentbridge.menus.coverage import menu_coverage
from patentbridge.menus.models import MenuItem, PatentMenu, SupplementRequest
from patentbridge.menus.services.common import locked_menu, require_composer, require_state
from patentbridge.menus.services.items import store_item

__all__ = ["Drawn", "supplement"]


@dataclass(frozen=True)
class Drawn:
    """One chain's supplement in this run: the logged request and the items it added now."""

    request: SupplementRequest
    added: list[MenuItem]


@transaction.atomic
def supplement(actor: Any, menu: PatentMenu, *, on: dt.date) -> list[Drawn]:
    """补充推送: for each chain whose fitting patents in the publisher's own library number fewer
    than the menu's minimum, draw the shortfall from other organisations' in-library patents in
    the same chain, flag them as supplements and log the request. Runs again harmlessly: a chain
    already topped up (or whose pool has nothing more) is left alone; a first run that finds
    nothing in the pool still logs the shortfall."""
    menu = locked_menu(menu)
    require_composer(actor, menu)
    require_state(menu, MenuStateChoices.DRAFT, doing="从资源库补充")
    if menu.source != MenuSourceChoices.OWN_LIBRARY:
        return []
    chains = list(menu.target_chains.order_by("position", "code"))
    found = {c.code: len(candidates_for(menu, as_of=on, chains=[c])) for c in chains}
    by_code = {c.code: c for c in chains}
    made: list[Drawn] = []
    for short in menu_coverage(menu.target_region, found, menu.min_per_chain):
        chain = by_code[short.chain]
        request = SupplementRequest.objects.filter(menu=menu, chain=chain).first()
        have = menu.items.filter(chain=chain, is_supplement=True, state=ItemStateChoices.INCLUDED).count()
        wanted = short.shortfall - have
        if wanted <= 0:
            continue
        on_menu = set(menu.items.values_list("patent_id", flat=True))
        drawn = candidates_for(menu, as_of=on, chains=[chain], supplement=True, exclude=on_menu)[:wanted]
        if request is not None and not drawn:
            continue
        if request is None:
            request = SupplementRequest.objects.create(
                menu=menu,
                region_code=menu.target_region,
                chain=chain,
                chain_name=chain.name,
                minimum=short.minimum,
                found=short.found,
                shortfall=short.shortfall,
                created_by=actor,
            )
        items = [store_item(menu, cand, actor, request=request) for cand in drawn]
        request.filled = have + len(items)
        request.note = (
            f"资源库中仅找到 {request.filled} 件符合条件的专利，仍缺 {short.shortfall - request.filled} 件"
            if request.filled < short.shortfall
            else ""
        )
        request.save(update_fields=["filled", "note"])
        audit.record(
            "menus.supplement.drawn",
            actor=actor,
            target=request,
            org=menu.publisher_org,
            data={
                "menu": menu.pk,
                "region": menu.target_region,
                "chain": chain.code,
                "found": short.found,
                "minimum": short.minimum,
                "shortfall": short.shortfall,
                "patents": [i.patent.application_number for i in items],
                "on": on.isoformat(),
            },
        )
        made.append(Drawn(request, items))
    return made
