"""Template context for the navigation: the organisation's unread notification count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from patentbridge.site.notifications import unread_count

__all__ = ["notification_badge"]


def notification_badge(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications`` for the signed-in user's organisation (0 when signed out)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
