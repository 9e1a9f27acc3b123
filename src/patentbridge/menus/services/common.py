"""What every menu service checks: the actor's right over the menu, the menu's state, text limits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.accounts import policies
from patentbridge.core.ids import MAX_PK
from patentbridge.core.restrict import restrict
from patentbridge.menus.models import PatentMenu

__all__ = ["clean_ids", "clean_text", "locked_menu", "org_of", "require_composer", "require_state"]


def org_of(user: Any) -> Any:
    member = policies.membership_of(user)
    return None if member is None else member.org


def require_composer(actor: Any, menu: PatentMenu, action: str = "menus.compose") -> None:
    """The publisher's TTO or a platform role, holding ``action``."""
    policies.require(actor, action)
    if not restrict(PatentMenu.objects.filter(pk=menu.pk), actor, "change").exists():
        raise PermissionDenied("只能处理本单位发布的专利菜单")


def require_state(menu: PatentMenu, *states: str, doing: str) -> None:
    if menu.state not in states:
        raise ValidationError({"state": f"专利菜单当前为「{menu.get_state_display()}」，不能{doing}"})


def locked_menu(menu: PatentMenu) -> PatentMenu:
    """The menu row locked for the rest of the transaction (two composers never interleave)."""
    return PatentMenu.objects.select_for_update().get(pk=menu.pk)


def clean_text(value: Any, name: str, limit: int, *, required: bool = False, label: str = "") -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({name: f"请填写{label or '该项'}"})
    if len(text) > limit:
        raise ValidationError({name: f"{label or '该项'}最多 {limit} 个字符"})
    return text


def clean_ids(values: Any, field: str, message: str) -> list[int]:
    """Distinct positive ids of a posted list, in order; anything else is a ValidationError."""
    try:
        ids = [int(str(v).strip()[:25]) for v in list(values or [])[:5000]]
    except (TypeError, ValueError):
        raise ValidationError({field: message}) from None
    if any(not 0 < pk < MAX_PK for pk in ids):
        raise ValidationError({field: message})
    return list(dict.fromkeys(ids))
