"""Reading a JSON object from a request body or a form field, the one way every API uses.

Hostile bodies end in a Chinese ``ValidationError`` (→ 422), never a 500: too large, not UTF-8,
not JSON, nested deeper than any real request (``json`` recurses per level, so a body of 5,000
``[`` raises RecursionError inside the decoder), or not an object.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError

__all__ = ["MAX_DEPTH", "json_object"]

# No request of this API nests deeper than a few levels (a fee schedule's components are the
# deepest at 4); 32 leaves room and stops the decoder long before Python's recursion limit.
MAX_DEPTH = 32


def _depth_ok(raw: str) -> bool:
    """Whether brackets outside strings nest at most ``MAX_DEPTH`` deep (checked before decoding)."""
    depth, in_string, escaped = 0, False, False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def json_object(
    raw: bytes | str, *, max_bytes: int, field: str = "body", empty_is_object: bool = False
) -> dict[str, Any]:
    """The JSON object in ``raw``; ``ValidationError({field: 中文})`` for anything else. An empty
    body is ``{}`` when ``empty_is_object`` (endpoints whose fields are all optional)."""
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > max_bytes:
        raise ValidationError({field: f"请求内容过长（最多 {max_bytes // 1024} KB）"})
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise ValidationError({field: "请求内容应为 UTF-8 编码的 JSON 对象"}) from None
    if not text.strip():
        if empty_is_object:
            return {}
        raise ValidationError({field: "请求内容应为 JSON 对象"})
    if not _depth_ok(text):
        raise ValidationError({field: f"请求内容嵌套过深（最多 {MAX_DEPTH} 层）"})
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ValidationError({field: "请求内容应为 JSON 对象（无法解析）"}) from None
    if not isinstance(data, dict):
        raise ValidationError({field: "请求内容应为 JSON 对象"})
    return data
