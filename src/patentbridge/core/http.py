"""Request types for annotations: what the middleware and ``login_required`` add to ``HttpRequest``.

Only for type checkers (django-stubs' documented pattern); at runtime every view still receives a
plain ``HttpRequest``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_htmx.middleware import HtmxDetails

__all__ = ["AuthenticatedHttpRequest", "HtmxHttpRequest"]


class HtmxHttpRequest(HttpRequest):
    """A request that went through ``django_htmx.middleware.HtmxMiddleware``."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required``: ``user`` is a real user, never ``AnonymousUser``."""

    user: User
