"""One way for views to run a state-changing service call and tell the user how it went."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

__all__ = ["error_text", "flash_call", "safe_next"]

T = TypeVar("T")


def error_text(exc: ValidationError) -> str:
    """A ValidationError's messages as one Chinese sentence list."""
    return "；".join(exc.messages)


def flash_call(
    request: HttpRequest, call: Callable[[], T], success: str | Callable[[T], str] = ""
) -> tuple[bool, T | None]:
    """Run ``call``; a ValidationError becomes an error message (nothing was changed: services are
    atomic), otherwise ``success`` (text, or a function of the result) is shown. PermissionDenied
    passes through to the 403 handler. Returns (succeeded, result)."""
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False, None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return True, result


def safe_next(request: HttpRequest, default: str) -> str:
    """The form's ``next`` when it is a path on this site, else ``default`` (no open redirects)."""
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)
