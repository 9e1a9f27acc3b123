"""Reading the pool API's JSON bodies with Chinese refusals (a typed ninja schema would refuse a
wrong shape with pydantic's English messages): every problem is a ``ValidationError`` naming the
field, which the API answers with 422."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from patentbridge.core.jsonbody import json_object

__all__ = ["body", "date_field", "flag", "page_params", "text"]

MAX_BODY = 64 * 1024


def body(raw: bytes) -> dict[str, Any]:
    """The JSON object of the request (an empty body is an empty object)."""
    return json_object(raw, max_bytes=MAX_BODY, empty_is_object=True)


def text(data: dict[str, Any], name: str, label: str, limit: int = 200, *, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str | int):
        raise ValidationError({name: f"{label}应为文字"})
    value = str(value).strip()
    if required and not value:
        raise ValidationError({name: f"请填写{label}"})
    if len(value) > limit:
        raise ValidationError({name: f"{label}最多 {limit} 个字符"})
    return value


def flag(data: dict[str, Any], name: str, label: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise ValidationError({name: f"{label}应为 true 或 false"})
    return value


def date_field(data: dict[str, Any], name: str, label: str, default: dt.date) -> dt.date:
    raw = text(data, name, label, 10)
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: f"{label}格式应为 年-月-日（如 {default.isoformat()}）"}) from None


def page_params(page: str, page_size: str, *, max_size: int) -> tuple[int, int]:
    """(page, size) from query text, as the other list endpoints read them: positive integers,
    the page capped at 10,000 and the size at ``max_size``; anything else is a Chinese 422."""
    try:
        number, size = int(str(page).strip()[:9]), int(str(page_size).strip()[:9])
    except ValueError:
        raise ValidationError({"page": "页码和每页条数应为正整数"}) from None
    return max(1, min(number, 10_000)), max(1, min(size, max_size))
