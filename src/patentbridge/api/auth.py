"""API authentication: the browser session (with CSRF) or a bearer token."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from patentbridge.accounts.models import ApiToken
from patentbridge.accounts.tokens import touch_token

__all__ = ["BrowserSessionAuth", "TokenAuth", "api_auth"]


class BrowserSessionAuth(SessionAuth):
    """The browser's session, CSRF-checked. A request without a session cookie, or one that
    carries an ``Authorization`` header, is not a browser session: this step steps aside and the
    bearer token decides. (Ninja's own SessionAuth runs the CSRF check first and raises, which
    refused every token-authenticated write before the token was looked at.) A cross-site form
    cannot set an Authorization header, so the CSRF protection of cookie sessions is unchanged."""

    def __call__(self, request: HttpRequest) -> Any:
        if "authorization" in request.headers or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer pb_…``; the token's user becomes ``request.user``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user", "user__membership")
            .filter(key_hash=ApiToken.hash_key(token))
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        touch_token(found)
        request.user = found.user
        return found.user


api_auth = [BrowserSessionAuth(), TokenAuth()]
