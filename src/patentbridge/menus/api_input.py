"""Reading the menu API's request bodies and query parameters with Chinese refusals.

The routes take the raw body instead of a typed ninja schema: a schema would refuse a wrong shape
before the route with pydantic's English messages ("Input should be a valid list"). Here every
problem is a ``ValidationError`` naming the field in Chinese, which the API answers with 422."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from patentbridge.core.jsonbody import json_object

__all__ = ["MenuInput", "page_params", "parse_menu_body"]

# Longest body accepted: a menu request is a few hundred bytes; anything huge is not one.
MAX_BODY = 64 * 1024
_TEXT = {"title": 200, "target_region": 12, "source": 20, "grade_min": 1, "description": 5000}
_LABELS = {
    "title": "菜单名称",
    "target_region": "目标地区",
    "source": "专利来源",
    "grade_min": "最低分级",
    "description": "说明",
}
# Every field POST /api/menus reads; a misspelt one (``grade_minimum``) would otherwise be dropped
# silently and the caller would believe the filter applied.
KNOWN_FIELDS = (*_TEXT, "chains", "publisher_org", "high_value_only", "compose")


@dataclass(frozen=True)
class MenuInput:
    """A new menu as the API caller asked for it (the services check the rules)."""

    title: str
    target_region: str
    chains: list[str]
    publisher_org: int | None = None
    source: str = "own_library"
    grade_min: str = ""
    high_value_only: bool = False
    description: str = ""
    compose: bool = False


def _text(data: dict[str, Any], name: str, errors: dict[str, str], *, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = f"{_LABELS[name]}应为文字"
        return ""
    if required and not value.strip():
        errors[name] = f"请填写{_LABELS[name]}"
    elif len(value) > _TEXT[name]:
        errors[name] = f"{_LABELS[name]}最多 {_TEXT[name]} 个字符"
    return value


def _flag(data: dict[str, Any], name: str, label: str, errors: dict[str, str]) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        errors[name] = f"{label}应为 true 或 false"
        return False
    return value


def parse_menu_body(body: bytes) -> MenuInput:
    """The JSON object of ``POST /api/menus``; ValidationError lists every problem by field."""
    data = json_object(body, max_bytes=MAX_BODY)
    errors: dict[str, str] = {}
    unknown = sorted(str(key)[:40] for key in data if key not in KNOWN_FIELDS)
    if unknown:
        errors["body"] = f"不认识的字段：{'、'.join(unknown[:10])}（可用字段：{'、'.join(KNOWN_FIELDS)}）"
    title = _text(data, "title", errors, required=True)
    region = _text(data, "target_region", errors, required=True)
    chains = data.get("chains")
    if not isinstance(chains, list) or not all(isinstance(c, str) for c in chains):
        errors["chains"] = '产业链应为代码列表，如 ["GLC"]'
        chains = []
    elif len(chains) > 50:
        errors["chains"] = "产业链最多 50 条"
    publisher = data.get("publisher_org")
    if publisher is not None and (isinstance(publisher, bool) or not isinstance(publisher, int)):
        errors["publisher_org"] = "发布单位应为机构编号（整数）"
        publisher = None
    values = MenuInput(
        title=title,
        target_region=region,
        chains=[str(c)[:20] for c in chains],
        publisher_org=publisher,
        source=_text(data, "source", errors) or "own_library",
        grade_min=_text(data, "grade_min", errors),
        high_value_only=_flag(data, "high_value_only", "仅高价值发明专利", errors),
        description=_text(data, "description", errors),
        compose=_flag(data, "compose", "按建议组菜单", errors),
    )
    if errors:
        raise ValidationError(errors)
    return values


def page_params(page: str, page_size: str, *, max_size: int) -> tuple[int, int]:
    """(page, size) from query text: positive integers, the size capped at ``max_size``."""
    try:
        number, size = int(str(page).strip()[:9]), int(str(page_size).strip()[:9])
    except ValueError:
        raise ValidationError({"page": "页码和每页条数应为正整数"}) from None
    return max(1, min(number, 10_000)), max(1, min(size, max_size))
