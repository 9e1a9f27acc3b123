"""Writing a menu item from a candidate's snapshot (shared by composing and supplementing)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from patentbridge.menus.candidates import Candidate
from patentbridge.menus.choices import ItemStateChoices
from patentbridge.menus.models import MenuItem, PatentMenu, SupplementRequest

__all__ = ["store_item"]


def _next_rank(menu: PatentMenu) -> int:
    return int(menu.items.aggregate(m=Max("rank"))["m"] or 0) + 1


def store_item(
    menu: PatentMenu, cand: Candidate, actor: Any, *, note: str = "", request: SupplementRequest | None = None
) -> MenuItem:
    """Create (or re-include a removed) item from a candidate's snapshot."""
    values = {
        "chain": cand.chain,
        "state": ItemStateChoices.INCLUDED,
        "rank": _next_rank(menu),
        "reasons": cand.reasons,
        "detail": cand.detail,
        "grade": cand.grade,
        "high_value": cand.high_value,
        "modes_offered": cand.modes,
        "offer": cand.offer,
        "team": cand.team,
        "is_supplement": request is not None,
        "supplement": request,
        "note": note,
        "added_by": actor,
        "removed_note": "",
    }
    item, _ = MenuItem.objects.update_or_create(menu=menu, patent=cand.patent, defaults=values)
    return item
