"""Content-Security-Policy header on every response (a small middleware instead of a dependency).

Django 5.2 has no built-in CSP. The policy comes from ``settings.CONTENT_SECURITY_POLICY`` (see
``settings/security.py``); scripts are only the vendored static files, so no inline script runs even if
an attacker gets markup into a page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

__all__ = ["ContentSecurityPolicyMiddleware"]


class ContentSecurityPolicyMiddleware:
    """Adds ``Content-Security-Policy`` unless the view set its own (or the setting is empty)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
