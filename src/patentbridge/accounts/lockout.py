"""The page a locked-out login gets (django-axes calls ``lockout_response`` through AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

__all__ = ["lockout_response"]


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """HTTP 429 with the Chinese lockout page inside the site layout (no username echoed back)."""
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": max(int(cooloff.total_seconds()) // 60, 1) if cooloff else None,
    }
    return render(request, "accounts/lockout.html", context, status=429)
