"""Template context for the navigation: the enterprise's count of unseen pushed patents."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from patentbridge.matching.inbox import unseen_items

__all__ = ["inbox_badge"]


def inbox_badge(request: HttpRequest) -> dict[str, Any]:
    """``unread_inbox``: pushed patents the user's enterprise has not opened yet (0 for other roles)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_inbox": 0}
    return {"unread_inbox": unseen_items(user).count()}
